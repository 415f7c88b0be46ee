import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { guardsNesting } from '../../../../core/store/base';
import { openSqlite } from '../../../../core/store/sqlite/adapter';

describe('the nested-transaction guard', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('is on everywhere but production', () => {
    expect(guardsNesting({ NODE_ENV: 'test' })).toBe(true);
    expect(guardsNesting({ NODE_ENV: 'development' })).toBe(true);
    expect(guardsNesting({})).toBe(true);
    expect(guardsNesting({ NODE_ENV: 'production' })).toBe(false);
  });

  // AsyncLocalStorage turns on promise hooks for every promise in the process: a production
  // store must not use it at all, and one made for the tests must (it is what refuses nesting).
  it.each([
    ['production', 0],
    ['test', 2],
  ] as const)('a store made with NODE_ENV=%s marks its transactions in AsyncLocalStorage %i times for two', async (env, marks) => {
    vi.stubEnv('NODE_ENV', env);
    const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    const store = openSqlite({ file: ':memory:' });
    try {
      await store.tx(async (t) => t.settings.set('a', { x: 1 }));
      expect(await store.read(async (t) => t.settings.get('a'))).toEqual({ x: 1 });
      expect(run).toHaveBeenCalledTimes(marks);
    } finally {
      await store.close();
    }
  });
});
