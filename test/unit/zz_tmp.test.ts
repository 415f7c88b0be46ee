import { it } from 'vitest';
import { makeCore } from '/work/main/test/unit/helpers';
it('x', () => {
  const { core } = makeCore();
  const l = core.links.create({ name: 'n', amount: '5', reuse: 'multiple', totalAmountLimit: '100' });
  console.log(core.links.update(l.id, { currency: 'JPY' }));
  const l2 = core.links.create({ name: 'n', amount: '12.50' });
  console.log(core.links.update(l2.id, { currency: 'BHD' }).amount);
});
