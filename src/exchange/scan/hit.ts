// Small helpers shared by the log rules: building a ScanHit with a bounded excerpt.

import type { ScanHit } from '../types.js';

/** Longest excerpt kept per hit: a report of thousands of hits must stay readable and small. */
export const MAX_EXCERPT_CHARS = 400;

export function excerpt(raw: string): string {
  return raw.length > MAX_EXCERPT_CHARS ? raw.slice(0, MAX_EXCERPT_CHARS) + '…' : raw;
}

export type HitSink = (hit: ScanHit) => void;
