// Known-scam matching on ../shared/corpus: index the phishing_pot phishing of 2022–2023, then query
// with the 2024 phishing (should match: scams do the rounds) and with every ham message (must not).
// Also queries everything against the shipped hand-written seed alone, to measure its false matches.
//
//   npx tsx bench/scams-corpus.ts [--shared ../shared] [--corpus-dir /tmp/corpus] [--out /tmp/scams-corpus.sqlite]

import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildCorpusIndex,
  type CorpusRow,
  ensureCorpusExtracted,
  fingerprintFile,
  inMonths,
  REPO_ROOT,
  readManifest,
} from '../scripts/build-scam-seed.js';
import { MALICIOUS_SIMILARITY, SUSPICIOUS_SIMILARITY } from '../src/engines/scam-match.js';
import { findMatches } from '../src/scams/match.js';
import { seedOnlyStore } from '../src/scams/seed.js';
import type { ScamStore } from '../src/scams/store.js';

const THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

const { values } = parseArgs({
  options: {
    shared: { type: 'string', default: path.resolve(REPO_ROOT, '../shared') },
    'corpus-dir': { type: 'string', default: '/tmp/corpus' },
    out: { type: 'string', default: `/tmp/scams-corpus-${process.pid}.sqlite` },
    limit: { type: 'string' },
  },
});

interface Group {
  name: string;
  rows: CorpusRow[];
}

interface GroupResult {
  name: string;
  queried: number;
  usable: number;
  best: number[];
  examples: { path: string; sim: number; title: string; firstSeen?: string }[];
  latenciesMs: number[];
}

async function queryGroup(store: ScamStore, group: Group, corpusDir: string): Promise<GroupResult> {
  const res: GroupResult = {
    name: group.name,
    queried: 0,
    usable: 0,
    best: [],
    examples: [],
    latenciesMs: [],
  };
  for (const row of group.rows) {
    res.queried++;
    const got = await fingerprintFile(path.join(corpusDir, row.path));
    if (!got?.fp.usable) continue;
    res.usable++;
    const t0 = performance.now();
    const [best] = findMatches(store, got.fp, { minSimilarity: 0.2, limit: 1 });
    res.latenciesMs.push(performance.now() - t0);
    const sim = best?.similarity ?? 0;
    res.best.push(sim);
    if (best && sim >= SUSPICIOUS_SIMILARITY && res.examples.length < 400) {
      res.examples.push({ path: row.path, sim, title: best.scam.title, firstSeen: best.scam.firstSeen });
    }
  }
  return res;
}

function pct(n: number, d: number): string {
  return d ? `${((100 * n) / d).toFixed(1)}%` : '–';
}

