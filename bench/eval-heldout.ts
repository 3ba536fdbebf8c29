// Detection on mail unlike anything trained on, from the caches `suspect train --what score` fills.
//
// A. How much of the gap to the detection goal comes from one source the folds never train on?
// newsletters_2019 is a single month (2019-10), so folds grouped by corpus and month always hold out all
// of it at once: the text model and the verdict weights meet political and advocacy newsletters for the
// first time when they are scored. This prints, from the caches `suspect train --what score` fills:
//   1. the shipped protocol's recall at 0.5% / 1% / 0.1% ham FPR, with and without newsletters as ham;
//   2. the same fits with newsletters_2019 grouped by sender organisation instead (every other corpus
//      still by month): the models have seen other senders' newsletters, never the held-out sender's.
// The headline figures stay those of the shipped protocol (1); (2) only measures the cause.
//
//   npx tsx bench/eval-grouping.ts [--every 2]      (refits the text model 13 times: minutes)
//
// Skips with a message when ../shared or the caches are absent.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { corpusTextRows } from '../src/ml/corpus-text.js';
import { findingsCachePath, readFindingsCache } from '../src/ml/findings-cache.js';
import { fmt, recallAtFpr } from '../src/ml/metrics.js';
import { DEFAULT_CORPUS_DIR, REPO_ROOT } from '../src/ml/paths.js';
import { ensureCorpus, readTextOof, scoreSample } from '../src/ml/pipeline.js';
import { examplesFrom, fitScoringModel, type ScoreExample } from '../src/ml/train-score.js';
import { crossValidateText, fitText, scoreText } from '../src/ml/train-text.js';
import { addressOrg } from '../src/sender/domains.js';
import type { Finding } from '../src/types.js';
import { scoreFindings } from '../src/verdict/score.js';

const SINGLE_MONTH_CORPUS = 'newsletters_2019';
const shared = path.resolve(REPO_ROOT, '../shared');
if (!existsSync(shared)) {
  console.log(`skipped: ${shared} is absent (the development corpus is not on this machine)`);
  process.exit(0);
}
const argOf = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const every = Number(argOf('--every', '2'));
const l2s = argOf('--l2', '0.03,0.1,0.3,1,3').split(',').map(Number);
const HELD_OUT_CORPUS = 'phishing_pot';
const p = { shared, corpusDir: DEFAULT_CORPUS_DIR };
const log = (s: string) => process.stderr.write(`${s}\n`);
const textOof = readTextOof(p);
const reducedCache = findingsCachePath(true);
if (!textOof || !existsSync(reducedCache)) {
  console.log('run `suspect train --what score` first: it fills the caches this reads');
  process.exit(0);
}
const manifest = ensureCorpus(p, log);
const rows = scoreSample(manifest, every);
const keep = new Set(rows.map((r) => r.sha256));
const cache = new Map([...(await readFindingsCache(reducedCache))].filter(([k]) => keep.has(k)));

/** The organisation in a message's From header ('' when none), read from the raw head. */
function senderOrg(file: string): string {
  const head = readFileSync(file, 'latin1').split(/\r?\n\r?\n/, 1)[0];
  const from = /^from:(.*(?:\r?\n[ \t].*)*)/im.exec(head)?.[1] ?? '';
  const address = /[^\s<>"]+@[^\s<>"]+/.exec(from)?.[0] ?? '';
  return address ? addressOrg(address) : '';
}
const orgOf = new Map(
  manifest
    .filter((r) => r.source === SINGLE_MONTH_CORPUS)
    .map((r) => [r.sha256, senderOrg(path.join(p.corpusDir, r.path))]),
);
const senders = new Set(orgOf.values());
/** The fold key is `${corpus}|${month}`: the sender joins the month for the single-month corpus. */
const regroup = <T extends { sha256: string; month: string }>(r: T): T =>
  orgOf.has(r.sha256) ? { ...r, month: `${r.month}|${orgOf.get(r.sha256)}` } : r;

