// Fits the URL classifier on the labeled URL sets of ../shared/intel and measures it on registrable
// domains it never saw: the split is by domain (a hash of it), never by row, because URLs of one
// phishing kit share a domain and a row split would measure memory, not detection.

import { VERSION } from '../version.js';
import { bucket, fnv1a } from './hash.js';
import { predict, type SparseVector, trainLogistic } from './logistic.js';
import { type EvalSummary, summarise } from './metrics.js';
import { type HashedModelFile, toModelFile } from './model-file.js';
import { seededRandom, shuffleInPlace } from './rng.js';
import { type LabeledUrl, loadLabeledUrls, loadPopularDomains } from './url-data.js';
import { urlFeatures } from './url-features.js';

export const URL_MODEL_DIM = 1 << 17;
export const URL_SEED = 20261127;
/** URLs kept per registrable domain and label: big sites and phishing kits would otherwise dominate. */
export const MAX_PER_DOMAIN = 8;
/** Domains ranked this high are "top"; the URL goal is about popular domains below them. */
export const TOP_RANK = 1000;
/** False-positive rate the threshold is set for, on legitimate URLs of calibration domains. */
export const URL_TARGET_FPR = 0.01;

export function vectoriseUrl(url: string, dim = URL_MODEL_DIM): SparseVector {
  const feats = urlFeatures(url);
  const acc = new Map<number, number>();
  for (const f of feats) {
    const b = bucket(f.name, dim);
    acc.set(b, (acc.get(b) ?? 0) + f.value);
  }
  return { index: [...acc.keys()], value: [...acc.values()] };
}

/** Which part of the split a domain falls in: 70% train, 15% calibration, 15% test. */
export function splitOf(domain: string): 'train' | 'calib' | 'test' {
  const h = fnv1a(`split:${domain}`) % 100;
  return h < 70 ? 'train' : h < 85 ? 'calib' : 'test';
}

function dedupeKey(url: string): string {
  return url
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/$/, '');
}

export interface UrlTrainResult {
  model: HashedModelFile;
  report: string;
}

