import type { Receipt } from '../../core/receipts/service';
import { qrPng } from '../qr';
import { pdfFormat, renderPdf, row, rule } from './document';
import { methodName } from './day-report';

const TEXT = {
  en: {
    title: 'Receipt',
    vatId: 'VAT ID',
    date: 'Date',
    ref: 'Reference',
    payment: 'Payment',
    subtotal: 'Subtotal',
    tip: 'Tip',
    total: 'Total paid',
    method: 'Paid with',
    refund: 'Refund on {{date}}',
    refunded: 'Refunded in total',
    qr: 'Scan the code to check this receipt: it is signed with the shop’s Ed25519 key.',
    fingerprint: 'Key fingerprint',
    test: 'TEST MODE — no real money',
  },
  de: {
    title: 'Beleg',
    vatId: 'USt-IdNr.',
    date: 'Datum',
    ref: 'Referenz',
    payment: 'Zahlung',
    subtotal: 'Zwischensumme',
    tip: 'Trinkgeld',
    total: 'Bezahlt',
    method: 'Bezahlt mit',
    refund: 'Erstattung am {{date}}',
    refunded: 'Erstattet insgesamt',
    qr: 'Code scannen, um den Beleg zu prüfen: er ist mit dem Ed25519-Schlüssel des Geschäfts signiert.',
    fingerprint: 'Schlüssel-Fingerabdruck',
    test: 'TESTMODUS — kein echtes Geld',
  },
} as const;

/** A receipt on an A5 page: who, when, what, how much (tip apart), how paid, refunds, the signed QR. */
export async function receiptPdf(receipt: Receipt): Promise<Buffer> {
  const { merchant, payment } = receipt;
  const f = pdfFormat(merchant);
  const t = TEXT[f.lang];
  const money = (a: string) => f.money(a, payment.currency);
  const qr = await qrPng(receipt.qrText, 360);
  return renderPdf(
    { Title: `${t.title} ${payment.refId}`, Author: merchant.merchantName },
    (doc) => {
      const left = doc.page.margins.left;
      doc.font('Helvetica-Bold').fontSize(15).text(merchant.merchantName);
      doc.font('Helvetica').fontSize(9);
      if (merchant.address) doc.text(merchant.address);
      if (merchant.vatId) doc.text(`${t.vatId}: ${merchant.vatId}`);
      if (!payment.livemode) doc.moveDown(0.3).font('Helvetica-Bold').fillColor('#9a6b00').text(t.test).fillColor('black');
      doc.moveDown(0.6);
      doc.font('Helvetica-Bold').fontSize(13).text(t.title);
      doc.moveDown(0.2);
      row(doc, t.date, f.dateTime(payment.completedAt!), { size: 9 });
      row(doc, t.ref, payment.refId, { size: 9 });
      row(doc, t.payment, payment.id, { size: 9 });
      rule(doc);
      for (const item of receipt.lineItems) row(doc, `${item.quantity} × ${item.name}`, money(item.amount));
      rule(doc);
      row(doc, t.subtotal, money(receipt.subtotal));
      row(doc, t.tip, money(payment.tipAmount));
      row(doc, t.total, money(payment.amount), { bold: true, size: 12 });
      row(doc, t.method, methodName(payment.method, f.lang));
      if (receipt.refunds.length > 0) {
        rule(doc);
        for (const r of receipt.refunds) row(doc, t.refund.replace('{{date}}', f.dateTime(r.createdAt)), f.minus(r.amount, payment.currency));
        row(doc, t.refunded, f.minus(payment.refundedAmount, payment.currency), { bold: true });
      }
      rule(doc);
      const size = 120;
      const top = doc.y;
      doc.image(qr, left, top, { width: size, height: size });
      const textLeft = left + size + 12;
      const width = doc.page.width - doc.page.margins.right - textLeft;
      doc.font('Helvetica').fontSize(8).text(t.qr, textLeft, top + 8, { width });
      doc.moveDown(0.6);
      doc.font('Helvetica').fontSize(8).text(`${t.fingerprint}:`, { width });
      doc.font('Courier').fontSize(8).text(receipt.fingerprint, { width });
      doc.x = left;
      doc.y = Math.max(doc.y, top + size) + 6;
    },
    'A5',
  );
}
