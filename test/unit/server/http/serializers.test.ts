import { describe, expect, it } from 'vitest';
import { buildSerializer } from '../../../../server/http/serializers';

const route = (schema: unknown) => ({ method: 'GET', url: '/x', httpStatus: '200', schema });
const Thing = { type: 'object', properties: { id: { type: 'string' }, amount: { type: 'integer' } } };
const shared = { Money: { $id: 'Money', type: 'object', properties: { value: { type: 'string' } } } };

describe('buildSerializer', () => {
  it('builds a serializer once per schema, shared by every app of the process', () => {
    const first = buildSerializer(shared, {})(route(Thing));
    const again = buildSerializer(structuredClone(shared), {})(route(structuredClone(Thing)));
    expect(again).toBe(first);
    // It is fast-json-stringify's: only the declared properties, in their types.
    expect(first({ id: 'pl_1', amount: 1250, secret: 'x' })).toBe('{"id":"pl_1","amount":1250}');
  });

  it('builds another for another schema, other shared schemas or other options', () => {
    const first = buildSerializer(shared, {})(route(Thing));
    const otherSchema = buildSerializer(shared, {})(route({ ...Thing, properties: { id: { type: 'string' } } }));
    expect(otherSchema).not.toBe(first);
    expect(otherSchema({ id: 'pl_1', amount: 1250 })).toBe('{"id":"pl_1"}');
    expect(buildSerializer({ ...shared, Other: { $id: 'Other', type: 'string' } }, {})(route(Thing))).not.toBe(first);
    expect(buildSerializer(shared, { rounding: 'floor' })(route(Thing))).not.toBe(first);
  });
});
