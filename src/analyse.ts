// The message pipeline in one call: parse → targets → panel → verdict → report.

import type { Database } from 'better-sqlite3';
import { runPanel, selectEngines } from './engines/panel.js';
import { allEngines } from './engines/registry.js';
import { sha256Hex } from './message/hash.js';
import { collectLinks } from './message/links/index.js';
import { parseMessage } from './message/parse.js';
import { buildReport } from './report/build.js';
import type {
  AnalysisOptions,
  Engine,
  EngineContext,
  Message,
  MessageSource,
  Report,
  Target,
} from './types.js';
import { loadScoringModel, type ScoringModel, URL_MODEL_FILE } from './verdict/model.js';

export interface AnalysisEnv {
  options?: AnalysisOptions;
  db?: Database;
  /** Engines to use; all registered engines by default. */
  engines?: Engine[];
  model?: ScoringModel;
  now?: () => Date;
  signal?: AbortSignal;
}

export function targetsOf(message: Message): Target[] {
  return [
    { kind: 'message', id: 'message', message },
    ...message.links.map((link): Target => ({ kind: 'link', id: link.id, link, message })),
    ...message.attachments.map(
      (attachment): Target => ({ kind: 'attachment', id: attachment.id, attachment, message }),
    ),
  ];
}

function contextOf(env: AnalysisEnv): EngineContext {
  return {
    signal: env.signal ?? new AbortController().signal,
    now: (env.now ?? (() => new Date()))(),
    db: env.db,
    options: env.options ?? {},
  };
}

function dataVersionsOf(engines: Engine[], ctx: EngineContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of engines) {
    const v = e.dataVersion?.(ctx);
    if (v) out[e.name] = v;
  }
  return out;
}

export async function analyseMessage(message: Message, env: AnalysisEnv = {}): Promise<Report> {
  const started = performance.now();
  const ctx = contextOf(env);
  const engines = selectEngines(env.engines ?? allEngines(), ctx);
  const model = env.model ?? loadScoringModel();
  const embedded: Report[] = [];
  for (const inner of message.embedded) embedded.push(await analyseMessage(inner, env));
  const targets = targetsOf(message);
  const runs = await runPanel(engines, targets, ctx);
  return buildReport({
    message,
    targets,
    runs,
    model,
    dataVersions: dataVersionsOf(engines, ctx),
    embedded,
    ms: performance.now() - started,
    now: ctx.now,
    id: message.id,
    source: message.source,
  });
}

export async function analyseRaw(
  raw: Uint8Array,
  source: MessageSource,
  env: AnalysisEnv = {},
): Promise<Report> {
  const started = performance.now();
  const message = await parseMessage(raw, source);
  const report = await analyseMessage(message, env);
  report.ms = Math.round((performance.now() - started) * 100) / 100;
  return report;
}

/** Checks one URL on its own (`suspect url`): the link engines of the same panel. */
export async function analyseUrl(url: string, env: AnalysisEnv = {}): Promise<Report> {
  const started = performance.now();
  const ctx = contextOf(env);
  const engines = selectEngines(env.engines ?? allEngines(), ctx).filter((e) => e.targets.includes('link'));
  const model = env.model ?? loadScoringModel(URL_MODEL_FILE);
  const [link] = collectLinks([{ raw: url, source: 'user', location: 'given on the command line' }]);
  const targets: Target[] = [{ kind: 'link', id: link.id, link }];
  const runs = await runPanel(engines, targets, ctx);
  const report = buildReport({
    targets,
    runs,
    model,
    dataVersions: dataVersionsOf(engines, ctx),
    embedded: [],
    ms: performance.now() - started,
    now: ctx.now,
    id: sha256Hex(url),
    source: { kind: 'url' },
  });
  report.links = [link];
  return report;
}
