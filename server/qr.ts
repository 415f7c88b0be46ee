import QRCode from 'qrcode';
import { ValidationError } from '../core/errors';

/** Medium error correction: survives a scratched counter screen, stays easy to scan at 240 px. */
const BASE = { errorCorrectionLevel: 'M' as const, margin: 2 };

/**
 * Rendering a QR PNG costs milliseconds of CPU; a counter display, a poster and a link list ask
 * for the same few images again and again. Keep the most recent ones (insertion-ordered Map as LRU).
 */
const CACHE_SIZE = 256;
const cache = new Map<string, Promise<Buffer | string>>();

function cached<T extends Buffer | string>(key: string, render: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit as Promise<T>;
  }
  const made = render();
  cache.set(key, made);
  made.catch(() => cache.delete(key));
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return made;
}

/** A URL too long for any QR code (long injected data) is the caller's mistake, not a 500. */
async function encode<T>(make: () => Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (err) {
    if (err instanceof Error && /too big/i.test(err.message)) throw ValidationError.field('data', 'makes the URL too long for a QR code');
    throw err;
  }
}

export function qrPng(text: string, size: number): Promise<Buffer> {
  return cached(`png:${size}:${text}`, () => encode(() => QRCode.toBuffer(text, { ...BASE, type: 'png', width: size })));
}

export function qrSvg(text: string, size: number): Promise<string> {
  return cached(`svg:${size}:${text}`, () => encode(() => QRCode.toString(text, { ...BASE, type: 'svg', width: size })));
}

/** `?data[key]=value` pairs of a request, as a plain object (others ignored). */
export function injectedData(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    const match = /^data\[([^\]]{1,40})\]$/.exec(key);
    if (match && typeof value === 'string') out[match[1]!] = value;
  }
  return out;
}

/** The link URL with injected data appended, so the QR code carries it to the payer. */
export function withData(url: string, data: Record<string, string>): string {
  const entries = Object.entries(data);
  if (entries.length === 0) return url;
  const u = new URL(url);
  for (const [k, v] of entries) u.searchParams.append(`data[${k}]`, v);
  return u.toString();
}
