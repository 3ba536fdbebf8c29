// Locates data/exchange/iocs whether running from src/ (tsx, tests) or from the compiled dist/ tree.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function iocDataDir(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'data', 'exchange', 'iocs');
    if (existsSync(candidate)) {
      cached = candidate;
      return candidate;
    }
    dir = path.dirname(dir);
  }
  throw new Error('data/exchange/iocs not found next to the installed package');
}
