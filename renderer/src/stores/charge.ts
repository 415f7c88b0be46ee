import { createStore, type StoreApi } from 'zustand/vanilla';
import { newIdempotencyKey, type ApiClient } from '../api/client';
import type { ChargeResult, DisplayView, EventItem, Link, Payment } from '../api/types';
import { currencyExponent, digitsToDecimal, digitsToMinor, pressKey, type KeypadKey } from '../lib/amount';
import { errorText } from '../lib/error-text';

/**
 * entry: typing an amount; creating: POST /charges in flight; waiting: the QR is on the
 * display; paying: a customer started paying; then paid, failed (the customer may try again),
 * expired or cancelled.
 */
export type ChargePhase = 'entry' | 'creating' | 'waiting' | 'paying' | 'paid' | 'failed' | 'expired' | 'cancelled';

/** How a charge of this counter stands (or ended), for the list beside the keypad. */
export type ChargeOutcome = 'waiting' | 'paying' | 'paid' | 'failed' | 'expired' | 'cancelled';

/** How a charge is paid: its link's QR (the customer picks a method), or a bank transfer at once. */
export type ChargeMethod = 'link' | 'sepa_transfer';

export interface RecentCharge {
  linkId: string;
  /** Absent on charges from before bank transfers: a link charge. */
  method?: ChargeMethod;
  /** The charge's mode (absent on charges from before live mode: those were test charges). */
  livemode?: boolean;
  pointOfSaleId: string;
  amount: string;
  currency: string;
  reference: string | null;
  createdAt: string;
  outcome: ChargeOutcome;
}

/** How many charges the list keeps (over all counters of this browser). */
export const RECENT_CAP = 20;
const RECENT_KEY = 'counterlink.recentCharges';

export interface ChargeState {
  digits: string;
  reference: string;
  currency: string;
  phase: ChargePhase;
  link: Link | null;
  payment: Payment | null;
  /** Why the phase last changed, when worth saying ("the customer cancelled"). */
  notice: 'payer-cancelled' | 'abandoned' | null;
  error: string | null;
  /** Charges made here, newest first, with their outcome (kept across reloads). */
  recent: RecentCharge[];
  setCurrency(currency: string): void;
  press(key: KeypadKey): void;
  setReference(reference: string): void;
  /** Enter: create the charge (entry), or start a new one (after a result). */
  enter(pointOfSaleId: string): Promise<void>;
  /** Create the charge; `sepa_transfer`: its bank transfer starts at once and the display shows the EPC QR. */
  submit(pointOfSaleId: string, method?: ChargeMethod): Promise<void>;
  /** Staff saw the money on the account: the transfer payment of this charge succeeds. */
  confirmTransfer(): Promise<boolean>;
  cancel(): Promise<void>;
  /**
   * "New charge" while one is live: cancel the live one for real first (its QR leaves the
   * display and can no longer be paid), then the keypad. False, with `error`, when the server
   * refused (e.g. the customer just paid): the charge stays on screen.
   */
  replace(): Promise<boolean>;
  /** Back to the keypad for a new charge. */
  reset(): void;
  /** Follow the charge from the event stream. */
  handleEvents(events: EventItem[]): void;
  /** Update the outcomes of recent charges from events (oldest first), e.g. the feed's history. */
  noteEvents(events: EventItem[]): void;
  /** After a reload: pick up the charge the display still shows (only one of the mode on screen, when given). */
  restore(view: DisplayView, mode?: 'live' | 'test'): void;
}

const FINISHED: ChargePhase[] = ['paid', 'expired', 'cancelled'];

function paymentOf(e: EventItem): Payment | undefined {
  const d = e.data as Payment | null;
  return d && typeof d === 'object' && typeof d.linkId === 'string' ? d : undefined;
}

function linkOf(e: EventItem): Link | undefined {
  const d = e.data as Link | null;
  return d && typeof d === 'object' && typeof d.id === 'string' && typeof d.url === 'string' ? d : undefined;
}

const FINAL_OUTCOMES: ChargeOutcome[] = ['paid', 'expired', 'cancelled'];

