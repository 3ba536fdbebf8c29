// Scans one log file with the rule set for its kind. Shared by the in-process path and the worker
// threads, so both produce the same hits.

import type { ScanHit } from '../types.js';
import type { FileKind } from './discover.js';
import { isProvisionalLine, resolveLineNumbers, scanLines } from './line-scanner.js';
import { NeedleSet } from './needles.js';
import { ecpServerRules } from './rules/ecp-server.js';
import { httpProxyRules } from './rules/httpproxy.js';
import { iisRules } from './rules/iis.js';
import { oabGeneratorRules } from './rules/oab-generator.js';
import { rpsHttpRules } from './rules/rps-http.js';
import type { LogRuleSet } from './rules/types.js';

export const LOG_RULES: Partial<Record<FileKind, LogRuleSet>> = {
  httpproxy: httpProxyRules,
  'ecp-server': ecpServerRules,
  oabgenerator: oabGeneratorRules,
  'iis-w3c': iisRules,
  'rps-http': rpsHttpRules,
};

/** Hits kept per file; a log flooded with attack rows must not exhaust memory. */
export const MAX_HITS_PER_FILE = 20_000;
/** Problems kept per file. */
const MAX_FILE_PROBLEMS = 20;

export interface LogFileJob {
  abs: string;
  rel: string;
  kind: FileKind;
  installPath?: string;
}

export interface LogFileResult {
  hits: ScanHit[];
  droppedHits: number;
  problems: string[];
  kind: string;
  bytes: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
}

const needleCache = new Map<string, NeedleSet>();

function needlesFor(rules: LogRuleSet, rel: string): NeedleSet {
  const specs = rules.needles(rel);
  const key = specs.map((s) => `${s.nocase ? 'i' : 'c'}${s.text}`).join('\u0000');
  let needles = needleCache.get(key);
  if (!needles) {
    needles = new NeedleSet(specs);
    needleCache.set(key, needles);
  }
  return needles;
}

export async function scanLogFile(
  job: LogFileJob,
  onBytes?: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<LogFileResult> {
  const rules = LOG_RULES[job.kind];
  if (!rules) throw new Error(`no log rules for ${job.kind}`);
  const result: LogFileResult = { hits: [], droppedHits: 0, problems: [], kind: rules.kind, bytes: 0 };
  const problems: { line?: number; text: string }[] = [];
  const matcher = rules.open({
    rel: job.rel,
    emit: (h) => {
      if (result.hits.length < MAX_HITS_PER_FILE) result.hits.push(h);
      else result.droppedHits++;
    },
    problem: (text, line) => {
      if (problems.length < MAX_FILE_PROBLEMS) problems.push({ line, text });
    },
    installPath: job.installPath,
  });
  const summary = await scanLines(
    job.abs,
    { needles: needlesFor(rules, job.rel), onBytes, signal },
    (line, n) => matcher.onLine(line, n),
  );
  matcher.finish();
  result.bytes = summary.bytes;
  result.firstTimestamp = summary.firstTimestamp;
  result.lastTimestamp = summary.lastTimestamp;
  const all = [...summary.problems, ...problems];
  // Second pass, only for files that produced something: real numbers for provisional lines.
  const pending = [...result.hits.map((h) => h.line ?? 0), ...all.map((p) => p.line ?? 0)].filter(
    isProvisionalLine,
  );
  const lines = pending.length > 0 ? await resolveLineNumbers(job.abs, pending) : new Map<number, number>();
  const real = (n: number | undefined) => (n !== undefined && isProvisionalLine(n) ? lines.get(n) : n);
  for (const h of result.hits) h.line = real(h.line);
  result.problems = all.map((p) => {
    const line = real(p.line);
    return line === undefined ? p.text : `line ${line}: ${p.text}`;
  });
  return result;
}
