/**
 * The first-start choice as a plain state machine (issue #11): "Run this shop's hub here" or
 * "Join a hub". The main process shows the screen (electron/main/first-start.ts) and hands every
 * call from it to this flow; the flow checks the request, pairs through electron/lib/hub.ts, keeps
 * the pairing (token sealed) and settles once with what the app goes on as. Nothing here imports
 * Electron.
 */
import { normalizePairingCode, PAIRING_ALPHABET, PAIRING_CODE_LENGTH } from '../../core/devices';
import type { FirstStartInfo, JoinHubRequest, JoinHubResult } from '../../renderer/src/bridge';
import { joinedSettings, normalizeHubAddress, type HubSettings, type JoinedHub, type PairResult } from './hub';
import type { StoredSecret } from './settings';

export type FirstStartOutcome = { kind: 'hub' } | { kind: 'counter'; hub: JoinedHub };

export interface FirstStartDeps {
  /** electron/lib/hub.ts pairWithHub, bound to fetch. */
  pair(address: string, code: string, name: string): Promise<PairResult & { origin?: string }>;
  /** Seals the device token with the OS keychain (settings.ts sealSecret). */
  seal(token: string): StoredSecret;
  /** Writes the hub part of desktop-settings.json. */
  save(hub: HubSettings): void;
}

const CODE = new RegExp(`^[${PAIRING_ALPHABET}]{${PAIRING_CODE_LENGTH}}$`);
export const MAX_TILL_NAME = 120;

/** Checks a join request before any network: the address, the code's shape, the till's name. */
export function checkJoinRequest(req: JoinHubRequest): { ok: true; origin: string; code: string; name: string } | Extract<JoinHubResult, { ok: false }> {
  const hub = normalizeHubAddress(req.address);
  if (!hub.ok) return { ok: false, reason: 'address' };
  const code = normalizePairingCode(req.code);
  if (!CODE.test(code)) return { ok: false, reason: 'code-format' };
  const name = req.name.replace(/\s+/g, ' ').trim();
  if (name === '' || name.length > MAX_TILL_NAME) return { ok: false, reason: 'name' };
  return { ok: true, origin: hub.origin, code, name };
}

export class FirstStartFlow {
  private settled: FirstStartOutcome | undefined;
  private joining = false;
  private resolveOutcome!: (o: FirstStartOutcome) => void;
  /** Settles once: the screen chose. */
  readonly outcome: Promise<FirstStartOutcome>;

  constructor(
    private readonly deps: FirstStartDeps,
    private readonly why: FirstStartInfo['why'],
    private readonly defaultName: string,
  ) {
    this.outcome = new Promise((resolve) => (this.resolveOutcome = resolve));
  }

  get done(): boolean {
    return this.settled !== undefined;
  }

  info(): FirstStartInfo {
    return { why: this.why, defaultName: this.defaultName.trim().slice(0, MAX_TILL_NAME) || 'Till' };
  }

  private settle(outcome: FirstStartOutcome): void {
    this.settled = outcome;
    this.resolveOutcome(outcome);
  }

  /** "Run this shop's hub here": remembered, so the next start does not ask again. */
  runHubHere(): void {
    if (this.settled || this.joining) return;
    this.deps.save({ role: 'hub', joined: null });
    this.settle({ kind: 'hub' });
  }

  /**
   * "Join a hub": one attempt at a time (a double click pairs once, not twice with one code);
   * every failure is a reason the screen words; success keeps the pairing and settles.
   */
  async join(req: JoinHubRequest): Promise<JoinHubResult> {
    if (this.settled || this.joining) return { ok: false, reason: 'busy' };
    const checked = checkJoinRequest(req);
    if (!checked.ok) return checked;
    this.joining = true;
    try {
      const result = await this.deps.pair(checked.origin, checked.code, checked.name);
      if (!result.ok) return { ok: false, reason: result.reason, ...(result.retryAfterSeconds !== undefined ? { retryAfterSeconds: result.retryAfterSeconds } : {}) };
      const settings = joinedSettings(result.origin ?? checked.origin, result.paired, this.deps.seal(result.paired.token));
      this.deps.save(settings);
      const hub = settings.joined!;
      this.settle({ kind: 'counter', hub });
      return { ok: true, hub: { origin: hub.url, name: hub.name, pointOfSaleId: hub.pointOfSaleId } };
    } finally {
      this.joining = false;
    }
  }
}
