// Known-scam lookup at scale: builds an index of N (default 1,000,000) synthetic scams in SQLite under
// /tmp through the real ScamStore.add path, then measures lookup latency (p50/p99), queries per
// second, index size and build time.
//
//   npx tsx bench/scams-lookup.ts [--n 1000000] [--queries 5000] [--db /tmp/x.sqlite] [--keep] [--reuse]
//
// Synthetic texts: families of near-identical scams (one campaign re-worded many times), so LSH
// buckets hold real collisions and lookups do real verification work, not only empty probes.

import { existsSync, rmSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { seededRandom } from '../src/ml/rng.js';
import { fingerprintTokens } from '../src/scams/fingerprint.js';
import { findMatches } from '../src/scams/match.js';
import { ScamStore } from '../src/scams/store.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '5000' },
    family: { type: 'string', default: '20' },
    db: { type: 'string', default: `/tmp/scams-lookup-${process.pid}.sqlite` },
    keep: { type: 'boolean', default: false },
    /** Query an index kept by an earlier --keep run instead of building one. */
    reuse: { type: 'boolean', default: false },
  },
});
const N = Number(values.n);
const QUERIES = Number(values.queries);
const FAMILY = Number(values.family);
const VOCABULARY = 20_000;
const WORDS_PER_TEXT = 60;

/** Deterministic PRNG (mulberry32) so every run builds the same index. */
const rng = seededRandom;

/** Letters-only words (digits would all normalise to NUM). */
function word(i: number): string {
  let s = '';
  let x = i + 26;
  while (x > 0) {
    s += String.fromCharCode(97 + (x % 26));
    x = Math.floor(x / 26);
  }
  return s;
}

function baseText(family: number): string[] {
  const r = rng(family * 7919 + 1);
  return Array.from({ length: WORDS_PER_TEXT }, () => word(Math.floor(r() * VOCABULARY)));
}

/** A re-worded copy: each word replaced with probability p. */
function variant(base: string[], p: number, r: () => number): string[] {
  return base.map((w) => (r() < p ? word(Math.floor(r() * VOCABULARY)) : w));
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function fileSize(path: string): number {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    try {
      total += statSync(path + suffix).size;
    } catch {
      // absent
    }
  }
  return total;
}

async function build(): Promise<{ buildS: number; duplicates: number }> {
  rmSync(values.db, { force: true });
  const db = new Database(values.db);
  // Bulk build settings: a crash mid-build only loses this throwaway file.
  // (better-sqlite3 runs SQLite in defensive mode, which refuses journal_mode = OFF; MEMORY keeps the
  // rollback journal off the disk.)
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  const store = new ScamStore(db);
  const families = Math.ceil(N / FAMILY);
  const r = rng(42);
  const t0 = performance.now();
  const BATCH = 20_000;
  let made = 0;
  let duplicates = 0;
  while (made < N) {
    db.transaction(() => {
      for (let k = 0; k < BATCH && made < N; k++, made++) {
        const family = made % families;
        const tokens = variant(baseText(family), 0.02 + r() * 0.13, r);
        const res = store.add({
          title: `Synthetic scam family ${family}`,
          fingerprint: fingerprintTokens(tokens),
          firstSeen: '2024-01-01',
          source: 'bench/scams-lookup.ts',
          addedAt: '2026-01-01T00:00:00Z',
        });
        if (!res.added) duplicates++;
      }
    })();
    if (made % 100_000 === 0 || made === N) {
      process.stderr.write(`built ${made} in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    }
  }
  const buildS = (performance.now() - t0) / 1000;
  db.pragma('optimize');
  db.close();
  return { buildS, duplicates };
}

async function main(): Promise<void> {
  const families = Math.ceil(N / FAMILY);
  const { buildS, duplicates } =
    values.reuse && existsSync(values.db) ? { buildS: Number.NaN, duplicates: Number.NaN } : await build();
  const size = fileSize(values.db);

  // Lookups on the index as the engine opens it: a fresh connection with default settings.
  const qdb = new Database(values.db, { readonly: true });
  const qstore = new ScamStore(qdb);
  const qr = rng(7);
  const hits: number[] = [];
  const misses: number[] = [];
  // CPU time per lookup as well as wall time: on a shared machine the wall-clock tail is mostly
  // other processes holding the cores.
  const cpu: number[] = [];
  let found = 0;
  let falseFound = 0;
  for (let i = 0; i < QUERIES; i++) {
    const isHit = i % 2 === 0;
    const tokens = isHit
      ? variant(baseText(Math.floor(qr() * families)), 0.02 + qr() * 0.13, qr)
      : // Unrelated texts use words no stored text has: every mulberry32 seed walks the same cycle,
        // so a "random" query could otherwise replay a stored family's words by chance.
        Array.from({ length: WORDS_PER_TEXT }, () => word(VOCABULARY + Math.floor(qr() * VOCABULARY)));
    const c0 = process.cpuUsage();
    const q0 = performance.now();
    const fp = fingerprintTokens(tokens);
    const matches = findMatches(qstore, fp, { minSimilarity: 0.4, limit: 4 });
    const ms = performance.now() - q0;
    const c1 = process.cpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1000);
    if (isHit) {
      hits.push(ms);
      if (matches.length) found++;
    } else {
      misses.push(ms);
      if (matches.length) falseFound++;
    }
  }
  const all = [...hits, ...misses].sort((a, b) => a - b);
  hits.sort((a, b) => a - b);
  misses.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const cpuTotal = cpu.reduce((a, b) => a + b, 0);
  const totalMs = all.reduce((a, b) => a + b, 0);
  const lsh = qdb.prepare('SELECT count(*) AS n FROM scam_lsh').get() as { n: number };
  const stored = qstore.count();
  qdb.close();
  if (!values.keep) rmSync(values.db, { force: true });

  const fmt = (xs: number[]) =>
    `p50 ${quantile(xs, 0.5).toFixed(3)} ms, p99 ${quantile(xs, 0.99).toFixed(3)} ms, max ${xs[xs.length - 1].toFixed(2)} ms`;
  process.stdout.write(
    [
      `## Known-scam lookup with ${stored.toLocaleString('en')} stored scams (${new Date().toISOString().slice(0, 10)})`,
      '',
      Number.isNaN(buildS)
        ? `- build: reused an index kept by an earlier run; ${lsh.n.toLocaleString('en')} LSH rows`
        : `- build: ${buildS.toFixed(0)} s through ScamStore.add (${Math.round(N / buildS).toLocaleString('en')} scams/s), ${duplicates} duplicate texts skipped; ${lsh.n.toLocaleString('en')} LSH rows`,
      `- index size: ${(size / 1e6).toFixed(0)} MB (${Math.round(size / stored)} bytes per scam)`,
      `- ${QUERIES} lookups (fingerprint + LSH probe + verification), one connection, one core:`,
      `  - all: ${fmt(all)}; ${Math.round((1000 * all.length) / totalMs).toLocaleString('en')} queries/s`,
      `  - re-worded copies of stored campaigns: ${fmt(hits)}; found ${found} of ${hits.length}`,
      `  - unrelated texts: ${fmt(misses)}; matched ${falseFound} of ${misses.length}`,
      `  - CPU time per lookup: ${fmt(cpu)}; ${Math.round((1000 * cpu.length) / cpuTotal).toLocaleString('en')} queries per CPU-second`,
      `- load average while measuring: ${(await import('node:os'))
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
      `- machine: ${(await import('node:os')).cpus().length} cores, Node ${process.version}`,
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  process.stderr.write(`scams-lookup: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
