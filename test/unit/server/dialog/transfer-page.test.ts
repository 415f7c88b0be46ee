/**
 * The customer dialog's bank-transfer page (server/dialog/pages/transfer.tsx), rendered the way the
 * server renders it: every detail a payer types into a banking app, grouped for reading and
 * ungrouped for copying, escaped, in each language.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TransferPage, plainAmount, type TransferPageProps } from '../../../../server/dialog/pages/transfer';
import { translator, type Locale } from '../../../../server/dialog/i18n';
import type { PageContext } from '../../../../server/dialog/components';
import { MESSAGES } from '../../../../server/dialog/i18n';

function ctx(locale: Locale = 'en', merchantName = 'Bakery Bloom'): PageContext {
  return { locale, intl: locale, t: translator(locale), merchantName, timeZone: 'Europe/Berlin', assets: { css: '/assets/dialog.css?v=1', js: '/assets/dialog.js?v=1' } };
}

function props(over: Partial<TransferPageProps> = {}, locale: Locale = 'en'): TransferPageProps {
  return {
    ctx: ctx(locale),
    link: { id: 'pl_abc', name: 'Counter charge', cancellable: true, livemode: true },
    payment: { id: 'pay_xyz', amount: 1250, currency: 'EUR', refId: 'SHOP-0001', status: 'pending', livemode: true },
    transfer: {
      accountHolder: 'Bakery Bloom GmbH',
      iban: 'DE89370400440532013000',
      bic: 'COBADEFFXXX',
      amount: '12.50',
      currency: 'EUR',
      creditorReference: 'RF18539007547034',
      refId: 'SHOP-0001',
      epcQrUrl: '/pay-by-link/pl_abc/payments/pay_xyz/epc-qr',
      holdUntil: '2026-01-22T10:00:00.000Z',
    },
    statusUrl: '/pay-by-link/pl_abc/payments/pay_xyz',
    resultUrl: '/en/pay-by-link/pl_abc/result/pay_xyz',
    ...over,
  };
}

const render = (p: TransferPageProps): string => `<!doctype html>${renderToStaticMarkup(createElement(TransferPage, p))}`;

/** The text of an element by id, tags stripped (a tiny reader for static markup). */
function textOf(html: string, id: string): string {
  const m = new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</`).exec(html);
  return m ? m[1]!.replace(/<[^>]+>/g, '') : '';
}

describe('bank-transfer page (dialog)', () => {
  it('shows holder, IBAN in groups of four, BIC, amount, reference and the EPC QR', () => {
    const html = render(props());
    expect(textOf(html, 'holder-value')).toBe('Bakery Bloom GmbH');
    expect(textOf(html, 'iban-value')).toBe('DE89 3704 0044 0532 0130 00');
    expect(textOf(html, 'bic-value')).toBe('COBADEFFXXX');
    expect(textOf(html, 'amount-value')).toBe('€12.50');
    expect(textOf(html, 'reference-value')).toBe('RF18 5390 0754 7034');
    expect(html).toContain('src="/pay-by-link/pl_abc/payments/pay_xyz/epc-qr"');
    expect(html).toMatch(/<img[^>]+alt="QR code with the transfer details/);
    expect(html).toContain('Pay by bank transfer');
    expect(html).toContain('SHOP-0001');
  });

  it('copies values ungrouped (what a banking app accepts), buttons hidden until dialog.js shows them', () => {
    const html = render(props());
    expect(html).toContain('data-copy="DE89370400440532013000"');
    expect(html).toContain('data-copy="RF18539007547034"');
    expect(html).toContain('data-copy="12.50"');
    expect(html).toContain('data-copy="Bakery Bloom GmbH"');
    const buttons = html.match(/<button class="copy-btn"[^>]*>/g) ?? [];
    expect(buttons).toHaveLength(5);
    for (const b of buttons) expect(b).toMatch(/\shidden=""/);
    expect(buttons[1]).toContain('aria-label="Copy IBAN"');
  });

  it('polls the status and moves on to the result page; works without JS through a plain link', () => {
    const html = render(props());
    expect(html).toMatch(/<body[^>]+data-poll="\/pay-by-link\/pl_abc\/payments\/pay_xyz"/);
    expect(html).toMatch(/<body[^>]+data-status="pending"/);
    expect(html).toMatch(/<body[^>]+data-poll-done="\/en\/pay-by-link\/pl_abc\/result\/pay_xyz"/);
    expect(html).toContain('href="/en/pay-by-link/pl_abc/result/pay_xyz"');
    expect(html).toContain('role="status"');
    expect(html).toContain('Waiting for your transfer');
    expect(html).toMatch(/may take|can take up to one business day/);
  });

  it('escapes what the merchant and the link put on the page', () => {
    const html = render(
      props({
        ctx: ctx('en', 'Tom & Jerry <Shop>'),
        link: { id: 'pl_abc', name: '<img src=x onerror=alert(1)>', cancellable: false },
        transfer: { ...props().transfer, accountHolder: 'O\'Brien & Sons "<b>"' },
      }),
    );
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Tom &amp; Jerry &lt;Shop&gt;');
    expect(html).toContain('O&#x27;Brien &amp; Sons &quot;&lt;b&gt;&quot;');
    expect(html).not.toContain('<b>');
    // Not cancellable: no cancel form.
    expect(html).not.toContain('/cancel"');
  });

  it('offers to cancel a cancellable payment, and marks only test payments TEST', () => {
    const live = render(props());
    expect(live).toContain('action="/pay-by-link/pl_abc/payments/pay_xyz/cancel"');
    expect(live).not.toMatch(/TEST|Test mode/);
    const test = render(props({ payment: { ...props().payment, livemode: false }, link: { ...props().link, livemode: false } }));
    expect(test).toContain('pill--test');
    expect(test).toContain('Test mode');
  });

  it('speaks German, French and Dutch, with amounts as each writes them', () => {
    const de = render(props({}, 'de'));
    expect(de).toContain('Per Überweisung bezahlen');
    expect(de).toContain('Verwendungszweck');
    expect(textOf(de, 'amount-value')).toBe('12,50\u00a0€');
    expect(de).toContain('data-copy="12,50"');
    expect(de).toContain('lang="de"');
    expect(render(props({}, 'fr'))).toContain('Payer par virement');
    expect(render(props({}, 'nl'))).toContain('Betalen per overschrijving');
  });

  it('leaves out what it has not got (no BIC, no hold date)', () => {
    const html = render(props({ transfer: { ...props().transfer, bic: null, holdUntil: null } }));
    expect(html).not.toContain('id="bic-value"');
    expect(html).not.toContain('Please send the transfer by');
    const withDate = render(props());
    expect(withDate).toContain('Please send the transfer by January 22, 2026.');
    expect(render(props({}, 'de'))).toContain('Bitte überweisen Sie bis 22. Januar 2026.');
  });

  it('has the texts in all four languages', () => {
    const keys = Object.keys(MESSAGES.en.transfer).sort();
    for (const l of ['de', 'fr', 'nl'] as const) {
      expect(Object.keys(MESSAGES[l].transfer).sort(), l).toEqual(keys);
      for (const k of keys) expect((MESSAGES[l].transfer as Record<string, string>)[k]!.trim(), `${l}.${k}`).not.toBe('');
    }
  });

  it('writes plain amounts exactly (no float on the way)', () => {
    expect(plainAmount('12.50', 'EUR', 'en')).toBe('12.50');
    expect(plainAmount('0.10', 'EUR', 'de')).toBe('0,10');
    expect(plainAmount('999999999.99', 'EUR', 'fr')).toBe('999999999,99');
    expect(plainAmount('1200', 'JPY', 'en')).toBe('1200');
  });
});
