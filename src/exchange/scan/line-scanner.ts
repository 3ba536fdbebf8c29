// Streams one log file in fixed-size chunks and hands the caller only the lines that contain a
// pre-filter needle, plus the first lines of the file (headers). Memory stays flat whatever the file
// size: one chunk buffer, and at most one line carried between chunks.

import { closeSync, openSync, readSync } from 'node:fs';
import type { NeedleSet } from './needles.js';
import { leadingTimestamp } from './timestamps.js';

/** Bytes read per call: large enough that syscall overhead is small, small enough that the chunk is
 * still in the CPU cache when the matcher scans it (64 KiB to 1 MiB measured within noise of each other). */
export const CHUNK_BYTES = 128 << 10;
/** Longest line kept. A longer "line" (a corrupt or binary file) is reported and skipped, so a file
 * without newlines cannot make the scanner buffer gigabytes. */
export const MAX_LINE_BYTES = 1 << 20;
/** Lines at the start of every file always handed over, to find the CSV header or '#Fields:'. */
export const HEAD_LINES = 16;
/** How many problems one file may report; a corrupt file must not fill memory with messages. */
export const MAX_PROBLEMS_PER_FILE = 20;
/** Reads are synchronous: an async read per chunk hands every chunk to the libuv thread pool and
 * back, and on a busy machine those two wake-ups cost more than the scan itself (measured: half the
 * time idle). The scan yields to the event loop after this many bytes so progress output, timers and
 * abort signals still get their turn. */
export const YIELD_EVERY_BYTES = 32 << 20;

export interface LineScanSummary {
  bytes: number;
  /** First and last line that starts with a timestamp: the time window the file covers. */
  firstTimestamp?: string;
  lastTimestamp?: string;
  problems: { line: number; text: string }[];
}

export interface LineScanOptions {
  needles: NeedleSet;
  /** Called with the bytes read so far in this file. */
  onBytes?: (bytes: number) => void;
  signal?: AbortSignal;
}

const LF = 0x0a;

/** Read buffers are reused between files (one per concurrent scan), so scanning thousands of files
 * does not leave thousands of 2 MiB buffers for the garbage collector. */
const freeBuffers: Buffer[] = [];
const MAX_FREE_BUFFERS = 4;

// Line numbers. The head lines get their real numbers. Counting every newline of every file only to
// number the rare hit cost ~9% of the scan, so past the head a line gets a provisional number,
// -(byte offset of the line + 1), and resolveLineNumbers() turns those into real numbers with a
// second, newline-counting pass over the files that actually produced a hit or a problem.

export function isProvisionalLine(n: number): boolean {
  return n < 0;
}

function provisional(fileOffset: number): number {
  return -(fileOffset + 1);
}

/** Real 1-based line numbers for provisional ones, by counting newlines up to each offset. */
export async function resolveLineNumbers(
  path: string,
  provisionalLines: number[],
): Promise<Map<number, number>> {
  const wanted = [...new Set(provisionalLines.filter(isProvisionalLine))].sort((a, b) => b - a); // ascending offsets
  const out = new Map<number, number>();
  if (wanted.length === 0) return out;
  const fd = openSync(path, 'r');
  const buf = freeBuffers.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES + MAX_LINE_BYTES);
  try {
    let fileOffset = 0;
    let lines = 0; // newlines before fileOffset
    let next = 0;
    let sinceYield = 0;
    while (next < wanted.length) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      let p = 0;
      while (next < wanted.length) {
        const target = -wanted[next] - 1 - fileOffset; // offset of the next wanted line in this chunk
        const stop = Math.min(target, n);
        for (let q = buf.indexOf(LF, p); q >= 0 && q < stop; q = buf.indexOf(LF, q + 1)) lines++;
        p = stop;
        if (target >= n) break;
        out.set(wanted[next], lines + 1);
        next++;
      }
      fileOffset += n;
      sinceYield += n;
      if (sinceYield >= YIELD_EVERY_BYTES) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    closeSync(fd);
    if (freeBuffers.length < MAX_FREE_BUFFERS) freeBuffers.push(buf);
  }
  return out;
}

function decodeLine(buf: Buffer, start: number, end: number): string {
  let e = end;
  if (e > start && buf[e - 1] === 0x0d) e--;
  let s = start;
  if (buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf) s += 3; // UTF-8 BOM
  return buf.toString('utf8', s, e);
}

interface HeadState {
  /** Head lines handed over so far (they carry real line numbers). */
  delivered: number;
}

/**
 * Calls `onLine(text, lineNo)` in file order for every head line and every line that contains a needle.
 * Past the head lines, `lineNo` is provisional (negative); see resolveLineNumbers().
 * Never throws on content; I/O errors propagate (the caller turns them into a ScanProblem).
 */
