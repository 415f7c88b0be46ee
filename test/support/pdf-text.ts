/**
 * Text of a PDF, read back with Mozilla's PDF.js (pdfjs-dist, a dev dependency): what a viewer
 * would show, line by line, so tests check a receipt or report field by field.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { decodeQrPixels } from './qr';

/** PDF.js reads the metrics of the 14 standard fonts (Helvetica…) from its own folder. */
const standardFontDataUrl = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';

export interface PdfText {
  pages: number;
  /** Every line of every page, in reading order (items on one baseline joined). */
  lines: string[];
  text: string;
  info: Record<string, unknown>;
}

export async function pdfText(data: Buffer | Uint8Array): Promise<PdfText> {
  const doc = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, isEvalSupported: false, standardFontDataUrl }).promise;
  const lines: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    const rows = new Map<number, { x: number; s: string }[]>();
    for (const item of content.items) {
      if (!('str' in item) || item.str === '') continue;
      const y = Math.round(item.transform[5] as number);
      const x = item.transform[4] as number;
      const key = [...rows.keys()].find((k) => Math.abs(k - y) <= 2) ?? y;
      rows.set(key, [...(rows.get(key) ?? []), { x, s: item.str }]);
    }
    for (const y of [...rows.keys()].sort((a, b) => b - a)) {
      lines.push(
        rows
          .get(y)!
          .sort((a, b) => a.x - b.x)
          .map((r) => r.s)
          .join(' ')
          .replace(/\s+/g, ' ')
          .trim(),
      );
    }
  }
  const meta = await doc.getMetadata();
  await doc.destroy();
  return { pages: doc.numPages, lines, text: lines.join('\n'), info: (meta.info ?? {}) as Record<string, unknown> };
}

/** The texts of the QR codes drawn as images on the PDF's pages (decoded by the kit's QR reader from the pixels PDF.js gives). */
export async function pdfQrCodes(data: Buffer | Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, isEvalSupported: false, standardFontDataUrl }).promise;
  const found: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const ops = await page.getOperatorList();
    for (let k = 0; k < ops.fnArray.length; k++) {
      if (ops.fnArray[k] !== OPS.paintImageXObject) continue;
      const id = ops.argsArray[k][0] as string;
      const img = await new Promise<{ width: number; height: number; data: Uint8ClampedArray; kind: number }>((resolve) => page.objs.get(id, resolve));
      // kind 2: RGB, 3: RGBA, 1: 1 bit grey: jsQR wants RGBA.
      const rgba = new Uint8ClampedArray(img.width * img.height * 4);
      const channels = img.kind === 3 ? 4 : img.kind === 2 ? 3 : 0;
      for (let p = 0; p < img.width * img.height; p++) {
        if (channels) {
          rgba[p * 4] = img.data[p * channels]!;
          rgba[p * 4 + 1] = img.data[p * channels + 1]!;
          rgba[p * 4 + 2] = img.data[p * channels + 2]!;
        } else {
          const rowBytes = (img.width + 7) >> 3;
          const x = p % img.width;
          const y = Math.floor(p / img.width);
          const bit = (img.data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1;
          rgba[p * 4] = rgba[p * 4 + 1] = rgba[p * 4 + 2] = bit ? 255 : 0;
        }
        rgba[p * 4 + 3] = 255;
      }
      const text = decodeQrPixels(rgba, img.width, img.height);
      if (text !== undefined) found.push(text);
    }
  }
  await doc.destroy();
  return found;
}
