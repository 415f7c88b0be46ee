import type { JoinHubRequest, PrintOptions, ShowOnDisplayOptions } from '../../renderer/src/bridge';
import { isAppUrl } from './policy';

/**
 * Argument checks for every IPC handler. The renderer is treated as untrusted input: exact
 * argument counts, plain objects with known keys only, bounded strings. Anything else throws
 * an IpcValidationError, which the renderer sees as a rejected promise.
 */
export class IpcValidationError extends Error {
  override readonly name = 'IpcValidationError';
}

/**
 * Only the main frame of a window showing the app may call in: not an iframe, not a page that
 * got there by a navigation the guard missed.
 */
export function isTrustedSender(
  sender: { frameUrl: string | undefined | null; isMainFrame: boolean },
  appOrigins: readonly string[],
): boolean {
  return sender.isMainFrame && isAppUrl(sender.frameUrl, appOrigins);
}

function fail(message: string): never {
  throw new IpcValidationError(message);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function argCount(args: readonly unknown[], min: number, max: number): void {
  if (args.length < min || args.length > max) fail(`expected ${min === max ? min : `${min}-${max}`} argument(s), got ${args.length}`);
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) fail(`${what}: unknown field "${key}"`);
}

// C0 controls other than tab and newlines, DEL, and C1 controls.
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

function text(value: unknown, field: string, min: number, max: number, multiline: boolean): string {
  if (typeof value !== 'string') fail(`${field} must be a string`);
  if (value.length < min || value.length > max) fail(`${field} must be ${min}-${max} characters`);
  if (CONTROL_CHARS.test(value) || (!multiline && /[\r\n]/.test(value))) fail(`${field} contains control characters`);
  return value;
}

function optionalBool(value: unknown, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') fail(`${field} must be true or false`);
  return value;
}

export function parseNoArgs(args: readonly unknown[]): void {
  argCount(args, 0, 0);
}

/** An absolute path on the app's own server: "/x/y?z", never "//host", never a scheme, never "..". */
const APP_PATH = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*$/;

export function parsePrintArgs(args: readonly unknown[]): PrintOptions {
  argCount(args, 0, 1);
  const input = args[0];
  if (input === undefined) return {};
  if (!isPlainObject(input)) fail('print: options must be an object');
  onlyKeys(input, ['path', 'silent'], 'print');
  const out: PrintOptions = {};
  if (input.path !== undefined) {
    const path = text(input.path, 'path', 1, 2000, false);
    if (!APP_PATH.test(path) || path.includes('\\') || /(^|\/)\.\.?(\/|$|\?)/.test(path.split('?')[0] ?? '')) {
      fail('path must be an absolute path on the app');
    }
    out.path = path;
  }
  const silent = optionalBool(input.silent, 'silent');
  if (silent !== undefined) out.silent = silent;
  return out;
}

const POINT_OF_SALE_ID = /^pos_[A-Za-z0-9]{1,64}$/;

export function parseShowOnDisplayArgs(args: readonly unknown[]): ShowOnDisplayOptions {
  argCount(args, 0, 1);
  const input = args[0];
  if (input === undefined) return {};
  if (!isPlainObject(input)) fail('showOnDisplay: options must be an object');
  onlyKeys(input, ['visible', 'pointOfSaleId'], 'showOnDisplay');
  const out: ShowOnDisplayOptions = {};
  const visible = optionalBool(input.visible, 'visible');
  if (visible !== undefined) out.visible = visible;
  if (input.pointOfSaleId !== undefined) {
    if (typeof input.pointOfSaleId !== 'string' || !POINT_OF_SALE_ID.test(input.pointOfSaleId)) fail('pointOfSaleId must be a point of sale id (pos_…)');
    out.pointOfSaleId = input.pointOfSaleId;
  }
  return out;
}

export function parseChooseDisplayArgs(args: readonly unknown[]): number | null {
  argCount(args, 1, 1);
  const id = args[0];
  if (id === null) return null;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) fail('display id must be an integer or null');
  return id;
}

/** Resolves a validated print path against the app's server; the result is always on that origin. */
export function appUrl(serverUrl: string, path: string): string {
  const url = new URL(path, serverUrl);
  if (url.origin !== new URL(serverUrl).origin) fail('path must stay on the app');
  return url.toString();
}

/**
 * `firstStart.join`: one object with exactly the address, the code and the till's name, each a
 * bounded single-line string. Their meaning (a hub address, a code's alphabet) is checked by
 * lib/first-start.ts, which answers with a reason the screen can word.
 */
export function parseJoinArgs(args: readonly unknown[]): JoinHubRequest {
  argCount(args, 1, 1);
  const input = args[0];
  if (!isPlainObject(input)) fail('join: the request must be an object');
  onlyKeys(input, ['address', 'code', 'name'], 'join');
  return {
    address: text(input.address, 'address', 0, 300, false),
    code: text(input.code, 'code', 0, 32, false),
    name: text(input.name, 'name', 0, 200, false),
  };
}