export async function scanLines(
  path: string,
  opts: LineScanOptions,
  onLine: (line: string, lineNo: number) => void,
): Promise<LineScanSummary> {
  const summary: LineScanSummary = { bytes: 0, problems: [] };
  const fd = openSync(path, 'r');
  const buf = freeBuffers.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES + MAX_LINE_BYTES);
  let sinceYield = 0;
  try {
    const positions: number[] = [];
    const head: HeadState = { delivered: 0 };
    let filled = 0; // bytes in buf
    let bufOffset = 0; // file offset of buf[0]
    let skipping = false; // inside an over-long line, dropping bytes up to the next LF
    let eof = false;
    while (!eof) {
      if (sinceYield >= YIELD_EVERY_BYTES) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
      opts.signal?.throwIfAborted();
      const bytesRead = readSync(fd, buf, filled, Math.min(CHUNK_BYTES, buf.length - filled), null);
      sinceYield += bytesRead;
      summary.bytes += bytesRead;
      opts.onBytes?.(summary.bytes);
      filled += bytesRead;
      eof = bytesRead === 0;
      if (filled === 0) break;
      // The region handed to the matcher ends after the last complete line (or the whole rest at EOF).
      let end: number;
      if (eof) end = filled;
      else {
        const lastLf = buf.lastIndexOf(LF, filled - 1);
        if (lastLf < 0) {
          if (filled < buf.length) continue; // line continues in the next read
          if (!skipping && summary.problems.length < MAX_PROBLEMS_PER_FILE)
            summary.problems.push({
              line: provisional(bufOffset),
              text: `longer than ${MAX_LINE_BYTES} bytes, skipped`,
            });
          skipping = true;
          bufOffset += filled;
          filled = 0;
          continue;
        }
        end = lastLf + 1;
      }
      let regionStart = 0;
      if (skipping) {
        // Drop the tail of the over-long line.
        const lf = buf.indexOf(LF, 0);
        regionStart = lf < 0 ? end : lf + 1;
        skipping = false;
        head.delivered = HEAD_LINES; // numbering of head lines stops at an over-long line
      }
      const region = buf.subarray(regionStart, end);
      processRegion(region, bufOffset + regionStart, head, summary, opts.needles, positions, onLine);
      buf.copy(buf, 0, end, filled);
      filled -= end;
      bufOffset += end;
    }
  } finally {
    closeSync(fd);
    if (freeBuffers.length < MAX_FREE_BUFFERS) freeBuffers.push(buf);
  }
  return summary;
}

function processRegion(
  region: Buffer,
  regionOffset: number,
  head: HeadState,
  summary: LineScanSummary,
  needles: NeedleSet,
  positions: number[],
  onLine: (line: string, lineNo: number) => void,
): void {
  // Head lines of the file, and the first timestamp.
  let headEnd = 0; // offset after the head lines handed over
  if (head.delivered < HEAD_LINES) {
    let start = 0;
    while (head.delivered < HEAD_LINES && start < region.length) {
      const lf = region.indexOf(LF, start);
      const stop = lf < 0 ? region.length : lf;
      head.delivered++;
      const text = decodeLine(region, start, stop);
      onLine(text, head.delivered);
      if (!summary.firstTimestamp) summary.firstTimestamp = leadingTimestamp(text);
      start = stop + 1;
    }
    headEnd = start;
  }
  if (!summary.firstTimestamp) {
    // Rare: more header lines than HEAD_LINES; look a little further for the first timestamped line.
    let start = headEnd;
    for (let i = 0; i < 64 && start < region.length && !summary.firstTimestamp; i++) {
      const lf = region.indexOf(LF, start);
      const stop = lf < 0 ? region.length : lf;
      summary.firstTimestamp = leadingTimestamp(decodeLine(region, start, Math.min(stop, start + 64)));
      start = stop + 1;
    }
  }
  // Last timestamped line in this region (a few lines back at most: trailing '#' lines are rare).
  let stop = region.length;
  if (stop > 0 && region[stop - 1] === LF) stop--;
  for (let i = 0; i < 8 && stop > 0; i++) {
    const lf = region.lastIndexOf(LF, stop - 1);
    const start = lf + 1;
    const ts = leadingTimestamp(decodeLine(region, start, Math.min(stop, start + 64)));
    if (ts) {
      summary.lastTimestamp = ts;
      break;
    }
    stop = Math.max(lf, 0);
  }
  // Needle hits.
  positions.length = 0;
  needles.positions(region, positions);
  if (positions.length === 0) return;
  positions.sort((a, b) => a - b);
  let lastLineStart = -1;
  for (const pos of positions) {
    if (pos < headEnd) continue;
    const lineStart = pos === 0 ? 0 : region.lastIndexOf(LF, pos - 1) + 1;
    if (lineStart === lastLineStart) continue;
    lastLineStart = lineStart;
    const lf = region.indexOf(LF, lineStart);
    onLine(decodeLine(region, lineStart, lf < 0 ? region.length : lf), provisional(regionOffset + lineStart));
  }
}
