import { describe, expect, it } from 'vitest';
import { chargeKeyAction, globalShortcut, isControl, isTextField, type KeyInput } from '../../../../renderer/src/lib/keyboard';

/** A stand-in for a DOM element: what the policy reads of one. */
function el(tagName: string, attrs: Record<string, string> = {}, isContentEditable = false): EventTarget {
  return { tagName, isContentEditable, getAttribute: (n: string) => attrs[n] ?? null } as unknown as EventTarget;
}

const body = el('BODY');
const main = el('MAIN', { id: 'main', tabindex: '-1' });
const navLink = el('A', { href: '/links' });
const anchorWithoutHref = el('A');
const button = el('BUTTON');
const keypadKey = el('BUTTON', { 'data-charge-key': 'keypad' });
const reference = el('INPUT', { 'data-charge-key': 'reference' });
const search = el('INPUT', { type: 'search' });
const checkbox = el('INPUT', { type: 'checkbox' });
const select = el('SELECT');
const radio = el('BUTTON', { role: 'radio' });
const editable = el('DIV', {}, true);

const key = (k: string, target: EventTarget, extra: Partial<KeyInput> = {}): KeyInput => ({ key: k, target, ...extra });
const closed = { dialogOpen: false };

describe('keyboard policy: a key belongs to the focused control', () => {
  it('tells controls and text fields apart', () => {
    for (const t of [navLink, button, keypadKey, reference, search, checkbox, select, radio, editable]) expect(isControl(t)).toBe(true);
    for (const t of [body, main, anchorWithoutHref, null]) expect(isControl(t)).toBe(false);
    for (const t of [reference, search, select, editable]) expect(isTextField(t)).toBe(true);
    for (const t of [checkbox, button, navLink, body]) expect(isTextField(t)).toBe(false);
  });

  it('charge screen: digits, Backspace, Escape and Enter act on the page itself', () => {
    for (const target of [body, main, anchorWithoutHref]) {
      expect(chargeKeyAction(key('5', target), closed)).toEqual({ kind: 'press', key: '5' });
      expect(chargeKeyAction(key('Backspace', target), closed)).toEqual({ kind: 'press', key: 'backspace' });
      expect(chargeKeyAction(key('Delete', target), closed)).toEqual({ kind: 'press', key: 'backspace' });
      expect(chargeKeyAction(key('Escape', target), closed)).toEqual({ kind: 'press', key: 'clear' });
      expect(chargeKeyAction(key('Enter', target), closed)).toEqual({ kind: 'enter' });
    }
    expect(chargeKeyAction(key('a', body), closed)).toBeNull();
  });

  it('charge screen: Enter on a link, a button or a select is theirs, never a charge', () => {
    for (const target of [navLink, button, select, radio, checkbox, search, editable]) {
      expect(chargeKeyAction(key('Enter', target), closed)).toBeNull();
      expect(chargeKeyAction(key('5', target), closed)).toBeNull();
      expect(chargeKeyAction(key('Escape', target), closed)).toBeNull();
    }
  });

  it('charge screen: a keypad key takes digits but Enter presses the key itself', () => {
    expect(chargeKeyAction(key('7', keypadKey), closed)).toEqual({ kind: 'press', key: '7' });
    expect(chargeKeyAction(key('Escape', keypadKey), closed)).toEqual({ kind: 'press', key: 'clear' });
    expect(chargeKeyAction(key('Enter', keypadKey), closed)).toBeNull();
  });

  it('charge screen: the reference field keeps its typing; its Enter charges, its Escape leaves it', () => {
    expect(chargeKeyAction(key('4', reference), closed)).toBeNull();
    expect(chargeKeyAction(key('Backspace', reference), closed)).toBeNull();
    expect(chargeKeyAction(key('Enter', reference), closed)).toEqual({ kind: 'enter' });
    expect(chargeKeyAction(key('Escape', reference), closed)).toEqual({ kind: 'blur' });
  });

  it('charge screen: nothing while a dialog is open or with a modifier', () => {
    expect(chargeKeyAction(key('Enter', body), { dialogOpen: true })).toBeNull();
    expect(chargeKeyAction(key('5', body, { ctrlKey: true }), closed)).toBeNull();
    expect(chargeKeyAction(key('5', body, { altKey: true }), closed)).toBeNull();
    expect(chargeKeyAction(key('Enter', body, { metaKey: true }), closed)).toBeNull();
  });

  it('global: Alt+1…6 reach the main screens (by code too: Option+1 on a Mac), "?" helps, "/" searches', () => {
    expect(globalShortcut(key('1', body, { altKey: true, code: 'Digit1' }), closed)).toEqual({ kind: 'nav', index: 0 });
    expect(globalShortcut(key('¡', body, { altKey: true, code: 'Digit1' }), closed)).toEqual({ kind: 'nav', index: 0 });
    expect(globalShortcut(key('6', search, { altKey: true, code: 'Digit6' }), closed)).toEqual({ kind: 'nav', index: 5 });
    expect(globalShortcut(key('7', body, { altKey: true, code: 'Digit7' }), closed)).toBeNull();
    expect(globalShortcut(key('?', body), closed)).toEqual({ kind: 'help' });
    expect(globalShortcut(key('?', navLink), closed)).toEqual({ kind: 'help' });
    expect(globalShortcut(key('/', main), closed)).toEqual({ kind: 'search' });
    expect(globalShortcut(key('1', body), closed)).toBeNull();
  });

  it('global: typing "?" or "/" in a field is typing; a dialog or Ctrl/⌘ turns shortcuts off', () => {
    expect(globalShortcut(key('?', search), closed)).toBeNull();
    expect(globalShortcut(key('/', reference), closed)).toBeNull();
    expect(globalShortcut(key('?', editable), closed)).toBeNull();
    expect(globalShortcut(key('?', body), { dialogOpen: true })).toBeNull();
    expect(globalShortcut(key('1', body, { altKey: true, code: 'Digit1' }), { dialogOpen: true })).toBeNull();
    expect(globalShortcut(key('1', body, { altKey: true, ctrlKey: true, code: 'Digit1' }), closed)).toBeNull();
  });
});
