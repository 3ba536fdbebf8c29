// Where the models and the development data live, relative to the repository.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export const REPO_ROOT = findRepoRoot();
export const MODEL_DIR = path.join(REPO_ROOT, 'data', 'model');
export const URL_MODEL_PATH = path.join(MODEL_DIR, 'url.json');
export const TEXT_MODEL_PATH = path.join(MODEL_DIR, 'text.json');
export const SCORE_WEIGHTS_PATH = path.join(MODEL_DIR, 'weights.json');
/** Verdict weights for a URL checked on its own (`suspect url`), same format as weights.json. */
export const URL_WEIGHTS_PATH = path.join(MODEL_DIR, 'url-weights.json');
/** The development data (corpus, intel), next to the repository; absent on most machines. */
export const DEFAULT_SHARED_DIR = path.resolve(REPO_ROOT, '../shared');
/** Where corpus tarballs are extracted and findings are cached between refits. */
export const DEFAULT_CORPUS_DIR = '/tmp/corpus';
export const FINDINGS_CACHE_PATH = '/tmp/suspect-findings-cache.jsonl';
