/**
 * The event catalogue (core/event-catalogue.ts) is the one list of event types (issue #14): the
 * staff UI has words for each, the OpenAPI document enumerates exactly them, the webhook docs list
 * exactly them, and the webhook picker offers only catalogue types. (That `events.append` takes
 * only catalogue types is checked by the compiler: see test/unit/core/events.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALERT_EVENTS, EVENT_TYPES, eventFamily, isEventType } from '../../../core/event-catalogue';
import { EventSchema } from '../../../server/schemas/misc';
import { EVENT_FAMILIES } from '../../../renderer/src/lib/webhooks';
import { en } from '../../../renderer/src/i18n/en';
import { de } from '../../../renderer/src/i18n/de';

describe('the event catalogue', () => {
  it('lists each type once, every one "family.name"', () => {
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
    for (const type of EVENT_TYPES) expect(type).toMatch(/^[a-z_]+\.[a-z_]+$/);
    expect(isEventType('payment.succeeded')).toBe(true);
    expect(isEventType('payment.nope')).toBe(false);
    expect(eventFamily('webhook_endpoint.failing')).toBe('webhook_endpoint');
  });

  it('every type has words in the staff UI, in English and German', () => {
    for (const type of EVENT_TYPES) {
      const [family, name] = type.split('.') as [string, string];
      expect(en.events, type).toHaveProperty([family, name]);
      expect(de.events, type).toHaveProperty([family, name]);
      expect((de.events as Record<string, Record<string, string>>)[family]![name], type).not.toBe('');
    }
  });

  it('the OpenAPI Event.type enumerates exactly the catalogue', () => {
    expect(EventSchema.properties.type.enum).toEqual([...EVENT_TYPES]);
  });

  it('docs/webhooks.md lists exactly the catalogue', () => {
    const doc = readFileSync('docs/webhooks.md', 'utf8');
    const section = doc.slice(doc.indexOf('The event types (the catalogue'), doc.indexOf('Headers:'));
    const listed = [...section.matchAll(/`([a-z_]+\.[a-z_]+)`/g)].map((m) => m[1]);
    expect([...listed].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('the webhook picker and the alerts name only catalogue types', () => {
    const offered = EVENT_FAMILIES.flatMap((f) => f.types.map((t) => `${f.family}.${t}`));
    expect(offered.length).toBeGreaterThan(20);
    for (const type of [...offered, ...ALERT_EVENTS]) expect(isEventType(type), type).toBe(true);
  });
});
