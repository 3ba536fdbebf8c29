// Sender authentication (SPF, DKIM, DMARC, ARC), verified offline from a DNS cache, live only with
// --dns, or read from a trusted receiving server's Authentication-Results.

import { authDepsOf, authFor } from '../sender/auth.js';
import { AUTH_ENGINE, authEvidence, authFindings } from '../sender/auth-findings.js';
import { outcomeOf } from '../sender/env.js';
import type { Engine, EngineContext, EngineOutcome, Target } from '../types.js';

export const senderAuthEngine: Engine = {
  name: AUTH_ENGINE,
  version: '1.0.0',
  kind: 'local',
  targets: ['message'],
  async analyse(target: Target, ctx: EngineContext): Promise<EngineOutcome> {
    if (target.kind !== 'message') return { status: 'skipped', findings: [] };
    const { message } = target;
    const report = await authFor(message, ctx.options, authDepsOf(ctx));
    const findings = authFindings(report, message, target.id, ctx.now);
    findings.push({
      code: 'auth.results',
      engine: AUTH_ENGINE,
      targetId: target.id,
      severity: 'info',
      message: [report.spf, ...report.dkim, report.dmarc].map((o) => o.detail).join('; '),
      evidence: authEvidence(report),
    });
    const decided = [report.spf, ...report.dkim, report.dmarc, report.arc].some(
      (o) => o.result !== 'not-checked',
    );
    if (!decided) {
      return {
        status: 'unknown',
        findings,
        note: report.notes.join(' ') || 'not checked: no DNS answers and no trusted Authentication-Results',
      };
    }
    return outcomeOf(findings, report.notes.join(' ') || undefined);
  },
};
