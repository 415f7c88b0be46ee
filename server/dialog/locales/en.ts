/**
 * English texts of the customer dialog. The other locales are typed against this object, so a
 * missing or extra key is a compile error. Interpolations use {{name}}; React escapes the result.
 */
export const en = {
  common: {
    poweredBy: 'Payment page of {{merchant}} · Counterlink',
    testBadge: 'TEST',
    testNotice: 'Test mode — no real money moves.',
    language: 'Language',
    amount: 'Amount',
    reference: 'Reference',
    paymentReference: 'Payment reference',
    merchant: 'Merchant',
    date: 'Date',
    back: 'Back',
  },
  pay: {
    documentTitle: '{{name}} · {{merchant}}',
    amountDue: 'Amount due',
    orderSummary: 'Order summary',
    lineItemQuantity: '{{quantity}} × {{unitAmount}}',
    total: 'Total',
    amountLabel: 'Amount to pay',
    amountHint: 'Enter the amount in {{currency}}, for example {{example}}.',
    minHint: 'Minimum {{min}}.',
    maxHint: 'Maximum {{max}} per payment.',
    rangeHint: 'Between {{min}} and {{max}}.',
    validUntil: 'Valid until {{date}}',
    method: 'Payment method',
    methodSimulator: 'Test payment',
    methodSimulatorHint: 'Simulated checkout — no real money moves',
    detailsSummary: 'Add your name, email or a note (optional)',
    payerName: 'Name',
    payerEmail: 'Email',
    payerReference: 'Note for {{merchant}}',
    payButton: 'Pay {{amount}}',
    payButtonOpen: 'Pay',
    processing: 'One moment…',
    secureNote: 'You will confirm the payment on the next page.',
  },
  error: {
    title: 'The payment could not be started',
    amountRequired: 'Please enter the amount you want to pay.',
    amountInvalid: 'Please enter a valid amount, for example {{example}}.',
    amountDecimals: '{{currency}} amounts have at most {{count}} decimals, for example {{example}}.',
    amountTooLarge: 'This amount is too large.',
    amountTooLow: 'The amount must be at least {{min}}.',
    perPaymentLimit: 'The amount can be at most {{max}} per payment.',
    amountLimit: 'This amount is more than what is left on this link ({{remaining}}).',
    amountLimitNoRemaining: 'This amount is more than what is left on this link.',
    usageLimit: 'All uses of this link are taken at the moment because other payments are still in progress. Please try again in a few minutes.',
    emailInvalid: 'Please enter a valid email address.',
    tooLong: 'This entry is too long.',
    invalid: 'Please check your entries and try again.',
    conflict: 'Something changed while your payment was being started. Please try again.',
  },
  unavailable: {
    notFound: {
      title: 'Link not found',
      body: 'This payment link does not exist. Please check the address or ask the shop for a new link.',
    },
    locked: {
      title: 'Payment in progress',
      body: 'A payment with this link has already been started.',
      until: 'If it is not completed, the link becomes available again at {{time}}.',
      untilDate: 'If it is not completed, the link becomes available again on {{date}}.',
      refresh: 'Check again',
      yours: 'You started this payment on this device. You can continue or cancel it.',
      continue: 'Continue my payment',
    },
    disabled: {
      title: 'Link paused',
      body: 'This payment link is switched off at the moment. Please contact {{merchant}}.',
    },
    consumed: {
      title: 'Already paid',
      body: 'This link has already been paid. There is nothing more to do.',
    },
    expired: {
      title: 'Link expired',
      body: 'This payment link has expired. Please ask {{merchant}} for a new one.',
    },
    cancelled: {
      title: 'Link cancelled',
      body: 'This payment link was cancelled by {{merchant}}.',
    },
    usage_limit_reached: {
      title: 'Link fully used',
      body: 'This link has reached its maximum number of payments.',
    },
    amount_limit_reached: {
      title: 'Limit reached',
      body: 'This link has reached the total amount it can collect.',
    },
    error: {
      title: 'Something went wrong',
      body: 'This page could not be shown. Please try again in a moment.',
    },
    notPayable: {
      title: 'Not a payment link',
      body: 'This link cannot be used to pay here. Please contact {{merchant}}.',
    },
  },
  sim: {
    documentTitle: 'Test checkout · {{merchant}}',
    banner: 'TEST MODE — no real money moves',
    title: 'Simulated checkout',
    intro: 'This page stands in for a real payment provider. Choose what should happen to this payment.',
    approve: 'Approve payment',
    decline: 'Decline payment',
    abandon: 'Leave without paying',
    cancel: 'Cancel payment',
    cancelHint: 'Changed your mind?',
    choices: 'Outcome',
    notPending: 'This payment is no longer waiting for a decision. Its status is: {{status}}.',
    alreadyEnded: 'This payment has already ended.',
    seeResult: 'See the result',
  },
  result: {
    documentTitle: '{{title}} · {{merchant}}',
    succeeded: {
      title: 'Payment successful',
      body: 'Thank you! {{merchant}} has received your payment.',
    },
    failed: {
      title: 'Payment declined',
      body: 'Your payment was declined. No money was taken.',
    },
    cancelled: {
      title: 'Payment cancelled',
      body: 'The payment was cancelled. No money was taken.',
    },
    abandoned: {
      title: 'Payment not completed',
      body: 'The payment was not completed. No money was taken.',
    },
    pending: {
      title: 'Waiting for your payment',
      body: 'We are waiting for the payment to be confirmed. This page updates by itself.',
      noScript: 'This page reloads every few seconds.',
    },
    refunded: {
      title: 'Payment refunded',
      body: 'This payment has been refunded.',
    },
    partially_refunded: {
      title: 'Payment partly refunded',
      body: 'Part of this payment has been refunded.',
    },
    keepReference: 'Please keep the payment reference for your records.',
    closeHint: 'You can close this page now.',
    tryAgain: 'Try again',
    continueCheckout: 'Continue to checkout',
    refresh: 'Refresh',
    cancelRefused: {
      title: 'The payment cannot be cancelled',
      notCancellable: 'Payments with this link cannot be cancelled.',
      notPending: 'This payment has already ended and can no longer be cancelled.',
    },
  },
  paymentStatus: {
    pending: 'pending',
    succeeded: 'successful',
    failed: 'declined',
    abandoned: 'not completed',
    cancelled: 'cancelled',
    partially_refunded: 'partly refunded',
    refunded: 'refunded',
  },
};

/** The shape every locale must have: the same keys, string leaves. */
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type Messages = Shape<typeof en>;
