import type { CSSProperties, ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Locale } from '../links/types';
import { t } from './texts';

/**
 * The payment-request email as HTML. Email clients want tables and inline styles (no <style>
 * rules they might drop, no flexbox); React escapes every value by construction.
 */

export interface EmailModel {
  locale: Locale;
  merchant: string;
  /** The link's name, e.g. "Invoice 2026-014". */
  name: string;
  description: string | null;
  /** Formatted fixed amount; null for an open amount or an account-info link. */
  amount: string | null;
  /** Formatted minimum of an open amount. */
  minAmount: string | null;
  reference: string | null;
  /** Formatted expiry in the merchant's time zone. */
  expires: string | null;
  lineItems: { name: string; quantity: number; total: string }[] | null;
  url: string;
  /** The QR image: `cid:…` in the sent email, a data: URI in a preview. */
  qrSrc: string;
  message: string | null;
  isPayment: boolean;
  /** Paying by SEPA transfer from a banking app: formatted details and the EPC QR image. */
  bankTransfer?: { accountHolder: string; iban: string; bic: string | null; amount: string; reference: string; qrSrc: string } | null;
}

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const INK = '#111827';
const MUTED = '#6b7280';
const LINE = '#e5e7eb';
const BRAND = '#4338ca';
const BRAND_SOFT = '#eef2ff';
const PAGE = '#f3f4f6';

const text = (size: number, color = INK, extra: CSSProperties = {}): CSSProperties => ({
  fontFamily: FONT,
  fontSize: `${size}px`,
  lineHeight: 1.5,
  color,
  margin: 0,
  ...extra,
});

/** The old `bgcolor` attribute (Outlook ignores CSS backgrounds on cells); React passes it through. */
const legacyBg = (color: string) => ({ bgcolor: color }) as Record<string, string>;

/** A full-width table row with one cell: the unit of every block below. */
function Row({ children, style }: { children: ReactNode; style?: CSSProperties }) {
  return (
    <tr>
      <td style={style}>{children}</td>
    </tr>
  );
}

function Table({ children, style, width }: { children: ReactNode; style?: CSSProperties; width?: string }) {
  return (
    <table role="presentation" cellPadding={0} cellSpacing={0} border={0} width={width ?? '100%'} style={{ borderCollapse: 'separate', ...style }}>
      <tbody>{children}</tbody>
    </table>
  );
}

/** Line breaks of a plain-text note, as <br/>s (the text itself stays escaped). */
function Lines({ value }: { value: string }) {
  const lines = value.split(/\r?\n/);
  return (
    <>
      {lines.map((line, i) => (
        <span key={i}>
          {line}
          {i < lines.length - 1 ? <br /> : null}
        </span>
      ))}
    </>
  );
}

/** A button that survives Outlook: a table cell with a background, the link inside. */
function Button({ href, label }: { href: string; label: string }) {
  return (
    <table role="presentation" cellPadding={0} cellSpacing={0} border={0} width="100%" style={{ borderCollapse: 'separate' }}>
      <tbody>
        <tr>
          <td align="center" {...legacyBg(BRAND)} style={{ borderRadius: '10px', backgroundColor: BRAND }}>
            <a
              href={href}
              target="_blank"
              rel="noopener"
              style={{
                display: 'block',
                padding: '15px 24px',
                fontFamily: FONT,
                fontSize: '17px',
                fontWeight: 700,
                lineHeight: 1.3,
                color: '#ffffff',
                textDecoration: 'none',
                borderRadius: '10px',
              }}
            >
              {label}
            </a>
          </td>
        </tr>
      </tbody>
    </table>
  );
}

function Detail({ label, value, first }: { label: string; value: string; first?: boolean }) {
  const cell: CSSProperties = { padding: '10px 0', borderTop: first ? 'none' : `1px solid ${LINE}` };
  return (
    <tr>
      <td style={{ ...cell, ...text(14, MUTED) }} width="45%">
        {label}
      </td>
      <td align="right" style={{ ...cell, ...text(14, INK, { fontWeight: 600 }) }}>
        {value}
      </td>
    </tr>
  );
}

