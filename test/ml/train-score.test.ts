import { describe, expect, it } from 'vitest';
import type { CachedMessage } from '../../src/ml/findings-cache.js';
import { seededRandom } from '../../src/ml/rng.js';
import {
  DANGEROUS_TARGET_FPR,
  examplesFrom,
  fitScoringModel,
  type ScoreExample,
} from '../../src/ml/train-score.js';
import { scoreFindings } from '../../src/verdict/score.js';

/** Synthetic finding vectors: 'a.strong' mostly on phish, 'b.weak' on both, 'c.ham' mostly on ham. */
function synthetic(n: number): ScoreExample[] {
  const r = seededRandom(11);
  const out: ScoreExample[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 3 === 0 ? 'phish' : i % 7 === 0 ? 'spam' : 'ham';
    const phish = label === 'phish';
    const findings: ScoreExample['findings'] = [];
    if (r() < (phish ? 0.9 : 0.003))
      findings.push({ code: 'a.strong', strength: 0.5 + r() / 2, severity: 'medium' });
    if (r() < 0.4) findings.push({ code: 'b.weak', strength: 1, severity: 'low' });
    if (r() < (phish ? 0.05 : 0.6)) findings.push({ code: 'c.ham', strength: 1, severity: 'low' });
    if (r() < 0.001) findings.push({ code: 'd.rare', strength: 1, severity: 'high' });
    out.push({ sha256: `m${i}`, label, corpus: `c${i % 4}`, month: `2020-0${(i % 9) + 1}`, findings });
  }
  return out;
}

describe('fitScoringModel', () => {
  const examples = synthetic(3000);
  const { model, report, oof } = fitScoringModel(examples, () => {}, 'synthetic');

  it('gives the discriminating code the weight, and no code a negative weight', () => {
    expect(model.fitted).toBe(true);
    expect(model.features).toBe('max-strength-per-code');
    // More than a logit at the shipped L2 (0.3): enough to move a message across a threshold on its own.
    expect(model.weights['a.strong']).toBeGreaterThan(1);
    expect(model.weights['a.strong']).toBeGreaterThan(model.weights['b.weak'] * 4);
    expect(Math.min(...Object.values(model.weights))).toBeGreaterThanOrEqual(0);
    expect(model.weights['d.rare']).toBeUndefined();
  });

  it('chooses thresholds from cross-validated scores that keep ham false positives at the target', () => {
    expect(model.thresholds.suspicious).toBeLessThanOrEqual(model.thresholds.dangerous);
    const ham = examples.filter((e) => e.label === 'ham');
    const fp = ham.filter((e) => (oof.get(e.sha256) ?? 0) >= model.thresholds.dangerous).length;
    expect(fp / ham.length).toBeLessThanOrEqual(DANGEROUS_TARGET_FPR);
    const phish = examples.filter((e) => e.label === 'phish');
    const caught = phish.filter(
      (e) => scoreFindings(e.findings as never, model).level === 'dangerous',
    ).length;
    expect(caught / phish.length).toBeGreaterThan(0.7);
    expect(report).toContain('overall phish vs ham');
  });

  it('is reproducible', () => {
    const again = fitScoringModel(examples, () => {}, 'synthetic').model;
    expect(again.weights).toEqual(model.weights);
    expect(again.thresholds).toEqual(model.thresholds);
  });
});

describe('fitScoringModel with text log-odds', () => {
  // Messages whose only evidence is the text model's log-odds, plus a code on half the phish.
  const r = seededRandom(5);
  const examples: ScoreExample[] = Array.from({ length: 2000 }, (_, i) => {
    const phish = i % 2 === 0;
    const logit = (phish ? 3 : -3) + (r() - 0.5) * 8;
    const findings: ScoreExample['findings'] = [
      { code: 'text_model.scam_language', strength: 0, severity: 'info', evidence: { logit } },
    ];
    if (phish && r() < 0.5) findings.push({ code: 'e.link', strength: 1, severity: 'medium' });
    if (i % 10 === 1) findings.push({ code: 'sender.links_on_own_domain', strength: 1, severity: 'info' });
    return {
      sha256: `t${i}`,
      label: phish ? 'phish' : 'ham',
      corpus: `c${i % 5}`,
      month: `2021-0${(i % 7) + 1}`,
      findings,
    };
  });
  const { model } = fitScoringModel(examples, () => {}, 'synthetic');

  it('takes the log-odds as an offset, clipped, and gives the text code no weight of its own', () => {
    expect(model.logitFrom).toEqual({
      code: 'text_model.scam_language',
      coefficient: 1,
      min: -2,
      max: 12,
      dampedBy: { code: 'sender.links_on_own_domain', factor: 0.5 },
    });
    expect(model.weights['text_model.scam_language']).toBeUndefined();
    // The damping code only damps: no weight of its own, although 200 messages carry it.
    expect(model.weights['sender.links_on_own_domain']).toBeUndefined();
    expect(model.weights['e.link']).toBeGreaterThan(0.5);
    const at = (logit: number) =>
      scoreFindings(
        [{ code: 'text_model.scam_language', strength: 0, severity: 'info', evidence: { logit } } as never],
        model,
      ).probability;
    expect(at(6)).toBeGreaterThan(at(2));
    // Ordinary wording lowers the score only down to the clip.
    expect(at(-2)).toBeLessThan(at(0));
    expect(at(-9)).toBeCloseTo(at(-2), 10);
  });
});

describe('examplesFrom', () => {
  it('adds the cross-validated text score as a finding with its log-odds, at strength 0 below the reporting line', () => {
    const cache = new Map<string, CachedMessage>([
      [
        'x',
        {
          sha256: 'x',
          label: 'phish',
          corpus: 'c',
          source: 'c',
          month: '',
          reduced: true,
          findings: [],
          ms: 1,
        },
      ],
      [
        'y',
        {
          sha256: 'y',
          label: 'ham',
          corpus: 'c',
          source: 'c',
          month: '',
          reduced: true,
          findings: [],
          ms: 1,
        },
      ],
      [
        'z',
        {
          sha256: 'z',
          label: 'ham',
          corpus: 'c',
          source: 'c',
          month: '',
          reduced: true,
          findings: [],
          ms: 1,
          error: 'bad',
        },
      ],
    ]);
    const ex = examplesFrom(
      cache,
      new Map([
        ['x', 0.95],
        ['y', 0.2],
      ]),
      0.9,
    );
    expect(ex).toHaveLength(2);
    expect(ex.find((e) => e.sha256 === 'x')!.findings).toEqual([
      // Strength follows the log-odds: ln(0.95 / 0.05) / 6.
      { code: 'text_model.scam_language', strength: 0.491, severity: 'medium', evidence: { logit: 2.944 } },
    ]);
    expect(ex.find((e) => e.sha256 === 'y')!.findings).toEqual([
      { code: 'text_model.scam_language', strength: 0, severity: 'info', evidence: { logit: -1.386 } },
    ]);
  });
});
