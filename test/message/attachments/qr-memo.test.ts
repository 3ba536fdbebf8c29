import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeQr } from '../../../src/message/attachments/qr.js';
import { qrPng } from './helpers.js';

describe('decodeQr on an image seen before', () => {
  it('gives the same answer, charges the same pixels, and hands out its own copy of the texts', async () => {
    const png = await qrPng('https://qr.example/memo?u=7');
    const first = await decodeQr(png);
    expect(first).toMatchObject({ status: 'found', texts: ['https://qr.example/memo?u=7'] });
    if (first.status === 'found') first.texts.push('changed by the caller');
    const again = await decodeQr(new Uint8Array(png));
    expect(again).toEqual({ status: 'found', texts: ['https://qr.example/memo?u=7'], pixels: first.pixels });
    expect(first.pixels).toBeGreaterThan(0);
  });

  it('knows it by the hash the caller already has, as by its own', async () => {
    const png = await qrPng('https://qr.example/hash');
    const sha256 = createHash('sha256').update(png).digest('hex');
    await decodeQr(png);
    // Remembered under the same key: a wrong hash would decode the blank image and find nothing.
    const blank = new Uint8Array(png.length);
    blank.set(png.subarray(0, 33));
    expect(await decodeQr(blank, undefined, sha256)).toMatchObject({
      status: 'found',
      texts: ['https://qr.example/hash'],
    });
  });

  it('still refuses it when the message has no pixel budget left', async () => {
    const png = await qrPng('https://qr.example/budget');
    expect((await decodeQr(png)).status).toBe('found');
    expect(await decodeQr(png, 10)).toMatchObject({ status: 'refused', pixels: 0 });
  });
});
