import QRCode from 'qrcode';
import type { SendMailOptions } from 'nodemailer';
import type { LinkRecord, Locale } from '../links/types';
import type { MerchantSettings } from '../settings';
import { formatDateTime, formatMoney } from './format';
import { renderEmailHtml, renderEmailText, type EmailModel } from './email-template';
import { t } from './texts';
import { composeSms } from './sms-text';
import { parseMailbox } from './addresses';
import type { LinkTransferDetails } from '../banking/link-transfer';
import { EPC_QR_ERROR_CORRECTION } from '../banking/epc-qr';
import { formatCreditorReference } from '../banking/creditor-reference';
import { formatIban } from '../banking/iban';

/** Content-ID of the inline QR code image. */
export const QR_CID = 'qr@counterlink';
/** Content-ID of the inline EPC QR code ("GiroCode") of a link that offers bank transfer. */
export const EPC_QR_CID = 'epc-qr@counterlink';
/** Rendered at twice the displayed size: sharp on high-density screens, easy to scan from the screen. */
const QR_PX = 240;

export interface ComposeInput {
  notificationId: string;
  link: LinkRecord;
  url: string;
  merchant: MerchantSettings;
  locale: Locale;
  message: string | null;
  to: string;
  /** Configured From (address or "Name <address>"); null: a local placeholder. */
  from: string | null;
  /** Set when the link offers bank transfer: the email then carries the details and an EPC QR code. */
  bankTransfer?: LinkTransferDetails;
}

export function emailModel(input: ComposeInput, qrSrc: string, epcQrSrc?: string): EmailModel {
  const { link, locale, merchant } = input;
  const money = (minor: number | null) => (minor === null ? null : formatMoney(minor, link.currency, locale));
  const isPayment = link.type === 'payment';
  return {
    locale,
    merchant: merchant.merchantName,
    name: link.name,
    description: link.description,
    amount: isPayment ? money(link.amount) : null,
    minAmount: isPayment ? money(link.minAmount) : null,
    reference: link.reference,
    expires: link.expiresAt === null ? null : formatDateTime(link.expiresAt, locale, merchant.timeZone),
    lineItems: link.lineItems?.map((i) => ({ name: i.name, quantity: i.quantity, total: formatMoney(i.unitAmount * i.quantity, link.currency, locale) })) ?? null,
    url: input.url,
    qrSrc,
    message: input.message,
    isPayment,
    bankTransfer:
      input.bankTransfer && epcQrSrc
        ? {
            accountHolder: input.bankTransfer.accountHolder,
            iban: formatIban(input.bankTransfer.iban),
            bic: input.bankTransfer.bic,
            amount: formatMoney(input.bankTransfer.amount, 'EUR', locale),
            reference: formatCreditorReference(input.bankTransfer.creditorReference),
            qrSrc: epcQrSrc,
          }
        : null,
  };
}

export function emailSubject(model: EmailModel): string {
  const values = { merchant: model.merchant, name: model.name, amount: model.amount ?? '' };
  if (!model.isPayment) return t(model.locale, 'subjectInfo', values);
  return t(model.locale, model.amount ? 'subject' : 'subjectOpen', values);
}

export function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: QR_PX });
}

/** The EPC QR code at the level EPC069-12 asks for; a little larger than the link's: banking apps want it sharp. */
export function epcQrPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: 'png', errorCorrectionLevel: EPC_QR_ERROR_CORRECTION, margin: 2, width: QR_PX });
}

/** From header: the configured mailbox, with the merchant's name when it has none. */
export function fromHeader(from: string | null, merchantName: string): { name: string; address: string } {
  const parsed = from ? parseMailbox(from) : undefined;
  return { name: parsed?.name ?? merchantName, address: parsed?.address ?? 'counterlink@localhost' };
}

/** The whole email as nodemailer message options: HTML + text + inline QR code. */
export async function composeEmail(input: ComposeInput): Promise<{ mail: SendMailOptions; html: string; subject: string }> {
  const model = emailModel(input, `cid:${QR_CID}`, `cid:${EPC_QR_CID}`);
  const html = renderEmailHtml(model);
  const subject = emailSubject(model);
  const from = fromHeader(input.from, input.merchant.merchantName);
  const domain = from.address.split('@')[1] ?? 'localhost';
  const mail: SendMailOptions = {
    from,
    to: input.to,
    subject,
    text: renderEmailText(model),
    html,
    messageId: `<${input.notificationId}@${domain}>`,
    headers: { 'Content-Language': input.locale, 'X-Counterlink-Notification': input.notificationId },
    attachments: [
      { filename: 'qr-code.png', content: await qrPng(input.url), contentType: 'image/png', cid: QR_CID, contentDisposition: 'inline' },
      ...(input.bankTransfer
        ? [{ filename: 'bank-transfer-qr.png', content: await epcQrPng(input.bankTransfer.epcPayload), contentType: 'image/png', cid: EPC_QR_CID, contentDisposition: 'inline' as const }]
        : []),
    ],
    // Only our own content goes in: no file or URL fetching by the composer.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  return { mail, html, subject };
}

/** The HTML as a browser preview shows it: the QR code inline as a data: URI. */
export async function previewEmailHtml(input: ComposeInput): Promise<string> {
  const dataUri = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;
  const epc = input.bankTransfer ? dataUri(await epcQrPng(input.bankTransfer.epcPayload)) : undefined;
  return renderEmailHtml(emailModel(input, dataUri(await qrPng(input.url)), epc));
}

export function composeSmsText(input: ComposeInput): string {
  const { link, locale } = input;
  return composeSms({
    merchant: input.merchant.merchantName,
    name: link.name,
    amount: link.type === 'payment' && link.amount !== null ? formatMoney(link.amount, link.currency, locale) : null,
    url: input.url,
    message: input.message,
    locale,
    isPayment: link.type === 'payment',
  });
}
