// What changed between two reports of the same message (`suspect rescore`).

import type { Report } from '../types.js';

export interface ReportDiff {
  verdict: { before: string; after: string };
  score: { before: number; after: number };
  added: string[];
  removed: string[];
  versions: { what: string; before?: string; after?: string }[];
}

function findingKeys(r: Report): Set<string> {
  return new Set(r.findings.map((f) => `${f.code} @ ${f.targetId}`));
}

export function diffReports(before: Report, after: Report): ReportDiff {
  const b = findingKeys(before);
  const a = findingKeys(after);
  const versions: ReportDiff['versions'] = [];
  const cmp = (what: string, x: Record<string, string>, y: Record<string, string>) => {
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)]))
      if (x[k] !== y[k]) versions.push({ what: `${what} ${k}`, before: x[k], after: y[k] });
  };
  cmp('engine', before.versions.engines, after.versions.engines);
  cmp('data', before.versions.data, after.versions.data);
  if (before.versions.model !== after.versions.model)
    versions.push({ what: 'model', before: before.versions.model, after: after.versions.model });
  return {
    verdict: { before: before.verdict, after: after.verdict },
    score: { before: before.score, after: after.score },
    added: [...a].filter((k) => !b.has(k)),
    removed: [...b].filter((k) => !a.has(k)),
    versions,
  };
}

export function renderDiff(d: ReportDiff): string {
  const out = [
    `Verdict: ${d.verdict.before} → ${d.verdict.after}${d.verdict.before === d.verdict.after ? ' (unchanged)' : ''}`,
    `Score: ${d.score.before} → ${d.score.after}`,
  ];
  for (const k of d.added) out.push(`  + ${k}`);
  for (const k of d.removed) out.push(`  - ${k}`);
  if (!d.added.length && !d.removed.length) out.push('  Findings: unchanged');
  for (const v of d.versions) out.push(`  ${v.what}: ${v.before ?? '(none)'} → ${v.after ?? '(none)'}`);
  return out.join('\n');
}
