import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { trayMenuTemplate, type TrayState } from '../../../../electron/lib/tray-menu';

const state: TrayState = {
  displayVisible: true,
  screens: [
    { id: 1, label: 'Built-in', width: 1920, height: 1080, primary: true, selected: false },
    { id: 2, label: 'DELL', width: 1280, height: 800, primary: false, selected: true },
  ],
  automaticScreen: true,
  publicUrl: 'http://192.168.1.20:4780',
  updateReady: null,
};

function actions() {
  return { showStaff: vi.fn(), setDisplayVisible: vi.fn(), chooseScreen: vi.fn(), installUpdate: vi.fn(), quit: vi.fn() };
}

function item(items: MenuItemConstructorOptions[], label: string | RegExp): MenuItemConstructorOptions {
  const found = items.find((i) => (typeof label === 'string' ? i.label === label : label.test(i.label ?? '')));
  if (!found) throw new Error(`no menu item ${String(label)}`);
  return found;
}

function click(i: MenuItemConstructorOptions): void {
  (i.click as () => void)();
}

describe('tray menu', () => {
  it('shows the staff window, toggles the display, quits', () => {
    const a = actions();
    const menu = trayMenuTemplate(state, a);
    click(item(menu, 'Open Counterlink'));
    expect(a.showStaff).toHaveBeenCalled();
    const display = item(menu, 'Counter display');
    expect(display).toMatchObject({ type: 'checkbox', checked: true });
    click(display);
    expect(a.setDisplayVisible).toHaveBeenCalledWith(false);
    click(item(menu, 'Quit Counterlink'));
    expect(a.quit).toHaveBeenCalled();
    expect(menu.some((i) => /Restart to update/.test(i.label ?? ''))).toBe(false);
    expect(item(menu, /192\.168\.1\.20/).enabled).toBe(false);
  });

  it('offers every screen, with Automatic checked when nothing is saved', () => {
    const a = actions();
    const sub = item(trayMenuTemplate(state, a), 'Counter display on').submenu as MenuItemConstructorOptions[];
    expect(sub.map((i) => [i.label, i.checked])).toEqual([
      ['Automatic', true],
      ['Built-in (1920×1080) – main screen', false],
      ['DELL (1280×800)', false],
    ]);
    click(sub[2]!);
    expect(a.chooseScreen).toHaveBeenCalledWith(2);
    click(sub[0]!);
    expect(a.chooseScreen).toHaveBeenCalledWith(null);
    const chosen = item(trayMenuTemplate({ ...state, automaticScreen: false }, a), 'Counter display on').submenu as MenuItemConstructorOptions[];
    expect(chosen.map((i) => i.checked)).toEqual([false, false, true]);
  });

  it('offers a restart when an update is downloaded', () => {
    const a = actions();
    click(item(trayMenuTemplate({ ...state, updateReady: '1.2.0' }, a), 'Restart to update to 1.2.0'));
    expect(a.installUpdate).toHaveBeenCalled();
  });
});
