// UTS #39 confusable skeletons: two strings that look alike have the same skeleton.
// Data: data/intel/confusables.txt.gz (Unicode confusables.txt v17, Unicode License v3).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { intelDataDir } from './paths.js';

let table: Map<string, string> | undefined;

/** Parses confusables.txt: `source ; target ; MA # comment`, code points in hex. */
export function parseConfusables(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const body = line.split('#', 1)[0].trim();
    if (!body) continue;
    const [src, dst] = body.split(';').map((f) => f.trim());
    if (!src || !dst) continue;
    const from = String.fromCodePoint(...src.split(/\s+/).map((h) => Number.parseInt(h, 16)));
    const to = String.fromCodePoint(...dst.split(/\s+/).map((h) => Number.parseInt(h, 16)));
    map.set(from, to);
  }
  return map;
}

function confusables(): Map<string, string> {
  if (!table) {
    const file = path.join(intelDataDir(), 'confusables.txt.gz');
    table = parseConfusables(
      gunzipSync(readFileSync(file))
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    );
  }
  return table;
}

function mapOnce(s: string, map: Map<string, string>): string {
  let out = '';
  for (const ch of s.normalize('NFD')) out += map.get(ch) ?? ch;
  return out.normalize('NFD');
}

/**
 * Skeleton for domain labels: UTS #39 skeleton with case folded before and after, so that
 * `PAYPA1`, `paypaI` and `pаypal` (Cyrillic а) all reduce to the skeleton of `paypal`.
 * Combining marks are dropped (`pаypál` still looks like `paypal` at a glance).
 */
export function skeleton(s: string): string {
  const map = confusables();
  const once = mapOnce(s.toLowerCase(), map).toLowerCase();
  return mapOnce(once, map).toLowerCase().replace(/\p{M}/gu, '');
}
