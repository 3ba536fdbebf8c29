// Per-file plumbing shared by the CSV/W3C rule sets: feed lines to a LogRecordReader and report rows
// that are malformed (truncated, unterminated quote, fewer fields than the header) as problems.

import { type LogRecord, LogRecordReader } from '../log-record.js';
import type { FileContext, FileMatcher } from './types.js';

export function recordMatcher(ctx: FileContext, onRecord: (r: LogRecord) => void): FileMatcher {
  const reader = new LogRecordReader();
  let warnedNoHeader = false;
  return {
    onLine(line, lineNo) {
      const rec = reader.feed(line, lineNo);
      if (!rec) return;
      if (!reader.hasHeader) {
        if (!warnedNoHeader) ctx.problem('data before any header line; columns unknown', lineNo);
        warnedNoHeader = true;
      } else if (rec.unterminated) {
        ctx.problem('quoted field not closed (truncated or corrupt row)', lineNo);
      } else if (rec.fieldCount < rec.columnCount) {
        ctx.problem(
          `${rec.fieldCount} fields where the header has ${rec.columnCount} (truncated row)`,
          lineNo,
        );
      }
      onRecord(rec);
    },
    finish() {},
  };
}

/** Status code from an IIS line's sc-status or an Exchange row's HttpStatus. */
export function statusOf(r: LogRecord): string | undefined {
  return r.get('sc-status') ?? r.get('HttpStatus');
}
