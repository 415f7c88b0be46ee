/** The staff UI's words for tips and closed days in the feed, and the shop's "today" for the Day report. */
import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../../../renderer/src/lib/describe';
import { todayIn } from '../../../../renderer/src/screens/DayReport';
import { en } from '../../../../renderer/src/i18n/en';
import type { TFunction } from 'i18next';

function t(key: string, vars: Record<string, unknown> = {}): string {
  const value = key.split('.').reduce<unknown>((o, part) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[part] : undefined), en);
  if (typeof value !== 'string') return typeof vars.defaultValue === 'string' ? vars.defaultValue : key;
  return value.replace(/\{\{(\w+)\}\}/g, (_, n: string) => String(vars[n] ?? ''));
}
const tf = t as unknown as TFunction;

describe('feed and day report words', () => {
  it('a payment with a tip says so; one without, and a refund, do not', () => {
    const base = { id: 'pay_1', refId: 'A-0001', amount: '11.00', currency: 'EUR', refundedAmount: '0.00' };
    expect(describeEvent({ id: 1, type: 'payment.succeeded', createdAt: '', data: { ...base, tipAmount: '1.00' } }, tf, 'en').detail).toBe('€11.00 · tip €1.00 · A-0001');
    expect(describeEvent({ id: 2, type: 'payment.succeeded', createdAt: '', data: { ...base, tipAmount: '0.00' } }, tf, 'en').detail).toBe('€11.00 · A-0001');
    expect(describeEvent({ id: 3, type: 'payment.refunded', createdAt: '', data: { ...base, tipAmount: '1.00', refundedAmount: '2.00' } }, tf, 'en').detail).toBe('€2.00 · A-0001');
  });

  it('a closed day links to the Day report', () => {
    expect(describeEvent({ id: 4, type: 'day.closed', createdAt: '', data: { date: '2026-02-02', number: 7 } }, tf, 'en')).toMatchObject({ title: 'Day closed', detail: '2026-02-02 · #7', to: '/reports' });
  });

  it('today is the shop’s day, not UTC’s', () => {
    const late = new Date('2026-01-14T23:30:00.000Z');
    expect(todayIn('Europe/Berlin', late)).toBe('2026-01-15');
    expect(todayIn('America/New_York', late)).toBe('2026-01-14');
  });
});
