/**
 * Input limits, declared once: core's checks (core/validate.ts, the services' input checks) and
 * the server's TypeBox route schemas (server/schemas) both read them, so the shape the route
 * refuses and the rule core enforces can never drift apart. A pure module.
 */
export const LIMITS = {
  /** Names of links, line items, points of sale, devices. */
  name: 120,
  /** Free text describing a link or a webhook endpoint. */
  description: 500,
  /** The merchant's or payer's reference (a SEPA remittance line holds 140). */
  reference: 140,
  /** The payer's name and email (RFC 5321: 254). */
  payerName: 120,
  email: 254,
  /** Callback and webhook URLs. */
  url: 2000,
  /** Line items of a link, and one item's quantity. */
  lineItems: 100,
  quantity: 9999,
  /** How often a reusable link may be paid. */
  maxUses: 1_000_000_000,
  /** Payment methods offered (list length, name length). */
  methods: 10,
  methodName: 40,
  /** An amount typed as text (decimal string) on input. */
  amountText: 32,
  /** Object ids in paths and filters. */
  id: 100,
} as const;

/** `metadata` / `data[…]`: string -> string. */
export const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 } as const;
