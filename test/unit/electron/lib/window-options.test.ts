import { describe, expect, it } from 'vitest';
import { displayWindowOptions, printWindowOptions, secureWebPreferences, staffWindowOptions } from '../../../../electron/lib/window-options';
import { chooseDisplayScreen, type ScreenInfo } from '../../../../electron/lib/displays';

const HARDENED = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
};

const primary: ScreenInfo = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };
const second: ScreenInfo = { id: 2, bounds: { x: 1920, y: 0, width: 1280, height: 800 }, workArea: { x: 1920, y: 0, width: 1280, height: 800 } };

describe('window options', () => {
  it('every window is isolated, sandboxed and without Node', () => {
    for (const options of [
      staffWindowOptions({ preload: '/app/out/preload/index.cjs', devTools: false }),
      displayWindowOptions({ devTools: false, placement: chooseDisplayScreen([primary], 1, null) }),
      printWindowOptions('/app/out/preload/index.cjs'),
    ]) {
      expect(options.webPreferences).toMatchObject(HARDENED);
      expect(options.show).toBe(false);
    }
  });

  it('the staff window has the preload; devTools only when asked for', () => {
    const staff = staffWindowOptions({ preload: '/p.cjs', icon: '/icon.png', devTools: true });
    expect(staff.webPreferences?.preload).toBe('/p.cjs');
    expect(staff.webPreferences?.devTools).toBe(true);
    expect(staff.icon).toBe('/icon.png');
    expect(staffWindowOptions({ devTools: false }).webPreferences).not.toHaveProperty('preload');
    expect(secureWebPreferences({ devTools: false }).devTools).toBe(false);
  });

  it('on a screen of its own the display is frameless and full screen there', () => {
    const o = displayWindowOptions({ devTools: false, placement: chooseDisplayScreen([primary, second], 1, null) });
    expect(o).toMatchObject({ x: 1920, y: 0, width: 1280, height: 800, fullscreen: true, frame: false });
    expect(o.webPreferences?.backgroundThrottling).toBe(false);
    expect(o.webPreferences).not.toHaveProperty('preload');
  });

  it('sharing the staff screen it is a normal, movable window', () => {
    const o = displayWindowOptions({ devTools: false, placement: chooseDisplayScreen([primary], 1, null) });
    expect(o).toMatchObject({ fullscreen: false, frame: true, width: 800, height: 600 });
  });
});
