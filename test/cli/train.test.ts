import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { fromModelFile } from '../../src/ml/model-file.js';

/** Tiny synthetic development data in the real file layouts: labeled URLs and a labeled corpus. */
function makeShared(dir: string): void {
  const intel = path.join(dir, 'intel');
  mkdirSync(path.join(intel, 'labeled/ebubekirbbr_pdd'), { recursive: true });
  const phish = Array.from(
    { length: 300 },
    (_, i) =>
      `https://secure-login${i}.verify-account${i % 50}.xyz/signin/verify.php?email=u${i}@mail.example,2025-01-01T00:00:00+00:00`,
  );
  writeFileSync(
    path.join(intel, 'openphish_first_seen_2024-10_2025-12.csv.gz'),
    gzipSync(`url,first_seen_utc\n${phish.join('\n')}\n`),
  );
  const legit = Array.from({ length: 300 }, (_, i) => `https://www.site${i % 120}.org/articles/story-${i}`);
  writeFileSync(
    path.join(intel, 'labeled/ebubekirbbr_pdd/data_legitimate_36400.json.gz'),
    gzipSync(JSON.stringify(legit)),
  );
}

function eml(subject: string, body: string, i: number): string {
  return `From: sender${i}@example.org\r\nTo: someone@example.com\r\nSubject: ${subject}\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <${i}@example.org>\r\nContent-Type: text/plain\r\n\r\n${body}\r\n`;
}

function makeCorpus(dir: string): string {
  const data = path.join(dir, 'corpus-extracted');
  const lines = ['path,label,source,month,sha256,bytes'];
  const sources: [string, 'phish' | 'ham'][] = [
    ['phishing_pot', 'phish'],
    ['nazario', 'phish'],
    ['usrp_users', 'ham'],
    ['spamassassin', 'ham'],
  ];
  for (const [source, label] of sources) {
    mkdirSync(path.join(data, source), { recursive: true });
    for (let i = 0; i < 12; i++) {
      const body =
        label === 'phish'
          ? `Your account is suspended. Verify your password at once or lose access. Case ${i}.`
          : `Thanks for the patch to the driver, merged into the release branch. Build ${i} passes.`;
      const rel = `${source}/m${i}.eml`;
      writeFileSync(path.join(data, rel), eml(label === 'phish' ? 'Account notice' : 'Re: patch', body, i));
      lines.push(`${rel},${label},${source},2024-0${(i % 6) + 1},${source}-${i},100`);
    }
  }
  mkdirSync(path.join(dir, 'corpus'), { recursive: true });
  writeFileSync(path.join(dir, 'corpus/manifest.csv'), `${lines.join('\n')}\n`);
  return data;
}

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spyOut = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const spyErr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await main(['node', 'suspect', ...args]);
    return { code, out };
  } finally {
    spyOut.mockRestore();
    spyErr.mockRestore();
  }
}

