// What a log rule module provides to the scanner: which strings pre-filter its files, and a per-file
// matcher that sees the head lines and every pre-filtered line in file order.

import type { ScanHit } from '../../types.js';
import type { NeedleSpec } from '../needles.js';

export interface FileContext {
  /** Path relative to the scanned root, with '/' separators. */
  rel: string;
  emit: (hit: ScanHit) => void;
  /** A malformed row or similar; `line` is the line number handed to onLine (possibly provisional). */
  problem: (problem: string, line?: number) => void;
  /** Exchange install folder as it was on the server (e.g. 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\'), when known. */
  installPath?: string;
}

export interface FileMatcher {
  onLine(line: string, lineNo: number): void;
  finish(): void;
}

export interface LogRuleSet {
  /** Coverage kind, e.g. 'httpproxy'. */
  kind: string;
  needles(rel: string): NeedleSpec[];
  open(ctx: FileContext): FileMatcher;
}
