// The "Sender" section of the report, in plain words, rendered from the sender findings' evidence.

import type { Finding, Message, Severity } from '../types.js';
import { AUTH_ENGINE } from './auth-findings.js';
import { senderView } from './from.js';
import { HEADER_ENGINE } from './header-anomalies.js';
import { IMPERSONATION_ENGINE } from './impersonation.js';

const SENDER_ENGINES = new Set([AUTH_ENGINE, IMPERSONATION_ENGINE, HEADER_ENGINE]);
const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
/** Findings quoted in the section at most; the full list is in the report's findings. */
const MAX_LINES = 6;

interface OutcomeEvidence {
  method: string;
  result: string;
  source: string;
  detail: string;
}

function authLine(f: Finding | undefined): string | undefined {
  if (!f) return undefined;
  const e = f.evidence as {
    spf?: OutcomeEvidence;
    dkim?: OutcomeEvidence[];
    dmarc?: OutcomeEvidence;
    dns?: string;
  };
  const parts: string[] = [];
  const word = (o: OutcomeEvidence | undefined, name: string) => {
    if (!o) return;
    const by = o.source === 'recorded' ? ' (as recorded on arrival)' : '';
    parts.push(`${name} ${o.result === 'not-checked' ? 'not checked' : o.result}${by}`);
  };
  word(e.spf, 'SPF');
  for (const d of e.dkim ?? []) word(d, 'DKIM');
  word(e.dmarc, 'DMARC');
  if (!parts.length) return undefined;
  const nothing = [e.spf, ...(e.dkim ?? []), e.dmarc].every((o) => !o || o.result === 'not-checked');
  return nothing
    ? 'Whether the sender is authentic could not be checked: DNS lookups are off and no trusted server recorded its results.'
    : `Authentication: ${parts.join(', ')}.`;
}

/** Plain-words text of the "Sender" section. */
export function senderSummary(findings: Finding[], message: Message): string {
  const from = senderView(message).from;
  const lines: string[] = [];
  lines.push(
    from?.address
      ? `The message says it is from ${from.name ? `${from.name} <${from.address}>` : from.address}.`
      : 'The message does not say who sent it.',
  );
  const concerns = findings
    .filter(
      (f) =>
        SENDER_ENGINES.has(f.engine) &&
        RANK[f.severity] >= RANK.low &&
        f.code !== 'auth.results' &&
        !f.code.startsWith('request.'),
    )
    .sort((a, b) => RANK[b.severity] - RANK[a.severity]);
  const seen = new Set<string>();
  for (const f of concerns) {
    if (seen.has(f.message) || seen.size >= MAX_LINES) continue;
    seen.add(f.message);
    lines.push(f.message);
  }
  const auth = authLine(findings.find((f) => f.code === 'auth.results'));
  if (auth) lines.push(auth);
  if (!concerns.some((f) => RANK[f.severity] >= RANK.medium)) {
    lines.push('Nothing suggests the sender is someone other than who they seem to be.');
  }
  return lines.join('\n');
}
