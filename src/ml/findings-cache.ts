// Runs the full pipeline (analyseRaw) over corpus messages and caches each message's findings as one
// JSON line in /tmp, so the scoring weights can be refitted in seconds. Resumable: messages already in
// the cache are skipped. The text model's own findings are not cached: its corpus scores must come from
// cross-validation (a model scoring its own training mail would look far better than it is).

import { appendFileSync, createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { analyseRaw } from '../analyse.js';
import { allEngines } from '../engines/registry.js';
import type { Finding, Severity } from '../types.js';
import type { ManifestRow } from './corpus.js';
import { reduceToSenderHeaders } from './reduce-headers.js';

export interface CachedFinding {
  code: string;
  strength: number;
  severity: Severity;
}

export interface CachedMessage {
  sha256: string;
  label: ManifestRow['label'];
  corpus: string;
  source: string;
  month: string;
  reduced: boolean;
  findings: CachedFinding[];
  ms: number;
  error?: string;
}

/** Engines left out of the cache (their corpus scores come from cross-validation). */
export const ENGINES_NOT_CACHED = new Set(['text-model']);

export function findingsCachePath(reduced: boolean): string {
  return reduced ? '/tmp/suspect-findings-reduced.jsonl' : '/tmp/suspect-findings-raw.jsonl';
}

export async function readFindingsCache(file: string): Promise<Map<string, CachedMessage>> {
  const out = new Map<string, CachedMessage>();
  if (!existsSync(file)) return out;
  const rl = createInterface({ input: createReadStream(file) });
  for await (const line of rl) {
    if (!line.trim()) continue;
    try {
      const m = JSON.parse(line) as CachedMessage;
      out.set(m.sha256, m);
    } catch {
      // A line cut short by an interrupted run: that message is analysed again.
    }
  }
  return out;
}

/** Strongest instance per code, as the scorer reads them. */
function compact(findings: Finding[]): CachedFinding[] {
  const best = new Map<string, CachedFinding>();
  for (const f of findings) {
    if (ENGINES_NOT_CACHED.has(f.engine)) continue;
    const s = Math.min(1, Math.max(0, f.strength ?? 1));
    const prev = best.get(f.code);
    if (!prev || s > prev.strength)
      best.set(f.code, { code: f.code, strength: Math.round(s * 1000) / 1000, severity: f.severity });
  }
  return [...best.values()];
}

export async function cacheFindings(
  rows: ManifestRow[],
  dataDir: string,
  options: { reduced: boolean; cachePath?: string; log: (s: string) => void; signal?: AbortSignal },
): Promise<Map<string, CachedMessage>> {
  const file = options.cachePath ?? findingsCachePath(options.reduced);
  const cache = await readFindingsCache(file);
  const todo = rows.filter((r) => !cache.has(r.sha256));
  options.log(
    `score: ${cache.size} messages cached in ${file}, ${todo.length} to analyse${options.reduced ? ' (reduced to sender headers)' : ''}`,
  );
  const engines = allEngines().filter((e) => !ENGINES_NOT_CACHED.has(e.name));
  const started = Date.now();
  let done = 0;
  for (const row of todo) {
    if (options.signal?.aborted) break;
    const t0 = performance.now();
    let entry: CachedMessage;
    try {
      let raw: Uint8Array = new Uint8Array(readFileSync(path.join(dataDir, row.path)));
      if (options.reduced) raw = reduceToSenderHeaders(raw);
      const report = await analyseRaw(raw, { kind: 'eml', file: row.path }, { engines });
      const all = [...report.findings, ...report.embedded.flatMap((e) => e.findings)];
      entry = {
        ...base(row, options.reduced),
        findings: compact(all),
        ms: Math.round(performance.now() - t0),
      };
    } catch (err) {
      entry = { ...base(row, options.reduced), findings: [], ms: 0, error: (err as Error).message };
    }
    appendFileSync(file, `${JSON.stringify(entry)}\n`);
    cache.set(row.sha256, entry);
    done++;
    if (done % 250 === 0) {
      const rate = (done * 1000) / (Date.now() - started);
      options.log(
        `score: analysed ${done}/${todo.length} (${rate.toFixed(1)} msgs/s, ~${Math.round((todo.length - done) / rate / 60)} min left)`,
      );
    }
  }
  return cache;
}

function base(row: ManifestRow, reduced: boolean) {
  return {
    sha256: row.sha256,
    label: row.label,
    corpus: row.corpus,
    source: row.source,
    month: row.month,
    reduced,
  };
}
