// Locating and reading the development corpus (../shared/corpus) for benchmarks and evaluations.
// The tarballs are extracted once to /tmp/corpus; nothing from the corpus is ever written into the repo.

import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(new URL('..', import.meta.url).pathname);
export const SHARED = process.env.SUSPECT_SHARED ?? path.resolve(REPO_ROOT, '../shared');
export const CORPUS_DIR = path.join(SHARED, 'corpus');
export const EXTRACT_DIR = process.env.SUSPECT_CORPUS_DIR ?? '/tmp/corpus';

export interface ManifestRow {
  path: string;
  label: 'phish' | 'spam' | 'ham';
  source: string;
  month: string;
  sha256: string;
  bytes: number;
}

/** Exits with a clear message when ../shared is absent (benchmarks are optional off this machine). */
export function requireCorpus(): void {
  if (!existsSync(path.join(CORPUS_DIR, 'manifest.csv'))) {
    console.error(
      `skipped: the development corpus is not at ${CORPUS_DIR} (set SUSPECT_SHARED to the shared/ folder)`,
    );
    process.exit(0);
  }
}

export function ensureExtracted(): string {
  mkdirSync(EXTRACT_DIR, { recursive: true });
  for (const t of readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.tar.gz'))) {
    const name = t.replace(/\.tar\.gz$/, '');
    if (existsSync(path.join(EXTRACT_DIR, name))) continue;
    console.error(`extracting ${t} to ${EXTRACT_DIR} …`);
    execFileSync('tar', ['-xzf', path.join(CORPUS_DIR, t), '-C', EXTRACT_DIR]);
  }
  return EXTRACT_DIR;
}

export function readManifest(file = path.join(CORPUS_DIR, 'manifest.csv')): ManifestRow[] {
  const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const head = lines.shift()!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    const row = Object.fromEntries(head.map((h, i) => [h, cells[i]])) as Record<string, string>;
    return { ...row, bytes: Number(row.bytes) } as unknown as ManifestRow;
  });
}

/** Deterministic sample: every k-th row so that each source keeps its share. */
export function sampleRows(rows: ManifestRow[], n: number): ManifestRow[] {
  if (n >= rows.length) return rows;
  const step = rows.length / n;
  return Array.from({ length: n }, (_, i) => rows[Math.floor(i * step)]);
}

/** Builds (once) an mbox of n corpus messages in /tmp, mboxrd-escaped, for the memory and --jobs benches. */
export async function benchMbox(n: number): Promise<string> {
  const mboxFile = `/tmp/suspect-bench-${n}.mbox`;
  if (existsSync(mboxFile)) return mboxFile;
  const rows = readManifest();
  const picked = Array.from({ length: n }, (_, k) => rows[k % rows.length]);
  const out = createWriteStream(`${mboxFile}.part`);
  for (const r of sampleRows(picked, n)) {
    const raw = readFileSync(path.join(EXTRACT_DIR, r.path), 'latin1').replace(/\r\n/g, '\n');
    // mboxrd escaping of body lines that start with "From ".
    const body = raw.replace(/^(>*From )/gm, '>$1');
    const entry = `From bench@suspect.invalid Thu Jan  1 00:00:00 2026\n${body}${body.endsWith('\n') ? '' : '\n'}\n`;
    if (!out.write(entry)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(`${mboxFile}.part`, mboxFile);
  console.error(`built ${mboxFile}`);
  return mboxFile;
}
