import type { CoreContext } from './context';
import type { ApiKeyRecord } from './store/types';
import { newId, randomString, sha256Hex } from './ids';

export const API_KEY_PREFIX = 'clk_';

/**
 * API keys are random 190-bit secrets; only their SHA-256 is stored (a slow hash adds nothing
 * against a key this long, and lookup by hash keeps auth O(1)). The plain key is shown once.
 */
export class ApiKeysService {
  constructor(private readonly ctx: CoreContext) {}

  /** Registers `key` (from configuration) if it is not known yet. */
  register(key: string, name: string, role = 'admin'): Promise<ApiKeyRecord> {
    const { store, clock } = this.ctx;
    const hash = sha256Hex(key);
    return store.tx(async (t) => {
      // Several servers registering the same configured key at once: one insert.
      await t.lock('api-keys');
      const existing = await t.apiKeys.byHash(hash);
      if (existing) return existing;
      const record = { id: newId('key'), name, keyHash: hash, prefix: key.slice(0, 8), role, createdAt: clock.now() };
      await t.apiKeys.insert(record);
      return (await t.apiKeys.byHash(hash))!;
    });
  }

  /** Makes a new key and returns it in plain text: the only time anyone sees it. */
  async generate(name: string, role = 'admin'): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = `${API_KEY_PREFIX}${randomString(32)}`;
    return { key, record: await this.register(key, name, role) };
  }

  async hasAny(): Promise<boolean> {
    return (await this.ctx.store.read((t) => t.apiKeys.count())) > 0;
  }

  async authenticate(key: string): Promise<ApiKeyRecord | undefined> {
    if (key.length < 8 || key.length > 200) return undefined;
    const record = await this.ctx.store.read((t) => t.apiKeys.byHash(sha256Hex(key)));
    if (!record || record.revokedAt !== null) return undefined;
    return record;
  }
}
