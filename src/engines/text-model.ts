// Message text classifier engine: a logistic model over the words of the subject and body
// (data/model/text.json, fitted by `suspect train --what text`). Headers are not read; recipient names,
// addresses, links and numbers are masked first (src/ml/text-features.ts).

import { existsSync } from 'node:fs';
import { scoreHashes, strongest } from '../ml/explain.js';
import { type LoadedHashedModel, loadModelFile } from '../ml/model-file.js';
import { TEXT_MODEL_PATH } from '../ml/paths.js';
import { hashedTextFeatures, PLACEHOLDER, phraseOf } from '../ml/text-features.js';
import type { Engine, EngineOutcome, Finding, Message, Target } from '../types.js';

/** Below this probability the finding is an info-level opinion with no phrases: they would be noise. */
export const MIN_REPORTED_PROBABILITY = 0.5;
/**
 * Log-odds at which the finding's strength reaches 1. Strength grows linearly with the model's log-odds
 * rather than its probability: probabilities crowd together near 1 exactly where the verdict's
 * 'dangerous' line (≤ 0.5% ham false positives) has to separate messages. Fitted on the corpus:
 * dangerous-level recall 0.50 with strength = probability, 0.81 with this (cross-validated).
 */
export const TEXT_LOGIT_FULL_STRENGTH = 6;

/** The finding's strength (0..1) for a text-model probability. */
export function textStrength(probability: number): number {
  return Math.min(1, Math.max(0, probabilityLogit(probability) / TEXT_LOGIT_FULL_STRENGTH));
}

/** Log-odds of a probability, finite at 0 and 1. */
export function probabilityLogit(probability: number): number {
  const p = Math.min(Math.max(probability, 1e-15), 1 - 1e-15);
  return Math.log(p / (1 - p));
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * What the verdict reads of a text-model probability, as the engine's finding carries it: flagged
 * (medium) from the reporting line and the model's threshold up, else an info-level opinion; the
 * strength; the log-odds. The score trainer builds its examples' findings with it too.
 */
export function textOpinion(
  probability: number,
  threshold: number,
): { severity: 'medium' | 'info'; strength: number; logit: number } {
  const flagged = probability >= MIN_REPORTED_PROBABILITY && probability >= threshold;
  return {
    severity: flagged ? 'medium' : 'info',
    // 0 below even odds, so 0 for every opinion below the reporting line.
    strength: round3(textStrength(probability)),
    logit: round3(probabilityLogit(probability)),
  };
}

/**
 * Words that weigh in the model but say nothing to a person on their own ("your", "as soon"): a phrase
 * made only of these is not shown as evidence (it still counts in the score).
 */
const FUNCTION_WORDS = new Set(
  (
    'a an the and or but if of to in on at by for from with as is are was were be been am it its this that ' +
    'these those you your yours we our us i me my he she they them their his her not no so do does did have ' +
    'has had will would can could shall should may might must than then there here what which who whom when ' +
    'where why how all any some such very just also only into out up about over'
  ).split(' '),
);

function informative(phrase: string): boolean {
  return phrase.split(' ').some((w) => !FUNCTION_WORDS.has(w) && w !== PLACEHOLDER.number);
}

/** Words and phrases shown as evidence. */
const TOP_PHRASES = 6;

const PLACEHOLDER_WORDS: Record<string, string> = {
  [PLACEHOLDER.url]: '<link>',
  [PLACEHOLDER.email]: '<email address>',
  [PLACEHOLDER.number]: '<number>',
  [PLACEHOLDER.money]: '<money sign>',
  [PLACEHOLDER.recipient]: '<your name or address>',
};

let cache: { path: string; model: LoadedHashedModel | null } | undefined;

export function textModel(path = TEXT_MODEL_PATH): LoadedHashedModel | null {
  if (cache?.path !== path) cache = { path, model: existsSync(path) ? loadModelFile(path) : null };
  return cache.model;
}

function shown(phrase: string): string {
  return phrase
    .split(' ')
    .map((w) => PLACEHOLDER_WORDS[w] ?? w)
    .join(' ');
}

export function analyseTextWithModel(
  message: Message,
  targetId: string,
  model: LoadedHashedModel,
): EngineOutcome {
  const feats = hashedTextFeatures({
    subject: message.subject,
    text: message.text,
    html: message.html,
    recipients: [...message.to, ...message.cc],
  });
  const count = feats.hashes.length;
  if (count === 0) return { status: 'unknown', findings: [], note: 'the message has no readable text' };
  const { probability, contributions } = scoreHashes(model, feats.hashes, 1 / Math.sqrt(count));
  const threshold = model.file.threshold;
  // Below the reporting line the finding is an opinion for the score only: ordinary wording, never
  // flagged, and no phrases are worked out or shown as reasons.
  const reported = probability >= MIN_REPORTED_PROBABILITY;
  const opinion = textOpinion(probability, threshold);
  const flagged = opinion.severity === 'medium';
  const pct = Math.round(probability * 100);
  const evidence: Record<string, unknown> = {
    probability: round3(probability),
    // The log-odds go into the verdict whatever their sign (see logitFrom in src/verdict/model.ts).
    logit: opinion.logit,
    threshold,
  };
  let text = `The wording reads like ordinary mail to the text model (${pct}% likely to be phishing).`;
  if (reported) {
    const top = strongest(contributions, TOP_PHRASES * 4)
      .map((i) => ({ feature: feats.name(i), contribution: contributions[i] }))
      .filter((c) => informative(phraseOf(c.feature)));
    // The same words can count in the subject and the body: show each phrase once.
    const phrases = [
      ...new Set(
        top.map((c) => `${c.feature.startsWith('s:') ? 'subject: ' : ''}"${shown(phraseOf(c.feature))}"`),
      ),
    ].slice(0, TOP_PHRASES);
    text = `The wording reads like phishing to the text model (${pct}% likely); the words that weigh most: ${phrases.join(', ')}.`;
    evidence.phrases = phrases;
    evidence.features = top.map((c) => ({
      feature: c.feature,
      contribution: round3(c.contribution),
    }));
  }
  evidence.model = model.file.version;
  const finding: Finding = {
    code: 'text_model.scam_language',
    engine: 'text-model',
    targetId,
    severity: opinion.severity,
    strength: opinion.strength,
    message: text,
    evidence,
  };
  return { status: flagged ? 'suspicious' : 'clean', findings: [finding] };
}

export const textModelEngine: Engine = {
  name: 'text-model',
  version: '1.0.0',
  kind: 'local',
  targets: ['message'],
  dataVersion: () => textModel()?.file.version,
  analyse(target: Target): EngineOutcome {
    if (target.kind !== 'message') return { status: 'skipped', findings: [] };
    const model = textModel();
    if (!model)
      return {
        status: 'unknown',
        findings: [],
        note: 'no text model file (run `suspect train --what text`)',
      };
    return analyseTextWithModel(target.message, target.id, model);
  },
};
