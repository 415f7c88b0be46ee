import { createStore } from 'zustand/vanilla';

export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'success' | 'error';
}

interface ToastState {
  toasts: Toast[];
  show(text: string, tone?: Toast['tone']): void;
  dismiss(id: number): void;
}

let next = 1;

/** Short confirmations ("Link copied") and errors of actions without a form. */
export const toastStore = createStore<ToastState>((set, get) => ({
  toasts: [],
  show(text, tone = 'info') {
    const id = next++;
    set({ toasts: [...get().toasts.slice(-2), { id, text, tone }] });
    setTimeout(() => get().dismiss(id), tone === 'error' ? 6000 : 2500);
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
}));

export const toast = (text: string, tone?: Toast['tone']): void => toastStore.getState().show(text, tone);
