// Memory over a large mbox: builds a 10,000-message mbox from the development corpus in /tmp and runs
// the `check` path on it (streamed input → analysis → store), sampling RSS and heap every 1,000 messages.
//   npx tsx bench/mbox-memory.ts [--n 10000]
// Flat memory means the last samples are not growing with the message count.

import { analyseRaw } from '../src/analyse.js';
import { readInputs } from '../src/message/input/index.js';
import { saveCheck } from '../src/store/checks.js';
import { openDb } from '../src/store/db.js';
import { benchMbox, ensureExtracted, requireCorpus } from './corpus.js';

const i = process.argv.indexOf('--n');
const n = i >= 0 ? Number(process.argv[i + 1]) : 10_000;
requireCorpus();
ensureExtracted();
const mboxFile = await benchMbox(n);

const db = openDb('/tmp/suspect-bench-mbox.sqlite');
const samples: { messages: number; rssMb: number; heapMb: number }[] = [];
let count = 0;
const started = performance.now();
for await (const item of readInputs([mboxFile])) {
  if ('error' in item) continue;
  const report = await analyseRaw(item.raw, item.source, { db });
  saveCheck(db, report, item.raw);
  count++;
  if (count % 1000 === 0) {
    const m = process.memoryUsage();
    samples.push({ messages: count, rssMb: Math.round(m.rss / 1e6), heapMb: Math.round(m.heapUsed / 1e6) });
    console.error(`${count} messages, rss ${Math.round(m.rss / 1e6)} MB`);
  }
}
db.close();
const secs = (performance.now() - started) / 1000;
console.log(
  JSON.stringify(
    {
      messages: count,
      seconds: Number(secs.toFixed(1)),
      msgsPerSec: Number((count / secs).toFixed(1)),
      samples,
    },
    null,
    2,
  ),
);
