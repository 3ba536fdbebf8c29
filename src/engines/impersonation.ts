// Impersonation and spear-phishing cues: known contacts' names on strangers' addresses, lookalike
// contact and brand domains, free-mail "organisations", first contact asking for money, fake replies.

import { authDepsOf, authFor } from '../sender/auth.js';
import { outcomeOf, senderEnv } from '../sender/env.js';
import { senderView } from '../sender/from.js';
import { IMPERSONATION_ENGINE, impersonationFindings } from '../sender/impersonation.js';
import { requestCueFindings } from '../sender/request-cues.js';
import { findRequests } from '../sender/requests.js';
import { spearFindings } from '../sender/spear.js';
import type { Engine, EngineContext, EngineOutcome, Target } from '../types.js';

export const impersonationEngine: Engine = {
  name: IMPERSONATION_ENGINE,
  version: '1.0.0',
  kind: 'local',
  targets: ['message'],
  async analyse(target: Target, ctx: EngineContext): Promise<EngineOutcome> {
    if (target.kind !== 'message') return { status: 'skipped', findings: [] };
    const env = senderEnv(ctx);
    env.auth = await authFor(target.message, ctx.options, authDepsOf(ctx));
    const message = senderView(target.message);
    const requests = findRequests(message.subject, message.bodyText ?? message.text);
    const findings = [
      ...impersonationFindings(message, env, target.id, requests),
      ...spearFindings(message, env, target.id, requests),
      ...requestCueFindings(message, requests, target.id),
    ];
    return outcomeOf(findings, env.book.size ? undefined : 'no contacts known: contact checks did not run');
  },
};
