import type { Tx } from '../../store/port';
import type { LinkRecord } from '../../links/types';
import type { Mode } from '../../mode';
import { METHOD_IDS, type MethodId, type PaymentProvider, type Unavailable } from './port';

export interface MethodAvailability {
  id: MethodId;
  livemode: boolean;
  available: boolean;
  reason: Unavailable | null;
}

/** The providers this install knows, and which of them a link or a mode can use now. */
export class PaymentMethods {
  private readonly providers = new Map<MethodId, PaymentProvider>();

  register(provider: PaymentProvider): void {
    this.providers.set(provider.id, provider);
  }

  get(id: string): PaymentProvider | undefined {
    return this.providers.get(id as MethodId);
  }

  isKnown(id: unknown): id is MethodId {
    return typeof id === 'string' && (METHOD_IDS as readonly string[]).includes(id) && this.providers.has(id as MethodId);
  }

  /** Every method in `mode`, available or not (and why). */
  async list(t: Tx, mode: Mode): Promise<MethodAvailability[]> {
    const out: MethodAvailability[] = [];
    for (const p of this.providers.values()) {
      const reason = p.modes.includes(mode) ? await p.available(t, mode) : 'test-only';
      out.push({ id: p.id, livemode: mode === 'live', available: reason === null, reason });
    }
    return out;
  }

  /** The link's methods (its own list, else every method) that can take it now. */
  async forLink(t: Tx, link: LinkRecord): Promise<MethodId[]> {
    const mode: Mode = link.livemode ? 'live' : 'test';
    const wanted = link.methods ?? [...this.providers.keys()];
    const out: MethodId[] = [];
    for (const id of wanted) {
      const p = this.get(id);
      if (!p || !p.modes.includes(mode)) continue;
      if (p.currencies !== 'any' && !p.currencies.includes(link.currency)) continue;
      if ((await p.available(t, mode)) === null) out.push(p.id);
    }
    return out;
  }
}
