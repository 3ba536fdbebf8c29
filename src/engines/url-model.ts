// URL classifier engine: a logistic model over the lexical and structural features of one link's address
// (data/model/url.json, fitted by `suspect train --what url`). It reads the address only; it never visits it.

import { existsSync } from 'node:fs';
import { explainScore } from '../ml/explain.js';
import { type LoadedHashedModel, loadModelFile } from '../ml/model-file.js';
import { URL_MODEL_PATH } from '../ml/paths.js';
import { describeUrlFeature, urlFeatures } from '../ml/url-features.js';
import type { Engine, EngineOutcome, Finding, Target } from '../types.js';

/** Below this probability no finding is reported: it would be noise in the report. */
export const MIN_REPORTED_PROBABILITY = 0.5;
/** Reasons shown per link. */
const TOP_REASONS = 4;

let cache: { path: string; model: LoadedHashedModel | null } | undefined;

/** The shipped model, loaded once; null when the file is absent (the engine then says "unknown"). */
export function urlModel(path = URL_MODEL_PATH): LoadedHashedModel | null {
  if (cache?.path !== path) cache = { path, model: existsSync(path) ? loadModelFile(path) : null };
  return cache.model;
}

/**
 * Results kept per URL: a message repeats the same address (HTML and text parts, header and footer), and
 * a mailbox run sees the same tracking links again and again. Bounded so a flood of unique URLs cannot
 * grow memory: the table is simply cleared when full.
 */
const MAX_CACHED_URLS = 4096;
const resultCache = new Map<string, { model: LoadedHashedModel; outcome: EngineOutcome }>();

export function analyseUrlWithModel(url: string, targetId: string, model: LoadedHashedModel): EngineOutcome {
  const hit = resultCache.get(url);
  if (hit && hit.model === model) {
    return { ...hit.outcome, findings: hit.outcome.findings.map((f) => ({ ...f, targetId })) };
  }
  const outcome = scoreUrl(url, targetId, model);
  if (resultCache.size >= MAX_CACHED_URLS) resultCache.clear();
  resultCache.set(url, { model, outcome });
  return outcome;
}

function scoreUrl(url: string, targetId: string, model: LoadedHashedModel): EngineOutcome {
  const feats = urlFeatures(url);
  const { probability, top } = explainScore(
    model,
    feats,
    (f) => f.name,
    (f) => f.value,
    TOP_REASONS * 3,
  );
  const threshold = model.file.threshold;
  const flagged = probability >= threshold;
  const findings: Finding[] = [];
  if (probability >= MIN_REPORTED_PROBABILITY) {
    // Named features first ("3 subdomains", "the word 'login'"): a person checks those at a glance;
    // letter sequences of the host only fill in when little else weighed.
    const ranked = [
      ...top.filter((c) => !c.feature.name.startsWith('g:')),
      ...top.filter((c) => c.feature.name.startsWith('g:')),
    ];
    const reasons = ranked.slice(0, TOP_REASONS).map((c) => describeUrlFeature(c.feature));
    const pct = Math.round(probability * 100);
    findings.push({
      code: 'url_model.phishy',
      engine: 'url-model',
      targetId,
      severity: flagged ? 'medium' : 'info',
      strength: probability,
      message: `The address looks like a phishing link to the URL model (${pct}% likely)${reasons.length ? `: ${reasons.join('; ')}` : ''}.`,
      evidence: {
        url,
        probability: Math.round(probability * 1000) / 1000,
        threshold,
        reasons,
        features: ranked.slice(0, TOP_REASONS).map((c) => ({
          feature: c.feature.name,
          contribution: Math.round(c.contribution * 100) / 100,
        })),
        model: model.file.version,
      },
    });
  }
  return { status: flagged ? 'suspicious' : 'clean', findings };
}

export const urlModelEngine: Engine = {
  name: 'url-model',
  version: '1.0.0',
  kind: 'local',
  targets: ['link'],
  dataVersion: () => urlModel()?.file.version,
  applies: (t: Target) => t.kind === 'link' && /^https?$/.test(t.link.scheme) && Boolean(t.link.hostAscii),
  analyse(target: Target): EngineOutcome {
    if (target.kind !== 'link') return { status: 'skipped', findings: [] };
    const model = urlModel();
    if (!model)
      return { status: 'unknown', findings: [], note: 'no URL model file (run `suspect train --what url`)' };
    return analyseUrlWithModel(target.link.url, target.id, model);
  },
};