function recallLine(name: string, examples: ScoreExample[], oof: Map<string, number>): string {
  const cells = [[], [SINGLE_MONTH_CORPUS]].map((drop) => {
    const pr = examples.filter((e) => e.label !== 'spam' && !drop.includes(e.corpus));
    const s = pr.map((e) => oof.get(e.sha256) ?? 0);
    const l = pr.map((e) => (e.label === 'phish' ? 1 : 0));
    return [0.005, 0.01, 0.001].map((f) => fmt(recallAtFpr(s, l, f))).join(' / ');
  });
  return `| ${name} | ${cells[0]} | ${cells[1]} |`;
}

const quiet = () => {};
console.log(`## Recall at 0.5% / 1% / 0.1% ham FPR, cross-validated verdict (1 message in ${every})\n`);
console.log('| folds | all ham | ham without newsletters_2019 |');
console.log('|---|---|---|');
const shipped = examplesFrom(cache, textOof.scores, textOof.threshold);
console.log(
  recallLine('by corpus and month (shipped protocol)', shipped, fitScoringModel(shipped, quiet, '').oof),
);

log(`text: refitting with ${SINGLE_MONTH_CORPUS} grouped by ${senders.size} sender organisations`);
const textRows = (await corpusTextRows(manifest, p.corpusDir, log)).map(regroup);
const cv = crossValidateText(textRows, quiet);
const bySender = examplesFrom(cache, cv.oof, cv.threshold).map(regroup);
const fit = fitScoringModel(bySender, quiet, '');
console.log(recallLine(`${SINGLE_MONTH_CORPUS} by sender organisation`, bySender, fit.oof));
console.log(`\nVerdict levels with ${SINGLE_MONTH_CORPUS} grouped by sender organisation:\n`);
console.log(
  fit.report
    .split('\n')
    .filter((l) => l.startsWith('|') && !l.includes('probability only'))
    .join('\n'),
);

console.log(`\n## L2 of the verdict weights: month folds vs ${HELD_OUT_CORPUS} held out of everything\n`);
const heldText = fitText(textRows.filter((r) => r.corpus !== HELD_OUT_CORPUS));
const heldScores = new Map(
  textRows.filter((r) => r.corpus === HELD_OUT_CORPUS).map((r) => [r.sha256, scoreText(heldText, r)]),
);
const heldExamples = examplesFrom(
  new Map([...cache].filter(([, m]) => m.corpus === HELD_OUT_CORPUS)),
  heldScores,
  textOof.threshold,
);
console.log(
  `| L2 | month folds: recall at 0.5% / 1% / 0.1% FPR | ${HELD_OUT_CORPUS} held out: dangerous | suspicious or worse |`,
);
console.log('|---|---|---|---|');
for (const l2 of l2s) {
  const folds = fitScoringModel(shipped, quiet, '', {}, { l2 });
  const pr = shipped.filter((e) => e.label !== 'spam');
  const s = pr.map((e) => folds.oof.get(e.sha256) ?? 0);
  const l = pr.map((e) => (e.label === 'phish' ? 1 : 0));
  const without = fitScoringModel(
    shipped.filter((e) => e.corpus !== HELD_OUT_CORPUS),
    quiet,
    '',
    {},
    { l2 },
  ).model;
  const model = { ...without, thresholds: folds.model.thresholds };
  const levels = heldExamples.map((e) => scoreFindings(e.findings as Finding[], model).level);
  const rate = (keep: (l: string) => boolean) => fmt(levels.filter(keep).length / levels.length);
  console.log(
    `| ${l2} | ${[0.005, 0.01, 0.001].map((f) => fmt(recallAtFpr(s, l, f))).join(' / ')} | ${rate((x) => x === 'dangerous')} | ${rate((x) => x !== 'safe')} |`,
  );
}
