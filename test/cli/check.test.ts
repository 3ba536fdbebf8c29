import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const examples = path.resolve(new URL('../../examples', import.meta.url).pathname);
let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'suspect-cli-'));
});
const env = () => ({ SUSPECT_HOME: home });

describe('suspect check', () => {
  it('prints one JSON line per message with the required fields and exits by the worst verdict', async () => {
    const r = await runCli(['check', '--json', examples], env());
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    for (const l of lines) {
      expect(l).toHaveProperty('file');
      expect(['safe', 'suspicious', 'dangerous']).toContain(l.verdict);
      expect(typeof l.score).toBe('number');
      expect(Array.isArray(l.findings)).toBe(true);
    }
    const byFile = Object.fromEntries(lines.map((l) => [path.basename(l.file), l]));
    expect(byFile['phish-paypal.eml'].verdict).toBe('dangerous');
    expect(byFile['newsletter-safe.eml'].verdict).toBe('safe');
    expect(byFile['forwarded-invoice.eml'].embedded).toHaveLength(1);
    expect(byFile['forwarded-invoice.eml'].verdict).toBe('dangerous');
    expect(r.code).toBe(2);
  });

  it('explains in plain words for people', async () => {
    const r = await runCli(['check', '-v', path.join(examples, 'phish-paypal.eml')], env());
    expect(r.stdout).toContain('DANGEROUS');
    const why = r.stdout.slice(r.stdout.indexOf('Why:'), r.stdout.indexOf('Sender:'));
    expect(why).toMatch(/paypa1-login\.example/);
    expect(r.stdout).toContain(
      'A link shows "www.paypal.com" but actually goes to www.paypal.com.account-verify.paypa1-login.example',
    );
    expect(r.stdout).toContain('What to do');
    expect(r.stdout).toMatch(/engines flagged/);
  });

  it('exits 0 on a safe message and 3 with a clear error on unreadable input, still reporting the rest', async () => {
    expect((await runCli(['check', path.join(examples, 'newsletter-safe.eml')], env())).code).toBe(0);
    const r = await runCli(
      ['check', path.join(home, 'missing.eml'), path.join(examples, 'newsletter-safe.eml')],
      env(),
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/missing\.eml/);
    expect(r.stdout).toContain('SAFE');
  });

  it('keeps history and rescoring shows what changed', async () => {
    await runCli(['check', path.join(examples, 'ceo-giftcard.eml')], env());
    const h = await runCli(['history', '--json'], env());
    const rows = h.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows[0]).toMatchObject({ subject: 'Quick favour - are you at your desk?' });
    const r = await runCli(['rescore', String(rows[0].id)], env());
    expect(r.stdout).toMatch(/Rescored check \d+ as \d+/);
    expect(r.stdout).toMatch(/Verdict: (safe|suspicious|dangerous) → /);
    const again = await runCli(['history', '--json'], env());
    expect(
      again.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))[0].rescore_of,
    ).toBe(rows[0].id);
  });

  it('rejects a wrong command line with code 4', async () => {
    expect((await runCli(['check'], env())).code).toBe(4);
    expect((await runCli(['check', '--timeout', '-5', examples], env())).code).toBe(3);
    expect((await runCli(['rescore', '999'], env())).code).toBe(3);
  });

  it('reads stdin when given -', async () => {
    const file = path.join(home, 'in.eml');
    writeFileSync(file, 'From: a@b.example\r\nSubject: hi\r\n\r\nhello\r\n');
    const { Readable } = await import('node:stream');
    const orig = Object.getOwnPropertyDescriptor(process, 'stdin')!;
    Object.defineProperty(process, 'stdin', {
      value: Readable.from([Buffer.from('From: a@b.example\r\nSubject: from stdin\r\n\r\nhello\r\n')]),
      configurable: true,
    });
    try {
      const r = await runCli(['check', '--json', '-'], env());
      expect(JSON.parse(r.stdout.trim()).subject).toBe('from stdin');
    } finally {
      Object.defineProperty(process, 'stdin', orig);
    }
  });
});
