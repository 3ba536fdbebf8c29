import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

let home: string;
beforeAll(() => {
  home = mkdtempSync(path.join(tmpdir(), 'suspect-cli-url-'));
});
const env = () => ({ SUSPECT_HOME: home });
const jsonLines = (s: string) =>
  s
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('suspect url', () => {
  it('gives one JSON object per URL with url, verdict, score and findings, and exits by the worst', async () => {
    const urls = [
      'https://www.wikipedia.org/',
      'https://paypa1.com/signin',
      'http://0000000000000000000000000.findyourjacket.com/x',
    ];
    const r = await runCli(['url', '--json', ...urls], env());
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.url)).toEqual(urls);
    for (const l of lines) {
      expect(['safe', 'suspicious', 'dangerous']).toContain(l.verdict);
      expect(typeof l.score).toBe('number');
      expect(Array.isArray(l.findings)).toBe(true);
    }
    expect(lines[0].verdict).toBe('safe');
    expect(lines[1].findings.some((f: { code: string }) => f.code === 'lookalike.brand_confusable')).toBe(
      true,
    );
    expect(lines[2].findings.some((f: { code: string }) => f.code === 'blocklist.host')).toBe(true);
    expect(lines[2].verdict).not.toBe('safe');
    // The exit code follows the worst verdict (the verdicts themselves come from the fitted model).
    const rank = { safe: 0, suspicious: 1, dangerous: 2 } as Record<string, number>;
    expect(r.code).toBe(Math.max(...lines.map((l) => rank[l.verdict])));
  });

  it('explains in plain words by default', async () => {
    const r = await runCli(['url', 'https://paypa1.com/signin'], env());
    expect(r.stdout).toMatch(/^https:\/\/paypa1\.com\/signin$/m);
    expect(r.stdout).toMatch(/SAFE|SUSPICIOUS|DANGEROUS/);
    const verbose = await runCli(['url', '-v', 'https://paypa1.com/signin'], env());
    expect(verbose.stdout).toContain('paypa1.com looks like paypal.com (PayPal)');
  });

  it('reads URLs from a file, skipping blanks and comments, and accepts defanged URLs', async () => {
    const file = path.join(home, 'urls.txt');
    writeFileSync(file, '# my list\nhttps://www.wikipedia.org/\n\nhxxps://paypa1[.]com/signin\n');
    const r = await runCli(['url', '--json', '--from', file], env());
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(2);
    expect(lines[1].findings.some((f: { code: string }) => f.code.startsWith('lookalike.'))).toBe(true);
  });

  it('reports bad input per URL and exits 3, still checking the others', async () => {
    const r = await runCli(['url', '--json', 'x'.repeat(20_000), 'https://www.wikipedia.org/'], env());
    const lines = jsonLines(r.stdout);
    expect(lines[0].error).toMatch(/longer than/);
    expect(lines[1].verdict).toBe('safe');
    expect(r.code).toBe(3);
    const missing = await runCli(['url', '--from', path.join(home, 'nope.txt')], env());
    expect(missing.code).toBe(3);
  });

  it('is a usage error without URLs', async () => {
    expect((await runCli(['url'], env())).code).toBe(4);
  });
});
