// Evaluates the intel engines on data they were not tuned on (../shared/intel):
//
//  1. Lookalike false alarms on popular-but-not-top domains: Majestic ranks 5,001–15,000 and
//     Cisco Umbrella names outside Majestic's top 5,000, with the popular reference cut to
//     Majestic's top 5,000 so the evaluated domains get no "popular" free pass.
//  2. Lookalike recall on phishing: JPCERT (2019–2024) and PhishTank URLs whose target brand is in
//     the curated list, and all OpenPhish (2024-10 – 2025-12) URLs.
//  3. Blocklist cost per link against the shipped snapshot, and its coverage of OpenPhish URLs.
//
//   npx tsx bench/intel-eval.ts [--limit N]      # writes nothing; paste the output into bench/RESULTS-intel.md

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { BlocklistIndex } from '../src/intel/blocklist.js';
import { splitHost } from '../src/intel/domains.js';
import { brandInPath, brandLookalike } from '../src/intel/lookalike.js';
import { type Brand, buildReference, officialBrandOf, referenceLists } from '../src/intel/reference.js';
import { ensureSnapshot } from '../src/intel/snapshot.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(repoRoot, '../shared/intel');
if (!existsSync(shared)) {
  console.error(`skipped: ${shared} not found (the evaluation needs the shared development data)`);
  process.exit(0);
}
const limitArg = process.argv.indexOf('--limit');
const LIMIT = limitArg > 0 ? Number(process.argv[limitArg + 1]) : 20_000;

const read = (rel: string) => gunzipSync(readFileSync(path.join(shared, rel))).toString('utf8');
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(2)}%` : 'n/a');

/** Deterministic sample: every k-th item, so reruns give the same numbers. */
function sample<T>(xs: T[], n: number): T[] {
  if (xs.length <= n) return xs;
  const step = xs.length / n;
  return Array.from({ length: n }, (_, i) => xs[Math.floor(i * step)]);
}

const full = referenceLists();
const majestic = read('popular/majestic_million.top15k.2026-03.csv.gz')
  .split('\n')
  .slice(1)
  .map((r) => r.split(',')[2]?.toLowerCase())
  .filter((d): d is string => Boolean(d));
const top5k = majestic.slice(0, 5000);
const heldOutRef = buildReference(full.brands, full.sharedHosting, top5k);

// ── 1. False alarms on popular-but-not-top domains ──
function falseAlarms(label: string, domains: string[]) {
  const flagged: string[] = [];
  let official = 0;
  const c0 = process.cpuUsage();
  for (const d of domains) {
    if (officialBrandOf(d, heldOutRef)) {
      official++;
      continue;
    }
    const m = brandLookalike(d, heldOutRef);
    if (m) flagged.push(`${d} → ${m.reference} (${m.kind})`);
  }
  const cpuUs = process.cpuUsage(c0).user;
  const n = domains.length - official;
  console.log(`\n### ${label}\n`);
  console.log(
    `domains: ${n} (after ${official} official brand domains), flagged: ${flagged.length}, FP rate ${pct(flagged.length, n)}, ${(cpuUs / domains.length).toFixed(0)} µs CPU/domain`,
  );
  console.log(`examples: ${flagged.slice(0, 25).join('; ')}`);
  return { n, fp: flagged.length };
}

console.log('## Lookalike false alarms (popular reference cut to Majestic top 5,000)');
const majesticHeldOut = majestic.slice(5000, 15000);
falseAlarms('Majestic ranks 5,001–15,000', majesticHeldOut);
const top5kSet = new Set(top5k);
const umbrella = [
  ...new Set(
    read('popular/umbrella-top-20k.2026-07.txt.gz')
      .split('\n')
      .map((h) => splitHost(h.trim()).registrable)
      .filter((d): d is string => Boolean(d) && !top5kSet.has(d!)),
  ),
];
falseAlarms('Cisco Umbrella top 20k registrable domains outside Majestic top 5,000', umbrella);

// ── 2. Recall on phishing ──
const brandByAlias = new Map<string, Brand>();
for (const b of full.brands) brandByAlias.set(b.name.toLowerCase(), b);
// The curated aliases live in scripts/brands-curated.ts; import them for the target mapping.
const { CURATED_BRANDS } = await import('../scripts/brands-curated.js');
for (const c of CURATED_BRANDS) {
  const b = full.brands.find((x) => x.name === c.name);
  if (b) for (const a of c.aliases ?? [c.name]) brandByAlias.set(a.toLowerCase(), b);
}

