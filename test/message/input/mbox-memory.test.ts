// Memory stays flat while streaming a big mbox: a ~50 MB, 10,000-message mbox is read with heap
// plus buffer growth far below the file size (loading it whole would add at least 50 MB).
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/message/input/index.js';

const MESSAGES = 10_000;
const BODY_LINE = `${'Lorem ipsum dolor sit amet, consectetur adipiscing elit sed do eiusmod.'}\n`;
const BODY = BODY_LINE.repeat(68); // ~5 KB per message → ~50 MB in all
/** Allowed growth of heap + ArrayBuffers. Alone this test measures ~2 MB; in a loaded suite
 *  transient read buffers reach ~17 MB. Reading the file whole, or keeping the messages, would
 *  add at least the 50 MB of the file. */
const MAX_GROWTH_BYTES = 32 * 1024 * 1024;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const dir = mkdtempSync(path.join(os.tmpdir(), 'suspect-mbox-mem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mbox streaming memory', () => {
  it('reads a 10,000-message ~50 MB mbox with bounded memory', async () => {
    const file = path.join(dir, 'big.mbox');
    const fd = openSync(file, 'w');
    let size = 0;
    for (let i = 0; i < MESSAGES; i++) {
      const msg = `From sender@example.org Mon Jan  1 10:00:00 2024\nFrom: sender@example.org\nSubject: message ${i}\nMessage-ID: <${i}@example.org>\n\n${BODY}>From here on\n\n`;
      size += writeSync(fd, msg);
    }
    closeSync(fd);
    expect(size).toBeGreaterThan(45 * 1024 * 1024);

    gc();
    const baseline = used();
    let peak = 0;
    let count = 0;
    let lastIndex = -1;
    for await (const item of readInputs([file])) {
      if (!('raw' in item)) throw new Error(`unexpected error item: ${JSON.stringify(item)}`);
      if (count === 1234) expect(Buffer.from(item.raw).toString()).toContain('Subject: message 1234\n');
      count++;
      lastIndex = item.source.index ?? -1;
      if (count % 1000 === 0) {
        gc();
        peak = Math.max(peak, used() - baseline);
      }
    }
    expect(count).toBe(MESSAGES);
    expect(lastIndex).toBe(MESSAGES - 1);
    expect(peak).toBeLessThan(MAX_GROWTH_BYTES);
  }, 30_000);
});
