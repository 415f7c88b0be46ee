import { app, shell, type Session, type WebContents } from 'electron';
import {
  isNavigationAllowed,
  isPermissionAllowed,
  shouldOpenExternally,
  withContentSecurityPolicy,
  type ExternalLinkPolicy,
} from '../lib/policy';

/** Glue: applies the policy of lib/policy.ts to the session and to every web contents. */

export interface SecurityOptions {
  /** Origins of the app's own pages (the embedded server; the Vite dev server in development). */
  appOrigins: readonly string[];
  external: ExternalLinkPolicy;
  csp: string;
  log(message: string): void;
}

export function hardenSession(ses: Session, options: SecurityOptions): void {
  ses.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    const allowed = isPermissionAllowed(permission, details.requestingUrl, options.appOrigins);
    if (!allowed) options.log(`permission denied: ${permission} for ${details.requestingUrl}`);
    callback(allowed);
  });
  ses.setPermissionCheckHandler((_webContents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, options.appOrigins),
  );
  // No device pickers (USB, HID, serial, Bluetooth) for any page.
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = withContentSecurityPolicy(details, options.appOrigins, options.csp);
    callback(headers ? { responseHeaders: headers as Record<string, string[]> } : {});
  });
}

function guardContents(contents: WebContents, options: SecurityOptions): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (shouldOpenExternally(url, options.external)) void shell.openExternal(url);
    else options.log(`window.open denied: ${url}`);
    return { action: 'deny' };
  });
  const guard = (event: Electron.Event, url: string): void => {
    if (isNavigationAllowed(url, options.appOrigins)) return;
    event.preventDefault();
    options.log(`navigation blocked: ${url}`);
    if (shouldOpenExternally(url, options.external)) void shell.openExternal(url);
  };
  contents.on('will-navigate', (event) => guard(event, event.url));
  contents.on('will-redirect', (event) => guard(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Every web contents ever created (windows, print helpers) gets the guards. Call before any window exists. */
export function guardAllWebContents(options: SecurityOptions): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents, options));
}
