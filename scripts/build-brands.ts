// Builds data/intel/brands.json, the curated brand → official domains list used by the lookalike
// engine, from the hand-curated table in scripts/brands-curated.ts and the phishing counts in
// ../shared/intel/derived/phished_brand_frequency.csv.gz (PhishTank + JPCERT target brands).
//
//   npx tsx scripts/build-brands.ts
//
// Prints the most phished brands that no curated entry covers, so the table can be extended by hand.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { getDomain } from 'tldts';
import { CURATED_BRANDS } from './brands-curated.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sharedDir = path.resolve(repoRoot, '../shared');
const freqFile = path.join(sharedDir, 'intel/derived/phished_brand_frequency.csv.gz');
const outFile = path.join(repoRoot, 'data/intel/brands.json');

/** Brands with fewer phishing reports than this that are not curated are not worth listing. */
const REPORT_UNCOVERED_MIN = 20;

const counts = new Map<string, number>();
if (existsSync(freqFile)) {
  const lines = gunzipSync(readFileSync(freqFile)).toString('utf8').split('\n').slice(1);
  for (const line of lines) {
    const m = /^([^,]*),(.*),(\d+)$/.exec(line.trim());
    if (!m) continue;
    const name = m[2].replace(/^"|"$/g, '');
    counts.set(name, (counts.get(name) ?? 0) + Number(m[3]));
  }
} else {
  console.error(`note: ${freqFile} not found; phish counts will be 0`);
}

const covered = new Set<string>();
const brands = CURATED_BRANDS.map((b) => {
  for (const d of b.domains) {
    // A listed official domain must be a host tldts understands (a registrable domain or a suffix).
    if (!/^[a-z0-9.-]+$/.test(d) || !d.includes('.')) throw new Error(`${b.name}: bad domain ${d}`);
    if (!getDomain(d, { allowPrivateDomains: true }) && !d.endsWith('.gov.uk') && d !== 'gov.uk')
      console.error(`note: ${b.name}: ${d} is a public suffix`);
  }
  for (const k of b.keywords) if (!/^[a-z0-9-]{2,}$/.test(k)) throw new Error(`${b.name}: bad keyword ${k}`);
  const aliases = b.aliases ?? [b.name];
  let phishCount = 0;
  for (const a of aliases) {
    phishCount += counts.get(a) ?? 0;
    covered.add(a);
  }
  return {
    name: b.name,
    sector: b.sector,
    domains: [...new Set(b.domains)],
    keywords: [...new Set(b.keywords)],
    commonWord: b.commonWord === true,
    anyCcTld: b.anyCcTld === true,
    phishCount,
  };
});
brands.sort((a, b) => b.phishCount - a.phishCount || a.name.localeCompare(b.name));

const uncovered = [...counts]
  .filter(([name, n]) => !covered.has(name) && n >= REPORT_UNCOVERED_MIN && name !== 'Other')
  .sort((a, b) => b[1] - a[1]);
if (uncovered.length) {
  console.error(`phished brands not curated (≥ ${REPORT_UNCOVERED_MIN} reports):`);
  console.error(uncovered.map(([n, c]) => `  ${n} (${c})`).join('\n'));
}

const out = {
  schema: 'suspect.brands/1',
  description:
    'Curated brand → official domains for lookalike detection. Built by scripts/build-brands.ts from scripts/brands-curated.ts; ordered by phishing reports (PhishTank + JPCERT counts).',
  brands,
};
writeFileSync(outFile, `${JSON.stringify(out, null, 1)}\n`);
console.error(`wrote ${brands.length} brands to ${path.relative(repoRoot, outFile)}`);
