// Suspect's verdict on hand-written modern legitimate mail (test/fixtures/legit): receipts, shipping
// notices, password resets, sign-in codes, statements, newsletters. The development corpus has little
// of this, so these false positives do not show in the cross-validated figures.
//
//   npx tsx bench/legit-mail.ts [--json]

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analyseRaw } from '../src/analyse.js';
import { REPO_ROOT } from '../src/ml/paths.js';

const dir = path.join(REPO_ROOT, 'test/fixtures/legit');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.eml'))
  .sort();
const rows: { file: string; verdict: string; score: number; reason: string }[] = [];
for (const f of files) {
  const r = await analyseRaw(readFileSync(path.join(dir, f)), { kind: 'eml', file: f });
  rows.push({ file: f, verdict: r.verdict, score: r.score, reason: r.reasons[0]?.text ?? '' });
}
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log('| message | verdict | score | first reason |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.file} | ${r.verdict} | ${r.score} | ${r.reason.slice(0, 110)} |`);
  const count = (v: string) => rows.filter((r) => r.verdict === v).length;
  console.log(
    `\n${rows.length} legitimate messages: ${count('safe')} safe, ${count('suspicious')} suspicious, ${count('dangerous')} dangerous`,
  );
}
