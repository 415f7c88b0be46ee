import { describe, expect, it } from 'vitest';
import { composeReceiptEmail, receiptEmailModel, renderReceiptText, type ReceiptEmailInput } from '../../../../core/notifications/receipt-email';
import { buildRawEmail } from '../../../../core/notifications/transports';
import { defaultMerchantSettings } from '../../../../core/settings';

const input = (over: Partial<ReceiptEmailInput> = {}): ReceiptEmailInput => ({
  notificationId: 'ntf_1',
  merchant: { ...defaultMerchantSettings(), merchantName: 'Bäckerei <Sonne>', timeZone: 'Europe/Berlin' },
  locale: 'en',
  to: 'jane@example.com',
  from: 'Shop <shop@example.com>',
  refId: 'R7K2-0042',
  amount: 123456, // €1,234.56
  currency: 'EUR',
  completedAt: Date.parse('2026-03-06T23:30:00Z'), // already 7 March in Berlin
  ...over,
});

describe('receipt email composition', () => {
  it('English: subject, amount, refId and the date in the merchant’s time zone', () => {
    const m = receiptEmailModel(input());
    expect(m.subject).toBe('Your receipt from Bäckerei <Sonne>');
    expect(renderReceiptText(m)).toBe(
      [
        'Thank you for your payment to Bäckerei <Sonne>. Your receipt is attached as a PDF.',
        '',
        'Amount paid: €1,234.56',
        'Reference: R7K2-0042',
        'Date: 7 March 2026 at 00:30',
        '',
        'You get this email because you left your address when paying Bäckerei <Sonne>.',
        '',
      ].join('\n'),
    );
  });

  it('German: subject and text in German, German number and date format', () => {
    const m = receiptEmailModel(input({ locale: 'de' }));
    expect(m.subject).toBe('Ihr Beleg von Bäckerei <Sonne>');
    const text = renderReceiptText(m);
    expect(text).toContain('Vielen Dank für Ihre Zahlung an Bäckerei <Sonne>. Ihr Beleg liegt als PDF bei.');
    expect(text).toContain('Bezahlter Betrag: 1.234,56\u00a0€');
    expect(text).toContain('Referenz: R7K2-0042');
    expect(text).toContain('Datum: 7. März 2026 um 00:30');
  });

  it('the HTML escapes the merchant’s name; the PDF goes along as an attachment named after the refId', async () => {
    const pdf = Buffer.from('%PDF-1.4 test');
    const { mail, html } = composeReceiptEmail(input({ pdf }));
    expect(html).toContain('Bäckerei &lt;Sonne&gt;');
    expect(html).not.toContain('<Sonne>');
    expect(mail).toMatchObject({ to: 'jane@example.com', subject: 'Your receipt from Bäckerei <Sonne>', from: { name: 'Shop', address: 'shop@example.com' } });
    expect(mail.attachments).toEqual([{ filename: 'receipt-R7K2-0042.pdf', content: pdf, contentType: 'application/pdf' }]);
    const raw = (await buildRawEmail(mail)).toString('utf8');
    expect(raw).toMatch(/Content-Type: application\/pdf; name=receipt-R7K2-0042\.pdf/);
    expect(raw).toContain('Message-ID: <ntf_1@example.com>');
  });
});
