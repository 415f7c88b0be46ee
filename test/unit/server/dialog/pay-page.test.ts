/**
 * The pay page takes only what it shows of its link (server/dialog/pages/pay.tsx, payPageLink):
 * the page cache keys on the props, so what a payment changes on a poster (its counts and sums)
 * must not make a new page, and everything the page shows must.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PayPage, payPageLink, type PayPageProps } from '../../../../server/dialog/pages/pay';
import { translator } from '../../../../server/dialog/i18n';
import type { LinkRecord } from '../../../../core/links/types';
import { TIPS_OFF } from '../../../../core/payments/tips';
import { linkRecord } from '../../../support/records';

const poster: LinkRecord = { ...linkRecord('pl_poster', { name: 'Scan to pay', reuse: 'multiple', amount: null, minAmount: 100, reference: 'Table 4', livemode: true }), seq: 7, lockedUntil: null };

function render(link: PayPageProps['link']): string {
  const props: PayPageProps = {
    ctx: { locale: 'en', intl: 'en', t: translator('en'), merchantName: 'Bakery Bloom', timeZone: 'Europe/Berlin', assets: { css: '/a.css', js: '/a.js' } },
    link,
    maxAmount: null,
    data: {},
    languages: { en: '/en/pay-by-link/pl_poster' },
    methods: ['simulator'],
    tips: TIPS_OFF,
  };
  return renderToStaticMarkup(createElement(PayPage, props));
}

describe('payPageLink', () => {
  it('renders the same page as the whole record', () => {
    expect(render(payPageLink(poster))).toBe(render(poster));
  });

  it('is the same after payments (counts, sums, times) and differs when anything shown changes', () => {
    const paid = { ...poster, usedCount: 3, usedAmount: 4200, paymentCount: 4, pendingCount: 1, pendingAmount: 500, nextRefSeq: 5, updatedAt: poster.updatedAt + 60_000 };
    expect(JSON.stringify(payPageLink(paid))).toBe(JSON.stringify(payPageLink(poster)));
    for (const shown of [{ name: 'Renamed' }, { description: 'Now with cake' }, { reference: 'Table 5' }, { minAmount: 200 }, { currency: 'CHF' }, { expiresAt: poster.createdAt + 1 }, { livemode: false }]) {
      expect(JSON.stringify(payPageLink({ ...poster, ...shown })), JSON.stringify(shown)).not.toBe(JSON.stringify(payPageLink(poster)));
    }
  });
});