/** A QR code image in its own 132 px cell, beside the text that explains it. */
function QrCell({ src, alt, valign }: { src: string; alt: string; valign: 'top' | 'middle' }) {
  return (
    <td width={132} valign={valign} style={{ width: '132px' }}>
      <img
        src={src}
        width={120}
        height={120}
        alt={alt}
        // Keeps React 19 from adding a <link rel="preload"> for the image, which has no place in an email.
        fetchPriority="low"
        style={{ display: 'block', width: '120px', height: '120px', border: `1px solid ${LINE}`, borderRadius: '8px' }}
      />
    </td>
  );
}

/** "Or pay by bank transfer": the EPC QR code a banking app scans, and the same details to type. */
function BankTransfer({ locale: L, bank }: { locale: Locale; bank: NonNullable<EmailModel['bankTransfer']> }) {
  const rows: [string, string][] = [
    [t(L, 'bankHolder'), bank.accountHolder],
    [t(L, 'bankIban'), bank.iban],
    ...(bank.bic ? ([[t(L, 'bankBic'), bank.bic]] as [string, string][]) : []),
    [t(L, 'bankAmount'), bank.amount],
    [t(L, 'bankReference'), bank.reference],
  ];
  return (
    <Row style={{ paddingTop: '24px' }}>
      <Table>
        <Row style={{ borderTop: `1px solid ${LINE}`, paddingTop: '24px' }}>
          <p style={text(16, INK, { fontWeight: 700 })}>{t(L, 'bankTitle')}</p>
          <p style={text(13, MUTED, { paddingTop: '4px' })}>{t(L, 'bankHint')}</p>
        </Row>
        <Row style={{ paddingTop: '16px' }}>
          <Table>
            <tr>
              <QrCell src={bank.qrSrc} alt={t(L, 'bankTitle')} valign="top" />
              <td valign="top" style={{ paddingLeft: '16px' }}>
                <Table>
                  {rows.map(([label, value], i) => (
                    <tr key={label}>
                      <td style={{ padding: i === 0 ? '0 0 6px' : '6px 0', ...text(12, MUTED) }}>
                        {label}
                        <br />
                        <span style={text(14, INK, { fontWeight: 600, wordBreak: 'break-all' })}>{value}</span>
                      </td>
                    </tr>
                  ))}
                </Table>
              </td>
            </tr>
          </Table>
        </Row>
      </Table>
    </Row>
  );
}

