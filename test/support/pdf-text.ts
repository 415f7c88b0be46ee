/**
 * Text of a PDF, read back with Mozilla's PDF.js (pdfjs-dist, a dev dependency): what a viewer
 * would show, line by line, so tests check a receipt or report field by field.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

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
