// QR codes in images ("quishing"): a scam puts its link in a picture so mail filters that read only
// text never see it. PNG and JPEG are decoded (within a pixel cap) and scanned with jsQR.

import { createHash } from 'node:crypto';
import jpeg from 'jpeg-js';
import type { Options, QRCode } from 'jsqr';
import * as jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { MAX_IMAGE_PIXELS } from './limits.js';

// jsqr is CommonJS with `exports.default`; depending on the loader the function sits one or two `.default`s deep.
type JsQR = (data: Uint8ClampedArray, width: number, height: number, opts?: Options) => QRCode | null;
const jsQRExports = (jsQRModule as unknown as { default: JsQR & { default?: JsQR } }).default;
const jsQR: JsQR = jsQRExports.default ?? jsQRExports;

/**
 * Pixels handed to the QR locator. Larger images are sampled down: a QR code meant to be scanned by a
 * phone is big in its picture, and jsQR's cost grows with the pixel count.
 */
const QR_SCAN_PIXELS = 1_000_000;

/** Smallest side that can hold a QR code (version 1 is 21 modules). Skips spacer GIFs and tracking pixels. */
const MIN_QR_SIDE = 21;

export type ImageKind = 'png' | 'jpeg';

export function imageKind(buf: Uint8Array): ImageKind | undefined {
  if (buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47) return 'png';
  if (buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  return undefined;
}

/** Width and height from the header alone, so hostile dimensions are refused before any decoding. */
export function imageSize(buf: Uint8Array, kind: ImageKind): { width: number; height: number } | undefined {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (kind === 'png') {
    if (buf.length < 24) return undefined;
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  // JPEG: walk the marker segments to the first start-of-frame.
  let pos = 2;
  while (pos + 9 < buf.length) {
    if (buf[pos] !== 0xff) return undefined;
    const marker = buf[pos + 1];
    if (marker === 0xff) {
      pos++;
      continue;
    }
    const length = view.getUint16(pos + 2);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { height: view.getUint16(pos + 5), width: view.getUint16(pos + 7) };
    if (length < 2) return undefined;
    pos += 2 + length;
  }
  return undefined;
}

export type QrOutcome =
  | { status: 'found'; texts: string[] }
  | { status: 'none' }
  | { status: 'refused'; reason: string };

/**
 * Decode a QR code from a PNG or JPEG. `pixelBudget` is what the message may still spend on decoding
 * (MAX_QR_PIXELS_PER_MESSAGE); `pixels` in the outcome is what this image spent.
 */
export function decodeQr(buf: Uint8Array, pixelBudget = MAX_IMAGE_PIXELS): QrOutcome & { pixels: number } {
  const kind = imageKind(buf);
  if (!kind) return { status: 'refused', reason: 'not a PNG or JPEG image', pixels: 0 };
  const size = imageSize(buf, kind);
  if (!size) return { status: 'refused', reason: 'the image header could not be read', pixels: 0 };
  if (size.width < MIN_QR_SIDE || size.height < MIN_QR_SIDE) return { status: 'none', pixels: 0 };
  const pixels = size.width * size.height;
  if (pixels > MAX_IMAGE_PIXELS) {
    const reason = `the image is too large to scan for QR codes (${size.width}×${size.height})`;
    return { status: 'refused', reason, pixels: 0 };
  }
  if (pixels > pixelBudget) {
    const reason = 'not scanned for QR codes: the message has too many large images';
    return { status: 'refused', reason, pixels: 0 };
  }
  // The same logo or banner comes back in message after message; its answer does not change.
  const key = createHash('sha256').update(buf).digest('base64');
  const known = decodedImages.get(key);
  if (known) {
    decodedImages.delete(key);
    decodedImages.set(key, known);
    return { ...known, ...(known.status === 'found' ? { texts: [...known.texts] } : {}), pixels };
  }
  const outcome = decodeWithinBudget(buf, kind);
  if (decodedImages.size >= MAX_REMEMBERED_IMAGES) {
    const oldest = decodedImages.keys().next().value;
    if (oldest !== undefined) decodedImages.delete(oldest);
  }
  decodedImages.set(key, outcome);
  return { ...outcome, ...(outcome.status === 'found' ? { texts: [...outcome.texts] } : {}), pixels };
}

/**
 * Images whose QR answer is remembered, by content hash (least recently used dropped first). Bounded so a
 * mailbox of unique images cannot grow the memory; each answer is a few bytes.
 */
const MAX_REMEMBERED_IMAGES = 2048;
const decodedImages = new Map<string, QrOutcome>();

/** Decodes an image already checked against the size limits and looks for a QR code in it. */
function decodeWithinBudget(buf: Uint8Array, kind: ImageKind): QrOutcome {
  let image: { width: number; height: number; data: Uint8Array };
  try {
    image =
      kind === 'png'
        ? PNG.sync.read(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength))
        : jpeg.decode(buf, {
            useTArray: true,
            formatAsRGBA: true,
            tolerantDecoding: true,
            maxResolutionInMP: MAX_IMAGE_PIXELS / 1_000_000,
            maxMemoryUsageInMB: 64,
          });
  } catch (e) {
    return { status: 'refused', reason: `the image could not be decoded (${(e as Error).message})` };
  }
  if (image.width * image.height * 4 > image.data.length)
    return { status: 'refused', reason: 'the image data is incomplete' };
  const scaled = downscale(image);
  if (!hasFinderPatterns(scaled)) return { status: 'none' };
  const rgba = new Uint8ClampedArray(
    scaled.data.buffer,
    scaled.data.byteOffset,
    scaled.width * scaled.height * 4,
  );
  const code = jsQR(rgba, scaled.width, scaled.height, { inversionAttempts: 'attemptBoth' });
  return code?.data ? { status: 'found', texts: [code.data] } : { status: 'none' };
}

/**
 * Whether the picture holds three QR finder patterns: squares whose rows and columns both cross
 * dark:light:dark:light:dark runs in the ratio 1:1:3:1:1. The same test QR readers start with, without
 * jsQR's costlier locating and perspective steps; photos and charts rarely pass it.
 */
export function hasFinderPatterns(img: { width: number; height: number; data: Uint8Array }): boolean {
  const { width, height, data } = img;
  // One global threshold, the mean luminance: QR codes sent by mail sit on a plain light background.
  let sum = 0;
  const dark = new Uint8Array(width * height);
  const lum = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < lum.length; i++, p += 4) {
    // Transparent pixels show the (white) page behind them.
    const l = data[p + 3] < 128 ? 255 : (data[p] * 77 + data[p + 1] * 150 + data[p + 2] * 29) >> 8;
    lum[i] = l;
    sum += l;
  }
  const threshold = sum / lum.length;
  for (let i = 0; i < lum.length; i++) dark[i] = lum[i] < threshold ? 1 : 0;

  const centres: { x: number; y: number; size: number; hits: number }[] = [];
  const runs = [0, 0, 0, 0, 0];
  for (let y = 0; y < height; y++) {
    runs.fill(0);
    let state = -1; // -1 before the first dark pixel; then index into runs, even = dark
    for (let x = 0; x <= width; x++) {
      const d = x < width ? dark[y * width + x] === 1 : state % 2 === 1; // a virtual pixel closes the last run
      if (state === -1) {
        if (d) {
          state = 0;
          runs[0] = 1;
        }
        continue;
      }
      if (d === (state % 2 === 0) && x < width) {
        runs[state]++;
        continue;
      }
      if (state < 4) {
        state++;
        runs[state] = 1;
        continue;
      }
      if (finderRatio(runs)) {
        const cx = Math.floor(x - runs[4] - runs[3] - runs[2] / 2);
        const total = runs[0] + runs[1] + runs[2] + runs[3] + runs[4];
        const cy = verticalCentre(dark, width, height, cx, y, total);
        if (cy !== undefined) addCentre(centres, cx, cy, total);
      }
      runs[0] = runs[2];
      runs[1] = runs[3];
      runs[2] = runs[4];
      runs[3] = 1;
      runs[4] = 0;
      state = 3;
    }
  }
  // A finder pattern is crossed by several rows; a lone hit is noise.
  const strong = centres
    .filter((c) => c.hits >= 3)
    .sort((a, b) => b.hits - a.hits)
    .slice(0, MAX_FINDER_CANDIDATES);
  return hasQrTriple(strong);
}

