// Human-readable report for the terminal: verdict first, reasons, what to do, then the evidence.

import type { EngineRun, Report, VerdictLevel } from '../types.js';

const HEADLINE: Record<VerdictLevel, string> = {
  safe: 'SAFE — no sign of a scam found',
  suspicious: 'SUSPICIOUS — be careful with this message',
  dangerous: 'DANGEROUS — this looks like a scam',
};

function statusCounts(runs: EngineRun[]): string {
  const c: Record<string, number> = {};
  for (const r of runs) c[r.status] = (c[r.status] ?? 0) + 1;
  return Object.entries(c)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}

export interface TextOptions {
  /** Show every finding and every engine run, not only the summary. */
  verbose?: boolean;
}

export function renderText(report: Report, opts: TextOptions = {}, indent = ''): string {
  const out: string[] = [];
  const line = (s = '') => out.push(indent + s);
  const where = report.file
    ? `${report.file}${report.index !== undefined ? ` #${report.index + 1}` : ''}`
    : report.links[0]?.url;
  line(`${where ?? '(message)'}`);
  if (report.subject !== undefined || report.from) {
    line(
      `  From: ${report.from ? `${report.from.name ? `${report.from.name} ` : ''}<${report.from.address}>` : '(none)'}`,
    );
    line(`  Subject: ${report.subject ?? '(none)'}`);
  }
  line(`  ${HEADLINE[report.verdict]} (score ${report.score}/100)`);
  if (report.reasons.length) {
    line(report.verdict === 'safe' ? '  Worth knowing (not enough to call it a scam):' : '  Why:');
    for (const r of report.reasons) line(`    • ${r.text}`);
  }
  if (report.sender) {
    line('  Sender:');
    for (const s of report.sender.split('\n')) line(`    ${s}`);
  }
  line('  What to do:');
  for (const a of report.advice) line(`    → ${a}`);
  // The same URL found in the text and the HTML part is one line for people: keep its most-flagged entry.
  const byLabel = new Map<string, Report['coverage'][number]>();
  for (const c of report.coverage) {
    if (c.flagged === 0) continue;
    const prev = byLabel.get(c.label);
    if (!prev || c.flagged > prev.flagged || (c.flagged === prev.flagged && c.engines > prev.engines))
      byLabel.set(c.label, c);
  }
  const flagged = [...byLabel.values()];
  if (flagged.length) {
    line('  Flagged:');
    for (const c of flagged.slice(0, 10))
      line(
        `    ${c.flagged} of ${c.engines} engines flagged ${c.kind === 'message' ? 'the message' : `${c.kind} ${c.label}`}${c.unknown ? ` (${c.unknown} could not tell)` : ''}`,
      );
    if (flagged.length > 10) line(`    … and ${flagged.length - 10} more`);
  }
  const unknown = report.runs.filter((r) => r.status === 'unknown' || r.status === 'error');
  const engines = new Set(report.runs.map((r) => r.engine));
  line(
    `  Coverage: ${engines.size} engines, ${report.links.length} links, ${report.attachments.length} attachments; results: ${statusCounts(report.runs) || 'none'}`,
  );
  if (unknown.length) {
    const names = [...new Set(unknown.map((r) => `${r.engine}${r.note ? ` (${r.note})` : ''}`))].slice(0, 5);
    line(`  Not checked / could not tell: ${names.join('; ')}`);
  }
  if (report.problems.length) {
    line('  Could not read:');
    for (const p of report.problems) line(`    ! ${p}`);
  }
  if (opts.verbose && report.findings.length) {
    line('  All findings:');
    for (const f of report.findings)
      line(`    [${f.severity}] ${f.code} (${f.engine}, ${f.targetId}): ${f.message}`);
  }
  for (const c of report.comparisons ?? []) {
    if (!opts.verbose) {
      line(`  It nearly copies the known scam "${c.title}" (run with -v to see the two side by side).`);
      continue;
    }
    line(`  Side by side with the known scam "${c.title}":`);
    for (const l of c.text.split('\n')) line(`    ${l}`);
  }
  for (const inner of report.embedded) {
    line('  Forwarded message inside:');
    out.push(renderText(inner, opts, `${indent}    `));
  }
  return out.join('\n');
}
