// Timestamps at the start of log lines: Exchange logs write ISO 8601 with a Z ('2021-03-03T06:49:42.162Z'),
// IIS W3C logs write 'date time' in UTC ('2021-03-05 03:06:27'). Both are UTC.

const LEADING_TIME = /^"?(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d(?:\.\d{1,7})?)Z?/;

/** ISO 8601 (UTC) time at the start of a log line, or undefined. */
export function leadingTimestamp(line: string): string | undefined {
  const m = LEADING_TIME.exec(line);
  if (!m) return undefined;
  const iso = `${m[1]}T${m[2]}Z`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

/** Normalises a log timestamp field to ISO 8601, or returns it unchanged if it does not parse. */
export function normaliseTimestamp(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return leadingTimestamp(value) ?? value;
}

export const MS_PER_DAY = 86_400_000;

/** Whole days between two ISO times, rounded up so that a few hours of logs counts as one day. */
export function daysBetween(first: string, last: string): number {
  const ms = Date.parse(last) - Date.parse(first);
  if (!(ms >= 0)) return 0;
  return Math.max(1, Math.ceil(ms / MS_PER_DAY));
}
