// Generates data/exchange/builds.json from the two Microsoft build tables kept in ../shared/exchange:
//   ms_ExchangeBuildNumbers.csv               microsoft/Get-ExchangeBuildNumber (MIT)
//   exchange_builds_from_healthchecker.json   microsoft/CSS-Exchange HealthChecker build dictionary (MIT)
// Where the two disagree on a build, the lower one is kept and the disagreement is listed in the output.
//
// Usage: npx tsx scripts/exchange-builds.ts [--from DIR] [--out FILE] [--check]
//   --check  exit 1 if the committed file differs from what would be generated (for CI).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  mergeBuildTables,
  parseHealthChecker,
  parseMsCsv,
  serializeBuildTable,
} from '../src/exchange/builds/generate.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const from = arg('--from', path.resolve(repoRoot, '../shared/exchange'));
const out = arg('--out', path.join(repoRoot, 'data/exchange/builds.json'));
const csvPath = path.join(from, 'ms_ExchangeBuildNumbers.csv');
const hcPath = path.join(from, 'exchange_builds_from_healthchecker.json');

if (!existsSync(csvPath) || !existsSync(hcPath)) {
  process.stderr.write(
    `exchange-builds: source files not found in ${from} (need ${path.basename(csvPath)} and ${path.basename(hcPath)})\n`,
  );
  process.exit(2);
}

const table = mergeBuildTables(
  parseMsCsv(readFileSync(csvPath, 'utf8')),
  parseHealthChecker(JSON.parse(readFileSync(hcPath, 'utf8'))),
);
const text = serializeBuildTable(table);

if (process.argv.includes('--check')) {
  const same = existsSync(out) && readFileSync(out, 'utf8') === text;
  process.stdout.write(
    same ? `${out} is up to date\n` : `${out} is out of date: run npx tsx scripts/exchange-builds.ts\n`,
  );
  process.exit(same ? 0 : 1);
}
writeFileSync(out, text);
process.stdout.write(
  `wrote ${path.relative(repoRoot, out)}: ${table.builds.length} builds, ${table.disagreements.length} disagreements\n`,
);
for (const d of table.disagreements) {
  process.stdout.write(
    `  ${d.product} ${d.cu} ${d.update}: MS ${d.ms}, HealthChecker ${d.healthchecker} → ${d.used}\n`,
  );
}
