import { describe, expect, it } from 'vitest';
import { MAX_POSTMARK_LINE, type MboxPiece, MboxSplitter } from '../../../src/message/input/mbox.js';

const CAP = 1024 * 1024;

/** Runs the splitter over `input` cut into pieces of `chunk` bytes. */
function split(input: string | Buffer, chunk = Number.POSITIVE_INFINITY, cap = CAP): MboxPiece[] {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const s = new MboxSplitter(cap);
  const out: MboxPiece[] = [];
  const step = Math.min(chunk, Math.max(bytes.length, 1));
  for (let i = 0; i < bytes.length; i += step) out.push(...s.push(bytes.subarray(i, i + step)));
  out.push(...s.end());
  return out;
}

const rawText = (p: MboxPiece): string =>
  'raw' in p ? Buffer.from(p.raw).toString('latin1') : `<${JSON.stringify(p)}>`;

const mbox = [
  'From alice@example.org Mon Jan  1 10:00:00 2024',
  'From: alice@example.org',
  'Subject: one',
  '',
  'First body.',
  '>From the archive: quoted by the writer',
  '>>From deeper quoting',
  'From the desk of the CEO: not a separator (no date)',
  '',
  'From MAILER-DAEMON Tue Feb 13 08:09:10 2024',
  'From: bob@example.org',
  'Subject: two',
  '',
  'Second body.',
  '',
].join('\n');

describe('MboxSplitter', () => {
  it('splits on postmark lines, numbers messages and unescapes >From lines (mboxrd)', () => {
    const pieces = split(mbox);
    expect(pieces.map((p) => p.index)).toEqual([0, 1]);
    expect(rawText(pieces[0])).toBe(
      [
        'From: alice@example.org',
        'Subject: one',
        '',
        'First body.',
        'From the archive: quoted by the writer',
        '>From deeper quoting',
        'From the desk of the CEO: not a separator (no date)',
        '',
      ].join('\n'),
    );
    expect(rawText(pieces[1])).toBe('From: bob@example.org\nSubject: two\n\nSecond body.\n');
  });

  it('gives the same messages whatever the chunk boundaries', () => {
    const whole = split(mbox).map(rawText);
    for (const chunk of [1, 2, 3, 5, 7, 13, 64]) expect(split(mbox, chunk).map(rawText)).toEqual(whole);
  });

  it('handles CRLF mboxes and removes the separator blank line', () => {
    const crlf = mbox.replace(/\n/g, '\r\n');
    const pieces = split(crlf, 5);
    expect(pieces).toHaveLength(2);
    expect(rawText(pieces[1])).toBe('From: bob@example.org\r\nSubject: two\r\n\r\nSecond body.\r\n');
    expect(rawText(pieces[0])).toContain('\r\nFrom the archive');
  });

  it('skips a BOM and blank lines before the first postmark', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`\n\n${mbox}`, 'latin1')]);
    expect(split(withBom, 4).map(rawText)).toEqual(split(mbox).map(rawText));
  });

  it('reports an oversized message by index and keeps going', () => {
    const big = 'x'.repeat(5000);
    const input = `From a Mon Jan  1 10:00:00 2024\nSubject: small\n\nhi\n\nFrom b Mon Jan  1 10:00:01 2024\nSubject: big\n\n${big}\n\nFrom c Mon Jan  1 10:00:02 2024\nSubject: after\n\nok\n`;
    const pieces = split(input, 100, 1000);
    expect(pieces.map((p) => Object.keys(p).sort().join())).toEqual([
      'index,raw',
      'index,oversizedBytes',
      'index,raw',
    ]);
    expect((pieces[1] as { oversizedBytes: number }).oversizedBytes).toBeGreaterThan(5000);
    expect(rawText(pieces[2])).toContain('Subject: after');
  });

  it('reports empty messages between two postmarks', () => {
    const input = 'From a Mon Jan  1 10:00:00 2024\n\nFrom b Mon Jan  1 10:00:01 2024\nSubject: x\n\nbody\n';
    const pieces = split(input);
    expect(pieces[0]).toEqual({ index: 0, empty: true });
    expect(rawText(pieces[1])).toContain('Subject: x');
  });

  it('never holds more than a bounded partial line between chunks', () => {
    // A huge line that starts like a postmark but never ends: it must be flushed as content.
    const s = new MboxSplitter(CAP * 10);
    s.push(Buffer.from('From a Mon Jan  1 10:00:00 2024\nSubject: x\n\n'));
    s.push(Buffer.from(`From ${'y'.repeat(MAX_POSTMARK_LINE * 3)}`));
    const carry = (s as unknown as { carry?: Buffer }).carry;
    expect(carry === undefined || carry.length <= MAX_POSTMARK_LINE).toBe(true);
    const [only] = s.end();
    expect(rawText(only)).toContain('y'.repeat(100));
  });
});
