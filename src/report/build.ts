// Assembles a Report from a message, the panel's runs and the verdict.

import { scamComparison } from '../scams/side-by-side.js';
import { senderSummary } from '../sender/summary.js';
import type { EngineRun, Finding, Message, Report, Target, TargetCoverage, VerdictLevel } from '../types.js';
import { adviceFor } from '../verdict/advice.js';
import type { ScoringModel } from '../verdict/model.js';
import { compareReasons, scoreFindings } from '../verdict/score.js';
import { VERSION } from '../version.js';

const LEVEL_RANK: Record<VerdictLevel, number> = { safe: 0, suspicious: 1, dangerous: 2 };

export function targetLabel(t: Target): string {
  if (t.kind === 'link') return t.link.url;
  if (t.kind === 'attachment') return t.attachment.path;
  return 'the message';
}

export function coverageOf(targets: Target[], runs: EngineRun[]): TargetCoverage[] {
  // Counted in one pass over the runs: filtering them once per target was quadratic in the links.
  const counts = new Map<string, { engines: number; flagged: number; unknown: number }>();
  for (const r of runs) {
    if (r.status === 'skipped') continue;
    let c = counts.get(r.targetId);
    if (!c) {
      c = { engines: 0, flagged: 0, unknown: 0 };
      counts.set(r.targetId, c);
    }
    c.engines++;
    if (r.status === 'suspicious' || r.status === 'malicious') c.flagged++;
    else if (r.status === 'unknown' || r.status === 'error') c.unknown++;
  }
  return targets.map((t) => {
    const c = counts.get(t.id);
    return {
      targetId: t.id,
      kind: t.kind,
      label: targetLabel(t),
      engines: c?.engines ?? 0,
      flagged: c?.flagged ?? 0,
      unknown: c?.unknown ?? 0,
    };
  });
}

function comparisonsOf(message: Message, findings: Finding[]): Report['comparisons'] {
  const out: NonNullable<Report['comparisons']> = [];
  for (const f of findings) {
    const c = scamComparison(message, f);
    if (!c) continue;
    const ev = f.evidence as { title?: string; similarity?: number };
    out.push({ title: ev.title ?? 'known scam', similarity: ev.similarity, ...c });
  }
  return out.length ? out : undefined;
}

export interface BuildReportInput {
  message?: Message;
  targets: Target[];
  runs: EngineRun[];
  model: ScoringModel;
  dataVersions: Record<string, string>;
  embedded: Report[];
  ms: number;
  now: Date;
  id: string;
  source: Report['source'];
}

export function buildReport(input: BuildReportInput): Report {
  const { message, runs, model, embedded } = input;
  const findings: Finding[] = runs.flatMap((r) => r.findings);
  const scored = scoreFindings(findings, model);
  let level = scored.level;
  let score = scored.score;
  const reasons = [...scored.reasons];
  // A forwarded scam makes the forward dangerous to act on: the worst inner verdict counts.
  for (const inner of embedded) {
    if (LEVEL_RANK[inner.verdict] > LEVEL_RANK[level]) level = inner.verdict;
    score = Math.max(score, inner.score);
    for (const r of inner.reasons.slice(0, 2))
      reasons.push({ ...r, text: `In the forwarded message: ${r.text}` });
  }
  reasons.sort(compareReasons);
  const engines: Record<string, string> = {};
  for (const r of runs) engines[r.engine] = r.engineVersion;
  return {
    schema: 'suspect.report/1',
    id: input.id,
    file: input.source.file,
    index: input.source.index,
    source: input.source,
    subject: message?.subject,
    from: message?.from,
    date: message?.date,
    messageId: message?.messageId,
    verdict: level,
    score,
    reasons: reasons.slice(0, 3),
    advice: adviceFor(level, [...findings, ...embedded.flatMap((e) => e.findings)]),
    sender: message ? senderSummary(findings, message) : undefined,
    comparisons: message ? comparisonsOf(message, findings) : undefined,
    findings,
    runs,
    coverage: coverageOf(input.targets, runs),
    links: message?.links ?? [],
    attachments: (message?.attachments ?? []).map(({ content: _content, ...rest }) => rest),
    problems: message?.problems ?? [],
    versions: { suspect: VERSION, engines, data: input.dataVersions, model: model.version },
    embedded,
    analysedAt: input.now.toISOString(),
    ms: Math.round(input.ms * 100) / 100,
  };
}
