// Detection metrics over scores and 0/1 labels (1 = scam): the figures `suspect eval` and training print.

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface BinaryMetrics extends Confusion {
  positives: number;
  negatives: number;
  precision: number;
  recall: number;
  f1: number;
  fpr: number;
}

export function confusionAt(scores: number[], labels: number[], threshold: number): Confusion {
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const flagged = scores[i] >= threshold;
    if (labels[i] === 1) flagged ? c.tp++ : c.fn++;
    else flagged ? c.fp++ : c.tn++;
  }
  return c;
}

/** Ratio that is NaN when undefined (e.g. precision with nothing flagged), so tables show it as such. */
function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}

export function metricsFromConfusion(c: Confusion): BinaryMetrics {
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  const f1 = ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn);
  return {
    ...c,
    positives: c.tp + c.fn,
    negatives: c.tn + c.fp,
    precision,
    recall,
    f1,
    fpr: ratio(c.fp, c.fp + c.tn),
  };
}

export function metricsAt(scores: number[], labels: number[], threshold: number): BinaryMetrics {
  return metricsFromConfusion(confusionAt(scores, labels, threshold));
}

/** Area under the ROC curve (Mann–Whitney U, ties counted half). NaN when one class is missing. */
export function rocAuc(scores: number[], labels: number[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let nPos = 0;
  let rankSumPos = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[idx[k]] === 1) {
        nPos++;
        rankSumPos += avgRank;
      }
    }
    i = j + 1;
  }
  const nNeg = idx.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * The lowest threshold (flag when score ≥ threshold) whose false-positive rate is at most `maxFpr`:
 * just above the (k+1)-th highest negative score, k = floor(maxFpr · negatives).
 */
export function thresholdAtFpr(scores: number[], labels: number[], maxFpr: number): number {
  const neg = scores.filter((_, i) => labels[i] !== 1).sort((a, b) => b - a);
  if (neg.length === 0) return Number.NEGATIVE_INFINITY;
  const k = Math.floor(maxFpr * neg.length);
  if (k >= neg.length) return Number.NEGATIVE_INFINITY;
  const t = neg[k];
  // The next representable number above t: ties with the (k+1)-th negative stay unflagged.
  return t + Math.max(Math.abs(t) * Number.EPSILON * 4, Number.MIN_VALUE);
}

/** Recall when the threshold is set so that the false-positive rate is at most `maxFpr`. */
export function recallAtFpr(scores: number[], labels: number[], maxFpr: number): number {
  // Undefined without both classes (a source that holds only phish, say), not a perfect 1.
  if (!labels.some((l) => l === 1) || !labels.some((l) => l !== 1)) return Number.NaN;
  const t = thresholdAtFpr(scores, labels, maxFpr);
  return metricsAt(scores, labels, t).recall;
}

export interface EvalSummary extends BinaryMetrics {
  threshold: number;
  auc: number;
  recallAt1pctFpr: number;
  recallAt01pctFpr: number;
}

export function summarise(scores: number[], labels: number[], threshold: number): EvalSummary {
  return {
    ...metricsAt(scores, labels, threshold),
    threshold,
    auc: rocAuc(scores, labels),
    recallAt1pctFpr: recallAtFpr(scores, labels, 0.01),
    recallAt01pctFpr: recallAtFpr(scores, labels, 0.001),
  };
}

/** Formats a ratio for tables: 3 decimals, '–' when undefined. */
export function fmt(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}