/** Candidates compared in threes: enough for a few codes in a picture, bounded for noisy ones (n³). */
const MAX_FINDER_CANDIDATES = 40;

/** Three finder patterns of one code: same size, at the corners of a right isosceles triangle. */
function hasQrTriple(c: { x: number; y: number; size: number }[]): boolean {
  const d = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);
  const near = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(a, b);
  for (let i = 0; i < c.length; i++) {
    for (let j = i + 1; j < c.length; j++) {
      if (!near(c[i].size, c[j].size, 0.35)) continue;
      for (let k = j + 1; k < c.length; k++) {
        if (!near(c[i].size, c[k].size, 0.35) || !near(c[j].size, c[k].size, 0.35)) continue;
        const sides = [d(c[i], c[j]), d(c[j], c[k]), d(c[i], c[k])].sort((a, b) => a - b);
        // Finder centres are at least 14 modules apart (version 1), i.e. two finder widths.
        if (sides[0] < 1.5 * c[i].size) continue;
        if (near(sides[0], sides[1], 0.2) && near(sides[2], sides[0] * Math.SQRT2, 0.2)) return true;
      }
    }
  }
  return false;
}

/** Centre row of a vertical 1:1:3:1:1 crossing through (x, y) of about the given size, if there is one. */
function verticalCentre(
  dark: Uint8Array,
  width: number,
  height: number,
  x: number,
  y: number,
  size: number,
): number | undefined {
  const at = (yy: number) => dark[yy * width + x] === 1;
  if (!at(y)) return undefined;
  const limit = size * 2;
  let up = y;
  while (up > 0 && at(up - 1) && y - up < limit) up--;
  let down = y;
  while (down < height - 1 && at(down + 1) && down - y < limit) down++;
  const centre = down - up + 1;
  // Outwards: light, then dark, on each side.
  const walk = (from: number, step: number, wantDark: boolean): number => {
    let n = 0;
    for (let yy = from; yy >= 0 && yy < height && at(yy) === wantDark && n < limit; yy += step) n++;
    return n;
  };
  const lightUp = walk(up - 1, -1, false);
  const darkUp = walk(up - 1 - lightUp, -1, true);
  const lightDown = walk(down + 1, 1, false);
  const darkDown = walk(down + 1 + lightDown, 1, true);
  const runs = [darkUp, lightUp, centre, lightDown, darkDown];
  const total = runs.reduce((a, b) => a + b, 0);
  if (!finderRatio(runs) || Math.abs(total - size) > size / 2) return undefined;
  return (up + down) / 2;
}