/** The outcome of a charge after one more event about its link (unchanged if the event is not about it). */
export function nextOutcome(current: ChargeOutcome, linkId: string, e: EventItem): ChargeOutcome {
  if (current === 'paid') return current;
  const payment = paymentOf(e);
  if (payment && payment.linkId === linkId && e.type.startsWith('payment.')) {
    if (e.type === 'payment.succeeded') return 'paid';
    if (FINAL_OUTCOMES.includes(current)) return current;
    if (e.type === 'payment.created') return 'paying';
    if (e.type === 'payment.failed') return 'failed';
    if (e.type === 'payment.cancelled' || e.type === 'payment.abandoned') return current === 'paying' || current === 'failed' ? 'waiting' : current;
    return current;
  }
  const link = e.type.startsWith('link.') ? linkOf(e) : undefined;
  if (link?.id === linkId) {
    if (e.type === 'link.expired') return 'expired';
    if (e.type === 'link.cancelled') return 'cancelled';
    if (e.type === 'link.consumed') return 'paid';
  }
  return current;
}

function loadRecent(storage: Pick<Storage, 'getItem'> | undefined): RecentCharge[] {
  try {
    const parsed = JSON.parse(storage?.getItem(RECENT_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as RecentCharge[]).filter((r) => r && typeof r.linkId === 'string').slice(0, RECENT_CAP) : [];
  } catch {
    return [];
  }
}

/** Whether the charge on screen is paid by bank transfer (its payment says so). */
export function isTransferCharge(state: Pick<ChargeState, 'payment'>): boolean {
  return state.payment?.method === 'sepa_transfer';
}

export function createChargeStore(deps: { api: Pick<ApiClient, 'post'>; recentEvents?: () => EventItem[]; storage?: Pick<Storage, 'getItem' | 'setItem'> }): StoreApi<ChargeState> {
  const saveRecent = (recent: RecentCharge[]): void => {
    try {
      deps.storage?.setItem(RECENT_KEY, JSON.stringify(recent));
    } catch {
      // storage full or off: the list lives on in memory
    }
  };
  return createStore<ChargeState>((set, get) => {
    const setOutcome = (linkId: string, outcome: ChargeOutcome): void => {
      const recent = get().recent.map((r) => (r.linkId === linkId && r.outcome !== 'paid' ? { ...r, outcome } : r));
      saveRecent(recent);
      set({ recent });
    };
    return {
      digits: '',
      reference: '',
      currency: 'EUR',
      phase: 'entry',
      link: null,
      payment: null,
      notice: null,
      error: null,
      recent: loadRecent(deps.storage),

      setCurrency(currency) {
        if (currency !== get().currency) set({ currency, digits: get().phase === 'entry' ? '' : get().digits });
      },

      press(key) {
        const { phase, digits, currency } = get();
        if (phase !== 'entry') return;
        set({ digits: pressKey(digits, key, currencyExponent(currency)), error: null });
      },

      setReference(reference) {
        set({ reference: reference.slice(0, 140) });
      },

      async enter(pointOfSaleId) {
        const { phase } = get();
        if (phase === 'entry') return get().submit(pointOfSaleId);
        if (FINISHED.includes(phase) || phase === 'failed') get().reset();
      },

      async submit(pointOfSaleId, method = 'link') {
        const { digits, currency, reference, phase } = get();
        if (phase !== 'entry') return;
        if (digitsToMinor(digits) <= 0) {
          set({ error: 'amount-required' });
          return;
        }
        set({ phase: 'creating', error: null, notice: null });
        try {
          const answer = await deps.api.post<ChargeResult>(
            '/api/v1/charges',
            {
              amount: digitsToDecimal(digits, currencyExponent(currency)),
              currency,
              pointOfSaleId,
              ...(reference.trim() ? { reference: reference.trim() } : {}),
              ...(method === 'sepa_transfer' ? { method: 'sepa_transfer' } : {}),
            },
            { idempotencyKey: newIdempotencyKey() },
          );
          const { payment: started, ...rest } = answer;
          const link = rest as Link;
          const transfer = started && started.method === 'sepa_transfer' ? started : null;
          const entry: RecentCharge = {
            linkId: link.id,
            ...(transfer ? { method: 'sepa_transfer' as const } : {}),
            ...(typeof link.livemode === 'boolean' ? { livemode: link.livemode } : {}),
            pointOfSaleId,
            amount: link.amount ?? digitsToDecimal(digits, currencyExponent(currency)),
            currency: link.currency,
            reference: link.reference ?? null,
            createdAt: link.createdAt,
            outcome: transfer ? 'paying' : 'waiting',
          };
          const recent = [entry, ...get().recent.filter((r) => r.linkId !== link.id)].slice(0, RECENT_CAP);
          saveRecent(recent);
          // A transfer is under way from the start: the customer scans the EPC QR and pays from their bank.
          set({ phase: transfer ? 'paying' : 'waiting', link, payment: transfer, recent });
          // Events about it that raced ahead of the response.
          const early = (deps.recentEvents?.() ?? []).filter((e) => paymentOf(e)?.linkId === link.id || (e.type.startsWith('link.') && linkOf(e)?.id === link.id));
          if (early.length > 0) get().handleEvents([...early].sort((a, b) => a.id - b.id));
        } catch (err) {
          set({ phase: 'entry', error: errorText(err) });
        }
      },

      async cancel() {
        const { link, phase } = get();
        if (!link || FINISHED.includes(phase)) return get().reset();
        try {
          await deps.api.post(`/api/v1/links/${encodeURIComponent(link.id)}/cancel`);
          set({ phase: 'cancelled', error: null });
          setOutcome(link.id, 'cancelled');
        } catch (err) {
          set({ error: errorText(err) });
        }
      },

      async confirmTransfer() {
        const { payment, phase } = get();
        if (!payment || payment.method !== 'sepa_transfer' || phase !== 'paying') return false;
        try {
          const done = await deps.api.post<Payment>(`/api/v1/payments/${encodeURIComponent(payment.id)}/confirm-transfer`, {});
          if (done?.status === 'succeeded') {
            set({ phase: 'paid', payment: done, error: null });
            setOutcome(done.linkId, 'paid');
          } else if (done) set({ payment: done, error: null });
          return true;
        } catch (err) {
          set({ error: errorText(err) });
          return false;
        }
      },

      async replace() {
        const { link, phase } = get();
        if (link && !FINISHED.includes(phase) && phase !== 'entry' && phase !== 'creating') {
          await get().cancel();
          if (get().phase !== 'cancelled') return false;
        }
        get().reset();
        return true;
      },

      reset() {
        set({ phase: 'entry', digits: '', reference: '', link: null, payment: null, notice: null, error: null });
      },

      noteEvents(events) {
        let recent = get().recent;
        let changed = false;
        for (const e of events) {
          recent = recent.map((r) => {
            const outcome = nextOutcome(r.outcome, r.linkId, e);
            if (outcome === r.outcome) return r;
            changed = true;
            return { ...r, outcome };
          });
        }
        if (!changed) return;
        saveRecent(recent);
        set({ recent });
      },

      handleEvents(events) {
        get().noteEvents(events);
        for (const e of events) {
          const { link, phase } = get();
          if (!link || phase === 'entry' || phase === 'creating') return;
          const payment = paymentOf(e);
          if (payment && payment.linkId === link.id && e.type.startsWith('payment.')) {
            switch (e.type) {
              case 'payment.created':
                if (!FINISHED.includes(phase)) set({ phase: 'paying', payment, notice: null });
                break;
              case 'payment.succeeded':
                set({ phase: 'paid', payment, notice: null });
                break;
              case 'payment.failed':
                if (phase !== 'paid') set({ phase: 'failed', payment });
                break;
              case 'payment.cancelled':
              case 'payment.abandoned':
                if (phase === 'paying' || phase === 'failed') set({ phase: 'waiting', payment, notice: e.type === 'payment.cancelled' ? 'payer-cancelled' : 'abandoned' });
                break;
            }
            continue;
          }
          const changed = e.type.startsWith('link.') ? linkOf(e) : undefined;
          if (changed && changed.id === link.id) {
            set({ link: changed });
            if (e.type === 'link.expired' && phase !== 'paid') set({ phase: 'expired' });
            if (e.type === 'link.cancelled' && phase !== 'paid') set({ phase: 'cancelled' });
          }
        }
      },

      restore(view, mode) {
        if (get().phase !== 'entry' || get().digits !== '' || !view.link || view.mode === 'idle') return;
        const link = view.link;
        // The display is the counter's, shared by both modes: a charge of the other mode stays there.
        if (mode && typeof link.livemode === 'boolean' && link.livemode !== (mode === 'live')) return;
        if (link.reuse !== 'single') return;
        const payment = view.payment;
        let phase: ChargePhase = 'waiting';
        if (payment?.status === 'pending') phase = 'paying';
        else if (view.mode === 'result' && payment?.status === 'succeeded') phase = 'paid';
        else if (view.mode === 'result' && payment?.status === 'failed') phase = 'failed';
        if (link.status === 'expired') phase = 'expired';
        if (link.status === 'cancelled') phase = 'cancelled';
        set({ phase, link, payment, currency: link.currency });
      },
    };
  });
}
