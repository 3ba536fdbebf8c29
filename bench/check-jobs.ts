// `suspect check --jobs N` end to end on a big mbox: runs the real command (from TypeScript, through
// tsx) in a child process and samples its resident memory (main thread and workers together) from
// /proc, so flat memory and messages per second are measured on the path users run.
//   npx tsx bench/check-jobs.ts [--n 10000] [--jobs 2]
// The mbox is the one bench/mbox-memory.ts builds (/tmp/suspect-bench-N.mbox); it is built here if absent.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { benchMbox, ensureExtracted, REPO_ROOT, requireCorpus } from './corpus.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const n = arg('n', 10_000);
const jobs = arg('jobs', 2);
/** RSS samples are taken this often, and one is kept for the report every this many messages. */
const SAMPLE_MS = 200;
const REPORT_EVERY = 1000;

requireCorpus();
ensureExtracted();
const mboxFile = await benchMbox(n);

const home = mkdtempSync(path.join(tmpdir(), 'suspect-bench-jobs-'));
const cli = `import { main } from ${JSON.stringify(path.join(REPO_ROOT, 'src/cli/main.ts'))}; process.exitCode = await main(['node', 'suspect', ...process.argv.slice(1)]);`;
const started = performance.now();
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--input-type=module', '-e', cli, 'check', '--json', '--jobs', String(jobs), mboxFile],
  { cwd: REPO_ROOT, env: { ...process.env, SUSPECT_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] },
);

const rssMb = () => {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1000);
  } catch {
    return 0;
  }
};
let messages = 0;
let errors = 0;
let peak = 0;
let current = 0;
const samples: { messages: number; rssMb: number }[] = [];
const sampler = setInterval(() => {
  current = rssMb();
  peak = Math.max(peak, current);
}, SAMPLE_MS);
const verdicts: Record<string, number> = {};
let buffered = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk: string) => {
  buffered += chunk;
  let nl = buffered.indexOf('\n');
  while (nl >= 0) {
    const line = buffered.slice(0, nl);
    buffered = buffered.slice(nl + 1);
    nl = buffered.indexOf('\n');
    // Only the fields needed; a report line can be long.
    const verdict = /"verdict":"(\w+)"/.exec(line)?.[1];
    if (verdict) verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
    else errors++;
    messages++;
    if (messages % REPORT_EVERY === 0) {
      samples.push({ messages, rssMb: current });
      console.error(`${messages} messages, rss ${current} MB`);
    }
  }
});
const [code] = (await once(child, 'exit')) as [number];
clearInterval(sampler);
const secs = (performance.now() - started) / 1000;
console.log(
  JSON.stringify(
    {
      command: `suspect check --json --jobs ${jobs} ${mboxFile}`,
      exitCode: code,
      messages,
      errors,
      verdicts,
      seconds: Number(secs.toFixed(1)),
      msgsPerSec: Number((messages / secs).toFixed(1)),
      peakRssMb: peak,
      samples,
      loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
    },
    null,
    2,
  ),
);
