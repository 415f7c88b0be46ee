import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chargeName, mainCounterName } from '../../../core/names';
import { makeCore, type TestCore } from '../../support/core';

describe('names the server makes up', () => {
  it('are in the reader’s language, with the staff’s reference', () => {
    expect(chargeName('en', undefined)).toBe('Counter charge');
    expect(chargeName('en', 'Table 4')).toBe('Charge Table 4');
    expect(chargeName('de', 'Tisch 4')).toBe('Zahlung Tisch 4');
    expect(chargeName('fr', undefined)).toBe('Paiement au comptoir');
    expect(chargeName('nl', 'Tafel 4')).toBe('Betaling Tafel 4');
    expect(chargeName('xx', undefined)).toBe('Counter charge');
    expect(chargeName('de', 'x'.repeat(200))).toHaveLength(120);
    expect(mainCounterName('de')).toBe('Hauptkasse');
  });

  describe('on a charge', () => {
    let t: TestCore;
    beforeEach(async () => {
      t = await makeCore();
    });
    afterEach(() => t.core.close());

    it('follow the charge’s locale, else the shop’s default language', async () => {
      expect((await t.core.charges.create({ amount: '3.00', reference: 'Tisch 4', locale: 'de' })).name).toBe('Zahlung Tisch 4');
      expect((await t.core.charges.create({ amount: '3.00' })).name).toBe('Counter charge');
      await t.core.settings.update({ defaultLocale: 'nl' });
      expect((await t.core.charges.create({ amount: '3.00' })).name).toBe('Kassabetaling');
    });
  });
});
