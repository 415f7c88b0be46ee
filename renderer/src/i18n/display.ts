/**
 * The counter display speaks to the customer: in the link's language (en, de, fr, nl), not
 * the staff UI's. Few strings, so a plain table.
 */
const TEXT = {
  en: {
    scanToPay: 'Scan to pay',
    scanHint: 'Point your phone camera at the code',
    anyAmount: 'Any amount',
    timeLeft: 'Valid for {time}',
    paying: 'Payment in progress…',
    payingHint: 'Please finish on your phone',
    paid: 'Paid',
    thanks: 'Thank you!',
    failed: 'Payment failed',
    failedHint: 'Please try again',
    cancelled: 'Payment cancelled',
    welcome: 'Welcome',
    reconnecting: 'Reconnecting…',
    notFound: 'This display is not set up',
  },
  de: {
    scanToPay: 'Scannen und bezahlen',
    scanHint: 'Halten Sie die Handykamera auf den Code',
    anyAmount: 'Beliebiger Betrag',
    timeLeft: 'Gültig für {time}',
    paying: 'Zahlung läuft…',
    payingHint: 'Bitte auf dem Handy abschließen',
    paid: 'Bezahlt',
    thanks: 'Vielen Dank!',
    failed: 'Zahlung fehlgeschlagen',
    failedHint: 'Bitte versuchen Sie es noch einmal',
    cancelled: 'Zahlung abgebrochen',
    welcome: 'Willkommen',
    reconnecting: 'Verbindung wird hergestellt…',
    notFound: 'Diese Anzeige ist nicht eingerichtet',
  },
  fr: {
    scanToPay: 'Scannez pour payer',
    scanHint: 'Visez le code avec l’appareil photo de votre téléphone',
    anyAmount: 'Montant libre',
    timeLeft: 'Valable {time}',
    paying: 'Paiement en cours…',
    payingHint: 'Veuillez terminer sur votre téléphone',
    paid: 'Payé',
    thanks: 'Merci !',
    failed: 'Paiement refusé',
    failedHint: 'Veuillez réessayer',
    cancelled: 'Paiement annulé',
    welcome: 'Bienvenue',
    reconnecting: 'Reconnexion…',
    notFound: 'Cet écran n’est pas configuré',
  },
  nl: {
    scanToPay: 'Scan om te betalen',
    scanHint: 'Richt de camera van je telefoon op de code',
    anyAmount: 'Vrij bedrag',
    timeLeft: 'Geldig voor {time}',
    paying: 'Betaling bezig…',
    payingHint: 'Rond de betaling af op je telefoon',
    paid: 'Betaald',
    thanks: 'Dank je wel!',
    failed: 'Betaling mislukt',
    failedHint: 'Probeer het opnieuw',
    cancelled: 'Betaling geannuleerd',
    welcome: 'Welkom',
    reconnecting: 'Opnieuw verbinden…',
    notFound: 'Dit scherm is niet ingesteld',
  },
} as const;

export type DisplayKey = keyof (typeof TEXT)['en'];

export function displayText(locale: string, key: DisplayKey, vars: Record<string, string> = {}): string {
  const table = (TEXT as Record<string, Record<DisplayKey, string>>)[locale] ?? TEXT.en;
  return table[key].replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '');
}

export const DISPLAY_LOCALES = Object.keys(TEXT);
