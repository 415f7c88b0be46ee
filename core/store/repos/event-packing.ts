/**
 * Events are the bulk of a shop's database (issue #13: ~13 per link, each a full copy of the link
 * or payment after the change). They are stored deflated against a preset dictionary of what
 * every event repeats — the keys and usual values of link and payment objects — so that mostly
 * the ids, times and amounts remain. The first byte names the format, so the dictionary can grow
 * in a later version without rewriting old events; rows written before packing keep their JSON
 * text and are read as they are.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** Version 1's dictionary. Never change it: events packed with it must stay readable. Later text weighs more. */
const DICTIONARY_V1 = Buffer.from(
  [
    '{"id":"ntf_","linkId":"pl_","channel":"email","to":"","status":"queued","attempts":0,"lastError":null,"transport":null,"cost":null,"sentAt":null,"deliveredAt":null,"failedAt":null,"nextAttemptAt":',
    '{"pointOfSaleId":"pos_","mode":"link","link":{"id":"pl_","refId":null,"payment":null,"showing":"charge","result":null}',
    '"bankTransfer":{"creditorReference":"RF","accountHolder":"","iban":"DE","bic":null,"amountReceived":"0.00","overpaidAmount":"0.00","source":null,"credits":[],"reversed":false},"tipAmount":"0.00","actor":null,',
    '"method":"sepa_transfer","status":"failed","status":"abandoned","status":"refunded","status":"partially_refunded","status":"expired","status":"cancelled","status":"used","status":"disabled","reuse":"multiple","type":"account_info","locale":"de","currency":"CHF","currency":"GBP",',
    '{"id":"pl_","livemode":true,"methods":null,"type":"payment","name":"Charge ","description":null,"status":"enabled","enabled":true,"pointOfSaleId":"pos_","amount":"12.50","currency":"EUR","minAmount":null,"reuse":"single","maxUses":null,"perPaymentAmountLimit":null,"totalAmountLimit":null,"expiresAt":null,"locale":"en","country":null,"metadata":{},"refIdBase":"","reference":null,"cancellable":true,"callbackUrl":null,"lineItems":null,"url":"http://127.0.0.1:4780/en/pay-by-link/pl_","usage":{"count":0,"amount":"0.00","pendingCount":1,"remainingCount":null,"remainingAmount":null},"lockedUntil":null,"createdAt":"2026-12-01T10:00:00.000Z","updatedAt":"2026-12-01T10:00:00.000Z"}',
    '{"id":"pay_","linkId":"pl_","refId":"-0001","status":"pending","amount":"12.50","currency":"EUR","method":"simulator","reference":null,"payer":null,"metadata":{},"refundedAmount":"0.00","livemode":false,"providerReference":null,"createdAt":"2026-12-01T10:00:00.000Z","completedAt":null}',
    '"status":"locked","lockedUntil":"2026-12-01T10:15:00.000Z","status":"succeeded","completedAt":"2026-12-01T10:00:30.000Z","usage":{"count":1,"amount":"12.50","pendingCount":0,"remainingCount":null,"remainingAmount":null},"livemode":false,"pointOfSaleId":"pos_","linkId":"pl_","id":"pay_","id":"pl_"',
  ].join(''),
);

const FORMAT_V1 = 1;
/** Deflated against the dictionary and then its base: an earlier event of the same object kind. */
const FORMAT_DELTA = 2;

/**
 * A 4 KiB window holds the whole dictionary and any event; zlib's default 32 KiB window and
 * larger hash tables only cost allocation (half the time of a pack). The inflater's default window
 * reads either, so events packed before this setting read the same.
 */
const DEFLATE_OPTIONS = { dictionary: DICTIONARY_V1, windowBits: 12, memLevel: 4 } as const;

/**
 * The event's data as stored: a format byte, then the JSON deflated against the dictionary and,
 * given a base, against the base's JSON too. An event is mostly a copy of the link or payment it
 * is about, so against the first event of its kind for the same link (`link.created` for the
 * link's events, the first `payment.created` for its payments') only what changed remains: a
 * third of the bytes. A base is always self-contained (format 1): a read needs at most one other
 * event.
 */
export function packEvent(data: unknown, baseJson?: string): Buffer {
  const json = JSON.stringify(data);
  if (baseJson === undefined) return Buffer.concat([Buffer.of(FORMAT_V1), deflateRawSync(json, DEFLATE_OPTIONS)]);
  return Buffer.concat([Buffer.of(FORMAT_DELTA), deflateRawSync(json, { ...DEFLATE_OPTIONS, dictionary: withBase(baseJson) })]);
}

/** The JSON text of a packed event (a base's, to pack or unpack another against it). */
export function unpackEventJson(packed: Uint8Array, baseJson?: string): string {
  const bytes = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  if (bytes[0] === FORMAT_V1) return inflateRawSync(bytes.subarray(1), { dictionary: DICTIONARY_V1 }).toString('utf8');
  if (bytes[0] === FORMAT_DELTA) {
    if (baseJson === undefined) throw new Error('a delta-packed event was read without its base event');
    return inflateRawSync(bytes.subarray(1), { dictionary: withBase(baseJson) }).toString('utf8');
  }
  throw new Error(`event stored in unknown format ${bytes[0]}: a newer Counterlink wrote it`);
}

export function unpackEvent(packed: Uint8Array, baseJson?: string): unknown {
  return JSON.parse(unpackEventJson(packed, baseJson)) as unknown;
}

/**
 * The dictionary of a delta: the base last (deflate prefers the nearest match), cut to the window
 * (4 KiB) from its end. An event larger than the window still packs and reads; it only gains less.
 */
function withBase(baseJson: string): Buffer {
  const dictionary = Buffer.concat([DICTIONARY_V1, Buffer.from(baseJson, 'utf8')]);
  const window = 1 << DEFLATE_OPTIONS.windowBits;
  return dictionary.length > window ? dictionary.subarray(dictionary.length - window) : dictionary;
}

/** Whether a packed event reads on its own (format 1), so that others may be packed against it. */
export const isSelfContained = (packed: Uint8Array): boolean => packed[0] === FORMAT_V1;

/** What an event's base is chosen by: its kind ("payment" of payment.succeeded). */
export const eventKind = (type: string): string => type.slice(0, Math.max(0, type.indexOf('.')));

/** The link an event is about, for the `linkId` filter: a payment's or display's link, or the link itself. */
export function eventLinkId(type: string, data: unknown): string | null {
  if (data === null || typeof data !== 'object') return null;
  const d = data as { linkId?: unknown; id?: unknown };
  if (typeof d.linkId === 'string') return d.linkId;
  return type.startsWith('link.') && typeof d.id === 'string' ? d.id : null;
}
