// QR codes in images ("quishing"): a scam puts its link in a picture so mail filters that read only
// text never see it. PNG, JPEG, GIF and WebP are decoded by libvips (sharp, within a pixel cap) to a
// small greyscale picture, tested cheaply for finder patterns, and only then scanned with jsQR.

import { createHash } from 'node:crypto';
import type { Options, QRCode } from 'jsqr';
import * as jsQRModule from 'jsqr';
import sharp from 'sharp';
import { MAX_IMAGE_PIXELS } from './limits.js';
import { bytesAt } from './sniff.js';

// jsqr is CommonJS with `exports.default`; depending on the loader the function sits one or two `.default`s deep.
type JsQR = (data: Uint8ClampedArray, width: number, height: number, opts?: Options) => QRCode | null;
const jsQRExports = (jsQRModule as unknown as { default: JsQR & { default?: JsQR } }).default;
const jsQR: JsQR = jsQRExports.default ?? jsQRExports;

// No decoded images kept between messages; one core per worker thread (the pool runs several workers).
sharp.cache(false);
sharp.concurrency(1);

/**
 * Pixels handed to the QR locator. Larger images are sampled down: a QR code meant to be scanned by a
 * phone is big in its picture, and jsQR's cost grows with the pixel count.
 */
const QR_SCAN_PIXELS = 1_000_000;

/** Smallest side that can hold a QR code (version 1 is 21 modules). Skips spacer GIFs and tracking pixels. */
const MIN_QR_SIDE = 21;

export type ImageKind = 'png' | 'jpeg' | 'gif' | 'webp';

