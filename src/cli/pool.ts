// Parallel analysis for `suspect check --jobs N`: a pool of worker threads, each with its own handle on
// the same SQLite store (intel, contacts), fed in input order. The caller stays the only writer of
// results and gets them back in input order, with a bounded number of messages in flight so memory
// stays flat on a mailbox of any size.

import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InvalidArgumentError } from 'commander';
import { analyseRaw } from '../analyse.js';
import type { AnalysisOptions, MessageSource, Report } from '../types.js';

/** Most worker threads a check may start; more only adds memory on any machine this runs on. */
export const MAX_JOBS = 64;
/**
 * Messages handed to each worker ahead of the one it is on, so it never waits for the next one; also
 * bounds the reorder buffer (a slow message holds back at most this many finished ones per worker).
 */
export const QUEUED_PER_WORKER = 4;

/**
 * Heap of each worker thread. V8 otherwise lets every worker's heap grow towards the machine's limit
 * before collecting hard, so N workers drift up in memory over a big mailbox; and a hostile message
 * cannot take more than this: the worker dies, that message is reported as an error, a new worker
 * takes over. Ordinary messages need a few tens of MB.
 */
export const MAX_WORKER_HEAP_MB = 384;

/** Worker threads replaced after a crash, per check; past this the pool stops and reports errors. */
export const MAX_WORKER_RESTARTS = 8;

/** Parses `--jobs`: a whole number from 1 to MAX_JOBS, or 'auto' for the number of cores (else a usage error). */
export function parseJobs(value: string): number {
  if (value === 'auto') return Math.min(availableParallelism(), MAX_JOBS);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_JOBS)
    throw new InvalidArgumentError(`--jobs must be a whole number from 1 to ${MAX_JOBS}, or auto`);
  return n;
}

export interface Analyser {
  analyse(raw: Uint8Array, source: MessageSource): Promise<Report>;
  /** How many messages may be in flight at once (1 analyses strictly one after another). */
  readonly maxPending: number;
  close(): Promise<void>;
}

/** Analysis on this thread, one message at a time: `--jobs 1`. */
export function inlineAnalyser(env: Parameters<typeof analyseRaw>[2]): Analyser {
  return {
    analyse: (raw, source) => analyseRaw(raw, source, env),
    maxPending: 1,
    close: async () => {},
  };
}

/** What the main thread sends a worker and what comes back. */
export interface PoolJob {
  seq: number;
  raw: Uint8Array;
  source: MessageSource;
}
export type PoolReply = { seq: number; report: Report } | { seq: number; error: string };
export interface PoolWorkerData {
  /** Store file the workers open for intel and contacts (':memory:' gives each its own empty one). */
  dbFile: string;
  options: AnalysisOptions;
}

interface Pending {
  resolve: (r: Report) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Pending>;
}

/** Starts the worker of this pool, from the compiled file or, under tsx/vitest, from TypeScript. */
function startWorker(data: PoolWorkerData): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const options = { workerData: data, resourceLimits: { maxOldGenerationSizeMb: MAX_WORKER_HEAP_MB } };
  if (!fromSource) return new Worker(new URL('./pool-worker.js', import.meta.url), options);
  // TypeScript needs tsx's loader, registered inside the worker before the worker module is imported.
  // It is found from here, not from the working folder the eval'd code would resolve against; the
  // 'import' condition of tsx/esm/api is the same file as the 'require' one with .mjs for .cjs.
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const entry = new URL('./pool-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

/** `jobs` worker threads, each analysing the messages it is given with its own store handle. */
export function workerPool(jobs: number, data: PoolWorkerData): Analyser {
  let seq = 0;
  let closing = false;
  let restarts = 0;
  /** Set once workers failed too often: every later message gets this error instead of a verdict. */
  let broken: Error | undefined;
  const slots: Slot[] = [];

  const spawn = (): Slot => {
    const slot: Slot = { worker: startWorker(data), jobs: new Map() };
    const failAll = (err: Error) => {
      for (const p of slot.jobs.values()) p.reject(err);
      slot.jobs.clear();
      // A crashed worker is replaced, so one bad message does not stop the rest of the mailbox; but a
      // worker that cannot even start (its store will not open) must not be restarted forever.
      const i = slots.indexOf(slot);
      if (i < 0 || closing) return;
      if (++restarts > MAX_WORKER_RESTARTS) broken ??= err;
      else slots[i] = spawn();
    };
    slot.worker.on('message', (reply: PoolReply) => {
      const p = slot.jobs.get(reply.seq);
      if (!p) return;
      slot.jobs.delete(reply.seq);
      if ('error' in reply) p.reject(new Error(reply.error));
      else p.resolve(reply.report);
    });
    slot.worker.on('error', (err) => failAll(new Error(`analysis worker failed: ${err.message}`)));
    // Also on an exit with nothing in hand: later messages must not be posted to a stopped worker.
    slot.worker.on('exit', (code) => failAll(new Error(`analysis worker stopped (exit code ${code})`)));
    return slot;
  };
  for (let i = 0; i < jobs; i++) slots.push(spawn());

  return {
    maxPending: jobs * QUEUED_PER_WORKER,
    analyse(raw, source) {
      if (broken) return Promise.reject(broken);
      const slot = slots.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
      const job: PoolJob = { seq: seq++, raw, source };
      return new Promise<Report>((resolve, reject) => {
        slot.jobs.set(job.seq, { resolve, reject });
        slot.worker.postMessage(job);
      });
    },
    async close() {
      closing = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

export type Settled<T, R> = { item: T; result: R } | { item: T; error: Error };

/**
 * Runs `work` over `items` with up to `maxPending` at once and yields the outcomes in input order.
 * Input is read only as results are handed out, so a huge mailbox never piles up in memory.
 */
export async function* inInputOrder<T, R>(
  items: AsyncIterable<T>,
  work: (item: T) => Promise<R>,
  maxPending: number,
): AsyncGenerator<Settled<T, R>> {
  const queue: Promise<Settled<T, R>>[] = [];
  const settle = (item: T): Promise<Settled<T, R>> => {
    try {
      return work(item).then(
        (result) => ({ item, result }),
        (err: unknown) => ({ item, error: err instanceof Error ? err : new Error(String(err)) }),
      );
    } catch (err) {
      return Promise.resolve({ item, error: err instanceof Error ? err : new Error(String(err)) });
    }
  };
  const it = items[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      while (!done && queue.length < Math.max(1, maxPending)) {
        const next = await it.next();
        if (next.done) done = true;
        else queue.push(settle(next.value));
      }
      const head = queue.shift();
      if (!head) return;
      yield await head;
    }
  } finally {
    // Stopped early (an error or a closed consumer): let the reader close its files.
    if (!done) await it.return?.();
  }
}
