// Authentication outcomes → findings, worded for people. Verified and recorded outcomes get distinct
// codes so the fitted weights can tell "we checked" from "the receiving server said".

import type { Finding, Message } from '../types.js';
import { findingMaker } from './finding.js';
import type { AuthOutcome, AuthReport } from './types.js';

export const AUTH_ENGINE = 'sender-auth';

/** A DKIM key missing on mail older than this was most likely rotated, not forged. */
export const KEY_ROTATION_AGE_DAYS = 30;

const finding = findingMaker(AUTH_ENGINE);

function codeFor(o: AuthOutcome, what: string): string {
  return o.source === 'recorded' ? `auth.recorded_${o.method}_${what}` : `auth.${o.method}_${what}`;
}

function evidenceOf(o: AuthOutcome): Record<string, unknown> {
  const e: Record<string, unknown> = {
    method: o.method,
    result: o.result,
    source: o.source,
    detail: o.detail,
  };
  if (o.domain) e.domain = o.domain;
  if (o.selector) e.selector = o.selector;
  if (o.authservId) e.authservId = o.authservId;
  if (o.aligned !== undefined) e.aligned = o.aligned;
  return e;
}

function ageDays(message: Message, now: Date): number | undefined {
  const t = message.date ? Date.parse(message.date) : Number.NaN;
  return Number.isFinite(t) ? Math.floor((now.getTime() - t) / 86_400_000) : undefined;
}

function sentence(detail: string): string {
  const s = detail.charAt(0).toUpperCase() + detail.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

export function authFindings(report: AuthReport, message: Message, targetId: string, now: Date): Finding[] {
  const out: Finding[] = [];
  const dmarcPassed = report.dmarc.result === 'pass';

  const spf = report.spf;
  const spfEvidence = { ...evidenceOf(spf), clientIp: report.clientIp };
  if (spf.result === 'fail')
    out.push(
      finding(
        codeFor(spf, 'fail'),
        dmarcPassed ? 'low' : 'medium',
        sentence(spf.detail),
        spfEvidence,
        targetId,
      ),
    );
  else if (spf.result === 'softfail')
    out.push(finding(codeFor(spf, 'softfail'), 'low', sentence(spf.detail), spfEvidence, targetId));
  else if (spf.result === 'permerror')
    out.push(finding(codeFor(spf, 'permerror'), 'low', sentence(spf.detail), spfEvidence, targetId));

  const anotherAlignedPass = (d: AuthOutcome) =>
    report.dkim.some((x) => x !== d && x.result === 'pass' && x.aligned);
  for (const d of report.dkim) {
    if (d.result === 'fail') {
      out.push(
        finding(
          codeFor(d, 'fail'),
          dmarcPassed || anotherAlignedPass(d) ? 'low' : 'medium',
          sentence(d.detail),
          evidenceOf(d),
          targetId,
        ),
      );
    } else if (d.result === 'key-missing') {
      const age = ageDays(message, now);
      const old = age !== undefined && age > KEY_ROTATION_AGE_DAYS;
      out.push(
        finding(
          'auth.dkim_key_missing',
          old ? 'info' : 'medium',
          `${sentence(d.detail)}${age !== undefined ? ` The message is ${age} day(s) old${old ? ', so this is expected' : ', too recent for a routine key change'}.` : ''}`,
          { ...evidenceOf(d), messageAgeDays: age },
          targetId,
        ),
      );
    } else if (d.result === 'expired') {
      out.push(finding('auth.dkim_expired', 'info', sentence(d.detail), evidenceOf(d), targetId));
    } else if (d.result === 'permerror' || d.result === 'policy') {
      out.push(finding(codeFor(d, d.result), 'low', sentence(d.detail), evidenceOf(d), targetId));
    }
  }

  const dm = report.dmarc;
  if (dm.result === 'fail') {
    const enforced = dm.policy === 'reject' || dm.policy === 'quarantine';
    out.push(
      finding(
        codeFor(dm, 'fail'),
        enforced ? 'high' : 'medium',
        `${sentence(dm.detail)}${enforced ? ` Its owner asks receivers to ${dm.policy} such mail.` : ''}`,
        { ...evidenceOf(dm), policy: dm.policy },
        targetId,
      ),
    );
  }

  const arc = report.arc;
  if (arc.result === 'fail')
    out.push(finding(codeFor(arc, 'fail'), 'low', sentence(arc.detail), evidenceOf(arc), targetId));

  const temp = [spf, ...report.dkim, dm, arc].filter((o) => o.result === 'temperror');
  if (temp.length) {
    out.push(
      finding(
        'auth.temperror',
        'info',
        `Some checks could not be completed because DNS did not answer (${temp.map((t) => t.method).join(', ')}); this is not the same as "no record".`,
        { outcomes: temp.map(evidenceOf) },
        targetId,
      ),
    );
  }
  return out;
}

/** Compact form of the report for the info finding that carries it (read by the Sender summary). */
export function authEvidence(report: AuthReport): Record<string, unknown> {
  return {
    dns: report.dns,
    spf: evidenceOf(report.spf),
    dkim: report.dkim.map(evidenceOf),
    dmarc: { ...evidenceOf(report.dmarc), policy: report.dmarc.policy, hasRecord: report.dmarc.hasRecord },
    arc: evidenceOf(report.arc),
    clientIp: report.clientIp,
    notes: report.notes,
  };
}
