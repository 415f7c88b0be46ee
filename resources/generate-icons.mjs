// Draws the app and tray icons (a white chain link on a teal-to-indigo tile) as PNGs with pngjs.
// Shapes are signed distance fields, so every size is anti-aliased without supersampling.
// Run: node resources/generate-icons.mjs   (the PNGs are committed; run again only to change them)
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';

const { PNG } = pngjs;
const here = dirname(fileURLToPath(import.meta.url));

const TEAL = [20, 184, 166];
const INDIGO = [79, 70, 229];

const clamp = (v, lo = 0, hi = 1) => Math.min(hi, Math.max(lo, v));
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

/** Distance from p to the segment a-b. */
function segment(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = clamp(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy));
  return Math.hypot(px - ax - dx * t, py - ay - dy * t);
}

/** Rounded square of half-size h and corner radius r, centred at the origin. */
function roundedSquare(px, py, h, r) {
  const qx = Math.abs(px) - h + r;
  const qy = Math.abs(py) - h + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/**
 * Two interlocking stadium-shaped rings on the diagonal. Coordinates: unit square centred at the
 * origin; `scale` enlarges the glyph. Where the rings cross, the upper crossing has ring B on top
 * and the lower one ring A, with a small gap cut around the ring in front.
 */
function chainLink(x, y, { scale, stroke = 0.034, gap = 0.03 }) {
  const c = Math.SQRT1_2;
  // rotate by +45° so the link runs from bottom-left to top-right
  const u = (x * c - y * c) / scale;
  const v = (x * c + y * c) / scale;
  const R = 0.125;
  const W = stroke; // half stroke width
  const ringA = Math.abs(segment(u, v, -0.3, 0, -0.06, 0) - R) - W;
  const ringB = Math.abs(segment(u, v, 0.06, 0, 0.3, 0) - R) - W;
  let a = ringA;
  let b = ringB;
  if (v < 0) a = Math.max(ringA, -(ringB - gap));
  else b = Math.max(ringB, -(ringA - gap));
  return Math.min(a, b) * scale;
}

/** Straight-alpha "over" compositing of colour `rgb` with coverage `alpha` onto pixel `px`. */
function over(px, rgb, alpha) {
  const outA = alpha + px[3] * (1 - alpha);
  if (outA <= 0) return [0, 0, 0, 0];
  const out = [0, 1, 2].map((i) => (rgb[i] * alpha + px[i] * px[3] * (1 - alpha)) / outA);
  return [...out, outA];
}

function render(size, { tile, glyph, glyphColor, shadow }) {
  const png = new PNG({ width: size, height: size });
  const px1 = 1 / size; // one pixel in unit coordinates
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = (i + 0.5) / size - 0.5;
      const y = (j + 0.5) / size - 0.5;
      let px = [0, 0, 0, 0];
      if (tile) {
        const d = roundedSquare(x, y, tile.half, tile.radius);
        const cover = clamp(0.5 - d / px1);
        if (cover > 0) {
          const t = clamp((x + y) / (2 * tile.half) * 0.5 + 0.5);
          const light = clamp(1 - (y + tile.half) / (2 * tile.half)) * 0.08; // a touch lighter at the top
          const base = mix(TEAL, INDIGO, t).map((c) => c + (255 - c) * light);
          px = over(px, base, cover);
        }
      }
      if (shadow) {
        const ds = chainLink(x, y - shadow.offset, glyph);
        const cover = clamp(0.5 - ds / shadow.blur) * shadow.opacity;
        if (cover > 0) px = over(px, [15, 23, 42], cover);
      }
      const dg = chainLink(x, y, glyph);
      const cover = clamp(0.5 - dg / px1);
      if (cover > 0) px = over(px, glyphColor, cover);
      const k = (j * size + i) * 4;
      png.data[k] = Math.round(px[0]);
      png.data[k + 1] = Math.round(px[1]);
      png.data[k + 2] = Math.round(px[2]);
      png.data[k + 3] = Math.round(px[3] * 255);
    }
  }
  return PNG.sync.write(png);
}

const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];
// Small sizes: bolder strokes, a wider crossing gap, and a glyph that fills more of the icon.
const TRAY_GLYPH = { scale: 1.12, stroke: 0.05, gap: 0.04 };
const TEMPLATE_GLYPH = { scale: 1.3, stroke: 0.05, gap: 0.04 };

const files = {
  // App icon: electron-builder derives .ico, .icns and the Linux sizes from it (>= 512 px).
  'icon.png': render(1024, {
    tile: { half: 0.41, radius: 0.1 },
    glyph: { scale: 0.86 },
    glyphColor: WHITE,
    shadow: { offset: 0.012, blur: 0.02, opacity: 0.28 },
  }),
  // Tray (Windows, Linux): the tile fills the whole icon so it reads on light and dark panels.
  'tray.png': render(16, { tile: { half: 0.5, radius: 0.13 }, glyph: TRAY_GLYPH, glyphColor: WHITE }),
  'tray@2x.png': render(32, { tile: { half: 0.5, radius: 0.13 }, glyph: TRAY_GLYPH, glyphColor: WHITE }),
  // macOS menu bar: a black template image; the system tints it for light and dark menu bars.
  'trayTemplate.png': render(16, { glyph: TEMPLATE_GLYPH, glyphColor: BLACK }),
  'trayTemplate@2x.png': render(32, { glyph: TEMPLATE_GLYPH, glyphColor: BLACK }),
};

for (const [name, data] of Object.entries(files)) {
  writeFileSync(join(here, name), data);
  console.log(`resources/${name}: ${data.length} bytes`);
}
