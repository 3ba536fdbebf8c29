// Sender authentication: SPF, DKIM, DMARC and ARC verified with mailauth through an injected resolver,
// falling back to results recorded by a trusted receiving server when no DNS answer is available.
//
// mailauth's authenticate() is composed here from the same parts (dkimVerify → spf → arc → dmarc),
// because authenticate() would run SPF without a client IP, cannot take the verification time (DKIM
// x= expiry must use the injected clock for archived mail and tests), and also runs BIMI.

import { statSync } from 'node:fs';
import { arc, dkimVerify, dmarc, spf } from 'mailauth';
import type { AnalysisOptions, Message } from '../types.js';
import {
  abortable,
  cacheResolver,
  type DnsResolver,
  isNoRecordError,
  liveResolver,
  loadDnsCache,
} from './dns.js';
import { addressDomain } from './domains.js';
import { trustedClientIp } from './received.js';
import { recordedDmarcPolicy, recordedOutcomes, trustedResultsHeader } from './recorded.js';
import type { AuthOutcome, AuthReport, AuthVerdict } from './types.js';

/** Name this verifier gives itself in mailauth's output (mailauth defaults to the host name). */
const VERIFIER_NAME = 'suspect';

export interface AuthDeps {
  now: Date;
  signal?: AbortSignal;
  /** Overrides the resolver chosen from the options (tests). */
  resolver?: DnsResolver;
}

/**
 * An engine's auth dependencies, its signal read only if a DNS lookup needs it: reading the panel's
 * signal builds an AbortSignal, and offline checks (the default) never look anything up.
 */
export function authDepsOf(ctx: { now: Date; readonly signal: AbortSignal }): AuthDeps {
  return {
    now: ctx.now,
    get signal() {
      return ctx.signal;
    },
  };
}

const cacheByFile = new Map<string, { mtimeMs: number; resolver: DnsResolver }>();

