// Entry point of the compromise scan: `scanExchange(root)` walks a copy of an Exchange server's
// Logging folder, inetpub, exported event logs and web folders, and returns every trace found, how far
// back each log folder goes, and what could not be read. Nothing in the input can make it throw except
// an unreadable root or an abort.

import { stat } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import type { ScanHit, ScanOptions, ScanProblem, ScanResult } from '../types.js';
import { CoverageTracker } from './coverage.js';
import { discover } from './discover.js';
import { scanFileKinds } from './file-kinds.js';
import { LOG_RULES, type LogFileJob, type LogFileResult, scanLogFile } from './log-file.js';
import { scanLogFilesInWorkers } from './worker-pool.js';

export type { ScanHit, ScanOptions, ScanResult } from '../types.js';

/** Hits kept at most; a log flooded with attack rows must not exhaust memory. Further hits are counted. */
export const MAX_HITS = 100_000;
/** Below this many bytes of logs, starting worker threads costs more than it saves. */
export const WORKER_MIN_BYTES = 256 * 1024 * 1024;
/** Worker threads at most, whatever the caller asks: each holds a 2 MiB read buffer. */
export const MAX_WORKERS = 16;

/** A second thread pays off only on an idle core: on a busy machine the two threads competed with
 * other processes and the scan used ~30% more CPU for no wall-clock gain (bench/RESULTS-exchange.md). */
function defaultWorkers(logBytes: number): number {
  const cores = availableParallelism();
  if (logBytes < WORKER_MIN_BYTES || cores < 2) return 1;
  return loadavg()[0] < cores - 1 ? 2 : 1;
}

function workerCount(opts: ScanOptions, logBytes: number, files: number): number {
  const asked = opts.workers ?? defaultWorkers(logBytes);
  const n = Number.isFinite(asked) ? Math.floor(asked) : 1;
  return Math.max(1, Math.min(n, MAX_WORKERS, files));
}

export async function scanExchange(root: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const rootAbs = path.resolve(root);
  const st = await stat(rootAbs); // an unreadable root is the one error worth throwing
  if (!st.isDirectory()) throw new Error(`${root} is not a folder`);
  const { files, problems: found } = await discover(rootAbs, opts.signal);
  const hits: ScanHit[] = [];
  const problems: ScanProblem[] = [...found];
  let dropped = 0;
  const emit = (h: ScanHit) => {
    if (hits.length < MAX_HITS) hits.push(h);
    else dropped++;
  };
  const coverage = new CoverageTracker();
  const total = files.reduce((n, f) => n + f.size, 0);
  let done = 0;
  let filesScanned = 0;
  opts.onProgress?.(0, total);

  const logFiles = files.filter((f) => LOG_RULES[f.kind]);
  const jobs: LogFileJob[] = logFiles.map((f) => ({
    abs: f.abs,
    rel: f.rel,
    kind: f.kind,
    installPath: opts.installPath,
  }));
  const results: (LogFileResult | Error | undefined)[] = new Array(jobs.length);
  const logBytes = logFiles.reduce((n, f) => n + f.size, 0);
  const threads = workerCount(opts, logBytes, jobs.length);
  if (threads > 1) {
    await scanLogFilesInWorkers(
      jobs,
      threads,
      (i, r) => {
        results[i] = r;
      },
      (bytes) => {
        done += bytes;
        opts.onProgress?.(done, total);
      },
      opts.signal,
    );
  } else {
    for (let i = 0; i < jobs.length; i++) {
      opts.signal?.throwIfAborted();
      const before = done;
      try {
        results[i] = await scanLogFile(jobs[i], (b) => opts.onProgress?.(before + b, total), opts.signal);
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        results[i] = e as Error;
      }
      done = before + logFiles[i].size;
      opts.onProgress?.(done, total);
    }
  }
  // Results in file order, whatever order the workers finished in.
  results.forEach((r, i) => {
    const rel = logFiles[i].rel;
    if (!r || r instanceof Error) {
      problems.push({
        file: rel,
        problem: `could not be read: ${r instanceof Error ? r.message : 'no result'}`,
      });
      return;
    }
    for (const h of r.hits) emit(h);
    dropped += r.droppedHits;
    for (const p of r.problems) problems.push({ file: rel, problem: p });
    coverage.add(rel, r.kind, r.bytes, r.firstTimestamp, r.lastTimestamp);
    filesScanned++;
  });
  done = logBytes;

  const others = files.filter((f) => !LOG_RULES[f.kind]);
  const other = await scanFileKinds(others, {
    emit,
    coverage,
    problem: (file, problem) => problems.push({ file, problem }),
    onBytes: (n) => {
      done += n;
      opts.onProgress?.(done, total);
    },
    signal: opts.signal,
    anyLogHit: () => hits.length > 0,
  });
  filesScanned += other.filesScanned;

  if (dropped > 0)
    problems.push({ file: '.', problem: `${dropped} further hits not listed (limit ${MAX_HITS})` });
  opts.onProgress?.(total, total);
  return {
    root: rootAbs,
    hits,
    coverage: coverage.list(),
    problems,
    bytesScanned: total,
    filesScanned,
    ms: Math.round(performance.now() - started),
  };
}
