// Plain-text rendering of the build assessment and the remediation report (CLI default output).

import type { BuildAssessment, CveStatus, FixInfo } from '../builds/assess.js';
import { describeDays, type RemediationReport } from './model.js';

/** Hits listed per rule in text and HTML; the JSON output always has them all. */
export const MAX_HITS_SHOWN_PER_RULE = 20;

const fmtFix = (f: FixInfo) =>
  `${f.build} (${f.cu}${f.update ? ` ${f.update}` : ''}${f.kb ? `, ${f.kb}` : ''})${f.afterwards ? `, then ${f.afterwards}` : ''}`;

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function byChain(cves: CveStatus[]): Map<string, CveStatus[]> {
  const m = new Map<string, CveStatus[]>();
  for (const c of cves) m.set(c.chain, [...(m.get(c.chain) ?? []), c]);
  return m;
}

export function renderExposureText(e: BuildAssessment): string {
  const out: string[] = [];
  const update = e.update === null ? 'no security update on top of the CU' : e.update;
  out.push(`${e.product} ${e.cu}${e.cuAlias ? ` (${e.cuAlias})` : ''}, build ${e.build}`);
  out.push(
    e.precision === 'cu'
      ? '  Precision: CU only (the security update level cannot be seen)'
      : `  Update: ${update}${e.kb ? ` (${e.kb}${e.releaseDate ? `, ${e.releaseDate}` : ''})` : ''}${e.exact ? '' : ' (nearest listed build)'}`,
  );
  const s = e.support;
  out.push(
    s.outOfSupport
      ? `  Support: OUT OF SUPPORT since ${s.endOfSupport}${s.esuOnly ? ' (later updates only for paid Extended Security Update customers)' : ''}`
      : `  Support: supported until ${s.endOfSupport}${s.cuReceivesUpdates ? '' : `; this CU no longer gets security updates`}`,
  );
  const open = e.cves.filter((c) => c.status === 'open');
  const fixed = e.cves.filter((c) => c.status === 'fixed');
  const verify = e.cves.filter((c) => c.status === 'verify');
  out.push('');
  if (open.length === 0) out.push('Open: none of the checked flaws.');
  else {
    out.push(`Open (${open.length}):`);
    for (const [chain, cs] of byChain(open)) {
      out.push(`  ${chain}:`);
      for (const c of cs) {
        out.push(`    ${c.id} [${c.severity}] ${c.summary}`);
        if (c.fix)
          out.push(
            `      fixed by ${fmtFix(c.fix)}${c.dependsOnUpdate ? ' (may already be installed)' : ''}`,
          );
      }
    }
  }
  if (verify.length > 0) {
    out.push('Check by hand:');
    for (const c of verify) out.push(`  ${c.id} (${c.chain}): ${c.why}`);
  }
  if (fixed.length > 0) out.push(`Fixed: ${[...byChain(fixed).keys()].join(', ')}.`);
  if (e.notes.length > 0) {
    out.push('Notes:');
    for (const n of e.notes) out.push(`  - ${n}`);
  }
  return out.join('\n');
}

export function renderReportText(r: RemediationReport): string {
  const out: string[] = [r.headline, ...r.context.map((c) => `  ${c}`), ''];
  if (r.exposure) {
    out.push('== Exposure ==', renderExposureText(r.exposure), '');
  }
  if (r.compromise !== 'not-scanned') {
    out.push('== Evidence ==');
    if (r.evidence.length === 0) {
      const days = r.window ? describeDays(r.window) : undefined;
      out.push(
        days
          ? `Nothing found in the ${days} these logs cover${r.window?.from ? ` (from ${r.window.from.slice(0, 10)} to ${r.window.to?.slice(0, 10)})` : ''}.`
          : 'Nothing found in the scanned files.',
      );
    }
    for (const g of r.evidence) {
      out.push(
        `${g.cve ?? g.rule} [${g.severity}] rule ${g.rule}: ${g.count} hit${g.count === 1 ? '' : 's'}`,
      );
      for (const h of g.hits.slice(0, MAX_HITS_SHOWN_PER_RULE)) {
        const where = `${h.file}${h.line ? `:${h.line}` : ''}`;
        const meta = [h.timestamp, h.clientIp].filter(Boolean).join(' ');
        out.push(`  ${where}${meta ? `  ${meta}` : ''}`);
        out.push(`    ${h.why}`);
      }
      if (g.hits.length > MAX_HITS_SHOWN_PER_RULE) {
        out.push(`  …and ${g.hits.length - MAX_HITS_SHOWN_PER_RULE} more (use --json for all)`);
      }
    }
    if (r.window) {
      out.push('', 'Log coverage:');
      for (const c of r.window.folders) {
        const span = c.firstSeen ? ` ${c.firstSeen.slice(0, 10)} → ${c.lastSeen?.slice(0, 10) ?? '?'}` : '';
        const days = c.days !== undefined ? ` (${plural(Math.round(c.days), 'day')})` : '';
        out.push(`  ${c.folder} [${c.kind}]: ${plural(c.files, 'file')}${span}${days}`);
      }
      for (const m of r.window.missing) out.push(`  missing: ${m.meaning}`);
    }
    if (r.problems.length > 0) {
      out.push('', 'Could not read completely:');
      for (const p of r.problems) out.push(`  ${p.file}: ${p.problem}`);
    }
    out.push('');
  }
  out.push('== What to do, in order ==');
  if (r.steps.length === 0)
    out.push('Nothing to do now. Keep installing each security update when it comes out.');
  r.steps.forEach((s, i) => {
    out.push(`${i + 1}. ${s.title}`);
    for (const d of s.details) out.push(`   - ${d}`);
  });
  return `${out.join('\n')}\n`;
}
