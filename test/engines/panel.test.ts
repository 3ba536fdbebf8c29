import { describe, expect, it } from 'vitest';
import { runPanel, selectEngines } from '../../src/engines/panel.js';
import type { Engine, EngineContext, Link, Target } from '../../src/types.js';

const link = (id: string, url: string): Link => ({
  id,
  url,
  raw: url,
  source: 'text',
  location: 'text body',
  wrappers: [],
  defanged: false,
  scheme: 'https',
  hostAscii: new URL(url).hostname,
});
const targets: Target[] = [
  { kind: 'link', id: 'link:1', link: link('link:1', 'https://a.example/') },
  { kind: 'link', id: 'link:2', link: link('link:2', 'https://b.example/') },
];
const ctx = (): EngineContext => ({ signal: new AbortController().signal, now: new Date(0), options: {} });

const engine = (name: string, analyse: Engine['analyse'], kind: Engine['kind'] = 'local'): Engine => ({
  name,
  version: '1',
  kind,
  targets: ['link'],
  analyse,
});

describe('runPanel', () => {
  it('runs each engine on each target and stamps findings with engine and target', async () => {
    const e = engine('flagger', (t) => ({
      status: 'suspicious',
      findings: [
        { code: 'x.y', engine: '?', targetId: '?', severity: 'medium', message: 'm', evidence: { id: t.id } },
      ],
    }));
    const runs = await runPanel([e], targets, ctx());
    expect(runs.map((r) => [r.targetId, r.status])).toEqual([
      ['link:1', 'suspicious'],
      ['link:2', 'suspicious'],
    ]);
    expect(runs[1].findings[0]).toMatchObject({ engine: 'flagger', targetId: 'link:2' });
  });

  it('reports a thrown error as error and a slow engine as unknown, never clean', async () => {
    const thrower = engine('thrower', () => {
      throw new Error('boom');
    });
    const slow = engine('slow', () => new Promise(() => {}));
    const runs = await runPanel([thrower, slow], targets, ctx(), 50);
    expect(runs.filter((r) => r.engine === 'thrower').map((r) => r.status)).toEqual(['error', 'error']);
    expect(runs.find((r) => r.engine === 'thrower')?.note).toBe('boom');
    const slowRuns = runs.filter((r) => r.engine === 'slow');
    expect(slowRuns.map((r) => r.status)).toEqual(['unknown', 'unknown']);
    expect(slowRuns[1].note).toMatch(/time budget/);
  });

  it('aborts the signal of an engine that ran out of time, and only of that engine', async () => {
    const seen: Record<string, AbortSignal> = {};
    const slow = engine('slow', (_t, c) => {
      seen.slow = c.signal;
      return new Promise(() => {});
    });
    const quick = engine('quick', (_t, c) => {
      seen.quick = c.signal;
      return { status: 'clean', findings: [] };
    });
    await runPanel([slow, quick], targets, ctx(), 30);
    expect(seen.slow.aborted).toBe(true);
    expect(seen.quick.aborted).toBe(false);
  });

  it('skips targets an engine does not apply to', async () => {
    const picky: Engine = {
      ...engine('picky', () => ({ status: 'clean', findings: [] })),
      applies: (t) => t.id === 'link:2',
    };
    expect((await runPanel([picky], targets, ctx())).map((r) => r.targetId)).toEqual(['link:2']);
  });
});

describe('selectEngines', () => {
  it('runs online engines only when opted in, and honours disable', () => {
    const engines = [
      engine('local1', () => ({ status: 'clean', findings: [] })),
      engine('vt', () => ({ status: 'clean', findings: [] }), 'online'),
    ];
    expect(selectEngines(engines, { options: {} }).map((e) => e.name)).toEqual(['local1']);
    expect(selectEngines(engines, { options: { online: ['vt'] } }).map((e) => e.name)).toEqual([
      'local1',
      'vt',
    ]);
    expect(
      selectEngines(engines, { options: { online: ['vt'], disable: ['local1'] } }).map((e) => e.name),
    ).toEqual(['vt']);
  });
});
