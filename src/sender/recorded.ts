// Authentication results recorded by a receiving server the user trusts (--trust-authserv-id).
// Anyone can write an Authentication-Results header, so only those naming a trusted authserv-id are
// read, and of those only the topmost (the one the trusted server itself added last).

import type { AuthMethodResult, AuthResultsHeader, Message } from '../types.js';
import type { AuthMethod, AuthOutcome, AuthVerdict } from './types.js';

const KNOWN: Record<string, AuthVerdict> = {
  pass: 'pass',
  fail: 'fail',
  softfail: 'softfail',
  neutral: 'neutral',
  none: 'none',
  policy: 'policy',
  temperror: 'temperror',
  permerror: 'permerror',
  // Microsoft writes these for domains without a DMARC record.
  bestguesspass: 'none',
  // Older spelling of the error results (RFC 5451).
  hardfail: 'fail',
  temperr: 'temperror',
  permerr: 'permerror',
};

export function toVerdict(result: string): AuthVerdict {
  return KNOWN[result.toLowerCase()] ?? 'neutral';
}

function isTrustedId(id: string, trusted: readonly string[]): boolean {
  const i = id.toLowerCase();
  return trusted.some((t) => t.toLowerCase() === i);
}

/** The topmost Authentication-Results from a trusted server, else the newest trusted ARC-Authentication-Results. */
export function trustedResultsHeader(
  message: Message,
  trusted: readonly string[],
): AuthResultsHeader | undefined {
  if (!trusted.length) return undefined;
  const sorted = [...message.authResults].sort((a, b) => a.position - b.position);
  const ar = sorted.find((h) => h.header === 'authentication-results' && isTrustedId(h.authservId, trusted));
  if (ar) return ar;
  return sorted
    .filter((h) => h.header === 'arc-authentication-results' && isTrustedId(h.authservId, trusted))
    .sort((a, b) => (b.instance ?? 0) - (a.instance ?? 0))[0];
}

function domainProp(m: AuthMethodResult, method: AuthMethod): string | undefined {
  const p = m.props;
  const v =
    method === 'spf'
      ? (p['smtp.mailfrom'] ?? p['smtp.helo'])
      : method === 'dkim'
        ? (p['header.d'] ?? p['header.i'])
        : method === 'dmarc'
          ? p['header.from']
          : undefined;
  if (!v || v === 'none') return undefined;
  return v.replace(/^.*@/, '').toLowerCase();
}

/** Recorded outcomes of one method (several for DKIM), worded for people. */
export function recordedOutcomes(header: AuthResultsHeader, method: AuthMethod): AuthOutcome[] {
  return header.methods
    .filter((m) => m.method === method)
    .map((m) => {
      const result = toVerdict(m.result);
      const domain = domainProp(m, method);
      const outcome: AuthOutcome = {
        method,
        result,
        source: 'recorded',
        authservId: header.authservId,
        detail: `${header.authservId} recorded ${method}=${m.result}${domain ? ` for ${domain}` : ''} when the message arrived`,
      };
      if (domain) outcome.domain = domain;
      if (method === 'dkim' && m.props['header.s']) outcome.selector = m.props['header.s'];
      return outcome;
    });
}

/** DMARC policy a trusted server recorded (p=/policy.published-domain-policy/action), if any. */
export function recordedDmarcPolicy(header: AuthResultsHeader): string | undefined {
  const m = header.methods.find((x) => x.method === 'dmarc');
  if (!m) return undefined;
  const p = m.props['policy.published-domain-policy'] ?? m.props['policy.p'] ?? m.props.p;
  return p?.toLowerCase();
}
