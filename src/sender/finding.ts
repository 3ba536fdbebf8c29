// One way to build the sender engines' findings, so that every finding of an engine carries its name.

import type { Finding, Severity } from '../types.js';

export type MakeFinding = (
  code: string,
  severity: Severity,
  message: string,
  evidence: Record<string, unknown>,
  targetId: string,
  strength?: number,
) => Finding;

export function findingMaker(engine: string): MakeFinding {
  return (code, severity, message, evidence, targetId, strength) => {
    const f: Finding = { code, engine, targetId, severity, message, evidence };
    if (strength !== undefined) f.strength = strength;
    return f;
  };
}