function quantile(xs: number[], q: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

function table(results: GroupResult[]): string {
  const head = `| queries | messages | with enough text | ${THRESHOLDS.map((t) => `≥ ${t}`).join(' | ')} | lookup p50 / p99 ms |`;
  const sep = `|---|---|---|${THRESHOLDS.map(() => '---').join('|')}|---|`;
  const lines = results.map((r) => {
    const cells = THRESHOLDS.map((t) => {
      const n = r.best.filter((s) => s >= t).length;
      return `${n} (${pct(n, r.usable)})`;
    });
    const lat = `${quantile(r.latenciesMs, 0.5).toFixed(2)} / ${quantile(r.latenciesMs, 0.99).toFixed(2)}`;
    return `| ${r.name} | ${r.queried} | ${r.usable} | ${cells.join(' | ')} | ${lat} |`;
  });
  return [head, sep, ...lines].join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(path.join(values.shared, 'corpus', 'manifest.csv'))) {
    process.stderr.write(`skipped: no corpus at ${values.shared}/corpus (this bench needs ../shared)\n`);
    return;
  }
  const limit = values.limit ? Number(values.limit) : Number.POSITIVE_INFINITY;
  const manifest = readManifest(values.shared);
  const hamSources = [...new Set(manifest.filter((r) => r.label === 'ham').map((r) => r.source))].sort();
  ensureCorpusExtracted(values.shared, values['corpus-dir'], [...new Set(manifest.map((r) => r.source))]);

  const t0 = performance.now();
  const { store, indexed, tooShort, duplicates } = await buildCorpusIndex({
    sharedDir: values.shared,
    corpusDir: values['corpus-dir'],
    out: values.out,
    from: '2022-01',
    to: '2023-12',
  });
  const buildS = (performance.now() - t0) / 1000;
  process.stderr.write(`indexed ${indexed} phishing of 2022–2023 in ${buildS.toFixed(1)} s\n`);

  const take = (rows: CorpusRow[]) => rows.slice(0, limit);
  const groups: Group[] = [
    {
      name: 'phishing_pot phish 2024',
      rows: take(manifest.filter((r) => r.source === 'phishing_pot' && inMonths(r, '2024-01', '2024-12'))),
    },
    ...hamSources.map((s) => ({
      name: `${s} ham`,
      rows: take(manifest.filter((r) => r.source === s && r.label === 'ham')),
    })),
    { name: 'nazario phish 2004–05', rows: take(manifest.filter((r) => r.source === 'nazario')) },
    { name: 'spam (all sources)', rows: take(manifest.filter((r) => r.label === 'spam')) },
  ];
  const corpusResults: GroupResult[] = [];
  for (const g of groups) {
    process.stderr.write(`querying ${g.name} (${g.rows.length})\n`);
    corpusResults.push(await queryGroup(store, g, values['corpus-dir']));
  }
  const seedStore = seedOnlyStore();
  const seedResults: GroupResult[] = [];
  for (const g of [groups[0], ...groups.slice(1, 1 + hamSources.length)]) {
    process.stderr.write(`querying the seed with ${g.name}\n`);
    seedResults.push(await queryGroup(seedStore, g, values['corpus-dir']));
  }

  const allHam = corpusResults.slice(1, 1 + hamSources.length);
  const hamAt = (t: number) => allHam.reduce((n, r) => n + r.best.filter((s) => s >= t).length, 0);
  const hamUsable = allHam.reduce((n, r) => n + r.usable, 0);
  const phish = corpusResults[0];
  const out = [
    `## Known-scam matching on ../shared/corpus (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Index: ${indexed} phishing_pot phishing messages dated 2022-01 to 2023-12 (another ${duplicates} had the same normalised text as one already indexed, ${tooShort} had too little text), built in ${buildS.toFixed(1)} s.`,
    `Engine thresholds: suspicious ≥ ${SUSPICIOUS_SIMILARITY}, malicious ≥ ${MALICIOUS_SIMILARITY}. Cells: messages whose best match reaches the similarity (share of messages with enough text).`,
    '',
    table(corpusResults),
    '',
    `All ham: ${hamAt(SUSPICIOUS_SIMILARITY)} of ${hamUsable} at ≥ ${SUSPICIOUS_SIMILARITY} (${pct(hamAt(SUSPICIOUS_SIMILARITY), hamUsable)}), ${hamAt(MALICIOUS_SIMILARITY)} at ≥ ${MALICIOUS_SIMILARITY} (${pct(hamAt(MALICIOUS_SIMILARITY), hamUsable)}).`,
    `2024 phishing: ${phish.best.filter((s) => s >= SUSPICIOUS_SIMILARITY).length} of ${phish.usable} at ≥ ${SUSPICIOUS_SIMILARITY}, ${phish.best.filter((s) => s >= MALICIOUS_SIMILARITY).length} at ≥ ${MALICIOUS_SIMILARITY}.`,
    '',
    '### The shipped hand-written seed alone (data/scams/seed.json)',
    '',
    table(seedResults),
    '',
    '### Ham that reached the suspicious threshold against the phishing index',
    '',
    ...allHam.flatMap((r) =>
      r.examples.map((e) => `- ${e.path}: ${e.sim.toFixed(2)} vs "${e.title}" (${e.firstSeen})`),
    ),
    ...seedResults
      .slice(1)
      .flatMap((r) => r.examples.map((e) => `- seed: ${e.path}: ${e.sim.toFixed(2)} vs "${e.title}"`)),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  store.db.close();
  rmSync(values.out, { force: true });
}

main().catch((err) => {
  process.stderr.write(`scams-corpus: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
