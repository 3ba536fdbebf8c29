// The steps of `suspect train`: each regenerates one model file in data/model/ from ../shared data,
// reproducibly (fixed seeds, fixed splits), with progress on stderr.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { corpusExtracted, type ManifestRow, readManifest } from './corpus.js';
import { corpusTextRows } from './corpus-text.js';
import { cacheFindings, findingsCachePath } from './findings-cache.js';
import { fnv1a } from './hash.js';
import { SCORE_WEIGHTS_PATH, TEXT_MODEL_PATH, URL_MODEL_PATH, URL_WEIGHTS_PATH } from './paths.js';
import { examplesFrom, fitScoringModel } from './train-score.js';
import { crossValidateText, trainTextModel } from './train-text.js';
import { trainUrlModel } from './train-url.js';
import { fitUrlScoringModel } from './train-url-score.js';

export type Log = (s: string) => void;

/** Model files must stay small enough to commit and load fast. */
export const MAX_MODEL_FILE_BYTES = 2 * 1024 * 1024;
/** Where parsed features, findings and cross-validated scores are cached between runs. */
export const DEFAULT_CACHE_DIR = '/tmp';

export interface TrainPaths {
  shared: string;
  /** Where the corpus tarballs are (or get) extracted. */
  corpusDir: string;
  modelDir?: string;
  /** Cache folder (default /tmp); tests point it elsewhere so they never touch the real caches. */
  cacheDir?: string;
}

const cacheFile = (p: TrainPaths, name: string) => path.join(p.cacheDir ?? DEFAULT_CACHE_DIR, name);
/** Cross-validated text-model scores, kept for the score fit and `bench/eval.ts`. */
export const textOofPath = (p: TrainPaths) => cacheFile(p, 'suspect-text-oof.json');

function writeModel(file: string, data: unknown, log: Log): void {
  const json = JSON.stringify(data);
  if (json.length > MAX_MODEL_FILE_BYTES)
    throw new Error(`${file} would be ${json.length} bytes, over ${MAX_MODEL_FILE_BYTES}`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${json}\n`);
  log(`wrote ${file} (${(json.length / 1024).toFixed(0)} KiB)`);
}

function modelPath(p: TrainPaths, fallback: string): string {
  return p.modelDir ? path.join(p.modelDir, path.basename(fallback)) : fallback;
}

export function trainUrl(p: TrainPaths, log: Log): string {
  const intel = path.join(p.shared, 'intel');
  if (!existsSync(intel)) throw new Error(`no URL data: ${intel} is absent`);
  const { model, report } = trainUrlModel(intel, log);
  writeModel(modelPath(p, URL_MODEL_PATH), model, log);
  return report;
}

/** Verdict weights for URLs checked on their own (`suspect url`); needs the URL model first. */
export async function trainUrlScore(p: TrainPaths, log: Log): Promise<string> {
  const intel = path.join(p.shared, 'intel');
  if (!existsSync(intel)) throw new Error(`no URL data: ${intel} is absent`);
  const { model, report } = await fitUrlScoringModel(intel, log);
  writeModel(modelPath(p, URL_WEIGHTS_PATH), model, log);
  return report;
}

/** Extracts the corpus tarballs into corpusDir unless they are there already (another run may have). */
export function ensureCorpus(p: TrainPaths, log: Log): ManifestRow[] {
  const manifest = path.join(p.shared, 'corpus', 'manifest.csv');
  if (!existsSync(manifest)) throw new Error(`no corpus: ${manifest} is absent`);
  const rows = readManifest(manifest);
  if (!corpusExtracted(p.corpusDir, rows)) {
    mkdirSync(p.corpusDir, { recursive: true });
    for (const t of readdirSync(path.join(p.shared, 'corpus'))
      .filter((f) => f.endsWith('.tar.gz'))
      .sort()) {
      log(`extracting ${t} into ${p.corpusDir}`);
      execFileSync('tar', ['-xzf', path.join(p.shared, 'corpus', t), '-C', p.corpusDir]);
    }
  }
  return rows;
}

export async function trainText(p: TrainPaths, log: Log): Promise<string> {
  const rows = await corpusTextRows(
    ensureCorpus(p, log),
    p.corpusDir,
    log,
    cacheFile(p, 'suspect-text-features.jsonl'),
  );
  const cv = crossValidateText(rows, log);
  writeFileSync(
    textOofPath(p),
    JSON.stringify({
      threshold: cv.threshold,
      scores: Object.fromEntries(cv.oof),
    }),
  );
  writeModel(modelPath(p, TEXT_MODEL_PATH), trainTextModel(rows, cv.threshold, cv.report, log), log);
  return cv.report;
}

export interface TextOof {
  threshold: number;
  scores: Map<string, number>;
}

export function readTextOof(p: TrainPaths): TextOof | undefined {
  if (!existsSync(textOofPath(p))) return undefined;
  const j = JSON.parse(readFileSync(textOofPath(p), 'utf8'));
  return {
    threshold: j.threshold,
    scores: new Map(Object.entries(j.scores)),
  };
}

/**
 * Messages of the corpus used for the score fit: one in `every` (by a hash of the content, so the same
 * ones each run). The full pipeline analyses ~10 messages/s on two shared cores, so the default, 2,
 * keeps a full regeneration under an hour on such a machine.
 */
export const SCORE_SAMPLE_EVERY = 2;

export function scoreSample(rows: ManifestRow[], every = SCORE_SAMPLE_EVERY): ManifestRow[] {
  return rows
    .filter((r) => fnv1a(`s${r.sha256}`) % every === 0)
    .sort((a, b) => fnv1a(a.sha256) - fnv1a(b.sha256));
}

export async function trainScore(p: TrainPaths, log: Log, options: { every?: number } = {}): Promise<string> {
  const rows = scoreSample(ensureCorpus(p, log), options.every);
  let oof = readTextOof(p);
  if (!oof) {
    log('score: no cross-validated text scores yet; running the text step first');
    await trainText(p, log);
    oof = readTextOof(p)!;
  }
  // Fitted on messages reduced to the headers their sender controls: the corpora were received by
  // different servers, and weights fitted on receiver-added headers would learn which server, not scams.
  const reduced = await cacheFindings(rows, p.corpusDir, {
    reduced: true,
    log,
    cachePath: cacheFile(p, path.basename(findingsCachePath(true))),
  });
  const raw = await cacheFindings(rows, p.corpusDir, {
    reduced: false,
    log,
    cachePath: cacheFile(p, path.basename(findingsCachePath(false))),
  });
  // Only the sampled messages, whatever else an earlier run left in the cache: the fit stays reproducible.
  const keep = new Set(rows.map((r) => r.sha256));
  const ex = (c: typeof raw) =>
    examplesFrom(new Map([...c].filter(([k]) => keep.has(k))), oof.scores, oof.threshold);
  const { model, report } = fitScoringModel(
    ex(reduced),
    log,
    'findings of the full pipeline on ../shared/corpus, messages reduced to sender-controlled headers',
    { 'same folds, all headers': ex(raw) },
  );
  writeModel(modelPath(p, SCORE_WEIGHTS_PATH), model, log);
  return report;
}
