import type { DayReport } from '../../core/reports/day';
import type { MerchantSettings } from '../../core/settings';
import { pdfFormat, renderPdf, row, rule } from './document';

const TEXT = {
  en: {
    title: 'Day report',
    shop: 'Whole shop',
    pointOfSale: 'Point of sale',
    period: 'Period',
    closed: 'Closed as no. {{number}} on {{at}}',
    open: 'Not closed yet: the figures may still change.',
    method: 'By payment method',
    payment: '{{count}} payment',
    payments: '{{count}} payments',
    tips: 'of which tips',
    refunds: 'Refunds ({{count}})',
    total: 'Payments ({{count}})',
    net: 'Net',
    pending: 'Open (pending) payments ({{count}})',
    unmatched: 'Unmatched bank credits ({{count}})',
    other: 'Payments in {{currencies}} are not added up in this report.',
    test: 'TEST MODE — no real money',
  },
  de: {
    title: 'Tagesabschluss',
    shop: 'Ganzes Geschäft',
    pointOfSale: 'Kasse',
    period: 'Zeitraum',
    closed: 'Abgeschlossen als Nr. {{number}} am {{at}}',
    open: 'Noch nicht abgeschlossen: die Zahlen können sich noch ändern.',
    method: 'Nach Zahlungsart',
    payment: '{{count}} Zahlung',
    payments: '{{count}} Zahlungen',
    tips: 'davon Trinkgeld',
    refunds: 'Erstattungen ({{count}})',
    total: 'Zahlungen ({{count}})',
    net: 'Netto',
    pending: 'Offene Zahlungen ({{count}})',
    unmatched: 'Nicht zugeordnete Gutschriften ({{count}})',
    other: 'Zahlungen in {{currencies}} sind in diesem Bericht nicht enthalten.',
    test: 'TESTMODUS — kein echtes Geld',
  },
} as const;

const METHOD_NAMES: Record<string, { en: string; de: string }> = {
  simulator: { en: 'Test payment (simulator)', de: 'Testzahlung (Simulator)' },
  sepa_transfer: { en: 'Bank transfer', de: 'Überweisung' },
  stripe: { en: 'Card (Stripe)', de: 'Karte (Stripe)' },
};

export function methodName(method: string, lang: 'en' | 'de'): string {
  return METHOD_NAMES[method]?.[lang] ?? method;
}

function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => String(values[k] ?? ''));
}

/** The day report as a printable A4 page: the same figures as the JSON. */
export function dayReportPdf(report: DayReport, merchant: MerchantSettings, posName: string | null): Promise<Buffer> {
  const f = pdfFormat(merchant);
  const t = TEXT[f.lang];
  const money = (a: string) => f.money(a, report.currency);
  return renderPdf({ Title: `${t.title} ${report.date}`, Author: merchant.merchantName }, (doc) => {
    doc.font('Helvetica-Bold').fontSize(18).text(t.title);
    doc.font('Helvetica').fontSize(11).text(f.date(report.date));
    doc.moveDown(0.5);
    doc.font('Helvetica-Bold').fontSize(11).text(merchant.merchantName);
    if (merchant.address) doc.font('Helvetica').fontSize(10).text(merchant.address);
    if (!report.livemode) doc.moveDown(0.3).font('Helvetica-Bold').fontSize(10).fillColor('#9a6b00').text(t.test).fillColor('black');
    doc.moveDown(0.5);
    row(doc, t.pointOfSale, posName ?? t.shop);
    row(doc, t.period, `${f.dateTime(report.from)} – ${f.dateTime(report.to)}`);
    doc.font('Helvetica').fontSize(10).text(report.closed ? fill(t.closed, { number: report.closed.number, at: f.dateTime(report.closed.closedAt) }) : t.open);
    rule(doc);
    doc.font('Helvetica-Bold').fontSize(12).text(t.method);
    doc.moveDown(0.3);
    for (const m of report.byMethod) {
      row(doc, `${methodName(m.method, f.lang)} · ${fill(m.count === 1 ? t.payment : t.payments, { count: m.count })}`, money(m.amount), { bold: true });
      row(doc, `   ${t.tips}`, money(m.tips));
      row(doc, `   ${fill(t.refunds, { count: m.refundCount })}`, f.minus(m.refunds, report.currency));
      doc.moveDown(0.3);
    }
    rule(doc);
    row(doc, fill(t.total, { count: report.count }), money(report.amount), { bold: true });
    row(doc, `   ${t.tips}`, money(report.tips));
    row(doc, fill(t.refunds, { count: report.refundCount }), f.minus(report.refunds, report.currency));
    row(doc, t.net, money(report.net), { bold: true, size: 13 });
    rule(doc);
    row(doc, fill(t.pending, { count: report.pending.count }), money(report.pending.amount));
    row(doc, fill(t.unmatched, { count: report.unmatchedBankCredits.count }), money(report.unmatchedBankCredits.amount));
    if (report.otherCurrencies.length > 0) doc.moveDown(0.5).font('Helvetica').fontSize(9).text(fill(t.other, { currencies: report.otherCurrencies.join(', ') }));
  });
}
