// What the sender checks need from the outside world, gathered once per check from the engine context.

import { brandLookalike, domainLookalike } from '../intel/lookalike.js';
import { officialBrandOf, referenceLists } from '../intel/reference.js';
import type { EngineContext, EngineOutcome, Finding, Severity } from '../types.js';
import { contactBookFor, knownThreadIds, threadCount } from './contacts.js';
import type { HeaderEnv } from './header-anomalies.js';
import type { ImpersonationEnv } from './impersonation.js';

export function senderEnv(ctx: EngineContext): ImpersonationEnv & HeaderEnv {
  const db = ctx.db;
  const ref = referenceLists();
  return {
    book: contactBookFor(db, ctx.options.contactsFiles ?? [], ctx.options),
    lookalike: domainLookalike,
    brandLookalike: (domain) => brandLookalike(domain, ref),
    brands: ref.brands,
    officialBrandOf: (host) => officialBrandOf(host, ref),
    knownThreadIds: db ? (ids) => knownThreadIds(db, ids) : undefined,
    threadHistory: db ? threadCount(db) : 0,
  };
}

const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** Engine status from findings: info and low findings alone leave a message clean. */
export function outcomeOf(findings: Finding[], note?: string): EngineOutcome {
  const worst = findings.reduce((m, f) => Math.max(m, RANK[f.severity]), -1);
  const status = worst >= RANK.critical ? 'malicious' : worst >= RANK.medium ? 'suspicious' : 'clean';
  return note ? { status, findings, note } : { status, findings };
}
