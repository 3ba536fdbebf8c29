// Findings → probability of a scam → verdict level, with the findings that weigh most as reasons.

import type { Finding, Reason, Severity, VerdictLevel } from '../types.js';
import { type ScoringModel, SEVERITY_FALLBACK_WEIGHT } from './model.js';

export interface Scored {
  level: VerdictLevel;
  /** 0..100 */
  score: number;
  probability: number;
  reasons: Reason[];
}

/** How many reasons a report leads with: a person reads three, not thirty. */
export const MAX_REASONS = 3;

const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** Feature vector: for each code, the strongest instance (0..1). */
export function featureVector(findings: Finding[]): Map<string, number> {
  const x = new Map<string, number>();
  for (const f of findings) {
    const s = Math.min(1, Math.max(0, f.strength ?? 1));
    if (s > (x.get(f.code) ?? 0)) x.set(f.code, s);
  }
  return x;
}

export function weightOf(model: ScoringModel, f: Pick<Finding, 'code' | 'severity'>): number {
  return model.weights[f.code] ?? SEVERITY_FALLBACK_WEIGHT[f.severity] ?? 0;
}

/**
 * What the finding of `from.code` adds to the score's logit (0 when it carries no logit). `hasCode`
 * tells whether the message has a finding of a code (for `from.dampedBy`).
 */
export function logitContribution(
  from: ScoringModel['logitFrom'],
  f: { evidence?: unknown } | undefined,
  hasCode: (code: string) => boolean = () => false,
): number {
  const v = (f?.evidence as { logit?: unknown } | undefined)?.logit;
  if (!from || typeof v !== 'number' || !Number.isFinite(v)) return 0;
  const clipped = from.coefficient * Math.max(from.min, Math.min(from.max, v));
  return clipped > 0 && from.dampedBy && hasCode(from.dampedBy.code)
    ? clipped * from.dampedBy.factor
    : clipped;
}

/** Codes whose evidence is a model's judgement rather than something the reader can see in the message. */
const MODEL_OPINION = /^(text_model|url_model)\./;

function byEvidence(f: Pick<Finding, 'code'>): number {
  return MODEL_OPINION.test(f.code) ? 1 : 0;
}

/**
 * The order reasons are shown in: a reason a person can check (this link, this attachment) before a
 * statistical model's opinion, then by weight. The report uses it again when it adds a forwarded
 * message's reasons, so that merging cannot put a model's opinion back on top.
 */
export function compareReasons(
  a: Pick<Reason, 'code' | 'weight'>,
  b: Pick<Reason, 'code' | 'weight'>,
): number {
  return byEvidence(a) - byEvidence(b) || b.weight - a.weight;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function scoreFindings(findings: Finding[], model: ScoringModel): Scored {
  const x = featureVector(findings);
  const firstByCode = new Map<string, Finding>();
  for (const f of findings) {
    const prev = firstByCode.get(f.code);
    if (!prev || (f.strength ?? 1) > (prev.strength ?? 1)) firstByCode.set(f.code, f);
  }
  const logitCode = model.logitFrom?.code;
  let z = model.bias;
  for (const [code, v] of x) if (code !== logitCode) z += weightOf(model, firstByCode.get(code)!) * v;
  // Read even at strength 0: a negative logit (ordinary wording) is what lowers the score.
  const hasCode = (code: string) => firstByCode.has(code);
  if (logitCode) z += logitContribution(model.logitFrom, firstByCode.get(logitCode), hasCode);
  const p = sigmoid(z);
  let level: VerdictLevel =
    p >= model.thresholds.dangerous ? 'dangerous' : p >= model.thresholds.suspicious ? 'suspicious' : 'safe';
  // Policy floor, not a weight: a critical finding (a known-bad URL, a disguised program) is never
  // reported as less than dangerous, whatever the fitted weights say. (A floor for 'high' findings was
  // tried and dropped: cross-validated, it pushed the ham false-positive rate from 2% to 26%.)
  if (findings.some((f) => f.severity === 'critical')) level = 'dangerous';

  const reasons: Reason[] = [...firstByCode.values()]
    .map((f) => ({
      f,
      code: f.code,
      weight:
        f.code === logitCode
          ? logitContribution(model.logitFrom, f, hasCode)
          : weightOf(model, f) * (x.get(f.code) ?? 1),
    }))
    .filter(({ f, weight }) => weight > 0 && f.severity !== 'info')
    .sort((a, b) => compareReasons(a, b) || SEVERITY_RANK[b.f.severity] - SEVERITY_RANK[a.f.severity])
    .slice(0, MAX_REASONS)
    .map(({ f, weight }) => ({
      code: f.code,
      text: f.message,
      weight: Math.round(weight * 100) / 100,
      targetId: f.targetId,
    }));
  return { level, score: Math.round(p * 100), probability: p, reasons };
}
