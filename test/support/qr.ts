import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import type { Locator } from 'playwright-core';

/** The text of the QR code in RGBA pixels, as UTF-8 (what the EPC QR and our links use), if there is one. */
export function decodeQrPixels(rgba: Uint8ClampedArray, width: number, height: number): string | undefined {
  const code = jsQR(rgba, width, height);
  return code ? new TextDecoder().decode(new Uint8Array(code.binaryData)) : undefined;
}

/** The text of the QR code in a PNG (a rendered QR endpoint, a mail attachment), if there is one. */
export function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return decodeQrPixels(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height);
}

/** Like decodeQr, for a PNG that must hold a QR code: throws when it has none. */
export function readQr(png: Buffer): string {
  const text = decodeQr(png);
  if (text === undefined) throw new Error('no QR code found in the PNG');
  return text;
}

/** The QR code on screen in `locator`, read off a screenshot of it as a phone camera would. */
export async function decodeQrOnScreen(locator: Locator): Promise<string | null> {
  return decodeQr(await locator.screenshot()) ?? null;
}