function addCentre(
  centres: { x: number; y: number; size: number; hits: number }[],
  x: number,
  y: number,
  size: number,
): void {
  for (const c of centres) {
    if (Math.abs(c.x - x) < c.size / 2 && Math.abs(c.y - y) < c.size / 2) {
      c.hits++;
      return;
    }
  }
  if (centres.length < 1000) centres.push({ x, y, size, hits: 1 });
}

function finderRatio(r: number[]): boolean {
  const total = r[0] + r[1] + r[2] + r[3] + r[4];
  if (total < 7) return false;
  const module = total / 7;
  const tolerance = module / 2;
  return (
    Math.abs(module - r[0]) < tolerance &&
    Math.abs(module - r[1]) < tolerance &&
    Math.abs(3 * module - r[2]) < 3 * tolerance &&
    Math.abs(module - r[3]) < tolerance &&
    Math.abs(module - r[4]) < tolerance
  );
}

function downscale(img: { width: number; height: number; data: Uint8Array }): {
  width: number;
  height: number;
  data: Uint8Array;
} {
  const pixels = img.width * img.height;
  if (pixels <= QR_SCAN_PIXELS) return img;
  const step = Math.ceil(Math.sqrt(pixels / QR_SCAN_PIXELS));
  const width = Math.floor(img.width / step);
  const height = Math.floor(img.height / step);
  const data = new Uint8Array(width * height * 4);
  const area = step * step;
  // Box average (not nearest pixel), so thin modules blur to grey instead of vanishing.
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let dy = 0; dy < step; dy++) {
        let p = ((y * step + dy) * img.width + x * step) * 4;
        for (let dx = 0; dx < step; dx++, p += 4) {
          r += img.data[p];
          g += img.data[p + 1];
          b += img.data[p + 2];
          a += img.data[p + 3];
        }
      }
      const to = (y * width + x) * 4;
      data[to] = r / area;
      data[to + 1] = g / area;
      data[to + 2] = b / area;
      data[to + 3] = a / area;
    }
  }
  return { width, height, data };
}
