import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeQr, hasFinderPatterns, imageKind, imageSize } from '../../../src/message/attachments/qr.js';
import { qrPixels, qrPng } from './helpers.js';

/** A noisy 'photo' with the QR picture pasted in at (ox, oy). */
function pasteIntoNoise(
  qr: { width: number; height: number; data: Buffer },
  width: number,
  height: number,
  ox: number,
  oy: number,
) {
  const data = Buffer.alloc(width * height * 4);
  let seed = 7;
  for (let i = 0; i < data.length; i += 4) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const v = 60 + (seed % 140);
    data[i] = v;
    data[i + 1] = (v * 3) % 256;
    data[i + 2] = 255 - v;
    data[i + 3] = 255;
  }
  for (let y = 0; y < qr.height; y++)
    qr.data.copy(data, ((oy + y) * width + ox) * 4, y * qr.width * 4, (y + 1) * qr.width * 4);
  return { width, height, data };
}

/** One luminance byte per pixel, as hasFinderPatterns takes it (transparent pixels count as white). */
function luminanceOf(img: { width: number; height: number; data: Buffer }) {
  const data = new Uint8Array(img.width * img.height);
  for (let i = 0, p = 0; i < data.length; i++, p += 4)
    data[i] =
      img.data[p + 3] < 128 ? 255 : (img.data[p] * 77 + img.data[p + 1] * 150 + img.data[p + 2] * 29) >> 8;
  return { width: img.width, height: img.height, data };
}

function rawInput(px: { width: number; height: number }) {
  return { raw: { width: px.width, height: px.height, channels: 4 as const } };
}