function recall(label: string, rows: { url: string; target?: string }[]) {
  let n = 0;
  let host = 0;
  let hostOrPath = 0;
  let right = 0;
  const kinds: Record<string, number> = {};
  const c0 = process.cpuUsage();
  for (const r of rows) {
    let u: URL;
    try {
      u = new URL(r.url);
    } catch {
      continue;
    }
    const h = u.hostname.toLowerCase();
    if (officialBrandOf(h)) continue; // phishing hosted on the brand's own domain (open redirects, forms) cannot be a lookalike
    n++;
    const m = brandLookalike(h);
    if (m) {
      host++;
      kinds[m.kind] = (kinds[m.kind] ?? 0) + 1;
      if (r.target && brandByAlias.get(r.target.toLowerCase())?.name === m.brand) right++;
    }
    if (m || brandInPath(u.pathname + u.search)) hostOrPath++;
  }
  const cpuUs = process.cpuUsage(c0).user;
  console.log(`\n### ${label}\n`);
  console.log(
    `URLs: ${n}; lookalike on the host: ${host} (${pct(host, n)}); host or brand-in-path: ${hostOrPath} (${pct(hostOrPath, n)}); ${(cpuUs / Math.max(1, rows.length)).toFixed(0)} µs CPU/URL`,
  );
  if (rows.some((r) => r.target))
    console.log(`host match names the reported target brand: ${right} (${pct(right, host)} of host matches)`);
  console.log(`by kind: ${JSON.stringify(kinds)}`);
}

console.log('\n## Lookalike recall on phishing URLs');
const jpcert = read('jpcert_2019-2024.csv.gz')
  .split('\n')
  .slice(1)
  .map((l) => {
    const i = l.indexOf(',');
    const j = l.lastIndexOf(',');
    return { url: l.slice(i + 1, j), target: l.slice(j + 1).trim() };
  })
  .filter((r) => r.url && brandByAlias.has(r.target.toLowerCase()));
recall('JPCERT 2019–2024, target brand in the curated list', sample(jpcert, LIMIT));
const phishtank: { url: string; target?: string }[] = [];
for (const f of ['online-valid.PhishX.csv.gz', 'online-valid.shreyagopal-2020.csv.gz']) {
  const lines = read(`phishtank/${f}`).split('\n');
  const head = lines[0].split(',');
  const iu = head.indexOf('url');
  const it = head.indexOf('target');
  for (const l of lines.slice(1)) {
    const cells = l.split(',');
    const target = cells[cells.length - 1 - (head.length - 1 - it)]?.trim();
    if (cells[iu] && target && brandByAlias.has(target.toLowerCase()))
      phishtank.push({ url: cells[iu], target });
  }
}
recall('PhishTank 2012–2020, target brand in the curated list', sample(phishtank, LIMIT));
const openphish = read('openphish_first_seen_2024-10_2025-12.csv.gz')
  .split('\n')
  .slice(1)
  .map((l) => ({ url: l.slice(0, l.lastIndexOf(',')) }))
  .filter((r) => r.url);
recall('OpenPhish 2024-10 – 2025-12, all URLs (no target brand given)', sample(openphish, LIMIT));

// ── 3. Blocklist cost and coverage ──
const db = new Database(':memory:');
const load = ensureSnapshot(db);
const idx = new BlocklistIndex(db);
const urls = sample(openphish, LIMIT).map((r) => r.url);
let hits = 0;
const c0 = process.cpuUsage();
const t0 = performance.now();
let either = 0;
for (const u of urls) {
  const listed = idx.lookup(u).length > 0;
  if (listed) hits++;
  let host = '';
  try {
    host = new URL(u).hostname;
  } catch {}
  if (listed || brandLookalike(host)) either++;
}
const perLink = (performance.now() - t0) / urls.length;
const cpuPerLink = process.cpuUsage(c0).user / urls.length;
console.log('\n## Blocklist (shipped snapshot)\n');
console.log(
  `snapshot ${load.version} attached from ${load.location} in ${load.ms.toFixed(0)} ms; blocklist lookup + lookalike per link: ${perLink.toFixed(3)} ms wall, ${(cpuPerLink / 1000).toFixed(3)} ms CPU`,
);
console.log(
  `OpenPhish URLs found on the shipped lists: ${hits} of ${urls.length} (${pct(hits, urls.length)}) — the Block List Project list (2026-07) post-dates these URLs, so this is coverage, not a prediction`,
);
console.log(
  `OpenPhish URLs flagged by the blocklist or the lookalike check: ${either} (${pct(either, urls.length)})`,
);
