// Where the shipped intel data lives. Found by walking up from this module so the same code works
// from src/ (tsx, vitest) and from dist/src/ (compiled).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How many parent folders to try before giving up (src/intel → repo root is 2; dist adds 1). */
const MAX_PARENT_DEPTH = 6;

let cached: string | undefined;

/** Absolute path of the repo's `data/intel` folder. */
export function intelDataDir(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < MAX_PARENT_DEPTH; i++) {
    const candidate = path.join(dir, 'data', 'intel');
    if (existsSync(path.join(candidate, 'README.md'))) {
      cached = candidate;
      return candidate;
    }
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the data/intel folder shipped with Suspect');
}
