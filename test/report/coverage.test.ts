import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverageOf } from '../../src/report/build.js';
import type { EngineRun, EngineStatus, Target } from '../../src/types.js';

const STATUSES: EngineStatus[] = ['clean', 'suspicious', 'malicious', 'unknown', 'error', 'skipped'];

/** The definition: each target's runs filtered out of all runs. */
function coverageByFilter(targets: Target[], runs: EngineRun[]) {
  return targets.map((t) => {
    const mine = runs.filter((r) => r.targetId === t.id && r.status !== 'skipped');
    return {
      targetId: t.id,
      engines: mine.length,
      flagged: mine.filter((r) => r.status === 'suspicious' || r.status === 'malicious').length,
      unknown: mine.filter((r) => r.status === 'unknown' || r.status === 'error').length,
    };
  });
}

describe('coverageOf', () => {
  it('counts each target’s engines, flags and unknowns as filtering the runs per target does', () => {
    const ids = ['message', 'link:1', 'link:2', 'att:1'];
    const run = fc.record({
      targetId: fc.constantFrom(...ids, 'link:9'),
      status: fc.constantFrom(...STATUSES),
    });
    fc.assert(
      fc.property(fc.array(run, { maxLength: 40 }), fc.subarray(ids), (partial, targetIds) => {
        const runs = partial.map(
          (r) => ({ ...r, engine: 'e', engineVersion: '1', kind: 'local', findings: [], ms: 0 }) as EngineRun,
        );
        const targets = targetIds.map((id) => ({ kind: 'message', id }) as Target);
        const got = coverageOf(targets, runs).map(({ targetId, engines, flagged, unknown }) => ({
          targetId,
          engines,
          flagged,
          unknown,
        }));
        expect(got).toEqual(coverageByFilter(targets, runs));
      }),
    );
  });
});
