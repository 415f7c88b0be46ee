import PDFDocument from 'pdfkit';
import { formatMoney, intlLocale } from '../dialog/format';
import type { MerchantSettings } from '../../core/settings';
import { formatAmount, parseAmount } from '../../core/money';

/**
 * PDFs (receipts, day reports) with pdfkit: text laid out by the library, the built-in Helvetica
 * (WinAnsi: Latin letters, umlauts, €), no fonts to ship. Labels in German for a German shop,
 * in English otherwise.
 */
export type PdfLang = 'en' | 'de';

export function pdfLang(merchant: MerchantSettings): PdfLang {
  return merchant.defaultLocale === 'de' ? 'de' : 'en';
}

export interface PdfFormat {
  lang: PdfLang;
  intl: string;
  timeZone: string;
  /** A decimal amount string ("12.50") in `currency`, for reading: "12,50 €". */
  money(amount: string, currency: string): string;
  /** A negative amount, as refunds are shown. */
  minus(amount: string, currency: string): string;
  dateTime(iso: string): string;
  date(isoDate: string): string;
}

export function pdfFormat(merchant: MerchantSettings): PdfFormat {
  const lang = pdfLang(merchant);
  const intl = intlLocale(lang, merchant.country);
  const toMinor = (amount: string, currency: string) => (/^0+(?:\.0+)?$/.test(amount) ? 0 : parseAmount(amount, currency));
  const money = (amount: string, currency: string) => formatMoney(toMinor(amount, currency), currency, intl);
  return {
    lang,
    intl,
    timeZone: merchant.timeZone,
    money,
    minus: (amount, currency) => (toMinor(amount, currency) === 0 ? money(amount, currency) : `-${money(formatAmount(toMinor(amount, currency), currency), currency)}`),
    dateTime: (iso) => new Intl.DateTimeFormat(intl, { dateStyle: 'medium', timeStyle: 'short', timeZone: merchant.timeZone }).format(new Date(iso)),
    date: (isoDate) => new Intl.DateTimeFormat(intl, { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`)),
  };
}

/** A document, rendered to one Buffer. */
export async function renderPdf(info: { Title: string; Author: string }, draw: (doc: PDFKit.PDFDocument) => void | Promise<void>, size: string | [number, number] = 'A4'): Promise<Buffer> {
  const doc = new PDFDocument({ size, margin: 40, info: { ...info, Creator: 'Counterlink' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  await draw(doc);
  doc.end();
  return done;
}

/** Label on the left, value on the right, on one line of the page's text width. */
export function row(doc: PDFKit.PDFDocument, label: string, value: string, options: { bold?: boolean; size?: number } = {}): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const y = doc.y;
  doc.font(options.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(options.size ?? 10);
  // The value keeps its one line (ids, amounts) when it fits in 60 %; the label wraps beside it.
  const valueWidth = Math.min(width * 0.6, Math.max(width * 0.3, doc.widthOfString(value) + 2));
  doc.text(label, left, y, { width: width - valueWidth - 8 });
  const after = doc.y;
  doc.text(value, left + width - valueWidth, y, { width: valueWidth, align: 'right' });
  doc.y = Math.max(after, doc.y);
  doc.x = left;
}

export function rule(doc: PDFKit.PDFDocument): void {
  const left = doc.page.margins.left;
  const right = doc.page.width - doc.page.margins.right;
  doc.moveDown(0.3);
  doc.moveTo(left, doc.y).lineTo(right, doc.y).lineWidth(0.5).strokeColor('#999999').stroke();
  doc.moveDown(0.4);
}
