import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import type { DisplayPlacement } from './displays';

/**
 * BrowserWindow options for the app's windows. Type-only import of Electron: this module runs in
 * plain Node for its tests.
 */

export interface WindowOptionsInput {
  /** Absolute path of the compiled preload script; none for helper windows (printing). */
  preload?: string;
  icon?: string;
  /** DevTools are for development only. */
  devTools: boolean;
}

/** The one set of web preferences every window of the app uses. */
export function secureWebPreferences({ preload, devTools }: Pick<WindowOptionsInput, 'preload' | 'devTools'>): WebPreferences {
  return {
    ...(preload ? { preload } : {}),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
  };
}

export const STAFF_WINDOW = { width: 1280, height: 820, minWidth: 900, minHeight: 600 } as const;

export function staffWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: 'Counterlink',
    width: STAFF_WINDOW.width,
    height: STAFF_WINDOW.height,
    minWidth: STAFF_WINDOW.minWidth,
    minHeight: STAFF_WINDOW.minHeight,
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    ...(input.icon ? { icon: input.icon } : {}),
    webPreferences: secureWebPreferences(input),
  };
}

/** The first-start window of a new till: small, fixed, the same hardened preferences. */
export function firstStartWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: 'Counterlink – Set up this computer',
    width: 760,
    height: 820,
    minWidth: 560,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    ...(input.icon ? { icon: input.icon } : {}),
    webPreferences: secureWebPreferences(input),
  };
}

export function displayWindowOptions(input: WindowOptionsInput & { placement: DisplayPlacement }): BrowserWindowConstructorOptions {
  const { placement } = input;
  return {
    title: 'Counterlink – Counter display',
    ...placement.bounds,
    minWidth: 320,
    minHeight: 240,
    show: false,
    fullscreen: placement.fullscreen,
    fullscreenable: true,
    // On the customer's screen there is nothing to click: no frame, no menu.
    frame: !placement.fullscreen,
    autoHideMenuBar: true,
    backgroundColor: '#000000',
    ...(input.icon ? { icon: input.icon } : {}),
    webPreferences: {
      ...secureWebPreferences(input),
      // The display must stay live when covered by the staff window on a single screen.
      backgroundThrottling: false,
    },
  };
}

/** A hidden window that loads one page of the app to print it. */
export function printWindowOptions(preload?: string): BrowserWindowConstructorOptions {
  return { show: false, width: 800, height: 1100, webPreferences: secureWebPreferences({ ...(preload ? { preload } : {}), devTools: false }) };
}
