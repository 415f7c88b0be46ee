import { expect } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../core/index';
import { ManualClock } from '../../core/clock';
import { DomainError, ValidationError, type ProblemType } from '../../core/errors';

export const START = '2026-01-15T10:00:00.000Z';
export const LOCK_TTL_MS = 15 * 60_000;
export const BASE_URL = 'http://shop.test:4780';

export interface TestCore {
  core: Core;
  clock: ManualClock;
}

/** A fresh core on an in-memory database with a clock that only moves when told. */
export async function makeCore(options: Partial<CoreOptions> = {}): Promise<TestCore> {
  const clock = new ManualClock(START);
  const core = await createCore({ databaseFile: ':memory:', clock, baseUrl: BASE_URL, lockTtlMs: LOCK_TTL_MS, ...options });
  await core.settings.update({ timeZone: 'UTC' });
  return { core, clock };
}

/** Runs `fn`, expects it to throw (or reject); returns what it threw. */
export async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to throw, but it returned');
}

/** Expects a DomainError with the given slug; returns it for further checks. */
export async function expectProblem(fn: () => unknown, type: ProblemType): Promise<DomainError> {
  const err = await thrown(fn);
  expect(err).toBeInstanceOf(DomainError);
  const domain = err as DomainError;
  expect(domain.type, domain.message).toBe(type);
  return domain;
}

/** Expects a ValidationError; returns its field errors. */
export async function expectValidation(fn: () => unknown): Promise<ValidationError> {
  const err = await thrown(fn);
  expect(err).toBeInstanceOf(ValidationError);
  return err as ValidationError;
}

/** The paths of a ValidationError's field errors. */
export async function errorPaths(fn: () => unknown): Promise<string[]> {
  return (await expectValidation(fn)).errors.map((e) => e.path);
}

export async function eventTypes(core: Core, after = 0): Promise<string[]> {
  return (await core.events.after(after, 10_000)).map((e) => e.type);
}
