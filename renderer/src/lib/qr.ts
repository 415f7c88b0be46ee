import QRCode from 'qrcode';

/** Same settings as the server's QR images: medium error correction, a 2-module quiet zone. */
const OPTIONS = { errorCorrectionLevel: 'M' as const, margin: 2, type: 'svg' as const, color: { dark: '#000000', light: '#ffffff' } };

const cache = new Map<string, string>();

/**
 * The QR code of `text` as an SVG data: URL (allowed by the page's CSP as an image; no markup is
 * injected). Made in the page itself, so the counter display shows it without another request.
 */
export async function qrDataUrl(text: string): Promise<string> {
  const hit = cache.get(text);
  if (hit) return hit;
  const svg = await QRCode.toString(text, OPTIONS);
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  cache.set(text, url);
  if (cache.size > 50) cache.delete(cache.keys().next().value!);
  return url;
}
