/**
 * Keyboard policy of the staff UI. One rule above all: a key belongs to the focused control.
 * Screen shortcuts (the charge keypad, Alt+1…6, "?", "/") act only when nothing that takes keys
 * itself has the focus: Enter on a link follows the link, Enter on a button presses it.
 */
import { keyFromKeyboard, type KeypadKey } from './amount';

/** What the handlers need to know about a keydown (a KeyboardEvent fits). */
export interface KeyInput {
  key: string;
  code?: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
  target: EventTarget | null;
}

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'tel', 'url', 'password', 'number', 'date', 'datetime-local', 'time', 'month', 'week', '']);

interface ElementLike {
  tagName: string;
  isContentEditable?: boolean;
  getAttribute(name: string): string | null;
  closest?(selector: string): unknown;
}

function asElement(target: EventTarget | null): ElementLike | null {
  const el = target as ElementLike | null;
  return el && typeof el === 'object' && typeof el.tagName === 'string' && typeof el.getAttribute === 'function' ? el : null;
}

/** A field that takes typed characters (a text input, a textarea, a select, contenteditable). */
export function isTextField(target: EventTarget | null): boolean {
  const el = asElement(target);
  if (!el) return false;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable) return true;
  if (tag !== 'INPUT') return false;
  return TEXT_INPUT_TYPES.has((el.getAttribute('type') ?? '').toLowerCase());
}

const CONTROL_ROLES = new Set(['button', 'link', 'checkbox', 'radio', 'switch', 'tab', 'menuitem', 'option', 'combobox', 'textbox', 'slider', 'spinbutton']);

/** Anything that does something with Enter or Space by itself: links, buttons, form controls, widgets. */
export function isControl(target: EventTarget | null): boolean {
  const el = asElement(target);
  if (!el) return false;
  const tag = el.tagName.toUpperCase();
  if (tag === 'BUTTON' || tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || tag === 'SUMMARY' || tag === 'OPTION') return true;
  if (tag === 'A' && el.getAttribute('href') !== null) return true;
  if (el.isContentEditable) return true;
  return CONTROL_ROLES.has(el.getAttribute('role') ?? '');
}

export type ChargeKeyAction = { kind: 'press'; key: KeypadKey } | { kind: 'enter' } | { kind: 'blur' } | null;

/**
 * What a key does on the charge screen. Digits, Backspace, Escape and Enter act when the focus
 * is nowhere in particular (the page, the main area, the charge card) or on the amount entry
 * itself: a keypad key takes digits (Enter presses the focused key, as any button), the
 * reference field's Enter charges and its Escape leaves it. On any other control — a menu link,
 * "Cancel charge", a select — the key is that control's.
 */
export function chargeKeyAction(e: KeyInput, ctx: { dialogOpen: boolean }): ChargeKeyAction {
  if (e.ctrlKey || e.metaKey || e.altKey || ctx.dialogOpen) return null;
  const key = keyFromKeyboard(e.key);
  if (!key) return null;
  const el = asElement(e.target);
  const role = el?.getAttribute('data-charge-key') ?? null;
  if (role === 'reference') {
    if (key === 'enter') return { kind: 'enter' };
    if (key === 'clear') return { kind: 'blur' };
    return null;
  }
  if (role === 'keypad') return key === 'enter' ? null : { kind: 'press', key };
  if (isControl(e.target) || isTextField(e.target)) return null;
  return key === 'enter' ? { kind: 'enter' } : { kind: 'press', key };
}

/** The app-wide shortcuts (the help overlay lists them). */
export type GlobalShortcut = { kind: 'nav'; index: number } | { kind: 'help' } | { kind: 'search' } | null;

/** How many main screens Alt+1… reach (Charge, Links, Payments, Messages, Feed, Settings). */
export const NAV_SHORTCUTS = 6;

export function globalShortcut(e: KeyInput, ctx: { dialogOpen: boolean }): GlobalShortcut {
  if (ctx.dialogOpen || e.ctrlKey || e.metaKey) return null;
  if (e.altKey) {
    // e.code: Option+1 on a Mac types "¡", but its code is still Digit1.
    const m = /^Digit([1-9])$/.exec(e.code ?? '') ?? /^([1-9])$/.exec(e.key);
    const n = m ? Number(m[1]) : 0;
    return n >= 1 && n <= NAV_SHORTCUTS ? { kind: 'nav', index: n - 1 } : null;
  }
  if (isTextField(e.target)) return null;
  if (e.key === '?') return { kind: 'help' };
  if (e.key === '/') return { kind: 'search' };
  return null;
}
