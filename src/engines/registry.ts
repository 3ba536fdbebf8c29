// The engines of the panel. Each area adds its engines here, one line each.

import type { Engine } from '../types.js';
import { attachmentEngine } from './attachment.js';
import { blocklistEngine } from './blocklist.js';
import { headerAnomalyEngine } from './header-anomaly.js';
import { impersonationEngine } from './impersonation.js';
import { linkDisplayEngine } from './link-display.js';
import { lookalikeEngine } from './lookalike.js';
import { scamMatchEngine } from './scam-match.js';
import { senderAuthEngine } from './sender-auth.js';
import { textModelEngine } from './text-model.js';
import { urlModelEngine } from './url-model.js';
import { urlStructureEngine } from './url-structure.js';

/** Every engine Suspect knows, local and online; the panel filters by options. */
export function allEngines(): Engine[] {
  return [
    linkDisplayEngine,
    urlStructureEngine,
    scamMatchEngine,
    attachmentEngine,
    senderAuthEngine,
    impersonationEngine,
    headerAnomalyEngine,
    urlModelEngine,
    textModelEngine,
    blocklistEngine,
    lookalikeEngine,
  ];
}