export function trainUrlModel(intelDir: string, log: (s: string) => void): UrlTrainResult {
  log('url: loading labeled URLs');
  const all = loadLabeledUrls(intelDir, log);
  if (all.length === 0) throw new Error(`no labeled URL data under ${intelDir}`);
  const popular = loadPopularDomains(intelDir);
  for (const [domain, rank] of popular) {
    // Home pages of popular sites: legitimate URL shapes the labeled sets lack.
    all.push({ url: `https://${domain}/`, label: 0, source: 'popular-home', domain });
    void rank;
  }

  const random = seededRandom(URL_SEED);
  shuffleInPlace(all, random);
  const seen = new Set<string>();
  const perDomain = new Map<string, number>();
  const rows: LabeledUrl[] = [];
  for (const r of all) {
    const k = dedupeKey(r.url);
    if (seen.has(k)) continue;
    seen.add(k);
    const dk = `${r.label}|${r.domain}`;
    const n = perDomain.get(dk) ?? 0;
    if (n >= MAX_PER_DOMAIN) continue;
    perDomain.set(dk, n + 1);
    rows.push(r);
  }
  const parts = { train: [] as LabeledUrl[], calib: [] as LabeledUrl[], test: [] as LabeledUrl[] };
  for (const r of rows) parts[splitOf(r.domain)].push(r);
  const count = (rs: LabeledUrl[]) =>
    `${rs.filter((r) => r.label === 1).length} phish / ${rs.filter((r) => r.label === 0).length} legit`;
  log(
    `url: ${rows.length} URLs after dedupe and ≤${MAX_PER_DOMAIN}/domain; train ${count(parts.train)}, calibration ${count(parts.calib)}, test ${count(parts.test)}`,
  );

  log('url: vectorising');
  const xs = parts.train.map((r) => vectoriseUrl(r.url));
  const ys = parts.train.map((r) => r.label);
  const options = {
    dim: URL_MODEL_DIM,
    l2: 1e-4,
    epochs: 6,
    learningRate: 0.2,
    seed: URL_SEED,
    balanceClasses: true,
  };
  const model = trainLogistic(xs, ys, {
    ...options,
    onEpoch: (e, loss) => log(`url: epoch ${e}/${options.epochs} loss ${loss.toFixed(4)}`),
  });

  const score = (rs: LabeledUrl[]) => rs.map((r) => predict(model, vectoriseUrl(r.url)));
  const isPopularNotTop = (d: string) => {
    const rank = popular.get(d);
    return rank !== undefined && rank > TOP_RANK;
  };
  // Threshold: 1% FPR on calibration legit URLs, both overall and on popular-but-not-top domains
  // (labeled URLs only: synthetic home pages would make that set too easy); the stricter one wins.
  const calibScores = score(parts.calib);
  const calibLabels = parts.calib.map((r) => r.label);
  const thresholdFor = (keep: (r: LabeledUrl) => boolean) => {
    const neg = calibScores
      .filter((_, i) => calibLabels[i] === 0 && keep(parts.calib[i]))
      .sort((a, b) => b - a);
    const k = Math.floor(URL_TARGET_FPR * neg.length);
    return neg.length ? neg[k] + 1e-9 : 0.5;
  };
  const threshold = Math.min(
    0.999,
    Math.max(
      thresholdFor(() => true),
      thresholdFor((r) => r.source !== 'popular-home' && isPopularNotTop(r.domain)),
    ),
  );
  log(`url: threshold ${threshold.toFixed(4)} (≤${URL_TARGET_FPR * 100}% FPR on calibration domains)`);

  const testScores = score(parts.test);
  const testLabels = parts.test.map((r) => r.label);
  const slice = (keep: (r: LabeledUrl) => boolean) => {
    const s: number[] = [];
    const l: number[] = [];
    parts.test.forEach((r, i) => {
      if (keep(r)) {
        s.push(testScores[i]);
        l.push(testLabels[i]);
      }
    });
    return summarise(s, l, threshold);
  };
  const phish = (r: LabeledUrl) => r.label === 1;
  const results: Record<string, EvalSummary> = {
    'all test domains': slice(() => true),
    'labeled legit only (no home pages)': slice((r) => phish(r) || r.source !== 'popular-home'),
    'legit on popular-not-top domains': slice(
      (r) => phish(r) || (r.source !== 'popular-home' && isPopularNotTop(r.domain)),
    ),
    'phish: openphish 2024-25 (newest)': slice((r) =>
      phish(r) ? r.source === 'openphish' : r.source !== 'popular-home',
    ),
    'phish: jpcert 2019-24': slice((r) => (phish(r) ? r.source === 'jpcert' : r.source !== 'popular-home')),
    'phish: phishtank': slice((r) => (phish(r) ? r.source === 'phishtank' : r.source !== 'popular-home')),
    'phish: pdd 2019': slice((r) => (phish(r) ? r.source === 'pdd' : r.source !== 'popular-home')),
  };
  const lines = [
    '| test slice | phish | legit | recall | FPR | precision | F1 | ROC AUC | recall@1%FPR | recall@0.1%FPR |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [name, m] of Object.entries(results)) {
    lines.push(
      `| ${name} | ${m.positives} | ${m.negatives} | ${m.recall.toFixed(3)} | ${m.fpr.toFixed(4)} | ${m.precision.toFixed(3)} | ${m.f1.toFixed(3)} | ${m.auc.toFixed(4)} | ${m.recallAt1pctFpr.toFixed(3)} | ${m.recallAt01pctFpr.toFixed(3)} |`,
    );
  }
  const report = lines.join('\n');
  log(report);
  const file = toModelFile(model, {
    version: `url-${VERSION}-${URL_SEED}`,
    kind: 'url',
    threshold: Math.ceil(threshold * 1e4) / 1e4,
    training: {
      command: 'suspect train --what url',
      data: 'labeled URL sets of ../shared/intel (OpenPhish, JPCERT, PhishTank, PDD, Kaggle malicious_phish, PhiUSIIL, ISCX-URL-2016) plus home pages of Majestic/Umbrella popular domains',
      split: 'by registrable domain (tldts, private suffixes on): 70% train / 15% calibration / 15% test',
      maxPerDomain: MAX_PER_DOMAIN,
      options,
      counts: { train: count(parts.train), calibration: count(parts.calib), test: count(parts.test) },
      test: Object.fromEntries(
        Object.entries(results).map(([k, m]) => [
          k,
          {
            recall: m.recall,
            fpr: m.fpr,
            precision: m.precision,
            f1: m.f1,
            auc: m.auc,
            recallAt1pctFpr: m.recallAt1pctFpr,
          },
        ]),
      ),
    },
  });
  return { model: file, report };
}
