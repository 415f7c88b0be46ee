import { describe, expect, it } from 'vitest';
import {
  ALLOWED_PERMISSIONS,
  contentSecurityPolicy,
  httpOrigin,
  isAppUrl,
  isNavigationAllowed,
  isPermissionAllowed,
  originsOf,
  shouldOpenExternally,
  withContentSecurityPolicy,
} from '../../../../electron/lib/policy';

const APP = ['http://127.0.0.1:4780'];
const external = { origins: ['http://192.168.1.20:4780', 'http://127.0.0.1:4780'], hosts: ['counterlink.example'] };

describe('window policy: origins', () => {
  it('only http(s) URLs have an origin', () => {
    expect(httpOrigin('http://127.0.0.1:4780/links/pl_1?x=1#y')).toBe('http://127.0.0.1:4780');
    expect(httpOrigin('https://Shop.Example/x')).toBe('https://shop.example');
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,hi', 'about:blank', 'not a url', '', undefined, null]) {
      expect(httpOrigin(url)).toBeUndefined();
    }
    expect(originsOf(['http://a.test/x', 'http://a.test/y', undefined, 'file:///x', 'http://localhost:5173'])).toEqual(['http://a.test', 'http://localhost:5173']);
  });

  it('the app is its exact origin: scheme, host and port', () => {
    expect(isAppUrl('http://127.0.0.1:4780/display/pos_1', APP)).toBe(true);
    expect(isAppUrl('http://127.0.0.1:4781/', APP)).toBe(false);
    expect(isAppUrl('https://127.0.0.1:4780/', APP)).toBe(false);
    expect(isAppUrl('http://localhost:4780/', APP)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:4780@evil.test/', APP)).toBe(false);
    expect(isAppUrl('http://evil.test/?http://127.0.0.1:4780', APP)).toBe(false);
  });
});

describe('window policy: navigation and new windows', () => {
  it('navigation stays on the app', () => {
    expect(isNavigationAllowed('http://127.0.0.1:4780/payments', APP)).toBe(true);
    expect(isNavigationAllowed('https://evil.test/', APP)).toBe(false);
    expect(isNavigationAllowed('file:///C:/Windows/', APP)).toBe(false);
    expect(isNavigationAllowed('javascript:alert(1)', APP)).toBe(false);
  });

  it('only allow-listed http(s) links may open in the browser', () => {
    expect(shouldOpenExternally('http://192.168.1.20:4780/en/pay-by-link/pl_1', external)).toBe(true);
    expect(shouldOpenExternally('http://127.0.0.1:4780/api/docs', external)).toBe(true);
    expect(shouldOpenExternally('https://counterlink.example/help', external)).toBe(true);
    expect(shouldOpenExternally('https://docs.counterlink.example/help', external)).toBe(true);
    expect(shouldOpenExternally('https://counterlink.example.evil.test/', external)).toBe(false);
    expect(shouldOpenExternally('https://evilcounterlink.example/', external)).toBe(false);
    expect(shouldOpenExternally('https://evil.test/', external)).toBe(false);
    expect(shouldOpenExternally('file:///etc/passwd', external)).toBe(false);
    expect(shouldOpenExternally('smb://share/x', external)).toBe(false);
    expect(shouldOpenExternally('ms-settings:network', external)).toBe(false);
  });
});

describe('window policy: permissions', () => {
  it('only notifications and sanitized clipboard writes, only for app pages', () => {
    expect([...ALLOWED_PERMISSIONS].sort()).toEqual(['clipboard-sanitized-write', 'notifications']);
    expect(isPermissionAllowed('notifications', 'http://127.0.0.1:4780/', APP)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'http://127.0.0.1:4780/links', APP)).toBe(true);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'display-capture', 'hid', 'fullscreen']) {
      expect(isPermissionAllowed(p, 'http://127.0.0.1:4780/', APP)).toBe(false);
    }
    expect(isPermissionAllowed('notifications', 'https://evil.test/', APP)).toBe(false);
    expect(isPermissionAllowed('notifications', undefined, APP)).toBe(false);
  });
});

describe('window policy: Content-Security-Policy', () => {
  it('production: no inline or remote scripts, nothing may frame the app', () => {
    const csp = contentSecurityPolicy({ serverOrigin: 'http://127.0.0.1:4780', dev: false });
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:4780");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('development: inline scripts and websockets for Vite', () => {
    const csp = contentSecurityPolicy({ serverOrigin: 'http://127.0.0.1:4780', dev: true });
    expect(csp).toMatch(/script-src 'self' 'unsafe-inline'/);
    expect(csp).toMatch(/connect-src [^;]*ws:/);
  });

  it('is added to app documents without one, and never replaces the server’s own', () => {
    const csp = "default-src 'self'";
    expect(withContentSecurityPolicy({ url: 'http://127.0.0.1:4780/', resourceType: 'mainFrame', responseHeaders: { 'content-type': ['text/html'] } }, APP, csp)).toEqual({
      'content-type': ['text/html'],
      'Content-Security-Policy': [csp],
    });
    expect(withContentSecurityPolicy({ url: 'http://127.0.0.1:4780/', resourceType: 'mainFrame' }, APP, csp)).toEqual({ 'Content-Security-Policy': [csp] });
    expect(
      withContentSecurityPolicy({ url: 'http://127.0.0.1:4780/', resourceType: 'mainFrame', responseHeaders: { 'content-security-policy': ["default-src 'none'"] } }, APP, csp),
    ).toBeUndefined();
    expect(withContentSecurityPolicy({ url: 'http://127.0.0.1:4780/ui/app.js', resourceType: 'script', responseHeaders: {} }, APP, csp)).toBeUndefined();
    expect(withContentSecurityPolicy({ url: 'https://evil.test/', resourceType: 'mainFrame', responseHeaders: {} }, APP, csp)).toBeUndefined();
  });
});
