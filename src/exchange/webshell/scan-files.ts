// Checks files found in the web folders (aspnet_client, FrontEnd\HttpProxy\owa\auth, ecp\auth, OAB,
// Temporary ASP.NET Files), IIS configuration, and ProgramData / dump files:
//  - MSTIC sha256 and path IOCs, signature-base filename IOCs;
//  - signature-base YARA rules through ./yara.ts;
//  - structural heuristics (./heuristics.ts);
//  - folder rules: aspnet_client holds no files but web.config on a clean server (CERT-LV), ecp\auth
//    holds only TimeoutLogoff.aspx (signature-base filename IOC "ecp\auth\[^T]").

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ScanHit } from '../types.js';
import { structuralChecks } from './heuristics.js';
import { loadIocs } from './iocs.js';
import { matchRule, YaraTarget } from './yara.js';

/** Content rules read at most this much of a file; every signature-base rule used here caps filesize
 * well below it, and a multi-GB file in a web folder must not be loaded into memory. */
export const MAX_CONTENT_BYTES = 16 * 1024 * 1024;

/** Static resources IIS serves as bytes and never executes: hashed and checked by path, but not run
 * through the content rules (a real owa\auth folder holds thousands of them). */
const STATIC_RESOURCE = /\.(png|gif|jpe?g|ico|bmp|woff2?|ttf|eot|otf|svg|css|map|mp3|wav|xap)$/i;

export type WebFileKind = 'webroot' | 'iis-config' | 'programdata-archive' | 'lsass-dump';

async function sha256File(abs: string, signal?: AbortSignal): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(abs, { highWaterMark: 1 << 20, signal }))
    h.update(chunk as Buffer);
  return h.digest('hex');
}

async function readHead(abs: string, max: number): Promise<Buffer> {
  const fh = await open(abs, 'r');
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await fh.read(buf, 0, max, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function severityOfScore(score: number): ScanHit['severity'] {
  return score >= 90 ? 'critical' : score >= 70 ? 'high' : score >= 50 ? 'medium' : 'low';
}

export interface WebFileInput {
  abs: string;
  rel: string;
  kind: WebFileKind;
  size: number;
  mtimeMs: number;
}

/** Checks one file; returns the hits (file set, no line). */
export async function scanWebFile(
  f: WebFileInput,
  opts: { anyLogHit: boolean; signal?: AbortSignal },
): Promise<ScanHit[]> {
  const iocs = loadIocs();
  const hits: ScanHit[] = [];
  const relLower = f.rel.toLowerCase();
  const name = relLower.slice(relLower.lastIndexOf('/') + 1);
  const winPath = 'C:\\' + f.rel.replace(/\//g, '\\');
  const timestamp = new Date(f.mtimeMs).toISOString();
  const add = (h: Omit<ScanHit, 'file' | 'timestamp'>) => hits.push({ file: f.rel, timestamp, ...h });

  if (f.kind === 'lsass-dump') {
    add({
      rule: 'credential.lsass-dump',
      why: 'a memory dump of lsass.exe: attackers dump it to steal the passwords and hashes of everyone logged on; treat all those credentials as stolen',
      severity: opts.anyLogHit ? 'critical' : 'high',
    });
    return hits;
  }
  if (f.kind === 'programdata-archive') {
    add({
      rule: 'exfil.programdata-archive',
      why: `an archive (${name}) in ProgramData: HAFNIUM packed stolen data this way before taking it out${opts.anyLogHit ? '; the logs also show exploitation' : '; on its own it may be harmless'}`,
      severity: opts.anyLogHit ? 'high' : 'low',
    });
    return hits;
  }

  // Path IOCs.
  const tail = relLower;
  const mstic = iocs.pathTails.find((t) => tail === t || tail.endsWith('/' + t));
  if (mstic) {
    add({
      rule: 'webshell.mstic-path',
      why: `file at a path Microsoft listed as a HAFNIUM web shell (${mstic})`,
      severity: 'critical',
    });
  }
  const best = iocs.filenameIocs.filter((i) => i.re.test(winPath)).sort((a, b) => b.score - a.score)[0];
  if (best && !mstic) {
    add({
      rule: 'webshell.filename-ioc',
      why: `file name or place matches a known web-shell indicator (${best.comment || best.source}; score ${best.score}, signature-base filename IOCs by Florian Roth)`,
      severity: severityOfScore(best.score),
    });
  }
  if (f.kind === 'webroot') {
    if (/(^|\/)aspnet_client\//.test(relLower) && name !== 'web.config' && !best && !mstic) {
      add({
        rule: 'webshell.aspnet-client-file',
        why: 'a file in aspnet_client, which holds nothing but web.config on a clean Exchange server (CERT-LV check)',
        severity: /\.(aspx|ashx|asmx|asp)$/.test(name) ? 'high' : 'medium',
      });
    }
  }

  // Content: hash, YARA, heuristics.
  try {
    const sha256 = await sha256File(f.abs, opts.signal);
    if (iocs.sha256.has(sha256)) {
      add({
        rule: 'webshell.mstic-hash',
        why: 'file content matches a web shell hash Microsoft published for the March 2021 attacks',
        severity: 'critical',
        sha256,
      });
    }
    if (f.kind === 'webroot' && STATIC_RESOURCE.test(name)) {
      for (const h of hits) h.sha256 ??= sha256;
      return hits;
    }
    const bytes = await readHead(f.abs, Math.min(f.size, MAX_CONTENT_BYTES));
    const target = new YaraTarget(bytes);
    for (const rule of iocs.yaraRules) {
      if (!matchRule(rule, target)) continue;
      add({
        rule: `yara.${rule.name}`,
        why: `matches the signature-base rule ${rule.name}: ${rule.meta.description ?? ''} (author: ${rule.meta.author ?? 'unknown'}, DRL 1.1)`.trim(),
        severity: severityOfScore(Number(rule.meta.score ?? 75)),
        sha256,
      });
    }
    if (f.kind === 'webroot') {
      for (const h of structuralChecks(name, bytes.subarray(0, 16), target.text)) add({ ...h, sha256 });
    }
    for (const h of hits) h.sha256 ??= sha256;
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    throw new Error(`could not be read: ${(e as Error).message}`);
  }
  return hits;
}
