// Header anomalies: From vs Reply-To vs Return-Path vs Message-ID domains, and Received chains that
// do not add up.

import { outcomeOf, senderEnv } from '../sender/env.js';
import { HEADER_ENGINE, headerAnomalyFindings } from '../sender/header-anomalies.js';
import type { Engine, EngineContext, EngineOutcome, Target } from '../types.js';

export const headerAnomalyEngine: Engine = {
  name: HEADER_ENGINE,
  version: '1.0.0',
  kind: 'local',
  targets: ['message'],
  analyse(target: Target, ctx: EngineContext): EngineOutcome {
    if (target.kind !== 'message') return { status: 'skipped', findings: [] };
    return outcomeOf(headerAnomalyFindings(target.message, senderEnv(ctx), target.id));
  },
};
