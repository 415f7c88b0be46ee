import { renderToStaticMarkup } from 'react-dom/server';
import type { SendMailOptions } from 'nodemailer';
import type { Locale } from '../links/types';
import type { MerchantSettings } from '../settings';
import type { Minor } from '../money';
import { formatDateTime, formatMoney } from './format';
import { t } from './texts';
import { fromHeader } from './compose';

/** What the receipt email says: who was paid, how much, the refId and when (merchant's time zone). */
export interface ReceiptEmailInput {
  notificationId: string;
  merchant: MerchantSettings;
  locale: Locale;
  to: string;
  from: string | null;
  refId: string;
  amount: Minor;
  currency: string;
  /** When the payment succeeded (ms). */
  completedAt: number;
  /** The receipt PDF (the staff's receipt), made at delivery time; absent in a preview. */
  pdf?: Buffer;
}

export interface ReceiptEmailModel {
  locale: Locale;
  subject: string;
  intro: string;
  rows: [string, string][];
  footer: string;
}

export function receiptEmailModel(input: ReceiptEmailInput): ReceiptEmailModel {
  const { locale, merchant } = input;
  const values = { merchant: merchant.merchantName };
  return {
    locale,
    subject: t(locale, 'receiptSubject', values),
    intro: t(locale, 'receiptIntro', values),
    rows: [
      [t(locale, 'receiptAmount'), formatMoney(input.amount, input.currency, locale)],
      [t(locale, 'receiptRef'), input.refId],
      [t(locale, 'receiptDate'), formatDateTime(input.completedAt, locale, merchant.timeZone)],
    ],
    footer: t(locale, 'receiptFooter', values),
  };
}

export function renderReceiptText(m: ReceiptEmailModel): string {
  return [m.intro, '', ...m.rows.map(([k, v]) => `${k}: ${v}`), '', m.footer, ''].join('\n');
}

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/** A short HTML email (tables, inline styles); React escapes every value. */
export function renderReceiptHtml(m: ReceiptEmailModel): string {
  const cell = { fontFamily: FONT, fontSize: '15px', lineHeight: 1.5, color: '#111827', padding: '4px 0' };
  const body = (
    <html lang={m.locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{m.subject}</title>
      </head>
      <body style={{ margin: 0, padding: '24px 12px', background: '#f3f4f6' }}>
        <table role="presentation" cellPadding={0} cellSpacing={0} border={0} width="100%" style={{ maxWidth: '520px', margin: '0 auto', background: '#ffffff', borderRadius: '12px' }}>
          <tbody>
            <tr>
              <td style={{ padding: '28px 28px 8px' }}>
                <h1 style={{ ...cell, fontSize: '20px', margin: '0 0 12px' }}>{m.subject}</h1>
                <p style={{ ...cell, margin: '0 0 16px' }}>{m.intro}</p>
                <table role="presentation" cellPadding={0} cellSpacing={0} border={0} width="100%">
                  <tbody>
                    {m.rows.map(([k, v]) => (
                      <tr key={k}>
                        <td style={{ ...cell, color: '#6b7280' }}>{k}</td>
                        <td style={{ ...cell, textAlign: 'right', fontWeight: 600 }}>{v}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </td>
            </tr>
            <tr>
              <td style={{ padding: '8px 28px 28px' }}>
                <p style={{ ...cell, fontSize: '12px', color: '#6b7280', margin: 0 }}>{m.footer}</p>
              </td>
            </tr>
          </tbody>
        </table>
      </body>
    </html>
  );
  return `<!DOCTYPE html>${renderToStaticMarkup(body)}`;
}

/** The receipt email as nodemailer options: text + HTML + the receipt PDF as an attachment. */
export function composeReceiptEmail(input: ReceiptEmailInput): { mail: SendMailOptions; html: string; subject: string } {
  const model = receiptEmailModel(input);
  const html = renderReceiptHtml(model);
  const from = fromHeader(input.from, input.merchant.merchantName);
  const domain = from.address.split('@')[1] ?? 'localhost';
  const mail: SendMailOptions = {
    from,
    to: input.to,
    subject: model.subject,
    text: renderReceiptText(model),
    html,
    messageId: `<${input.notificationId}@${domain}>`,
    headers: { 'Content-Language': input.locale, 'X-Counterlink-Notification': input.notificationId },
    attachments: input.pdf ? [{ filename: `receipt-${input.refId}.pdf`, content: input.pdf, contentType: 'application/pdf' }] : [],
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  return { mail, html, subject: model.subject };
}