export function imageKind(buf: Uint8Array): ImageKind | undefined {
  if (buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47) return 'png';
  if (buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (bytesAt(buf, 0, 'GIF8')) return 'gif';
  if (bytesAt(buf, 0, 'RIFF') && bytesAt(buf, 8, 'WEBP')) return 'webp';
  return undefined;
}

/** Width and height from the header alone, so hostile dimensions are refused before any decoding. */
export function imageSize(buf: Uint8Array, kind: ImageKind): { width: number; height: number } | undefined {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (kind === 'png') {
    if (buf.length < 24) return undefined;
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (kind === 'gif') {
    // Logical screen size; frames may not exceed it.
    if (buf.length < 10) return undefined;
    return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  }
  if (kind === 'webp') return webpSize(buf, view);
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

/** The first chunk of a WebP file: VP8X (extended) canvas, VP8L (lossless) or VP8 (lossy) frame header. */
function webpSize(buf: Uint8Array, view: DataView): { width: number; height: number } | undefined {
  if (buf.length < 30) return undefined;
  const uint24 = (at: number) => buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16);
  if (bytesAt(buf, 12, 'VP8X')) return { width: uint24(24) + 1, height: uint24(27) + 1 };
  if (bytesAt(buf, 12, 'VP8L')) {
    if (buf[20] !== 0x2f) return undefined;
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (bytesAt(buf, 12, 'VP8 ')) {
    if (buf[23] !== 0x9d || buf[24] !== 0x01 || buf[25] !== 0x2a) return undefined;
    return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  return undefined;
}

export type QrOutcome =
  | { status: 'found'; texts: string[] }
  | { status: 'none' }
  | { status: 'refused'; reason: string };

/**
 * Decode a QR code from a PNG, JPEG, GIF (first frame) or WebP. `pixelBudget` is what the message may
 * still spend on decoding (MAX_QR_PIXELS_PER_MESSAGE); `pixels` in the outcome is what this image spent.
 * `sha256` (hex), when the caller has hashed the file already, saves hashing it again for the memo.
 */
export async function decodeQr(
  buf: Uint8Array,
  pixelBudget = MAX_IMAGE_PIXELS,
  sha256?: string,
): Promise<QrOutcome & { pixels: number }> {
  const kind = imageKind(buf);
  if (!kind) return { status: 'refused', reason: 'not a PNG, JPEG, GIF or WebP image', pixels: 0 };
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
  const key = sha256 ?? createHash('sha256').update(buf).digest('hex');
  const known = decodedImages.get(key);
  if (known) {
    decodedImages.delete(key);
    decodedImages.set(key, known);
    return { ...known, ...(known.status === 'found' ? { texts: [...known.texts] } : {}), pixels };
  }
  const outcome = await decodeWithinBudget(buf, size);
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
async function decodeWithinBudget(
  buf: Uint8Array,
  size: { width: number; height: number },
): Promise<QrOutcome> {
  let image: { width: number; height: number; data: Uint8Array };
  try {
    image = await luminance(buf, size);
  } catch (e) {
    // libvips reports one line per complaint; the first says what went wrong.
    const cause = (e as Error).message.split('\n')[0];
    return { status: 'refused', reason: `the image could not be decoded (${cause})` };
  }
  if (!hasFinderPatterns(image)) return { status: 'none' };
  const code = jsQR(rgbaOf(image), image.width, image.height, { inversionAttempts: 'attemptBoth' });
  return code?.data ? { status: 'found', texts: [code.data] } : { status: 'none' };
}

/**
 * One luminance byte per pixel, at most QR_SCAN_PIXELS of them. JPEG shrinks while decoding, so a large
 * photo never exists at full size. Luminance and transparency are done here on the small picture: sharp
 * would convert colours at full size, before resizing, and that costs more than the decoding.
 */
async function luminance(
  buf: Uint8Array,
  size: { width: number; height: number },
): Promise<{ width: number; height: number; data: Uint8Array }> {
  // Colour profiles are ignored, as before: they barely move luminance and converting costs time.
  let pipeline = sharp(buf, {
    limitInputPixels: MAX_IMAGE_PIXELS,
    failOn: 'none',
    sequentialRead: true,
    ignoreIcc: true,
  });
  const pixels = size.width * size.height;
  if (pixels > QR_SCAN_PIXELS) {
    // A whole number of pixels per sample, so every module at least that wide keeps a sharp pixel; an
    // averaging kernel blurs module edges to grey, which the finder test reads less well (and costs more).
    const step = Math.ceil(Math.sqrt(pixels / QR_SCAN_PIXELS));
    const width = Math.max(1, Math.floor(size.width / step));
    const height = Math.max(1, Math.floor(size.height / step));
    pipeline = pipeline.resize(width, height, { fit: 'fill', kernel: 'nearest' });
  }
  const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  const n = width * height;
  if (data.length < n * channels) throw new Error('the decoded image is incomplete');
  if (channels === 1) return { width, height, data };
  const lum = new Uint8Array(n);
  // Transparent pixels show the (white) page behind them. One loop per layout keeps each one tight.
  if (channels === 4)
    for (let i = 0, p = 0; i < n; i++, p += 4)
      lum[i] = data[p + 3] < 128 ? 255 : (data[p] * 77 + data[p + 1] * 150 + data[p + 2] * 29) >> 8;
  else if (channels === 3)
    for (let i = 0, p = 0; i < n; i++, p += 3)
      lum[i] = (data[p] * 77 + data[p + 1] * 150 + data[p + 2] * 29) >> 8;
  else if (channels === 2)
    for (let i = 0, p = 0; i < n; i++, p += 2) lum[i] = data[p + 1] < 128 ? 255 : data[p];
  else throw new Error(`unexpected pixel layout (${channels} channels)`);
  return { width, height, data: lum };
}

/** jsQR wants RGBA; built only for the rare picture that passed the finder-pattern test. */
function rgbaOf(img: { width: number; height: number; data: Uint8Array }): Uint8ClampedArray {
  const n = img.width * img.height;
  const rgba = new Uint8ClampedArray(n * 4);
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    const l = img.data[i];
    rgba[p] = l;
    rgba[p + 1] = l;
    rgba[p + 2] = l;
    rgba[p + 3] = 255;
  }
  return rgba;
}

/**
 * Whether the picture holds three QR finder patterns: squares whose rows and columns both cross
 * dark:light:dark:light:dark runs in the ratio 1:1:3:1:1. The same test QR readers start with, without
 * jsQR's costlier locating and perspective steps; photos and charts rarely pass it. `data` holds one
 * luminance byte per pixel.
 */
export function hasFinderPatterns(img: { width: number; height: number; data: Uint8Array }): boolean {
  const { width, height, data } = img;
  const n = width * height;
  const threshold = otsuThreshold(data, n);

  const centres: { x: number; y: number; size: number; hits: number }[] = [];
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let x = 0;
    while (x < width && !(data[row + x] < threshold)) x++;
    // The last five runs of the row (r4 the newest), from its first dark pixel on; even runs are dark.
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    let r3 = 0;
    let r4 = 0;
    let count = 0;
    while (x < width) {
      const start = x;
      const dark = data[row + x] < threshold;
      if (dark) while (x < width && data[row + x] < threshold) x++;
      else while (x < width && !(data[row + x] < threshold)) x++;
      r0 = r1;
      r1 = r2;
      r2 = r3;
      r3 = r4;
      r4 = x - start;
      count++;
      // Each dark run that closes dark:light:dark:light:dark is a candidate.
      if (!dark || count < 5 || !finderRatio(r0, r1, r2, r3, r4)) continue;
      const cx = Math.floor(x - r4 - r3 - r2 / 2);
      const total = r0 + r1 + r2 + r3 + r4;
      const cy = verticalCentre(data, threshold, width, height, cx, y, total);
      if (cy !== undefined) addCentre(centres, cx, cy, total);
    }
  }
  // A finder pattern is crossed by several rows; a lone hit is noise.
  const strong = centres
    .filter((c) => c.hits >= 3)
    .sort((a, b) => b.hits - a.hits)
    .slice(0, MAX_FINDER_CANDIDATES);
  return hasQrTriple(strong);
}

/**
 * One global threshold, Otsu's: the split of the histogram that best separates dark from light. QR
 * codes sent by mail sit on a plain background; the mean, when that background is light grey and the
 * code small, falls just under the background and turns the code's grey (anti-aliased) edges dark.
 */
function otsuThreshold(data: Uint8Array, n: number): number {
  const histogram = new Uint32Array(256);
  for (let i = 0; i < n; i++) histogram[data[i]]++;
  let sumAll = 0;
  for (let v = 0; v < 256; v++) sumAll += v * histogram[v];
  let below = 0;
  let sumBelow = 0;
  let best = -1;
  let threshold = sumAll / n;
  for (let v = 0; v < 255; v++) {
    below += histogram[v];
    sumBelow += v * histogram[v];
    const above = n - below;
    if (below === 0 || above === 0) continue;
    const gap = sumBelow / below - (sumAll - sumBelow) / above;
    const between = below * above * gap * gap;
    if (between > best) {
      best = between;
      threshold = v + 1; // values up to v are dark
    }
  }
  return threshold;
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
  lum: Uint8Array,
  threshold: number,
  width: number,
  height: number,
  x: number,
  y: number,
  size: number,
): number | undefined {
  const at = (yy: number) => lum[yy * width + x] < threshold;
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
  const total = darkUp + lightUp + centre + lightDown + darkDown;
  if (!finderRatio(darkUp, lightUp, centre, lightDown, darkDown) || Math.abs(total - size) > size / 2)
    return undefined;
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

function finderRatio(r0: number, r1: number, r2: number, r3: number, r4: number): boolean {
  const total = r0 + r1 + r2 + r3 + r4;
  if (total < 7) return false;
  const module = total / 7;
  const tolerance = module / 2;
  return (
    Math.abs(module - r0) < tolerance &&
    Math.abs(module - r1) < tolerance &&
    Math.abs(3 * module - r2) < 3 * tolerance &&
    Math.abs(module - r3) < tolerance &&
    Math.abs(module - r4) < tolerance
  );
}
