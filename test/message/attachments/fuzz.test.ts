// Fuzzing the exploder: random bytes behind real magic numbers, and valid fixtures with bytes flipped
// or cut off, must always give a result (never an exception, never a hang). Cases that once failed
// are kept at the bottom as regular tests.

import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { explodeAttachments } from '../../../src/message/attachments/index.js';
import { makeDocx, makePdf, makeTar, makeVbaOle, makeZip, part, qrPng, tinyExe } from './helpers.js';

const MAGICS: Record<string, number[]> = {
  zip: [0x50, 0x4b, 0x03, 0x04],
  pdf: [...Buffer.from('%PDF-1.7\n')],
  ole: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52],
  jpeg: [0xff, 0xd8, 0xff, 0xe0],
  gif: [...Buffer.from('GIF89a')],
  webp: [...Buffer.from('RIFF'), 0x40, 0, 0, 0, ...Buffer.from('WEBPVP8X')],
  rar: [...Buffer.from('Rar!\u001a\u0007\u0000', 'latin1')],
  exe: [...tinyExe().subarray(0, 0x84)],
  html: [...Buffer.from('<html><script>')],
  gzip: [0x1f, 0x8b, 0x08],
  tar: [...Buffer.from('evil.exe'), ...new Array(249).fill(0), ...Buffer.from('ustar\u000000')],
};
const SEED_NAMES = ['a.zip', 'b.docx', 'c.doc', 'd.pdf', 'e.png', 'f.tgz'];
const NAMES = [
  'a.zip',
  'b.pdf',
  'c.doc',
  'd.png',
  'e.jpg',
  'e.gif',
  'e.webp',
  'f.html',
  'g.exe',
  'h.docx',
  'i.eml',
  'j',
  'k.txt',
  'l.url',
  'm.svg',
];

async function explodeQuickly(content: Uint8Array, filename: string) {
  const started = Date.now();
  const r = await explodeAttachments([part(filename, content)]);
  expect(Date.now() - started).toBeLessThan(5000);
  expect(Array.isArray(r.attachments) && Array.isArray(r.problems)).toBe(true);
  expect(r.attachments.length).toBeGreaterThanOrEqual(1);
  // 'could not be fully read' is the exploder's catch-all: an inspector threw instead of reporting.
  expect(r.problems.filter((p) => p.includes('could not be fully read'))).toEqual([]);
  return r;
}

describe('fuzzing explodeAttachments', () => {
  it('random bytes behind valid magic numbers never throw or hang', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(MAGICS)),
        fc.uint8Array({ maxLength: 2048 }),
        fc.constantFrom(...NAMES),
        async (kind, tail, name) => {
          await explodeQuickly(Uint8Array.from([...MAGICS[kind], ...tail]), name);
        },
      ),
      { numRuns: 300 },
    );
  });

  let seeds: Buffer[] = [];
  beforeAll(async () => {
    seeds = [
      await makeZip([
        { name: 'a.txt', data: 'hello https://x.example/' },
        { name: 'in.zip', data: await makeZip([{ name: 'b.exe', data: tinyExe() }]) },
      ]),
      await makeDocx([
        { name: 'word/vbaProject.bin', data: makeVbaOle({ M: 'Sub AutoOpen()\r\nEnd Sub' }, 'VBA/') },
      ]),
      makeVbaOle({ Module1: 'Sub Document_Open()\r\nShell "x"\r\nEnd Sub\r\n' }),
      makePdf(['<< /OpenAction << /S /URI /URI (https://p.example/) >> /JS (x) >>']),
      await qrPng('https://q.example/'),
      gzipSync(
        makeTar([
          { name: 'a/b.txt', data: 'x'.repeat(700) },
          { name: 'c.exe', data: tinyExe() },
        ]),
      ),
    ];
  });

  it('valid files with bytes flipped or cut short never throw or hang', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
        fc.option(fc.nat()),
        async (which, flips, cut) => {
          const buf = Buffer.from(seeds[which]);
          for (const [at, value] of flips) buf[at % buf.length] = value;
          const content = cut === null ? buf : buf.subarray(0, cut % (buf.length + 1));
          await explodeQuickly(content, SEED_NAMES[which]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('edge cases kept from fuzzing', () => {
  it('a PNG signature with a cut-off header is refused with a reason', async () => {
    const r = await explodeQuickly(Uint8Array.from(MAGICS.png), 'd.png');
    expect(r.attachments[0].detectedType?.ext).toBe('png');
    expect(r.problems).toEqual(['d.png: the image header could not be read']);
  });
  it('an empty zip (end-of-directory record only) lists nothing', async () => {
    const eocd = Buffer.concat([Buffer.from('PK\u0005\u0006', 'latin1'), Buffer.alloc(18)]);
    const r = await explodeQuickly(eocd, 'e.zip');
    expect(r.attachments[0].archive).toEqual({ entries: [], encrypted: false, truncated: false });
  });
  it('an empty file is hashed and nothing else', async () => {
    const r = await explodeQuickly(new Uint8Array(0), 'empty.pdf');
    expect(r.attachments[0]).toMatchObject({
      size: 0,
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    });
    expect(r.problems).toEqual([]);
  });
});
