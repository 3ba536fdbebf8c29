// Worker thread: scans the log files it is sent, one at a time, and posts each result back.
// Progress is posted every PROGRESS_BYTES so the main thread's progress bar moves inside big files.

import { parentPort } from 'node:worker_threads';
import { type LogFileJob, scanLogFile } from './log-file.js';

const PROGRESS_BYTES = 16 << 20;

parentPort?.on('message', async (msg: { id: number; job: LogFileJob } | 'close') => {
  if (msg === 'close') {
    parentPort?.close();
    return;
  }
  let reported = 0;
  try {
    const result = await scanLogFile(msg.job, (bytes) => {
      if (bytes - reported >= PROGRESS_BYTES) {
        parentPort?.postMessage({ id: msg.id, progress: bytes - reported });
        reported = bytes;
      }
    });
    parentPort?.postMessage({ id: msg.id, progress: result.bytes - reported, result });
  } catch (e) {
    parentPort?.postMessage({ id: msg.id, error: (e as Error).message });
  }
});