export function PaymentRequestEmail(m: EmailModel) {
  const L = m.locale;
  const merchant = { merchant: m.merchant };
  const initial = (m.merchant.trim()[0] ?? '•').toUpperCase();
  const buttonLabel = !m.isPayment ? t(L, 'openButton') : m.amount ? t(L, 'payButton', { amount: m.amount }) : t(L, 'payButtonOpen');
  const preheader = m.amount ? t(L, 'preheader', { ...merchant, amount: m.amount }) : t(L, 'preheaderOpen', merchant);
  const details: [string, string][] = [];
  if (m.reference) details.push([t(L, 'reference'), m.reference]);
  if (m.expires) details.push([t(L, 'validUntil'), m.expires]);

  return (
    <html lang={L}>
      <head>
        <meta httpEquiv="Content-Type" content="text/html; charset=utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <meta name="supported-color-schemes" content="light" />
        <title>{m.name}</title>
      </head>
      <body style={{ margin: 0, padding: 0, backgroundColor: PAGE, WebkitTextSizeAdjust: '100%' }}>
        {/* Preheader: the grey preview line in the inbox list. */}
        <div style={{ display: 'none', maxHeight: 0, overflow: 'hidden', opacity: 0, fontSize: '1px', lineHeight: '1px', color: PAGE }}>{preheader}</div>
        <Table style={{ backgroundColor: PAGE }}>
          <tr>
            <td align="center" style={{ padding: '32px 12px' }}>
              <Table width="100%" style={{ maxWidth: '560px' }}>
                {/* Merchant header */}
                <Row style={{ padding: '0 4px 20px' }}>
                  <Table width="auto">
                    <tr>
                      <td
                        width={40}
                        height={40}
                        align="center"
                        {...legacyBg(BRAND)}
                        style={{ width: '40px', height: '40px', borderRadius: '20px', backgroundColor: BRAND, ...text(18, '#ffffff', { fontWeight: 700, lineHeight: '40px' }) }}
                      >
                        {initial}
                      </td>
                      <td style={{ paddingLeft: '12px', ...text(18, INK, { fontWeight: 700 }) }}>{m.merchant}</td>
                    </tr>
                  </Table>
                </Row>

                {/* Card */}
                <Row style={{ backgroundColor: '#ffffff', border: `1px solid ${LINE}`, borderRadius: '14px', padding: '32px 28px 28px' }}>
                  <Table>
                    <Row>
                      <p style={text(12, BRAND, { fontWeight: 700, letterSpacing: '0.08em', textTransform: 'uppercase' })}>{t(L, 'eyebrow')}</p>
                    </Row>
                    <Row style={{ paddingTop: '6px' }}>
                      <h1 style={text(24, INK, { fontWeight: 700, lineHeight: 1.25 })}>{m.name}</h1>
                    </Row>
                    <Row style={{ paddingTop: '8px' }}>
                      <p style={text(15, MUTED)}>{t(L, 'intro', merchant)}</p>
                    </Row>
                    {m.description ? (
                      <Row style={{ paddingTop: '12px' }}>
                        <p style={text(15, INK)}>
                          <Lines value={m.description} />
                        </p>
                      </Row>
                    ) : null}

                    {m.isPayment ? (
                      <Row style={{ paddingTop: '24px' }}>
                        <Table style={{ backgroundColor: BRAND_SOFT, borderRadius: '12px' }}>
                          <Row style={{ padding: '18px 20px' }}>
                            <p style={text(13, MUTED, { fontWeight: 600 })}>{m.amount ? t(L, 'amountDue') : t(L, 'openAmount')}</p>
                            {m.amount ? <p style={text(34, INK, { fontWeight: 800, lineHeight: 1.2, paddingTop: '2px' })}>{m.amount}</p> : null}
                            {!m.amount && m.minAmount ? <p style={text(15, INK, { paddingTop: '2px' })}>{t(L, 'minAmount', { amount: m.minAmount })}</p> : null}
                          </Row>
                        </Table>
                      </Row>
                    ) : null}

                    {m.lineItems && m.lineItems.length > 0 ? (
                      <Row style={{ paddingTop: '16px' }}>
                        <Table>
                          {m.lineItems.map((item, i) => (
                            <Detail key={i} first={i === 0} label={item.quantity === 1 ? item.name : `${item.quantity} × ${item.name}`} value={item.total} />
                          ))}
                        </Table>
                      </Row>
                    ) : null}

                    {details.length > 0 ? (
                      <Row style={{ paddingTop: '12px' }}>
                        <Table>
                          {details.map(([label, value], i) => (
                            <Detail key={label} first={i === 0} label={label} value={value} />
                          ))}
                        </Table>
                      </Row>
                    ) : null}

                    {m.message ? (
                      <Row style={{ paddingTop: '20px' }}>
                        <Table>
                          <Row style={{ borderLeft: `3px solid ${BRAND}`, backgroundColor: '#f9fafb', padding: '12px 16px', borderRadius: '0 8px 8px 0' }}>
                            <p style={text(12, MUTED, { fontWeight: 700, paddingBottom: '4px' })}>{t(L, 'messageFrom', merchant)}</p>
                            <p style={text(15, INK)}>
                              <Lines value={m.message} />
                            </p>
                          </Row>
                        </Table>
                      </Row>
                    ) : null}

                    <Row style={{ paddingTop: '28px' }}>
                      <Button href={m.url} label={buttonLabel} />
                    </Row>
                    <Row style={{ paddingTop: '10px' }}>
                      <p style={text(13, MUTED, { textAlign: 'center' })}>{t(L, 'secure', merchant)}</p>
                    </Row>

                    {/* QR code for paying on a phone while reading on a computer */}
                    <Row style={{ paddingTop: '28px' }}>
                      <Table>
                        <Row style={{ borderTop: `1px solid ${LINE}`, paddingTop: '24px' }}>
                          <Table>
                            <tr>
                              <QrCell src={m.qrSrc} alt={m.url} valign="middle" />
                              <td valign="middle" style={{ paddingLeft: '16px' }}>
                                <p style={text(14, INK, { fontWeight: 600 })}>{t(L, 'qrHint')}</p>
                                <p style={text(12, MUTED, { paddingTop: '8px' })}>{t(L, 'linkHint')}</p>
                                <p style={text(12, BRAND, { paddingTop: '2px', wordBreak: 'break-all' })}>
                                  <a href={m.url} target="_blank" rel="noopener" style={{ color: BRAND, textDecoration: 'underline' }}>
                                    {m.url}
                                  </a>
                                </p>
                              </td>
                            </tr>
                          </Table>
                        </Row>
                      </Table>
                    </Row>
                    {m.bankTransfer ? <BankTransfer locale={L} bank={m.bankTransfer} /> : null}
                  </Table>
                </Row>

                {/* Footer */}
                <Row style={{ padding: '20px 16px 0' }}>
                  <p style={text(12, MUTED, { textAlign: 'center' })}>{t(L, 'footer', merchant)}</p>
                </Row>
              </Table>
            </td>
          </tr>
        </Table>
      </body>
    </html>
  );
}

