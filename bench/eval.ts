// Cross-validated detection figures of the whole pipeline on ../shared/corpus, from the caches that
// `suspect train --what score` fills (/tmp): the verdict weights are refitted per fold (grouped by corpus
// and month) on messages reduced to sender-controlled headers, and each message is scored by the fold
// model that never saw it, both reduced and with all its headers. Then the throughput of the pipeline with
// and without the two model engines.
//
//   npx tsx bench/eval.ts [--every 2] [--throughput 300] [--peers-sample DIR]
//
// --peers-sample DIR writes DIR/sample.csv (500 phish + 500 ham of the cross-validated messages, in the
// peers kit's format) and DIR/suspect-dangerous.csv, DIR/suspect-warning.csv (Suspect's cross-validated
// outcome for each, in scan.py's output format), so that ../shared/bench/peers/metrics.py can put
// Suspect, SpamAssassin and Rspamd side by side on the same messages:
//   python3 scan.py rspamd DIR/sample.csv /tmp/corpus DIR/rspamd.csv --parallel 2   (and spamassassin)
//   python3 metrics.py DIR/suspect-dangerous.csv:Suspect DIR/rspamd.csv:Rspamd DIR/sa.csv:SpamAssassin
//
// Skips with a message when ../shared is absent.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { analyseRaw } from '../src/analyse.js';
import { allEngines } from '../src/engines/registry.js';
import { readManifest } from '../src/ml/corpus.js';
import { cacheFindings, findingsCachePath } from '../src/ml/findings-cache.js';
import { DEFAULT_CORPUS_DIR, REPO_ROOT } from '../src/ml/paths.js';
import { ensureCorpus, readTextOof, scoreSample } from '../src/ml/pipeline.js';
import { examplesFrom, fitScoringModel } from '../src/ml/train-score.js';

const shared = path.resolve(REPO_ROOT, '../shared');
if (!existsSync(shared)) {
  console.log(`skipped: ${shared} is absent (the development corpus is not on this machine)`);
  process.exit(0);
}
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const every = arg('--every', 2);
const throughputN = arg('--throughput', 300);
const log = (s: string) => process.stderr.write(`${s}\n`);
const p = { shared, corpusDir: DEFAULT_CORPUS_DIR };

const rows = scoreSample(ensureCorpus(p, log), every);
const oof = readTextOof(p);
if (!oof) {
  console.log('run `suspect train --what text` first: it writes the cross-validated text scores this needs');
  process.exit(0);
}
const reduced = await cacheFindings(rows, p.corpusDir, {
  reduced: true,
  log,
  cachePath: findingsCachePath(true),
});
const raw = await cacheFindings(rows, p.corpusDir, {
  reduced: false,
  log,
  cachePath: findingsCachePath(false),
});
const keep = new Set(rows.map((r) => r.sha256));
const only = (m: typeof raw) => new Map([...m].filter(([k]) => keep.has(k)));
const ex = (m: typeof raw) => examplesFrom(only(m), oof.scores, oof.threshold);
const fit = fitScoringModel(ex(reduced), log, 'bench', { 'same folds, all headers': ex(raw) });
const { report, model } = fit;
console.log(`## Whole pipeline, cross-validated (1 message in ${every} of the corpus)\n`);
console.log(
  `Thresholds: suspicious ${model.thresholds.suspicious}, dangerous ${model.thresholds.dangerous}\n`,
);
console.log(report);

const peersAt = process.argv.indexOf('--peers-sample');
if (peersAt >= 0) {
  const dir = process.argv[peersAt + 1];
  mkdirSync(dir, { recursive: true });
  // The first 500 of each class in the sample's hash order: deterministic, spread over sources and months.
  const pick = (label: string) =>
    rows.filter((r) => r.label === label && fit.oof.has(r.sha256)).slice(0, 500);
  const sample = [...pick('phish'), ...pick('ham')];
  writeFileSync(
    path.join(dir, 'sample.csv'),
    `id,label,source,path\n${sample.map((r, i) => `${i},${r.label},${r.source},${r.path}`).join('\n')}\n`,
  );
  // Cross-validated probability against the thresholds (the probability-only row of the report: the
  // severity floors change nothing there). 'warning' counts suspicious or worse, as Rspamd's any action.
  for (const [name, thr] of [
    ['dangerous', model.thresholds.dangerous],
    ['warning', model.thresholds.suspicious],
  ] as const) {
    const lines = sample.map((r, i) => {
      const prob = fit.oof.get(r.sha256)!;
      return `${i},${r.label},${r.source},${r.path},${prob.toFixed(6)},${thr},,${prob >= thr ? 1 : 0},,,`;
    });
    writeFileSync(
      path.join(dir, `suspect-${name}.csv`),
      `id,label,source,path,score,threshold,action,flagged,latency_ms,symbols,error\n${lines.join('\n')}\n`,
    );
  }
  console.log(`\nwrote ${dir}/sample.csv (${sample.length} messages) and Suspect's cross-validated results`);
}

if (throughputN > 0) {
  const sample = scoreSample(readManifest(path.join(shared, 'corpus/manifest.csv')), 1).slice(0, throughputN);
  const bytes = sample.map((r) => new Uint8Array(readFileSync(path.join(p.corpusDir, r.path))));
  const withModels = allEngines();
  const without = withModels.filter((e) => e.name !== 'url-model' && e.name !== 'text-model');
  const time = async (engines: typeof withModels) => {
    const t0 = performance.now();
    for (const b of bytes) await analyseRaw(b, { kind: 'eml' }, { engines });
    return (bytes.length * 1000) / (performance.now() - t0);
  };
  // Warm-up of both (each engine's data loaded, its code compiled), then alternated rounds: the machine's
  // speed drifts, and a single run of each favoured whichever ran warm.
  await time(without);
  await time(withModels);
  const ROUNDS = 5;
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    a.push(await time(without));
    b.push(await time(withModels));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const [ma, mb] = [median(a), median(b)];
  console.log(
    `\n## Throughput on ${bytes.length} corpus messages, one at a time, ${ROUNDS} alternated rounds\n`,
  );
  console.log(
    `without url-model and text-model: ${ma.toFixed(1)} msgs/s (${a.map((x) => x.toFixed(0)).join(' ')}); with them: ${mb.toFixed(1)} msgs/s (${b.map((x) => x.toFixed(0)).join(' ')}); medians ${(((mb - ma) / ma) * 100).toFixed(0)}%`,
  );
}
