// Runs log-file scans on worker threads, so a scan uses every core (grep uses one; a big tree of logs
// is CPU-bound once it is in the page cache). Results come back per file; the caller orders them.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LogFileJob, LogFileResult } from './log-file.js';

/** Compiled, the worker is log-worker.js. Run from source (tests, benches) it is a .ts file, so the
 * thread first registers tsx's loader, then imports it. */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./log-worker.js', import.meta.url));
  // The 'import' condition of tsx/esm/api: the same folder as the 'require' one, .mjs instead of .cjs.
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const entry = new URL('./log-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}

export async function scanLogFilesInWorkers(
  jobs: LogFileJob[],
  threads: number,
  onResult: (index: number, r: LogFileResult | Error) => void,
  onBytes: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      const onAbort = () => reject(signal?.reason ?? new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const feed = (w: Worker) => {
        if (next >= jobs.length) {
          if (running === 0) resolve();
          return;
        }
        const id = next++;
        running++;
        w.postMessage({ id, job: jobs[id] });
      };
      for (let i = 0; i < Math.min(threads, jobs.length); i++) {
        const w = startWorker();
        workers.push(w);
        w.on('message', (m: { id: number; progress?: number; result?: LogFileResult; error?: string }) => {
          if (m.progress) onBytes(m.progress);
          if (m.result || m.error) {
            running--;
            onResult(m.id, m.result ?? new Error(m.error));
            feed(w);
            if (next >= jobs.length && running === 0) resolve();
          }
        });
        w.on('error', reject);
        feed(w);
      }
      if (jobs.length === 0) resolve();
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
