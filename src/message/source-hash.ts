// Library patches replace methods written for one exact version of a library. They check the source
// text of the methods they stand in for (or rely on) first, so that an upgrade falls back to the
// library's own code instead of running a patch against code it was not written for.

import { createHash } from 'node:crypto';

/** First 16 hex digits of the sha256 of a function's source text ('' for a non-function). */
export function sourceHash(fn: unknown): string {
  return typeof fn === 'function'
    ? createHash('sha256').update(fn.toString()).digest('hex').slice(0, 16)
    : '';
}

/** True when every named method of `proto` has the expected source hash. */
export function methodsMatch(proto: Record<string, unknown>, expected: Record<string, string>): boolean {
  return Object.entries(expected).every(([name, hash]) => sourceHash(proto[name]) === hash);
}
