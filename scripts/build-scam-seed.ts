// Builds the known-scam seed shipped in data/scams/seed.json from the hand-written texts in
// data/scams/seed-texts.json, and (for evaluation only) a larger local index from the phishing in
// ../shared/corpus, which must never be committed (CC BY-NC, and real messages).
//
//   npx tsx scripts/build-scam-seed.ts                      # data/scams/seed-texts.json → data/scams/seed.json
//   npx tsx scripts/build-scam-seed.ts --from-corpus --out /tmp/scams-corpus.sqlite \
//        [--from 2022-01] [--to 2023-12] [--shared ../shared] [--corpus-dir /tmp/corpus]

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { type Fingerprint, fingerprintText } from '../src/scams/fingerprint.js';
import { messageText, recipientWords } from '../src/scams/message-text.js';
import { SCHEME, signatureToBuffer } from '../src/scams/minhash.js';
import type { SeedFile } from '../src/scams/seed.js';
import { ScamStore } from '../src/scams/store.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SEED_DIR = path.join(REPO_ROOT, 'data', 'scams');
/** Messages bigger than this are skipped when building from the corpus (none of the phishing is). */
const MAX_MESSAGE_BYTES = 5_000_000;

interface SeedText {
  category: string;
  title: string;
  firstSeen?: string;
  text: string;
}

/** data/scams/seed-texts.json → SeedFile (normalised texts and signatures). */
export function buildSeed(texts: SeedText[], version: string): SeedFile {
  const scams = texts.map((t) => {
    const fp = fingerprintText(t.text);
    if (!fp.usable) throw new Error(`seed text "${t.title}" is too short to index`);
    return {
      title: t.title,
      category: t.category,
      firstSeen: t.firstSeen,
      source: 'suspect seed (hand-written representative text)',
      normalised: fp.normalised,
      signature: signatureToBuffer(fp.signature).toString('base64'),
    };
  });
  return {
    schema: 'suspect.scam-seed/1',
    version,
    scheme: SCHEME,
    licence: 'Apache-2.0 (written for Suspect)',
    scams,
  };
}

// ───────────────────────────── corpus (evaluation only) ─────────────────────────────

export interface CorpusRow {
  path: string;
  label: string;
  source: string;
  month: string;
}

export function readManifest(sharedDir: string): CorpusRow[] {
  const lines = readFileSync(path.join(sharedDir, 'corpus', 'manifest.csv'), 'utf8').split('\n');
  const header = lines[0].split(',');
  const col = (name: string) => header.indexOf(name);
  return lines
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const f = l.split(',');
      return {
        path: f[col('path')],
        label: f[col('label')],
        source: f[col('source')],
        month: f[col('month')],
      };
    });
}

/** Extracts the corpus tarballs into `corpusDir` unless they are already there. */
export function ensureCorpusExtracted(sharedDir: string, corpusDir: string, sources: string[]): void {
  for (const source of sources) {
    if (existsSync(path.join(corpusDir, source))) continue;
    const tarball = path.join(sharedDir, 'corpus', `${source}.tar.gz`);
    process.stderr.write(`extracting ${tarball} into ${corpusDir}\n`);
    execFileSync('mkdir', ['-p', corpusDir]);
    execFileSync('tar', ['-xzf', tarball, '-C', corpusDir]);
  }
}

/** Fingerprint of a corpus message, exactly as the engine computes it for a message being checked. */
export async function fingerprintFile(
  file: string,
): Promise<{ fp: Fingerprint; subject: string } | undefined> {
  const raw = readFileSync(file);
  if (raw.length > MAX_MESSAGE_BYTES) return undefined;
  // Imported lazily: building the seed needs no MIME parser.
  const { parseMessage } = await import('../src/message/parse.js');
  const message = await parseMessage(new Uint8Array(raw), { kind: 'eml', file }, { skipAttachments: true });
  return {
    fp: fingerprintText(messageText(message), { recipientWords: recipientWords(message) }),
    subject: message.subject ?? '',
  };
}

export function inMonths(row: CorpusRow, from: string, to: string): boolean {
  return row.month !== '' && row.month >= from && row.month <= to;
}

/** Indexes the phishing_pot phishing of [from, to] (months, inclusive) into a fresh SQLite file. */
export async function buildCorpusIndex(opts: {
  sharedDir: string;
  corpusDir: string;
  out: string;
  from: string;
  to: string;
}): Promise<{ store: ScamStore; indexed: number; tooShort: number; duplicates: number }> {
  ensureCorpusExtracted(opts.sharedDir, opts.corpusDir, ['phishing_pot']);
  rmSync(opts.out, { force: true });
  const store = new ScamStore(new Database(opts.out));
  const rows = readManifest(opts.sharedDir).filter(
    (r) => r.source === 'phishing_pot' && r.label === 'phish' && inMonths(r, opts.from, opts.to),
  );
  let indexed = 0;
  let tooShort = 0;
  let duplicates = 0;
  store.db.exec('BEGIN');
  for (const row of rows) {
    const got = await fingerprintFile(path.join(opts.corpusDir, row.path));
    if (!got?.fp.usable) {
      tooShort++;
      continue;
    }
    const r = store.add({
      title: got.subject.slice(0, 120) || row.path,
      fingerprint: got.fp,
      firstSeen: row.month,
      source: `phishing_pot ${row.path}`,
    });
    if (r.added) indexed++;
    else duplicates++;
  }
  store.db.exec('COMMIT');
  return { store, indexed, tooShort, duplicates };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'from-corpus': { type: 'boolean', default: false },
      out: { type: 'string' },
      from: { type: 'string', default: '2022-01' },
      to: { type: 'string', default: '2023-12' },
      shared: { type: 'string', default: path.resolve(REPO_ROOT, '../shared') },
      'corpus-dir': { type: 'string', default: '/tmp/corpus' },
      version: { type: 'string' },
    },
  });
  if (!values['from-corpus']) {
    const source = JSON.parse(readFileSync(path.join(SEED_DIR, 'seed-texts.json'), 'utf8')) as {
      scams: SeedText[];
    };
    const version = values.version ?? `${new Date().toISOString().slice(0, 10)}.${source.scams.length}`;
    const seed = buildSeed(source.scams, version);
    writeFileSync(path.join(SEED_DIR, 'seed.json'), `${JSON.stringify(seed, null, 1)}\n`);
    process.stderr.write(`wrote ${seed.scams.length} scams to data/scams/seed.json (version ${version})\n`);
    return;
  }
  if (!existsSync(path.join(values.shared, 'corpus', 'manifest.csv'))) {
    process.stderr.write(`no corpus at ${values.shared}/corpus; nothing to build\n`);
    process.exitCode = 3;
    return;
  }
  const out = values.out ?? '/tmp/scams-corpus.sqlite';
  if (path.resolve(out).startsWith(REPO_ROOT))
    throw new Error('the corpus index must not be written inside the repository');
  const started = performance.now();
  const { indexed, tooShort, duplicates } = await buildCorpusIndex({
    sharedDir: values.shared,
    corpusDir: values['corpus-dir'],
    out,
    from: values.from,
    to: values.to,
  });
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `indexed ${indexed} phishing messages (${duplicates} same text as one already indexed, ${tooShort} too little text) into ${out} in ${secs} s\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    process.stderr.write(`build-scam-seed: ${(err as Error).message}\n`);
    process.exitCode = 3;
  });
}
