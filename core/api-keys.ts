import type { CoreContext } from './context';
import type { ApiKeyRecord, KeyMode } from './store/types';
import { notFound, ValidationError } from './errors';
import { newId, randomString, sha256Hex } from './ids';
import { toIso, toIsoOrNull } from './clock';

export const API_KEY_PREFIX = 'clk_';
export const API_KEY_ROLES = ['admin'] as const;

/** What the API shows of a key: never the key, never its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  mode: KeyMode;
  livemode: boolean | null;
  role: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export function apiKeyView(k: ApiKeyRecord): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    mode: k.mode,
    livemode: k.mode === 'any' ? null : k.mode === 'live',
    role: k.role,
    prefix: k.prefix,
    createdAt: toIso(k.createdAt),
    lastUsedAt: toIsoOrNull(k.lastUsedAt),
  };
}

/**
 * API keys are random 190-bit secrets; only their SHA-256 is stored (a slow hash adds nothing
 * against a key this long, and lookup by hash keeps auth O(1)). The plain key is shown once.
 * Each key belongs to one mode (live or test); `any` is the desktop app's own staff credential,
 * which chooses the mode per request like a signed-in browser.
 */
export class ApiKeysService {
  constructor(private readonly ctx: CoreContext) {}

  /** Registers `key` (from configuration) if it is not known yet. */
  register(key: string, name: string, role = 'admin', mode: KeyMode = 'live'): Promise<ApiKeyRecord> {
    const { store, clock } = this.ctx;
    const hash = sha256Hex(key);
    return store.tx(async (t) => {
      // Several servers registering the same configured key at once: one insert.
      await t.lock('api-keys');
      const existing = await t.apiKeys.byHash(hash);
      if (existing) return existing;
      const record = { id: newId('key'), name, keyHash: hash, prefix: key.slice(0, 12), role, mode, createdAt: clock.now() };
      await t.apiKeys.insert(record);
      return (await t.apiKeys.byHash(hash))!;
    });
  }

  /** Makes a new key and returns it in plain text: the only time anyone sees it. */
  async generate(name: string, role = 'admin', mode: KeyMode = 'live'): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = `${API_KEY_PREFIX}${mode === 'any' ? 'staff' : mode}_${randomString(32)}`;
    return { key, record: await this.register(key, name, role, mode) };
  }

  /** `POST /api-keys`: a new live or test key, shown this once. */
  async create(input: Record<string, unknown>): Promise<ApiKeyView & { key: string }> {
    const errors: { path: string; message: string; code: string }[] = [];
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name.length < 1 || name.length > 120) errors.push({ path: 'name', message: 'must be 1-120 characters', code: 'length' });
    if (input.mode !== 'live' && input.mode !== 'test') errors.push({ path: 'mode', message: 'must be live or test', code: 'enum' });
    const role = input.role === undefined ? 'admin' : input.role;
    if (!API_KEY_ROLES.includes(role as never)) errors.push({ path: 'role', message: `must be one of ${API_KEY_ROLES.join(', ')}`, code: 'enum' });
    if (errors.length) throw new ValidationError(errors);
    const { key, record } = await this.generate(name, role as string, input.mode as KeyMode);
    return { ...apiKeyView(record), key };
  }

  async list(): Promise<ApiKeyView[]> {
    return (await this.ctx.store.read((t) => t.apiKeys.list())).map(apiKeyView);
  }

  /** Revoked at once: the next request with it is a 401 (and its browser sessions end). */
  async revoke(id: string): Promise<void> {
    const { store, clock } = this.ctx;
    await store.tx(async (t) => {
      const k = await t.apiKeys.get(id);
      if (!k || k.revokedAt !== null) throw notFound('API key', id);
      await t.apiKeys.revoke(id, clock.now());
    });
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
