// Where the shipped sender data lives. Found by walking up from this module, so the same code works
// from src/ (tsx, vitest) and from dist/src/ (compiled).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Parent folders tried before giving up (src/sender → repo root is 2; dist adds 1). */
const MAX_PARENT_DEPTH = 6;

let cached: string | undefined;

/** Absolute path of a file in the repo's `data/sender` folder. */
export function senderDataFile(name: string): string {
  if (!cached) {
    let dir = path.dirname(fileURLToPath(import.meta.url));
    for (let i = 0; i < MAX_PARENT_DEPTH; i++) {
      const candidate = path.join(dir, 'data', 'sender');
      if (existsSync(path.join(candidate, 'freemail.txt'))) {
        cached = candidate;
        break;
      }
      dir = path.dirname(dir);
    }
    if (!cached) throw new Error('data/sender not found next to the Suspect installation');
  }
  return path.join(cached, name);
}
