import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiClient } from '../api/client';
import type { DeviceSelf, MerchantSettings, PaymentMethodInfo, PointOfSale, StaffInfo } from '../api/types';
import { errorText } from '../lib/error-text';

export interface AppState {
  pointsOfSale: PointOfSale[];
  /** The counter this screen charges for (kept per browser). */
  posId: string | null;
  merchant: MerchantSettings | null;
  info: StaffInfo | null;
  /** The payment methods of the current mode (null: not known, e.g. an older server). */
  methods: PaymentMethodInfo[] | null;
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  selectPos(id: string): void;
  setMerchant(merchant: MerchantSettings): void;
  setInfo(info: StaffInfo): void;
  /** Re-read the payment methods (after a settings change made one available). */
  loadMethods(): Promise<void>;
}

export function currentPos(state: Pick<AppState, 'pointsOfSale' | 'posId'>): PointOfSale | undefined {
  return state.pointsOfSale.find((p) => p.id === state.posId) ?? state.pointsOfSale.find((p) => p.isDefault) ?? state.pointsOfSale[0];
}

/**
 * What every screen needs: the shop's settings, its points of sale and which one this is. A
 * paired counter (`device`) may read none of those: it reads `/api/v1/devices/me` (its own point
 * of sale, the shop's formatting settings) and charges for that point of sale only.
 */
export function createAppStore(api: Pick<ApiClient, 'get'>, storage?: Pick<Storage, 'getItem' | 'setItem'>, options: { device?: boolean } = {}): StoreApi<AppState> {
  const loadDevice = async (): Promise<Partial<AppState>> => {
    const me = await api.get<DeviceSelf>('/api/v1/devices/me');
    return { pointsOfSale: [me.pointOfSale], posId: me.pointOfSale.id, merchant: { ...me.merchant } as MerchantSettings, info: null, methods: null };
  };
  return createStore<AppState>((set, get) => ({
    pointsOfSale: [],
    posId: storage?.getItem('counterlink.pos') ?? null,
    merchant: null,
    info: null,
    methods: null,
    loaded: false,
    error: null,
    async load() {
      if (options.device) {
        try {
          set({ ...(await loadDevice()), loaded: true, error: null });
        } catch (err) {
          set({ loaded: true, error: errorText(err) });
        }
        return;
      }
      try {
        const [pos, merchant, info, methods] = await Promise.all([
          api.get<{ data: PointOfSale[] }>('/api/v1/points-of-sale'),
          api.get<MerchantSettings>('/api/v1/settings'),
          api.get<StaffInfo>('/api/v1/staff/info'),
          api.get<{ data: PaymentMethodInfo[] }>('/api/v1/payment-methods').then(
            (r) => (Array.isArray(r?.data) ? r.data : null),
            () => null,
          ),
        ]);
        const known = pos.data.some((p) => p.id === get().posId);
        set({
          pointsOfSale: pos.data,
          merchant,
          info,
          methods,
          loaded: true,
          error: null,
          posId: known ? get().posId : (pos.data.find((p) => p.isDefault) ?? pos.data[0])?.id ?? null,
        });
      } catch (err) {
        set({ loaded: true, error: errorText(err) });
      }
    },
    selectPos(id) {
      if (options.device) return; // a counter charges for its own point of sale only
      storage?.setItem('counterlink.pos', id);
      set({ posId: id });
    },
    setMerchant(merchant) {
      set({ merchant });
    },
    setInfo(info) {
      set({ info });
    },
    async loadMethods() {
      if (options.device) return;
      try {
        const r = await api.get<{ data: PaymentMethodInfo[] }>('/api/v1/payment-methods');
        if (Array.isArray(r?.data)) set({ methods: r.data });
      } catch {
        // keep what we knew
      }
    },
  }));
}