describe('decodeQr', () => {
  it('reads a QR code from a PNG', async () => {
    expect(await decodeQr(await qrPng('https://qr.example/login?u=1'))).toMatchObject({
      status: 'found',
      texts: ['https://qr.example/login?u=1'],
    });
  });
  it('reads a QR code from a JPEG', async () => {
    const px = qrPixels('https://jpeg.example/pay', 6);
    const jpg = jpeg.encode({ ...px }, 90).data;
    expect(await decodeQr(jpg)).toMatchObject({ status: 'found', texts: ['https://jpeg.example/pay'] });
  });
  it('reads a QR code from a GIF', async () => {
    const px = qrPixels('https://gif.example/scan', 4);
    const gif = await sharp(px.data, rawInput(px)).gif().toBuffer();
    expect(imageKind(gif)).toBe('gif');
    expect(imageSize(gif, 'gif')).toEqual({ width: px.width, height: px.height });
    expect(await decodeQr(gif)).toMatchObject({ status: 'found', texts: ['https://gif.example/scan'] });
  });
  it('reads a QR code from a GIF whose background is transparent', async () => {
    const px = qrPixels('https://gif.example/clear', 4);
    // Light pixels fully transparent: on the white page they are the QR code's light modules.
    for (let p = 0; p < px.data.length; p += 4) if (px.data[p] === 0xff) px.data[p + 3] = 0;
    const gif = await sharp(px.data, rawInput(px)).gif().toBuffer();
    expect(await decodeQr(gif)).toMatchObject({ status: 'found', texts: ['https://gif.example/clear'] });
  });
  it('reads a QR code from lossy and lossless WebP', async () => {
    const px = qrPixels('https://webp.example/go', 5);
    const lossy = await sharp(px.data, rawInput(px)).webp({ quality: 80 }).toBuffer();
    const lossless = await sharp(px.data, rawInput(px)).webp({ lossless: true }).toBuffer();
    // Extended (VP8X) header, as files with transparency or metadata have it.
    const extended = await sharp(px.data, rawInput(px)).webp({ quality: 80 }).withMetadata().toBuffer();
    for (const webp of [lossy, lossless, extended]) {
      expect(imageKind(webp)).toBe('webp');
      expect(imageSize(webp, 'webp')).toEqual({ width: px.width, height: px.height });
      expect(await decodeQr(webp)).toMatchObject({ status: 'found', texts: ['https://webp.example/go'] });
    }
    expect(new Set([lossy, lossless, extended].map((b) => b.toString('latin1', 12, 16)))).toEqual(
      new Set(['VP8 ', 'VP8L', 'VP8X']),
    );
  });
  it('reads a QR code in a large picture by sampling it down', async () => {
    const px = qrPixels('https://big.example/', 40); // ~1500×1500 px, above the scan size
    const png = PNG.sync.write(
      Object.assign(new PNG({ width: px.width, height: px.height }), { data: px.data }),
    );
    expect(px.width * px.height).toBeGreaterThan(1_000_000);
    expect(await decodeQr(png)).toMatchObject({ status: 'found', texts: ['https://big.example/'] });
  });
  it('reads a QR code in a large JPEG photo, shrunk while decoding', async () => {
    const img = pasteIntoNoise(qrPixels('https://photo.example/', 12), 1900, 1500, 700, 400);
    const jpg = await sharp(img.data, rawInput(img)).jpeg({ quality: 85 }).toBuffer();
    expect(await decodeQr(jpg)).toMatchObject({ status: 'found', texts: ['https://photo.example/'] });
  });
  it('finds a QR code pasted into a busy picture', async () => {
    const img = pasteIntoNoise(qrPixels('https://pasted.example/', 5), 900, 700, 420, 260);
    const png = PNG.sync.write(
      Object.assign(new PNG({ width: img.width, height: img.height }), { data: img.data }),
    );
    expect(await decodeQr(png)).toMatchObject({ status: 'found', texts: ['https://pasted.example/'] });
  });
  it('spends no more than the pixel budget it is given', async () => {
    const png = await qrPng('https://q.example/', 4);
    const full = await decodeQr(png);
    expect(full.pixels).toBeGreaterThan(10_000);
    expect(await decodeQr(png, full.pixels - 1)).toMatchObject({
      status: 'refused',
      pixels: 0,
      reason: expect.stringMatching(/too many large images/),
    });
  });
  it('finds nothing in a blank image', async () => {
    const png = new PNG({ width: 100, height: 100 });
    png.data.fill(255);
    expect(await decodeQr(PNG.sync.write(png))).toMatchObject({ status: 'none' });
  });
  it('refuses an image whose header claims too many pixels, before decoding it', async () => {
    const png = Buffer.from(await qrPng('x'));
    png.writeUInt32BE(60000, 16); // IHDR width
    png.writeUInt32BE(60000, 20); // IHDR height
    expect(imageSize(png, 'png')).toEqual({ width: 60000, height: 60000 });
    const started = Date.now();
    const r = await decodeQr(png);
    expect(r.status).toBe('refused');
    expect(r.status === 'refused' && r.reason).toMatch(/too large/);
    expect(Date.now() - started).toBeLessThan(500);
  });
  it('refuses a JPEG claiming huge dimensions', async () => {
    const jpg = Buffer.from(jpeg.encode({ ...qrPixels('x', 2) }, 80).data);
    // Patch the SOF0 frame size.
    const sof = jpg.indexOf(Buffer.from([0xff, 0xc0]));
    jpg.writeUInt16BE(50000, sof + 5);
    jpg.writeUInt16BE(50000, sof + 7);
    expect((await decodeQr(jpg)).status).toBe('refused');
  });
  it('refuses GIF and WebP headers claiming huge dimensions', async () => {
    const px = qrPixels('x', 2);
    const gif = Buffer.from(await sharp(px.data, rawInput(px)).gif().toBuffer());
    gif.writeUInt16LE(40000, 6);
    gif.writeUInt16LE(40000, 8);
    expect(await decodeQr(gif)).toMatchObject({
      status: 'refused',
      reason: expect.stringMatching(/too large/),
    });
    const webp = Buffer.from(await sharp(px.data, rawInput(px)).webp({ lossless: true }).toBuffer());
    webp.writeUInt32LE(0x3fff | (0x3fff << 14), 21); // VP8L: 16384×16384
    expect(await decodeQr(webp)).toMatchObject({
      status: 'refused',
      reason: expect.stringMatching(/too large/),
    });
  });
  it('turns corrupt image data into a refusal, not an exception', async () => {
    const png = Buffer.from(await qrPng('https://x.example/'));
    const broken = Buffer.concat([png.subarray(0, 40), Buffer.alloc(200, 7)]);
    expect((await decodeQr(broken)).status).toBe('refused');
    expect((await decodeQr(Buffer.from('GIF89a'))).status).toBe('refused');
    expect((await decodeQr(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).status).toBe('refused');
  });
  it('gives a refusal or nothing for truncated images, without throwing', async () => {
    const px = qrPixels('https://cut.example/', 4);
    const images = [
      await qrPng('https://cut.example/'),
      Buffer.from(jpeg.encode({ ...px }, 90).data),
      await sharp(px.data, rawInput(px)).gif().toBuffer(),
      await sharp(px.data, rawInput(px)).webp().toBuffer(),
    ];
    for (const image of images) {
      // Cut through the code: what is left of it cannot be read.
      for (const keep of [0.05, 0.3, 0.6]) {
        const cut = image.subarray(0, Math.floor(image.length * keep));
        expect(['refused', 'none']).toContain((await decodeQr(cut)).status);
      }
      // Cut off only the end: the picture may still be read, as far as it goes.
      const tail = await decodeQr(image.subarray(0, Math.floor(image.length * 0.97)));
      expect(['refused', 'none', 'found']).toContain(tail.status);
    }
  });
});

describe('hasFinderPatterns', () => {
  it('sees the three finder patterns of a QR code, also at 2 pixels per module', () => {
    expect(hasFinderPatterns(luminanceOf(qrPixels('https://a.example/', 4)))).toBe(true);
    expect(hasFinderPatterns(luminanceOf(qrPixels('https://a.example/', 2)))).toBe(true);
  });
  it('sees a small, anti-aliased QR code in a large screenshot with a light grey page', async () => {
    // At the mean luminance such a page is barely light, and the code's grey edges all turn dark.
    const fine = qrPixels('https://grey.example/page?id=1', 12);
    const side = Math.round((fine.width / 12) * 4);
    const small = await sharp(fine.data, rawInput(fine)).resize(side, side).raw().toBuffer();
    const page = { width: 1200, height: 1000, data: Buffer.alloc(1200 * 1000 * 4, 0xf4) };
    for (let y = 0; y < side; y++)
      small.copy(page.data, ((200 + y) * 1200 + 600) * 4, y * side * 4, (y + 1) * side * 4);
    for (let p = 3; p < page.data.length; p += 4) page.data[p] = 255;
    const png = await sharp(page.data, rawInput(page)).png().toBuffer();
    expect(await decodeQr(png)).toMatchObject({ status: 'found', texts: ['https://grey.example/page?id=1'] });
  });
  it('rejects noise, stripes and a checkerboard', () => {
    const noise = pasteIntoNoise({ width: 0, height: 0, data: Buffer.alloc(0) }, 400, 300, 0, 0);
    expect(hasFinderPatterns(luminanceOf(noise))).toBe(false);
    const stripes = { width: 300, height: 300, data: Buffer.alloc(300 * 300, 255) };
    for (let y = 0; y < 300; y++)
      for (let x = 0; x < 300; x++) if (Math.floor(x / 6) % 2 === 0) stripes.data[y * 300 + x] = 0;
    expect(hasFinderPatterns(stripes)).toBe(false);
    const checker = { width: 300, height: 300, data: Buffer.alloc(300 * 300, 255) };
    for (let y = 0; y < 300; y++)
      for (let x = 0; x < 300; x++)
        if ((Math.floor(x / 5) + Math.floor(y / 5)) % 2 === 0) checker.data[y * 300 + x] = 0;
    expect(hasFinderPatterns(checker)).toBe(false);
  });
});