describe('suspect train / eval', () => {
  let dir: string;
  let data: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'suspect-train-'));
    makeShared(dir);
    data = makeCorpus(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('regenerates the URL model reproducibly, with figures on held-out domains', async () => {
    const a = await run(['train', '--what', 'url', '--shared', dir, '--out', path.join(dir, 'm1')]);
    const b = await run(['train', '--what', 'url', '--shared', dir, '--out', path.join(dir, 'm2')]);
    expect(a.code).toBe(EXIT.OK);
    expect(b.code).toBe(EXIT.OK);
    expect(a.out).toContain('all test domains');
    expect(b.out).toBe(a.out);
    const f1 = readFileSync(path.join(dir, 'm1/url.json'), 'utf8');
    expect(readFileSync(path.join(dir, 'm2/url.json'), 'utf8')).toBe(f1);
    const model = fromModelFile(JSON.parse(f1));
    expect(model.file.kind).toBe('url');
    expect(model.file.index.length).toBeGreaterThan(10);
    expect(model.file.training.split).toMatch(/registrable domain/);
  });

  it('fits verdict weights for URLs on their own, on domains the URL model never saw', async () => {
    const r = await run(['train', '--what', 'url-score', '--shared', dir, '--out', path.join(dir, 'm1')]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.out).toContain('legit on popular-not-top domains');
    const w = JSON.parse(readFileSync(path.join(dir, 'm1/url-weights.json'), 'utf8'));
    expect(w).toMatchObject({ fitted: true, features: 'max-strength-per-code' });
    expect(w.weights['url_model.phishy']).toBeGreaterThan(0);
    expect(w.thresholds.suspicious).toBeLessThanOrEqual(w.thresholds.dangerous);
  });

  it('trains the text model with cross-validation by corpus, era and month', async () => {
    const r = await run([
      'train',
      '--what',
      'text',
      '--shared',
      dir,
      '--corpus-dir',
      data,
      '--cache-dir',
      dir,
      '--out',
      path.join(dir, 'm1'),
    ]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.out).toContain('leave one corpus out');
    expect(r.out).toContain('5 folds by corpus+month');
    const model = JSON.parse(readFileSync(path.join(dir, 'm1/text.json'), 'utf8'));
    expect(model.kind).toBe('text');
    expect(model.threshold).toBeGreaterThan(0);
  });

  it('fits the verdict weights on the pipeline findings, using the cross-validated text scores', async () => {
    const args = [
      'train',
      '--what',
      'score',
      '--shared',
      dir,
      '--corpus-dir',
      data,
      '--cache-dir',
      dir,
      '--every',
      '1',
    ];
    const r = await run([...args, '--out', path.join(dir, 'm1')]);
    expect(r.code).toBe(EXIT.OK);
    const w = JSON.parse(readFileSync(path.join(dir, 'm1/weights.json'), 'utf8'));
    expect(w).toMatchObject({ fitted: true, features: 'max-strength-per-code' });
    expect(w.thresholds.suspicious).toBeLessThanOrEqual(w.thresholds.dangerous);
    // The text model's log-odds enter as an offset, not through a fitted weight.
    expect(w.logitFrom).toMatchObject({ code: 'text_model.scam_language', coefficient: 1 });
    expect(w.weights['text_model.scam_language']).toBeUndefined();
    expect(Math.min(...(Object.values(w.weights) as number[]))).toBeGreaterThanOrEqual(0);
    // Second run reads the findings cache and gives the same file.
    await run([...args, '--out', path.join(dir, 'm2')]);
    expect(readFileSync(path.join(dir, 'm2/weights.json'), 'utf8')).toBe(
      readFileSync(path.join(dir, 'm1/weights.json'), 'utf8'),
    );
  });

  it('rejects an unknown --what and a missing data folder', async () => {
    expect((await run(['train', '--what', 'everything'])).code).toBe(EXIT.USAGE);
    expect((await run(['train', '--what', 'url', '--shared', path.join(dir, 'nope')])).code).toBe(EXIT.ERROR);
    expect((await run(['eval', path.join(dir, 'missing.csv')])).code).toBe(EXIT.ERROR);
    expect((await run(['eval', path.join(dir, 'corpus/manifest.csv'), '--limit', '0'])).code).toBe(
      EXIT.USAGE,
    );
  });

  it('evaluates a labeled manifest and reports per source and overall', async () => {
    const r = await run([
      'eval',
      path.join(dir, 'corpus/manifest.csv'),
      '--data',
      data,
      '--limit',
      '16',
      '--json',
    ]);
    expect(r.code).toBe(EXIT.OK);
    const j = JSON.parse(r.out);
    expect(j.messages).toBe(16);
    expect(j.errors).toBe(0);
    expect(j.overall.phish + j.overall.ham).toBe(16);
    expect(j.perSource.map((g: { group: string }) => g.group).sort()).toEqual(
      [...new Set(j.perSource.map((g: { group: string }) => g.group))].sort(),
    );
    expect(j.perSource.length).toBeGreaterThan(1);
    expect(j.msgsPerSecond).toBeGreaterThan(0);
    for (const k of ['precision', 'recall', 'f1', 'fpr']) expect(j.overall.dangerous).toHaveProperty(k);
    const text = await run([
      'eval',
      path.join(dir, 'corpus/manifest.csv'),
      '--data',
      data,
      '--limit',
      '4',
      '--reduced',
    ]);
    expect(text.out).toMatch(/reduced to sender-controlled headers/);
    expect(text.out).toMatch(/overall/);
  });
});
