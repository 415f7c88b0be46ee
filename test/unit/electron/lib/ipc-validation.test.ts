import { describe, expect, it } from 'vitest';
import {
  appUrl,
  IpcValidationError,
  isTrustedSender,
  parseChooseDisplayArgs,
  parseNoArgs,
  parsePrintArgs,
  parseShowOnDisplayArgs,
} from '../../../../electron/lib/ipc-validation';

const APP = ['http://127.0.0.1:4780'];

function rejects(fn: () => unknown, message?: RegExp): void {
  expect(fn).toThrow(IpcValidationError);
  if (message) expect(fn).toThrow(message);
}

describe('IPC: who may call', () => {
  it('only the main frame of an app page', () => {
    expect(isTrustedSender({ frameUrl: 'http://127.0.0.1:4780/settings', isMainFrame: true }, APP)).toBe(true);
    expect(isTrustedSender({ frameUrl: 'http://127.0.0.1:4780/settings', isMainFrame: false }, APP)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'https://evil.test/', isMainFrame: true }, APP)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'file:///tmp/x.html', isMainFrame: true }, APP)).toBe(false);
    expect(isTrustedSender({ frameUrl: undefined, isMainFrame: true }, APP)).toBe(false);
    expect(isTrustedSender({ frameUrl: null, isMainFrame: false }, APP)).toBe(false);
  });
});

describe('IPC: arguments', () => {
  it('no-argument calls take no arguments', () => {
    expect(() => parseNoArgs([])).not.toThrow();
    rejects(() => parseNoArgs([1]), /expected 0/);
  });

  it('print: the calling page, or an absolute path on the app', () => {
    expect(parsePrintArgs([])).toEqual({});
    expect(parsePrintArgs([undefined])).toEqual({});
    expect(parsePrintArgs([{ path: '/print/links/pl_abc?size=a4', silent: false }])).toEqual({ path: '/print/links/pl_abc?size=a4', silent: false });
    for (const path of ['//evil.test/x', 'https://evil.test/', 'print/x', '/a/../../etc', '/a/./b', '/x\\y', 'javascript:alert(1)', '/a b', '/\u0000']) {
      rejects(() => parsePrintArgs([{ path }]));
    }
    rejects(() => parsePrintArgs([{ url: 'https://evil.test' }]), /unknown field/);
    rejects(() => parsePrintArgs([{ path: '/x' }, {}]));
  });

  it('a print path always stays on the app', () => {
    expect(appUrl('http://127.0.0.1:4780', '/print/links/pl_1')).toBe('http://127.0.0.1:4780/print/links/pl_1');
    expect(appUrl('http://127.0.0.1:4780', '/%2e%2e/x')).toBe('http://127.0.0.1:4780/x');
    expect(() => appUrl('http://127.0.0.1:4780', '//evil.test/x')).toThrow(IpcValidationError);
  });

  it('showOnDisplay: visible and a point of sale id', () => {
    expect(parseShowOnDisplayArgs([])).toEqual({});
    expect(parseShowOnDisplayArgs([{ visible: false }])).toEqual({ visible: false });
    expect(parseShowOnDisplayArgs([{ pointOfSaleId: 'pos_AbC123' }])).toEqual({ pointOfSaleId: 'pos_AbC123' });
    rejects(() => parseShowOnDisplayArgs([{ pointOfSaleId: '../../../../x' }]), /point of sale/);
    rejects(() => parseShowOnDisplayArgs([{ pointOfSaleId: 7 }]), /point of sale/);
    rejects(() => parseShowOnDisplayArgs([{ visible: 1 }]), /visible/);
    rejects(() => parseShowOnDisplayArgs([{ url: 'x' }]), /unknown field/);
    rejects(() => parseShowOnDisplayArgs([null]), /object/);
  });

  it('chooseDisplay: an integer screen id or null', () => {
    expect(parseChooseDisplayArgs([2779098405])).toBe(2779098405);
    expect(parseChooseDisplayArgs([null])).toBeNull();
    for (const bad of [[], ['1'], [1.5], [Number.NaN], [Infinity], [{}], [1, 2], [undefined]]) rejects(() => parseChooseDisplayArgs(bad));
  });
});
