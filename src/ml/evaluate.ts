// `suspect eval`: runs the whole pipeline over a labeled manifest and prints detection figures per
// source and overall. Positive = phish, negative = ham; spam is shown apart (how much of it is flagged).
// 'Flagged' means the verdict is dangerous; the suspicious-or-worse figures are given too.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyseRaw } from '../analyse.js';
import type { ManifestRow } from './corpus.js';
import { fnv1a } from './hash.js';
import { type BinaryMetrics, fmt, metricsFromConfusion, recallAtFpr, rocAuc } from './metrics.js';
import { reduceToSenderHeaders } from './reduce-headers.js';

export interface EvalRow {
  path: string;
  label: ManifestRow['label'];
  source: string;
  verdict: string;
  score: number;
  ms: number;
  error?: string;
}

export interface GroupFigures {
  group: string;
  phish: number;
  ham: number;
  spam: number;
  dangerous: BinaryMetrics;
  suspiciousOrWorse: BinaryMetrics;
  auc: number;
  recallAt1pctFpr: number;
  recallAt01pctFpr: number;
  spamDangerousRate: number;
  spamSuspiciousOrWorseRate: number;
}

export interface EvalResult {
  manifest: string;
  reduced: boolean;
  messages: number;
  errors: number;
  seconds: number;
  msgsPerSecond: number;
  overall: GroupFigures;
  perSource: GroupFigures[];
  rows: EvalRow[];
}

/** A deterministic sample of `limit` rows spread over all sources (hash order, not file order). */
export function sampleRows(rows: ManifestRow[], limit?: number): ManifestRow[] {
  if (!limit || limit >= rows.length) return rows;
  return [...rows].sort((a, b) => fnv1a(`eval:${a.sha256}`) - fnv1a(`eval:${b.sha256}`)).slice(0, limit);
}

export function figures(group: string, rows: EvalRow[]): GroupFigures {
  const pr = rows.filter((r) => r.label !== 'spam' && !r.error);
  const spam = rows.filter((r) => r.label === 'spam' && !r.error);
  const conf = (flag: (r: EvalRow) => boolean) => {
    const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
    for (const r of pr) {
      const f = flag(r);
      if (r.label === 'phish') f ? c.tp++ : c.fn++;
      else f ? c.fp++ : c.tn++;
    }
    return metricsFromConfusion(c);
  };
  const isDangerous = (r: EvalRow) => r.verdict === 'dangerous';
  const isFlagged = (r: EvalRow) => r.verdict !== 'safe';
  const scores = pr.map((r) => r.score);
  const labels = pr.map((r) => (r.label === 'phish' ? 1 : 0));
  return {
    group,
    phish: pr.filter((r) => r.label === 'phish').length,
    ham: pr.filter((r) => r.label === 'ham').length,
    spam: spam.length,
    dangerous: conf(isDangerous),
    suspiciousOrWorse: conf(isFlagged),
    auc: rocAuc(scores, labels),
    recallAt1pctFpr: recallAtFpr(scores, labels, 0.01),
    recallAt01pctFpr: recallAtFpr(scores, labels, 0.001),
    spamDangerousRate: spam.length ? spam.filter(isDangerous).length / spam.length : Number.NaN,
    spamSuspiciousOrWorseRate: spam.length ? spam.filter(isFlagged).length / spam.length : Number.NaN,
  };
}

export async function evaluateManifest(
  manifest: string,
  rows: ManifestRow[],
  dataDir: string,
  options: { reduced?: boolean; log?: (s: string) => void; signal?: AbortSignal } = {},
): Promise<EvalResult> {
  const out: EvalRow[] = [];
  const started = performance.now();
  for (const row of rows) {
    if (options.signal?.aborted) break;
    const t0 = performance.now();
    try {
      let raw: Uint8Array = new Uint8Array(readFileSync(path.join(dataDir, row.path)));
      if (options.reduced) raw = reduceToSenderHeaders(raw);
      const rep = await analyseRaw(raw, { kind: 'eml', file: row.path });
      out.push({
        path: row.path,
        label: row.label,
        source: row.source,
        verdict: rep.verdict,
        score: rep.score,
        ms: performance.now() - t0,
      });
    } catch (err) {
      out.push({
        path: row.path,
        label: row.label,
        source: row.source,
        verdict: 'safe',
        score: 0,
        ms: 0,
        error: (err as Error).message,
      });
    }
    if (out.length % 200 === 0) options.log?.(`eval: ${out.length}/${rows.length}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const sources = [...new Set(out.map((r) => r.source))].sort();
  return {
    manifest,
    reduced: Boolean(options.reduced),
    messages: out.length,
    errors: out.filter((r) => r.error).length,
    seconds,
    msgsPerSecond: out.length / Math.max(seconds, 1e-9),
    overall: figures('overall', out),
    perSource: sources.map((s) =>
      figures(
        s,
        out.filter((r) => r.source === s),
      ),
    ),
    rows: out,
  };
}

export function formatEval(r: EvalResult): string {
  const lines = [
    `${r.messages} messages from ${r.manifest}${r.reduced ? ' (reduced to sender-controlled headers)' : ''}, ${r.errors} errors, ${r.seconds.toFixed(1)} s, ${r.msgsPerSecond.toFixed(1)} msgs/s`,
    'Flagged = verdict dangerous (suspicious-or-worse in brackets). Phish is positive, ham negative; spam shown apart.',
    '',
    'source                          phish   ham  spam  precision       recall          F1              FPR               ROC AUC  R@1%FPR  R@0.1%FPR  spam flagged',
  ];
  for (const g of [...r.perSource, r.overall]) {
    const d = g.dangerous;
    const s = g.suspiciousOrWorse;
    lines.push(
      [
        g.group.padEnd(30),
        String(g.phish).padStart(6),
        String(g.ham).padStart(5),
        String(g.spam).padStart(5),
        ` ${fmt(d.precision)} (${fmt(s.precision)})`,
        ` ${fmt(d.recall)} (${fmt(s.recall)})`,
        ` ${fmt(d.f1)} (${fmt(s.f1)})`,
        ` ${fmt(d.fpr, 4)} (${fmt(s.fpr, 4)})`,
        ` ${fmt(g.auc, 4)}`,
        `   ${fmt(g.recallAt1pctFpr)}`,
        `    ${fmt(g.recallAt01pctFpr)}`,
        `     ${fmt(g.spamDangerousRate)} (${fmt(g.spamSuspiciousOrWorseRate)})`,
      ].join(' '),
    );
  }
  return lines.join('\n');
}
