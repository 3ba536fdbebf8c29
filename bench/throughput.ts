// Throughput of the whole message pipeline (parse + every local engine + verdict) on the development corpus.
//   npx tsx bench/throughput.ts [--n 2000] [--workers 2] [--all] [--sources phishing_pot,usrp_users] [--sample peers.csv]
// Prints messages/s, MB/s, errors and peak RSS. Compare with Rspamd (~390–510 msgs/s on 2 cores here).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { EXTRACT_DIR, ensureExtracted, readManifest, requireCorpus, sampleRows } from './corpus.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};

requireCorpus();
ensureExtracted();
// --sources phishing_pot,usrp_users: only those corpora (e.g. the recent mail the peers were measured on).
const si = process.argv.indexOf('--sources');
const sources = si >= 0 ? new Set(process.argv[si + 1].split(',')) : undefined;
const all = readManifest().filter((r) => !sources || sources.has(r.source));
// --sample FILE: exactly the messages of a peers-kit sample CSV (columns id,label,source,path), so that
// Suspect and the peers (../shared/bench/peers) are timed on the same messages.
const sampleArg = process.argv.indexOf('--sample');
const rows =
  sampleArg >= 0
    ? readFileSync(process.argv[sampleArg + 1], 'utf8')
        .trim()
        .split(/\r?\n/)
        .slice(1)
        .map((l) => ({ path: l.split(',')[3] }))
    : process.argv.includes('--all')
      ? all
      : sampleRows(all, arg('n', 2000));
const workers = arg('workers', 2);
/** Messages analysed before timing starts, split between the workers (scan.py warms Rspamd up with 50). */
const warmup = arg('warmup', 50);
const files = rows.map((r) => path.join(EXTRACT_DIR, r.path));

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

const started = performance.now();
const shares = Array.from({ length: workers }, (_, w) => files.filter((_, i) => i % workers === w));
const results = await Promise.all(
  shares.map(
    (share) =>
      new Promise<{
        n: number;
        bytes: number;
        errors: number;
        engineErrors: Record<string, { count: number; example: string }>;
        withProblems: number;
        verdicts: Record<string, number>;
        ms: number;
        rss: number;
      }>((resolve, reject) => {
        // Workers load TypeScript through tsx's loader, registered inside the worker before the import.
        const entry = new URL('./throughput-worker.ts', import.meta.url).href;
        const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
        const w = new Worker(boot, {
          eval: true,
          workerData: { files: share, warmup: Math.ceil(warmup / workers) },
        });
        w.once('message', resolve);
        w.once('error', reject);
      }),
  ),
);
clearInterval(sampler);
const secs = (performance.now() - started) / 1000;
const n = results.reduce((s, r) => s + r.n, 0);
const bytes = results.reduce((s, r) => s + r.bytes, 0);
const errors = results.reduce((s, r) => s + r.errors, 0);
const verdicts: Record<string, number> = {};
const engineErrors: Record<string, { count: number; example: string }> = {};
for (const r of results)
  for (const [k, v] of Object.entries(r.engineErrors))
    engineErrors[k] = {
      count: (engineErrors[k]?.count ?? 0) + v.count,
      example: engineErrors[k]?.example ?? v.example,
    };
for (const r of results)
  for (const [k, v] of Object.entries(r.verdicts)) verdicts[k] = (verdicts[k] ?? 0) + v;
const busy = Math.max(...results.map((r) => r.ms)) / 1000;
console.log(
  JSON.stringify(
    {
      /** Messages timed (after the warm-up ones). */
      messages: n,
      warmup: files.length - n,
      workers,
      seconds: Number(secs.toFixed(2)),
      /** Timed messages over the slowest worker's timed span: the figure comparable to the peers kit's. */
      msgsPerSec: Number((n / busy).toFixed(1)),
      /** Everything, start-up and warm-up included, over the whole wall-clock time. */
      msgsPerSecOverall: Number((files.length / secs).toFixed(1)),
      mbPerSec: Number((bytes / 1e6 / busy).toFixed(2)),
      errors,
      engineErrors,
      messagesWithProblems: results.reduce((s, r) => s + r.withProblems, 0),
      verdicts,
      peakRssMb: Math.round(Math.max(peakRss, ...results.map((r) => r.rss)) / 1e6),
    },
    null,
    2,
  ),
);
