// Hand-written modern legitimate mail (test/fixtures/legit/README.md) through the whole pipeline with the
// shipped models: keeps what Suspect gets right about such mail from regressing. bench/legit-mail.ts
// prints the verdict on each, including the ones still flagged.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseRaw } from '../../src/analyse.js';
import { isEmbeddedResource } from '../../src/message/links/index.js';

const dir = path.join(import.meta.dirname, '../fixtures/legit');
const files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
const check = (f: string) => analyseRaw(readFileSync(path.join(dir, f)), { kind: 'eml', file: f });

describe('modern legitimate mail', () => {
  it('has fixtures of each kind', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it('never calls a legitimate message with links dangerous', async () => {
    for (const f of files) {
      const r = await check(f);
      expect(r.problems, f).toEqual([]);
      if (r.links.some((l) => !isEmbeddedResource(l))) expect(r.verdict, f).not.toBe('dangerous');
    }
  });

  it('calls a service’s own password reset and security alert safe: every link leads to its domain', async () => {
    for (const f of ['password-reset.eml', 'security-alert.eml']) {
      const r = await check(f);
      expect(
        r.findings.map((x) => x.code),
        f,
      ).toContain('sender.links_on_own_domain');
      expect(
        r.findings.map((x) => x.code),
        f,
      ).not.toContain('url.open_redirect');
      expect(r.verdict, f).toBe('safe');
    }
  });
});
