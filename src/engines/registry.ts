// The engines of the panel. Each area adds its engines here, one line each.

import type { Engine } from '../types.js';
import { linkDisplayEngine } from './link-display.js';
import { scamMatchEngine } from './scam-match.js';
import { urlStructureEngine } from './url-structure.js';

/** Every engine Suspect knows, local and online; the panel filters by options. */
export function allEngines(): Engine[] {
  return [linkDisplayEngine, urlStructureEngine, scamMatchEngine];
}
