// Hostile input never throws out of the input layer and never hangs. Runs are kept small for the
// suite; set SUSPECT_FUZZ_RUNS=5000 for a long run. Seeds that once failed are pinned below.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type InputItem, readInputs } from '../../../src/message/input/index.js';
import { MboxSplitter } from '../../../src/message/input/mbox.js';
import { convertMsg, NotOutlookMessageError } from '../../../src/message/input/msg.js';
import { rtfToBody } from '../../../src/message/input/rtf-html.js';
import { bin, buildMsg, encapsulatedHtmlRtf, melaRtf, u } from './msg-builder.js';

const RUNS = Number(process.env.SUSPECT_FUZZ_RUNS) || 150;
/** Long runs take ~4 ms per .msg case; give them the time they need. */
const TIMEOUT_MS = Math.max(30_000, RUNS * 20);

async function readAllFromStdin(bytes: Uint8Array): Promise<InputItem[]> {
  const items: InputItem[] = [];
  for await (const item of readInputs(['-'], {
    stdin: Readable.from([Buffer.from(bytes)]),
    maxMessageBytes: 1 << 20,
  })) {
    items.push(item);
  }
  return items;
}

function expectWellFormed(items: InputItem[]): void {
  for (const item of items) {
    expect('raw' in item || 'error' in item).toBe(true);
    if ('error' in item) expect(item.error.length).toBeGreaterThan(0);
  }
}

/** convertMsg may refuse input, but only with an Error carrying a message. */
function tryConvert(bytes: Uint8Array): void {
  try {
    const { raw } = convertMsg(bytes);
    expect(raw).toBeInstanceOf(Uint8Array);
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    expect(
      err instanceof NotOutlookMessageError || /^damaged Outlook \.msg file/.test((err as Error).message),
    ).toBe(true);
  }
}

const require = createRequire(import.meta.url);
const realSample = (() => {
  try {
    const file = path.join(path.dirname(require.resolve('msgreader/package.json')), 'data/test.msg');
    return existsSync(file) ? new Uint8Array(readFileSync(file)) : undefined;
  } catch {
    return undefined;
  }
})();

const builtSample = buildMsg({
  props: {
    55: u('fuzz'),
    4096: u('body '.repeat(1000)),
    4105: bin(melaRtf(encapsulatedHtmlRtf('<a href="https://x.example">x</a>'))),
  },
  attachments: [
    { props: { 14087: u('a.txt') }, data: Buffer.from('hello') },
    { props: {}, embedded: { props: { 55: u('inner'), 4096: u('inner body') } } },
  ],
});

/** Byte flips at random offsets; biased towards the header and directory where structure lives. */
const mutations = (size: number) =>
  fc.array(
    fc.record({
      at: fc.oneof(fc.nat({ max: Math.min(size - 1, 2047) }), fc.nat({ max: size - 1 })),
      value: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x00, 0xff, 0xfe, 0x7f, 0x80)),
    }),
    { minLength: 1, maxLength: 12 },
  );

function mutate(base: Uint8Array, edits: { at: number; value: number }[]): Uint8Array {
  const copy = Uint8Array.from(base);
  for (const { at, value } of edits) copy[at] = value;
  return copy;
}

describe('fuzz: input layer', () => {
  it(
    'random bytes on stdin give raw or error items, never a throw',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
          expectWellFormed(await readAllFromStdin(bytes));
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'random bytes behind an OLE signature never throw a non-Error or hang',
    () => {
      const magic = Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1);
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 0, maxLength: 3000 }), (tail) => {
          tryConvert(Uint8Array.from([...magic, ...tail]));
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'mutated built .msg files convert or fail cleanly',
    () => {
      fc.assert(
        fc.property(mutations(builtSample.length), (edits) => tryConvert(mutate(builtSample, edits))),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it.skipIf(!realSample)(
    'mutated real Outlook .msg (LZFu RTF body) converts or fails cleanly',
    () => {
      fc.assert(
        fc.property(mutations(realSample!.length), (edits) => tryConvert(mutate(realSample!, edits))),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'random compressed-RTF bodies never throw',
    () => {
      const header = (compSize: number, rawSize: number, type: number) => {
        const h = Buffer.alloc(16);
        h.writeUInt32LE(compSize >>> 0, 0);
        h.writeUInt32LE(rawSize >>> 0, 4);
        h.writeUInt32LE(type >>> 0, 8);
        return h;
      };
      fc.assert(
        fc.property(
          fc.nat(),
          fc.nat(),
          fc.constantFrom(0x75465a4c, 0x414c454d, 0),
          fc.uint8Array({ maxLength: 2000 }),
          (compSize, rawSize, type, body) => {
            const result = rtfToBody(Buffer.concat([header(compSize, rawSize, type), body]));
            expect(['html', 'text', 'none']).toContain(result.kind);
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'mbox splitting is the same whatever the chunking, for mbox-like noise',
    () => {
      const line = fc.oneof(
        fc.constantFrom(
          'From a@b Mon Jan  1 10:00:00 2024',
          'From ',
          'From x',
          '>From y',
          '>>>From z',
          '>',
          '',
          '\r',
          'Subject: s',
          'From the desk Jan 10:00',
        ),
        fc.string({ maxLength: 30 }),
      );
      fc.assert(
        fc.property(fc.array(line, { maxLength: 40 }), fc.integer({ min: 1, max: 17 }), (lines, chunk) => {
          const bytes = Buffer.from(`From s Mon Jan  1 10:00:00 2024\n${lines.join('\n')}`, 'latin1');
          const run = (step: number) => {
            const s = new MboxSplitter(1 << 20);
            const out = [];
            for (let i = 0; i < bytes.length; i += step) out.push(...s.push(bytes.subarray(i, i + step)));
            out.push(...s.end());
            return out.map((p) => ('raw' in p ? Buffer.from(p.raw).toString('latin1') : JSON.stringify(p)));
          };
          expect(run(chunk)).toEqual(run(bytes.length));
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );
});

describe('fuzz regressions', () => {
  // Add seeds here as { seed, path } from fast-check failure reports, replayed with fc.assert.
  it('an empty stdin is an "is empty" error', async () => {
    const items = await readAllFromStdin(new Uint8Array(0));
    expect(items).toHaveLength(1);
    expect((items[0] as { error: string }).error).toMatch(/is empty/);
  });
});
