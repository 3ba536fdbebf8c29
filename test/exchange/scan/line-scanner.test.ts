import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CHUNK_BYTES,
  HEAD_LINES,
  MAX_LINE_BYTES,
  resolveLineNumbers,
  scanLines,
} from '../../../src/exchange/scan/line-scanner.js';
import { NeedleSet } from '../../../src/exchange/scan/needles.js';

function tmpFile(content: string | Buffer): string {
  const f = path.join(mkdtempSync(path.join(tmpdir(), 'ls-')), 'x.log');
  writeFileSync(f, content);
  return f;
}

/** Scans, then turns provisional line numbers into real ones the way log-file.ts does. */
async function collect(file: string, needles: NeedleSet) {
  const raw: [number, string][] = [];
  const s = await scanLines(file, { needles }, (l, n) => raw.push([n, l]));
  const map = await resolveLineNumbers(file, [...raw.map(([n]) => n), ...s.problems.map((p) => p.line)]);
  const real = (n: number) => (n < 0 ? map.get(n)! : n);
  const got = raw.map(([n, l]): [number, string] => [real(n), l]);
  const problems = s.problems.map((p) => `line ${real(p.line)}: ${p.text}`);
  return { got, s, problems, raw };
}

describe('scanLines', () => {
  it('hands over head lines and needle lines with exact line numbers across chunk boundaries', async () => {
    const lines: string[] = [];
    const want: [number, string][] = [];
    let i = 0;
    let bytes = 0;
    while (bytes < CHUNK_BYTES * 3.5) {
      i++;
      const hit = i % 997 === 0;
      const line = `2021-03-0${1 + (i % 9)}T00:00:00.000Z,row ${i},${hit ? 'xx SERVERINFO~ yy' : 'Sid~S-1-5-21 benign'},${'p'.repeat(i % 300)}`;
      lines.push(line);
      bytes += line.length + 2;
      if (i <= HEAD_LINES || hit) want.push([i, line]);
    }
    const { got, s, raw } = await collect(
      tmpFile(lines.join('\r\n') + '\r\n'),
      new NeedleSet([{ text: 'ServerInfo~', nocase: true }]),
    );
    expect(got).toEqual(want);
    // Past the head, numbers are provisional until resolved (no newline counting on the hot path).
    expect(raw.slice(HEAD_LINES).every(([n]) => n < 0)).toBe(true);
    expect(s.problems).toEqual([]);
    expect(s.firstTimestamp).toBe('2021-03-02T00:00:00.000Z');
    expect(s.lastTimestamp).toBe(`2021-03-0${1 + (i % 9)}T00:00:00.000Z`);
  });

  it('strips a UTF-8 BOM and CR, and reads a last line without a newline', async () => {
    const { got } = await collect(
      tmpFile('\ufeffa,b\r\nc\r\nserverinfo~z'),
      new NeedleSet([{ text: 'ServerInfo~', nocase: true }]),
    );
    expect(got).toEqual([
      [1, 'a,b'],
      [2, 'c'],
      [3, 'serverinfo~z'],
    ]);
  });

  it('reports an over-long line once and keeps counting lines after it', async () => {
    const head = Array.from({ length: HEAD_LINES }, (_, k) => `h${k}`).join('\n');
    const content = `${head}\n${'A'.repeat(MAX_LINE_BYTES + CHUNK_BYTES + 10)}\nafter ServerInfo~x\n`;
    const { got, problems } = await collect(tmpFile(content), new NeedleSet([{ text: 'ServerInfo~' }]));
    expect(problems).toEqual([`line ${HEAD_LINES + 1}: longer than ${MAX_LINE_BYTES} bytes, skipped`]);
    expect(got[got.length - 1]).toEqual([HEAD_LINES + 2, 'after ServerInfo~x']);
  });

  it('an empty file is fine', async () => {
    const { got, s } = await collect(tmpFile(''), new NeedleSet([{ text: 'x' }]));
    expect(got).toEqual([]);
    expect(s.bytes).toBe(0);
  });
});

describe('NeedleSet', () => {
  const find = (specs: ConstructorParameters<typeof NeedleSet>[0], text: string) => {
    const out: number[] = [];
    new NeedleSet(specs).positions(Buffer.from(text, 'latin1'), out);
    return out.sort((a, b) => a - b);
  };
  it('anchor strategy: case-insensitive around a rare byte, including at the edges', () => {
    expect(
      find([{ text: 'ServerInfo~', nocase: true }], 'serverinfo~ SERVERINFO~ ServerInfX~ erverInfo~'),
    ).toEqual([0, 12]);
    expect(find([{ text: 'admin@localhost', nocase: true }], '@x admin@LOCALHOST')).toEqual([3]);
  });
  it('regex strategy for letters-only needles, exact strategy when case matters', () => {
    expect(
      find([{ text: 'autodiscover.json', nocase: true }], 'x AutoDiscover.JSON autodiscoverXjson'),
    ).toEqual([2]);
    expect(find([{ text: 'POST /ecp/' }], 'post /ecp/ POST /ecp/')).toEqual([11]);
  });
});