/** The complete HTML document of the email. */
export function renderEmailHtml(model: EmailModel): string {
  return `<!DOCTYPE html>${renderToStaticMarkup(<PaymentRequestEmail {...model} />)}`;
}

/** The plain-text part: the same facts, readable in any client. */
export function renderEmailText(m: EmailModel): string {
  const L = m.locale;
  const merchant = { merchant: m.merchant };
  const lines: string[] = [m.merchant, '', m.name, t(L, 'intro', merchant)];
  if (m.description) lines.push('', m.description);
  lines.push('');
  if (m.isPayment) {
    if (m.amount) lines.push(`${t(L, 'amountDue')}: ${m.amount}`);
    else lines.push(m.minAmount ? `${t(L, 'openAmount')} (${t(L, 'minAmount', { amount: m.minAmount })})` : t(L, 'openAmount'));
  }
  for (const item of m.lineItems ?? []) lines.push(`  ${item.quantity} × ${item.name}: ${item.total}`);
  if (m.reference) lines.push(`${t(L, 'reference')}: ${m.reference}`);
  if (m.expires) lines.push(`${t(L, 'validUntil')}: ${m.expires}`);
  if (m.message) lines.push('', `${t(L, 'messageFrom', merchant)}:`, m.message);
  const cta = !m.isPayment ? t(L, 'openButton') : m.amount ? t(L, 'payButton', { amount: m.amount }) : t(L, 'payButtonOpen');
  lines.push('', `${cta}:`, m.url, '', t(L, 'secure', merchant));
  if (m.bankTransfer) {
    const b = m.bankTransfer;
    lines.push('', `${t(L, 'bankTitle')}:`, `${t(L, 'bankHolder')}: ${b.accountHolder}`, `${t(L, 'bankIban')}: ${b.iban}`);
    if (b.bic) lines.push(`${t(L, 'bankBic')}: ${b.bic}`);
    lines.push(`${t(L, 'bankAmount')}: ${b.amount}`, `${t(L, 'bankReference')}: ${b.reference}`);
  }
  lines.push('', '--', t(L, 'footer', merchant));
  return `${lines.join('\n')}\n`;
}
