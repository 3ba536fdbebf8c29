import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeQr, hasFinderPatterns, imageSize } from '../../../src/message/attachments/qr.js';
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

describe('decodeQr', () => {
  it('reads a QR code from a PNG', async () => {
    expect(decodeQr(await qrPng('https://qr.example/login?u=1'))).toMatchObject({
      status: 'found',
      texts: ['https://qr.example/login?u=1'],
    });
  });
  it('reads a QR code from a JPEG', () => {
    const px = qrPixels('https://jpeg.example/pay', 6);
    const jpg = jpeg.encode({ ...px }, 90).data;
    expect(decodeQr(jpg)).toMatchObject({ status: 'found', texts: ['https://jpeg.example/pay'] });
  });
  it('reads a QR code in a large picture by sampling it down', () => {
    const px = qrPixels('https://big.example/', 40); // ~1500×1500 px, above the scan size
    const png = PNG.sync.write(
      Object.assign(new PNG({ width: px.width, height: px.height }), { data: px.data }),
    );
    expect(px.width * px.height).toBeGreaterThan(1_000_000);
    expect(decodeQr(png)).toMatchObject({ status: 'found', texts: ['https://big.example/'] });
  });
  it('finds a QR code pasted into a busy picture', () => {
    const img = pasteIntoNoise(qrPixels('https://pasted.example/', 5), 900, 700, 420, 260);
    const png = PNG.sync.write(
      Object.assign(new PNG({ width: img.width, height: img.height }), { data: img.data }),
    );
    expect(decodeQr(png)).toMatchObject({ status: 'found', texts: ['https://pasted.example/'] });
  });
  it('spends no more than the pixel budget it is given', async () => {
    const png = await qrPng('https://q.example/', 4);
    const full = decodeQr(png);
    expect(full.pixels).toBeGreaterThan(10_000);
    expect(decodeQr(png, full.pixels - 1)).toMatchObject({
      status: 'refused',
      pixels: 0,
      reason: expect.stringMatching(/too many large images/),
    });
  });
  it('finds nothing in a blank image', () => {
    const png = new PNG({ width: 100, height: 100 });
    png.data.fill(255);
    expect(decodeQr(PNG.sync.write(png))).toMatchObject({ status: 'none' });
  });
  it('refuses an image whose header claims too many pixels, before decoding it', async () => {
    const png = Buffer.from(await qrPng('x'));
    png.writeUInt32BE(60000, 16); // IHDR width
    png.writeUInt32BE(60000, 20); // IHDR height
    expect(imageSize(png, 'png')).toEqual({ width: 60000, height: 60000 });
    const started = Date.now();
    const r = decodeQr(png);
    expect(r.status).toBe('refused');
    expect(r.status === 'refused' && r.reason).toMatch(/too large/);
    expect(Date.now() - started).toBeLessThan(500);
  });
  it('refuses a JPEG claiming huge dimensions', () => {
    const jpg = Buffer.from(jpeg.encode({ ...qrPixels('x', 2) }, 80).data);
    // Patch the SOF0 frame size.
    const sof = jpg.indexOf(Buffer.from([0xff, 0xc0]));
    jpg.writeUInt16BE(50000, sof + 5);
    jpg.writeUInt16BE(50000, sof + 7);
    expect(decodeQr(jpg).status).toBe('refused');
  });
  it('turns corrupt image data into a refusal, not an exception', async () => {
    const png = Buffer.from(await qrPng('https://x.example/'));
    const broken = Buffer.concat([png.subarray(0, 40), Buffer.alloc(200, 7)]);
    expect(decodeQr(broken).status).toBe('refused');
    expect(decodeQr(Buffer.from('GIF89a')).status).toBe('refused');
  });
});

describe('hasFinderPatterns', () => {
  it('sees the three finder patterns of a QR code, also at 2 pixels per module', () => {
    expect(hasFinderPatterns(qrPixels('https://a.example/', 4))).toBe(true);
    expect(hasFinderPatterns(qrPixels('https://a.example/', 2))).toBe(true);
  });
  it('rejects noise, stripes and a checkerboard', () => {
    const noise = pasteIntoNoise({ width: 0, height: 0, data: Buffer.alloc(0) }, 400, 300, 0, 0);
    expect(hasFinderPatterns(noise)).toBe(false);
    const stripes = { width: 300, height: 300, data: Buffer.alloc(300 * 300 * 4, 255) };
    for (let y = 0; y < 300; y++)
      for (let x = 0; x < 300; x++)
        if (Math.floor(x / 6) % 2 === 0) stripes.data.fill(0, (y * 300 + x) * 4, (y * 300 + x) * 4 + 3);
    expect(hasFinderPatterns(stripes)).toBe(false);
    const checker = { width: 300, height: 300, data: Buffer.alloc(300 * 300 * 4, 255) };
    for (let y = 0; y < 300; y++)
      for (let x = 0; x < 300; x++)
        if ((Math.floor(x / 5) + Math.floor(y / 5)) % 2 === 0)
          checker.data.fill(0, (y * 300 + x) * 4, (y * 300 + x) * 4 + 3);
    expect(hasFinderPatterns(checker)).toBe(false);
  });
});
