// Worker of bench/throughput.ts: analyses the files it is given and reports counts and time.

import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { analyseRaw } from '../src/analyse.js';
import { openDb } from '../src/store/db.js';

const { files: all, warmup } = workerData as { files: string[]; warmup: number };
const db = openDb(':memory:');
// One options object for the whole run, as `suspect check` has: per-check caches key on it.
const options = {};
// Untimed warm-up (JIT, models, intel), as the peers kit's scan.py does before timing Rspamd.
for (const f of all.slice(0, warmup))
  await analyseRaw(readFileSync(f), { kind: 'eml', file: f }, { db, options });
const files = all.slice(warmup);
let bytes = 0;
let errors = 0;
const verdicts: Record<string, number> = {};
/** Engine runs that ended in 'error', by engine, with one example each. */
const engineErrors: Record<string, { count: number; example: string }> = {};
let withProblems = 0;
const started = performance.now();
for (const f of files) {
  const raw = readFileSync(f);
  bytes += raw.length;
  try {
    const r = await analyseRaw(raw, { kind: 'eml', file: f }, { db, options });
    verdicts[r.verdict] = (verdicts[r.verdict] ?? 0) + 1;
    if (r.problems.length) withProblems++;
    for (const run of r.runs) {
      if (run.status !== 'error') continue;
      if (!engineErrors[run.engine]) engineErrors[run.engine] = { count: 0, example: `${f}: ${run.note}` };
      engineErrors[run.engine].count++;
    }
  } catch (err) {
    errors++;
    console.error(`error on ${f}: ${(err as Error).message}`);
  }
}
parentPort?.postMessage({
  n: files.length,
  bytes,
  errors,
  engineErrors,
  withProblems,
  verdicts,
  ms: performance.now() - started,
  rss: process.memoryUsage().rss,
});
