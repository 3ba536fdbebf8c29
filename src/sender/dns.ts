// DNS resolvers for sender authentication. mailauth takes any `(name, type) => answers` function, so the
// same verification runs on live DNS (only with --dns), on a DNS cache file (archived mail, tests) or on
// nothing at all. Errors keep Node's codes: ENOTFOUND/ENODATA mean "no record", anything else
// (ETIMEOUT, ESERVFAIL, ...) is a temporary failure and must never be read as "no record".

import { Resolver } from 'node:dns/promises';
import { readFileSync, statSync } from 'node:fs';

export type DnsResolver = (name: string, rrtype: string) => Promise<unknown[]>;

/** A cache file bigger than this is refused: it is read whole into memory. */
export const MAX_DNS_CACHE_BYTES = 32 * 1024 * 1024;

/** Per-query time limit for live DNS; a hanging server would otherwise stall the whole check. */
export const LIVE_DNS_TIMEOUT_MS = 3000;

/** Queries one live check may make: SPF includes can fan out, and a hostile record should not make us a DNS amplifier. */
export const MAX_LIVE_QUERIES_PER_CHECK = 60;

/** Error codes that mean the record does not exist (as opposed to "we could not find out"). */
const NO_RECORD_CODES = new Set(['ENOTFOUND', 'ENODATA']);

export function isNoRecordError(err: unknown): boolean {
  return NO_RECORD_CODES.has((err as { code?: string })?.code ?? '');
}

export function dnsError(code: string, message: string): Error & { code: string } {
  const err = new Error(message) as Error & { code: string };
  err.code = code;
  return err;
}

/** name → record type → answers, as in mailauth's `--dns-cache` files. Names are matched case-insensitively. */
export type DnsCache = Record<string, Record<string, unknown>>;

/**
 * Reads a DNS cache file. Besides mailauth's format (answers as arrays), a type may map to
 * `{ "error": "ETIMEOUT" }` to record a failed lookup, so archived temporary failures replay as such.
 */
export function loadDnsCache(file: string): DnsCache {
  const size = statSync(file).size;
  if (size > MAX_DNS_CACHE_BYTES) {
    throw new Error(`DNS cache file ${file} is ${size} bytes; the limit is ${MAX_DNS_CACHE_BYTES}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`DNS cache file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`DNS cache file ${file} must hold an object: name → record type → answers`);
  }
  const cache: DnsCache = {};
  for (const [name, types] of Object.entries(parsed as Record<string, unknown>)) {
    if (!types || typeof types !== 'object' || Array.isArray(types)) continue;
    const key = normName(name);
    cache[key] = { ...(cache[key] ?? {}) };
    for (const [type, answers] of Object.entries(types as Record<string, unknown>)) {
      cache[key][type.toUpperCase()] = answers;
    }
  }
  return cache;
}

function normName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * Resolver over a cache. A name absent from the cache is ENOTFOUND and a type absent under a known
 * name is ENODATA, as mailauth's own cache resolver does, so the cache must list every name a
 * verification needs; record failures explicitly with `{ "error": CODE }`.
 */
export function cacheResolver(cache: DnsCache): DnsResolver {
  return async (name, rrtype) => {
    const entry = cache[normName(name)];
    if (!entry) throw dnsError('ENOTFOUND', `${name} is not in the DNS cache`);
    const answers = entry[rrtype.toUpperCase()];
    if (answers === undefined || answers === null)
      throw dnsError('ENODATA', `no ${rrtype} for ${name} in the DNS cache`);
    if (Array.isArray(answers)) return answers;
    const code = (answers as { error?: unknown }).error;
    if (typeof code === 'string') throw dnsError(code, `${rrtype} ${name}: recorded failure ${code}`);
    throw dnsError('EBADRESP', `${rrtype} ${name}: unreadable answer in the DNS cache`);
  };
}

/** Live DNS through Node's resolver, with a timeout and a per-check query budget. */
export function liveResolver(
  options: { servers?: string[]; timeoutMs?: number; maxQueries?: number } = {},
): DnsResolver {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? LIVE_DNS_TIMEOUT_MS, tries: 2 });
  if (options.servers?.length) resolver.setServers(options.servers);
  let budget = options.maxQueries ?? MAX_LIVE_QUERIES_PER_CHECK;
  return async (name, rrtype) => {
    if (budget-- <= 0)
      throw dnsError('EBUDGET', `DNS query budget of this check is spent (${name} ${rrtype})`);
    return (await resolver.resolve(name, rrtype)) as unknown[];
  };
}

/** Wraps a resolver so that an aborted check stops querying (the abort is a temporary failure). */
export function abortable(resolver: DnsResolver, signal: AbortSignal | undefined): DnsResolver {
  if (!signal) return resolver;
  return async (name, rrtype) => {
    if (signal.aborted) throw dnsError('ECANCELLED', 'check aborted');
    return resolver(name, rrtype);
  };
}
