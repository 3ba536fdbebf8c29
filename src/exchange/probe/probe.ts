// Remote version check: reads the build an Exchange server shows to anyone (no credentials, no
// exploit, three ordinary GET requests) and says how precise that reading is.

import { parseBuild } from '../builds/version.js';
import { type HttpGet, type HttpGetOptions, httpGet, ProbeHttpError } from './http.js';
import {
  PROBE_PATHS,
  type ProbeSource,
  versionFromExportToolManifest,
  versionFromHeaders,
  versionFromLogonPage,
} from './sources.js';

/** A longer "URL" is not a server address; the cap keeps error messages and logs sane. */
export const MAX_URL_LENGTH = 2048;

export type ProbePrecision = 'cu' | 'cu+su';

export interface ProbeObservation {
  source: ProbeSource;
  url: string;
  build: string;
  precision: ProbePrecision;
}

export interface ProbeResult {
  /** Origin probed, e.g. https://mail.example.org */
  target: string;
  /** The best reading: a 4-part build when one was seen, else the CU. */
  build: string;
  precision: ProbePrecision;
  source: ProbeSource;
  observations: ProbeObservation[];
  /** Requests that failed or showed nothing, with why. */
  misses: { source: ProbeSource; url: string; reason: string }[];
  notes: string[];
}

export interface ProbeOptions extends HttpGetOptions {
  /** Injected HTTP client (tests, proxies). */
  get?: HttpGet;
}

export class ProbeError extends Error {
  override name = 'ProbeError';
}

/** "mail.example.org" → "https://mail.example.org"; rejects other schemes and embedded credentials. */
export function normaliseTarget(input: string): URL {
  const raw = String(input ?? '').trim();
  if (raw.length === 0) throw new ProbeError('no server address given');
  if (raw.length > MAX_URL_LENGTH) throw new ProbeError('the server address is too long');
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw new ProbeError(
      `"${raw.slice(0, 100)}" is not a valid server address (try https://mail.example.org)`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ProbeError(`only http:// and https:// addresses can be probed, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new ProbeError(
      'remove the user name and password from the address: the probe needs no credentials',
    );
  }
  return new URL(url.origin);
}

const PRECEDENCE: ProbeSource[] = ['x-owa-version', 'exporttool-manifest', 'logon-page'];

export async function probeExchange(input: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const target = normaliseTarget(input);
  const get = opts.get ?? httpGet;
  const httpOpts: HttpGetOptions = {
    timeoutMs: opts.timeoutMs,
    maxBytes: opts.maxBytes,
    insecure: opts.insecure,
  };
  if (opts.signal) httpOpts.signal = opts.signal;
  const observations: ProbeObservation[] = [];
  const misses: ProbeResult['misses'] = [];
  const failures: ProbeHttpError[] = [];

  const requests = (Object.keys(PROBE_PATHS) as ProbeSource[]).map(async (source) => {
    const url = new URL(PROBE_PATHS[source], target).href;
    try {
      const res = await get(url, httpOpts);
      const found: ProbeObservation[] = [];
      const header = versionFromHeaders(res.headers);
      if (header) found.push({ source: 'x-owa-version', url, build: header, precision: 'cu+su' });
      if (source === 'logon-page' || source === 'x-owa-version') {
        const page = res.status < 400 ? versionFromLogonPage(res.body) : undefined;
        if (page) found.push({ source: 'logon-page', url, build: page, precision: precisionOf(page) });
      }
      if (source === 'exporttool-manifest' && res.status === 200) {
        const m = versionFromExportToolManifest(res.body);
        if (m) found.push({ source, url, build: m, precision: 'cu+su' });
      }
      if (found.length === 0) misses.push({ source, url, reason: `HTTP ${res.status}, no version shown` });
      observations.push(...found);
    } catch (err) {
      if (!(err instanceof ProbeHttpError)) throw err;
      failures.push(err);
      misses.push({ source, url, reason: err.message });
    }
  });
  await Promise.all(requests);

  if (observations.length === 0) {
    if (failures.length === requests.length) {
      throw new ProbeError(`cannot reach ${target.origin}: ${failures[0].message}`);
    }
    throw new ProbeError(
      `no Exchange version found at ${target.origin} (${misses.map((m) => `${PROBE_PATHS[m.source]}: ${m.reason}`).join('; ')})`,
    );
  }
  return combine(target.origin, dedupe(observations), misses);
}

function precisionOf(build: string): ProbePrecision {
  return parseBuild(build).revision === undefined ? 'cu' : 'cu+su';
}

function dedupe(obs: ProbeObservation[]): ProbeObservation[] {
  const seen = new Set<string>();
  return obs.filter((o) => {
    const k = `${o.source}|${o.build}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const cuOf = (build: string) => build.split('.').slice(0, 3).join('.');

function combine(target: string, obs: ProbeObservation[], misses: ProbeResult['misses']): ProbeResult {
  const ranked = [...obs].sort(
    (a, b) =>
      (a.precision === 'cu+su' ? 0 : 1) - (b.precision === 'cu+su' ? 0 : 1) ||
      PRECEDENCE.indexOf(a.source) - PRECEDENCE.indexOf(b.source),
  );
  const best = ranked[0];
  const notes: string[] = [];
  for (const o of ranked.slice(1)) {
    if (o.build === best.build) continue;
    if (cuOf(o.build) !== cuOf(best.build)) {
      notes.push(
        `${o.source} shows ${o.build} but ${best.source} shows ${best.build}: different CUs. Servers behind a load balancer may answer from different machines; check each one.`,
      );
    } else if (o.precision === 'cu+su') {
      notes.push(`${o.source} shows ${o.build}, ${best.source} shows ${best.build}; using ${best.source}.`);
    }
  }
  if (best.precision === 'cu') {
    notes.push(
      'Only the CU is visible from outside (no X-OWA-Version header or export-tool manifest): the security update level is unknown.',
    );
  }
  if (best.source === 'exporttool-manifest') {
    notes.push(
      'Read from the ECP export-tool manifest; it is not verified that every security update changes that version.',
    );
  }
  return {
    target,
    build: best.build,
    precision: best.precision,
    source: best.source,
    observations: ranked,
    misses,
    notes,
  };
}