/** The resolver the options ask for, or undefined when DNS is off. The cache file is read once per change. */
export function resolverFor(options: AnalysisOptions): DnsResolver | undefined {
  const mode = options.dns ?? (options.dnsCacheFile ? 'cache' : 'off');
  if (mode === 'live') return liveResolver();
  if (mode !== 'cache' || !options.dnsCacheFile) return undefined;
  const file = options.dnsCacheFile;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch (err) {
    throw new Error(
      `DNS cache file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  const hit = cacheByFile.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.resolver;
  const resolver = cacheResolver(loadDnsCache(file));
  cacheByFile.set(file, { mtimeMs, resolver });
  return resolver;
}

function dnsMode(options: AnalysisOptions, resolver: DnsResolver | undefined): AuthReport['dns'] {
  if (!resolver) return 'off';
  return options.dns === 'live' ? 'live' : 'cache';
}

/**
 * Records temporary DNS failures and missing keys, which mailauth's ARC code reports as a plain
 * "fail" ("all failures are permanent in the scope of ARC"), so we can tell them apart.
 */
function tracking(resolver: DnsResolver): {
  resolver: DnsResolver;
  tempFailures: string[];
  missingKeys: string[];
} {
  const tempFailures: string[] = [];
  const missingKeys: string[] = [];
  return {
    tempFailures,
    missingKeys,
    resolver: async (name, type) => {
      try {
        return await resolver(name, type);
      } catch (err) {
        if (!isNoRecordError(err))
          tempFailures.push(`${type} ${name}: ${(err as { code?: string }).code ?? 'error'}`);
        else if (/\._domainkey\./i.test(name)) missingKeys.push(name);
        throw err;
      }
    },
  };
}

// ───────────── mapping mailauth's results to outcomes kept apart ─────────────

interface MailauthStatus {
  result?: string;
  comment?: string | false;
  aligned?: string | false;
  policy?: Record<string, string>;
}

interface MailauthDkimResult {
  signingDomain?: string;
  selector?: string;
  status?: MailauthStatus;
  publicKey?: unknown;
  rr?: string;
}

export function dkimOutcome(r: MailauthDkimResult): AuthOutcome {
  const status = r.status ?? {};
  const comment = typeof status.comment === 'string' ? status.comment : '';
  const base = {
    method: 'dkim' as const,
    source: 'verified' as const,
    domain: r.signingDomain?.toLowerCase(),
    selector: r.selector,
    aligned: Boolean(status.aligned),
  };
  const who = `the DKIM signature of ${r.signingDomain ?? 'an unnamed domain'}`;
  const o = (result: AuthVerdict, detail: string): AuthOutcome => ({ ...base, result, detail });
  switch (status.result) {
    case 'pass':
      return o('pass', `${who} is valid`);
    case 'fail':
      return o('fail', `${who} does not match: signed headers were changed after signing, or it is forged`);
    case 'temperror':
      return o(
        'temperror',
        `${who} could not be checked: the DNS lookup of its key failed (${comment || 'temporary error'})`,
      );
    case 'policy':
      return o('policy', `${who} uses a key too short to be trusted`);
    case 'none':
      return o('none', 'the message carries no DKIM signature');
  }
  if (comment === 'body hash did not verify') {
    return o('fail', `${who} does not match: the message body was changed after it was signed`);
  }
  if (comment === 'no key') {
    return o(
      'key-missing',
      `the key for ${who} (selector ${r.selector}) is no longer published; on old mail it was most likely rotated`,
    );
  }
  if (comment === 'invalid public key' && /(^|;)\s*p=\s*(;|$)/.test(r.rr ?? '')) {
    return o('key-missing', `the key for ${who} (selector ${r.selector}) has been revoked (empty p=)`);
  }
  if (comment === 'expired') return o('expired', `${who} has expired (its x= date has passed)`);
  return o('permerror', `${who} could not be verified: ${comment || 'unusable signature or key'}`);
}

function spfOutcome(r: { domain?: string; status?: MailauthStatus } | false, ip: string): AuthOutcome {
  const result = (r ? r.status?.result : undefined) || 'neutral';
  const domain = r ? r.domain : undefined;
  const verdict: AuthVerdict =
    result === 'temperror'
      ? 'temperror'
      : ((['pass', 'fail', 'softfail', 'neutral', 'none', 'permerror'].find(
          (v) => v === result,
        ) as AuthVerdict) ?? 'neutral');
  const details: Record<string, string> = {
    pass: `${domain} allows ${ip} to send its mail (SPF pass)`,
    fail: `${domain} does not allow ${ip} to send its mail (SPF fail)`,
    softfail: `${domain} says ${ip} is probably not one of its senders (SPF softfail)`,
    neutral: `${domain} makes no statement about ${ip} (SPF neutral)`,
    none: `${domain} publishes no SPF record`,
    permerror: `${domain}'s SPF record is broken (permerror)`,
    temperror: `the SPF lookup for ${domain} failed temporarily; this is not "no record"`,
  };
  return {
    method: 'spf',
    result: verdict,
    source: 'verified',
    domain,
    detail: details[verdict] ?? `SPF ${result}`,
  };
}

function notChecked(method: AuthOutcome['method'], detail: string): AuthOutcome {
  return { method, result: 'not-checked', source: 'none', detail };
}

// ───────────── verification ─────────────

function rawBuffer(message: Message): Buffer {
  const r = message.raw;
  return Buffer.from(r.buffer, r.byteOffset, r.byteLength);
}

/** Verifies the message now, with DNS. */
async function verifyWithDns(
  message: Message,
  resolver: DnsResolver,
  options: AnalysisOptions,
  deps: AuthDeps,
  mode: AuthReport['dns'],
): Promise<AuthReport> {
  const trusted = options.trustAuthservIds ?? [];
  const notes: string[] = [];
  const res = abortable(resolver, deps.signal);

  const dkimRes = await dkimVerify(rawBuffer(message), {
    resolver: res as never,
    curTime: deps.now,
    sender: message.returnPath,
  });
  const dkim: AuthOutcome[] = (dkimRes.results ?? [])
    .map((r) => dkimOutcome(r as MailauthDkimResult))
    .filter((o) => o.result !== 'none');
  if (!dkim.length)
    dkim.push({
      method: 'dkim',
      result: 'none',
      source: 'verified',
      detail: 'the message carries no DKIM signature',
    });

  const clientIp = trustedClientIp(message, trusted);
  let spfOut: AuthOutcome;
  let spfDomains: string[] = [];
  if (clientIp) {
    const sender = message.returnPath || `postmaster@${clientIp.helo ?? ''}`;
    const r = await spf({
      ip: clientIp.ip,
      helo: clientIp.helo,
      sender,
      mta: VERIFIER_NAME,
      resolver: res as never,
    });
    spfOut = spfOutcome(r as never, clientIp.ip);
    spfOut.detail += ` — client IP taken from the Received header added by ${clientIp.receivedBy}`;
    if (spfOut.result === 'pass' && r?.domain) spfDomains = [r.domain];
  } else {
    spfOut = notChecked(
      'spf',
      trusted.length
        ? `SPF not checked: no Received header from a trusted server (${trusted.join(', ')}) names the connecting IP`
        : 'SPF not checked: the connecting IP is only known from a trusted server’s Received header (--trust-authserv-id)',
    );
  }

  const arcTrack = tracking(res);
  const arcData = (dkimRes as unknown as { arc?: { chain?: unknown } }).arc;
  let arcOut: AuthOutcome = {
    method: 'arc',
    result: 'none',
    source: 'verified',
    detail: 'the message carries no ARC chain',
  };
  let arcResult: unknown;
  if (arcData?.chain) {
    arcResult = await arc(arcData as never, { resolver: arcTrack.resolver as never });
    const st = (arcResult as { status?: MailauthStatus; i?: number }).status ?? {};
    const comment = typeof st.comment === 'string' ? st.comment : '';
    if (st.result === 'pass')
      arcOut = { ...arcOut, result: 'pass', detail: 'the ARC chain of forwarding servers is intact' };
    else if (arcTrack.tempFailures.length)
      arcOut = {
        ...arcOut,
        result: 'temperror',
        detail: `the ARC chain could not be checked: ${arcTrack.tempFailures[0]}`,
      };
    else if (comment.startsWith('no key') || arcTrack.missingKeys.length)
      arcOut = {
        ...arcOut,
        result: 'key-missing',
        detail: `an ARC key is no longer published (${arcTrack.missingKeys[0] ?? comment}); on old mail it was most likely rotated`,
      };
    else if (st.result === 'fail')
      arcOut = {
        ...arcOut,
        result: 'fail',
        detail: `the ARC chain is broken${comment ? ` (${comment})` : ''}`,
      };
  }

  const headerFrom = (dkimRes as { headerFrom?: string[] }).headerFrom ?? [];
  let dmarcOut: AuthReport['dmarc'];
  if (headerFrom.length !== 1) {
    dmarcOut = notChecked('dmarc', `DMARC not checked: the message has ${headerFrom.length} From addresses`);
  } else {
    const dkimDomains = (dkimRes.results ?? [])
      .filter((r) => r.status?.result === 'pass')
      .map((r) => ({
        id: r.id,
        domain: r.signingDomain,
        aligned: Boolean(r.status?.aligned),
        underSized: Boolean(r.status?.underSized),
      }));
    const d = (await dmarc({
      headerFrom,
      spfDomains,
      dkimDomains,
      arcResult: arcResult as never,
      resolver: res as never,
    })) as { status?: MailauthStatus; domain?: string; p?: string; policy?: string; rr?: string } | false;
    const fromDomain = addressDomain(headerFrom[0]);
    const result = (d ? d.status?.result : undefined) || 'neutral';
    const policy = d ? (d.policy ?? d.p)?.toLowerCase() : undefined;
    const base = { method: 'dmarc' as const, source: 'verified' as const, domain: fromDomain, policy };
    if (result === 'pass')
      dmarcOut = {
        ...base,
        result: 'pass',
        hasRecord: true,
        detail: `${fromDomain} passes DMARC: an aligned SPF or DKIM check succeeded`,
      };
    else if (result === 'none')
      dmarcOut = {
        ...base,
        result: 'none',
        hasRecord: false,
        detail: `${fromDomain} publishes no DMARC policy, so anyone can put it in From`,
      };
    else if (result === 'temperror')
      dmarcOut = {
        ...base,
        result: 'temperror',
        detail: `the DMARC lookup for ${fromDomain} failed temporarily; this is not "no record"`,
      };
    else if (result === 'fail' && !clientIp)
      // Without SPF, a DKIM-only failure cannot prove DMARC failed: SPF might have aligned.
      dmarcOut = {
        ...base,
        result: 'not-checked',
        hasRecord: true,
        detail: `DMARC for ${fromDomain} (p=${policy ?? '?'}) undecided: no aligned DKIM signature passed and SPF could not be checked`,
      };
    else if (result === 'fail')
      dmarcOut = {
        ...base,
        result: 'fail',
        hasRecord: true,
        detail: `${fromDomain} fails DMARC (policy ${policy ?? 'none'}): neither SPF nor DKIM passed for it`,
      };
    else dmarcOut = { ...base, result: 'neutral', detail: `DMARC ${result} for ${fromDomain}` };
  }

  return { dns: mode, spf: spfOut, dkim, dmarc: dmarcOut, arc: arcOut, clientIp, notes };
}

const USABLE: ReadonlySet<AuthVerdict> = new Set([
  'pass',
  'fail',
  'softfail',
  'neutral',
  'none',
  'permerror',
  'policy',
]);

/** Replaces what could not be decided now with what a trusted server recorded on arrival. */
function applyRecorded(report: AuthReport, message: Message, trusted: readonly string[]): AuthReport {
  const header = trustedResultsHeader(message, trusted);
  if (!header) return report;
  const rec = (m: 'spf' | 'dkim' | 'dmarc' | 'arc') => recordedOutcomes(header, m);
  const out: AuthReport = { ...report, notes: [...report.notes] };

  const spfRec = rec('spf')[0];
  if (spfRec && !USABLE.has(out.spf.result)) out.spf = spfRec;

  const dkimRec = rec('dkim');
  if (dkimRec.length) {
    const allUndecided = out.dkim.every((d) => d.result === 'not-checked' || d.result === 'temperror');
    if (allUndecided) out.dkim = dkimRec;
    else
      out.dkim = out.dkim.map((d) => {
        if (d.result !== 'key-missing' && d.result !== 'temperror' && d.result !== 'expired') return d;
        const match = dkimRec.find(
          (r) => r.domain === d.domain && (!r.selector || r.selector === d.selector),
        );
        if (!match) return d;
        return {
          ...match,
          detail: `${d.detail}; ${match.authservId} recorded dkim=${match.result} when the message arrived`,
        };
      });
  }

  const dmarcRec = rec('dmarc')[0];
  if (dmarcRec && !USABLE.has(out.dmarc.result)) {
    const policy = recordedDmarcPolicy(header);
    out.dmarc = { ...dmarcRec, policy, hasRecord: dmarcRec.result === 'none' ? false : undefined };
  }
  const arcRec = rec('arc')[0];
  if (arcRec && !USABLE.has(out.arc.result)) out.arc = arcRec;
  out.notes.push(
    `Results the server could not verify now were taken from ${header.authservId}, which you trust.`,
  );
  return out;
}

/** Authentication of one message, with every outcome kept apart. Never throws for DNS trouble. */
export async function verifyAuth(
  message: Message,
  options: AnalysisOptions,
  deps: AuthDeps,
): Promise<AuthReport> {
  const trusted = options.trustAuthservIds ?? [];
  const resolver = deps.resolver ?? resolverFor(options);
  let report: AuthReport;
  if (resolver) {
    report = await verifyWithDns(
      message,
      resolver,
      options,
      deps,
      deps.resolver ? 'cache' : dnsMode(options, resolver),
    );
  } else {
    const why = 'DNS lookups are off (use --dns-cache FILE or --dns)';
    report = {
      dns: 'off',
      spf: notChecked('spf', `SPF not checked: ${why}`),
      dkim: [notChecked('dkim', `DKIM not checked: ${why}`)],
      dmarc: notChecked('dmarc', `DMARC not checked: ${why}`),
      arc: notChecked('arc', `ARC not checked: ${why}`),
      clientIp: trustedClientIp(message, trusted),
      notes: [],
    };
  }
  report = applyRecorded(report, message, trusted);
  const undecided = [report.spf, ...report.dkim, report.dmarc].every((o) => o.result === 'not-checked');
  if (undecided && !trusted.length) {
    report.notes.push(
      'Nothing could be verified: give --dns-cache FILE or --dns, or --trust-authserv-id ID for your mail server.',
    );
  }
  return report;
}

const memo = new WeakMap<Message, Promise<AuthReport>>();

/** verifyAuth once per message object, shared by the engines that need it. */
export function authFor(message: Message, options: AnalysisOptions, deps: AuthDeps): Promise<AuthReport> {
  let p = memo.get(message);
  if (!p) {
    p = verifyAuth(message, options, deps);
    memo.set(message, p);
  }
  return p;
}
