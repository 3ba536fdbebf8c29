// The panel: every applicable engine over every target, concurrently, each engine within a time budget.
// An engine that throws or runs out of time reports 'error' or 'unknown' — never 'clean'.

import type { Engine, EngineContext, EngineOutcome, EngineRun, Target } from '../types.js';

/** Default time budget of one engine over all the targets of one message. */
export const DEFAULT_ENGINE_BUDGET_MS = 10_000;

const TIMED_OUT = Symbol('timed-out');

/** Engines that may run under these options: online ones only when opted in by name. */
export function selectEngines(engines: Engine[], ctx: Pick<EngineContext, 'options'>): Engine[] {
  const disabled = new Set(ctx.options.disable ?? []);
  const online = new Set(ctx.options.online ?? []);
  return engines.filter((e) => !disabled.has(e.name) && (e.kind === 'local' || online.has(e.name)));
}

function appliesTo(engine: Engine, target: Target): boolean {
  return engine.targets.includes(target.kind) && (engine.applies ? engine.applies(target) : true);
}

function isPromise<T>(v: Promise<T> | T): v is Promise<T> {
  return typeof (v as { then?: unknown })?.then === 'function';
}

/** Races a pending result against the time left; no timer is made for engines that answer at once. */
async function within<T>(pending: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms));
  });
  try {
    return await Promise.race([pending, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The engine's context, whose signal also fires when this engine runs out of time. The combined signal
 * is made on first read: most engines never look at it, and `AbortSignal.any` per engine and message
 * was a visible share of the panel's cost.
 */
function withEngineSignal(ctx: EngineContext, controller: () => AbortController): EngineContext {
  let signal: AbortSignal | undefined;
  return {
    ...ctx,
    get signal() {
      signal ??= AbortSignal.any([ctx.signal, controller().signal]);
      return signal;
    },
  };
}

/** A run with no findings and a note saying why (same field order as ever: reports are compared as JSON). */
function runWithNote(
  engine: Engine,
  target: Target,
  status: EngineRun['status'],
  note: string,
  ms: number,
): EngineRun {
  return {
    engine: engine.name,
    engineVersion: engine.version,
    kind: engine.kind,
    targetId: target.id,
    status,
    findings: [],
    note,
    ms,
  };
}

async function runEngine(
  engine: Engine,
  targets: Target[],
  ctx: EngineContext,
  budgetMs: number,
): Promise<EngineRun[]> {
  const runs: EngineRun[] = [];
  const deadline = Date.now() + budgetMs;
  // Made when first needed (an engine reads its signal, or runs out of time), like the signal itself.
  let controller: AbortController | undefined;
  const engineController = () => {
    controller ??= new AbortController();
    return controller;
  };
  const engineCtx = withEngineSignal(ctx, engineController);
  // A timeout spends what was left of the budget, even if the timer fired a millisecond early.
  let timedOut = false;
  for (const target of targets) {
    if (!appliesTo(engine, target)) continue;
    const started = performance.now();
    const left = deadline - Date.now();
    if (left <= 0 || timedOut || ctx.signal.aborted) {
      runs.push(runWithNote(engine, target, 'unknown', 'not checked: the engine used up its time budget', 0));
      continue;
    }
    let outcome: EngineOutcome | typeof TIMED_OUT;
    try {
      const result = engine.analyse(target, engineCtx);
      outcome = isPromise(result) ? await within(result, left) : result;
    } catch (err) {
      const note = (err as Error)?.message ?? String(err);
      runs.push(runWithNote(engine, target, 'error', note, performance.now() - started));
      continue;
    }
    if (outcome === TIMED_OUT) {
      timedOut = true;
      engineController().abort();
      runs.push(
        runWithNote(engine, target, 'unknown', `timed out after ${budgetMs} ms`, performance.now() - started),
      );
      continue;
    }
    const findings = outcome.findings.map((f) => ({ ...f, engine: engine.name, targetId: target.id }));
    // Written out rather than spread from a shared base: `{ ...base, more }` takes V8's slow path
    // (about a microsecond and a half per object), and the panel makes tens of these per message.
    const run: EngineRun = {
      engine: engine.name,
      engineVersion: engine.version,
      kind: engine.kind,
      targetId: target.id,
      status: outcome.status,
      findings,
      ms: performance.now() - started,
    };
    if (outcome.note) run.note = outcome.note;
    runs.push(run);
  }
  return runs;
}

export async function runPanel(
  engines: Engine[],
  targets: Target[],
  ctx: EngineContext,
  budgetMs = ctx.options.engineTimeoutMs ?? DEFAULT_ENGINE_BUDGET_MS,
): Promise<EngineRun[]> {
  const perEngine = await Promise.all(engines.map((e) => runEngine(e, targets, ctx, budgetMs)));
  return perEngine.flat();
}
