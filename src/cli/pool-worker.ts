// A worker thread of the `suspect check --jobs N` pool (see pool.ts): analyses the messages it is sent
// and posts each report back. It only reads the store; the main thread saves the results.

import { parentPort, workerData } from 'node:worker_threads';
import { analyseRaw } from '../analyse.js';
import { openDb } from '../store/db.js';
import type { PoolJob, PoolReply, PoolWorkerData } from './pool.js';

const { dbFile, options } = workerData as PoolWorkerData;
const db = openDb(dbFile);
const port = parentPort;
if (!port) throw new Error('pool-worker.ts runs only as a worker thread');

/** Jobs sent ahead while one is being analysed; taken one at a time so a worker holds one message's work. */
const queue: PoolJob[] = [];
let busy = false;

async function drain(): Promise<void> {
  busy = true;
  for (let job = queue.shift(); job; job = queue.shift()) {
    let reply: PoolReply;
    try {
      reply = { seq: job.seq, report: await analyseRaw(job.raw, job.source, { db, options }) };
    } catch (err) {
      reply = { seq: job.seq, error: (err as Error)?.message ?? String(err) };
    }
    try {
      port?.postMessage(reply);
    } catch {
      // A report that cannot be cloned as is (should not happen: reports are plain data) goes as JSON.
      port?.postMessage(
        'report' in reply ? { seq: reply.seq, report: JSON.parse(JSON.stringify(reply.report)) } : reply,
      );
    }
  }
  busy = false;
}

port.on('message', (job: PoolJob) => {
  queue.push(job);
  if (!busy) void drain();
});
