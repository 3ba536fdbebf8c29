import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inInputOrder, MAX_JOBS, parseJobs, workerPool } from '../../src/cli/pool.js';
import { runCli } from '../helpers/run-cli.js';

/** A small mailbox with safe, suspicious-looking and phishing-like messages (written here, not copied). */
function mbox(): string {
  const messages: string[] = [];
  for (let i = 0; i < 10; i++) {
    const phish = i % 3 === 0;
    const body = phish
      ? `<p>Your account is locked. <a href="http://paypa1-login${i}.example/verify?u=${i}">https://www.paypal.com/signin</a></p>`
      : `<p>Minutes of meeting ${i}. Agenda at <a href="https://intranet.example.org/m/${i}">the intranet</a>.</p>`;
    messages.push(
      [
        'From sender@example.org Thu Jan  1 00:00:00 2026',
        `From: ${phish ? '"PayPal Service" <service@pp-secure' + i + '.example>' : `Colleague ${i} <c${i}@example.org>`}`,
        'To: you@example.net',
        `Subject: ${phish ? 'Urgent: verify your account' : `Meeting ${i}`}`,
        `Message-ID: <m${i}@example.org>`,
        'Date: Thu, 1 Jan 2026 10:00:00 +0000',
        'MIME-Version: 1.0',
        'Content-Type: text/html; charset=utf-8',
        '',
        body,
        '',
      ].join('\n'),
    );
  }
  return messages.join('\n');
}

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const essentials = (r: Record<string, unknown>) => ({
  file: r.file,
  index: r.index,
  error: r.error,
  verdict: r.verdict,
  score: r.score,
  findings: r.findings,
  reasons: r.reasons,
});

describe('suspect check --jobs', () => {
  it('gives the same reports in the same order with 2 worker threads as with 1', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'suspect-pool-'));
    const file = path.join(home, 'box.mbox');
    writeFileSync(file, mbox());
    const env = { SUSPECT_HOME: home };
    const one = await runCli(['check', '--json', '--no-store', file], env);
    const two = await runCli(['check', '--json', '--no-store', '--jobs', '2', file], env);
    expect(one.code).toBe(2);
    expect(two.code).toBe(one.code);
    const a = lines(one.stdout);
    expect(a).toHaveLength(10);
    expect(a.map((r) => r.index)).toEqual([...Array(10).keys()]);
    expect(a.filter((r) => r.verdict === 'dangerous').length).toBeGreaterThan(0);
    expect(lines(two.stdout).map(essentials)).toEqual(a.map(essentials));
  });

  it('still exits 3 when one item cannot be read, and reports the rest', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'suspect-pool-'));
    const file = path.join(home, 'box.mbox');
    writeFileSync(file, mbox());
    const r = await runCli(['check', '--json', '--jobs', '2', path.join(home, 'missing.eml'), file], {
      SUSPECT_HOME: home,
    });
    expect(r.code).toBe(3);
    const out = lines(r.stdout);
    expect(out[0].file).toMatch(/missing\.eml$/);
    expect(out[0].error).toBeTruthy();
    expect(out.slice(1).map((x) => x.index)).toEqual([...Array(10).keys()]);
  });

  it('refuses a job count that is not a whole number in range', async () => {
    expect(parseJobs('3')).toBe(3);
    expect(parseJobs('auto')).toBeGreaterThanOrEqual(1);
    for (const bad of ['0', '-1', '1.5', 'x', String(MAX_JOBS + 1), 'NaN'])
      expect(() => parseJobs(bad)).toThrow(/--jobs/);
    const r = await runCli(['check', '--jobs', '0', 'x.eml'], {});
    expect(r.code).toBe(4);
  });
});

describe('inInputOrder', () => {
  async function* numbers(n: number, read: number[]) {
    for (let i = 0; i < n; i++) {
      read.push(i);
      yield i;
    }
  }

  it('yields in input order whatever order the work finishes in, with a bounded number in flight', async () => {
    const read: number[] = [];
    let inFlight = 0;
    let most = 0;
    const work = async (i: number) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, (i * 7) % 5));
      inFlight--;
      if (i === 13) throw new Error('boom');
      return i * 2;
    };
    const out: string[] = [];
    for await (const s of inInputOrder(numbers(40, read), work, 4)) {
      out.push('error' in s ? `${s.item}:${s.error.message}` : `${s.item}:${s.result}`);
      // Input is read ahead by at most the number of pending slots.
      expect(read.length - out.length).toBeLessThanOrEqual(4);
    }
    expect(out).toEqual([...Array(40).keys()].map((i) => (i === 13 ? '13:boom' : `${i}:${i * 2}`)));
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(1);
  });
});

describe('workerPool', () => {
  it('turns a worker that cannot start into an error for the message, not a hang', async () => {
    // A store path under a file cannot be opened, so the worker dies as it starts.
    const home = mkdtempSync(path.join(tmpdir(), 'suspect-pool-'));
    writeFileSync(path.join(home, 'file'), '');
    const pool = workerPool(1, { dbFile: path.join(home, 'file', 'store.sqlite'), options: {} });
    try {
      const raw = new TextEncoder().encode('From: a@example.org\r\nSubject: x\r\n\r\nhello\r\n');
      await expect(pool.analyse(raw, { kind: 'eml' })).rejects.toThrow(/analysis worker/);
    } finally {
      await pool.close();
    }
  });
});
