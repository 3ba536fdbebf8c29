import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/types.js';
import type { ScoringModel } from '../../src/verdict/model.js';
import { featureVector, scoreFindings } from '../../src/verdict/score.js';

const f = (code: string, severity: Finding['severity'], strength?: number, message = code): Finding => ({
  code,
  severity,
  strength,
  message,
  engine: 'e',
  targetId: 't',
  evidence: {},
});

const model: ScoringModel = {
  version: 't',
  fitted: true,
  bias: -2,
  weights: { 'a.strong': 4, 'a.weak': 0.5, 'a.negative': -3 },
  thresholds: { suspicious: 0.5, dangerous: 0.95 },
  features: 'max-strength-per-code',
};

describe('scoreFindings', () => {
  it("leads with evidence a person can check before a model's opinion", () => {
    const m: ScoringModel = {
      ...model,
      weights: { 'text_model.scam_language': 20, 'attachment.executable': 2 },
    };
    const s = scoreFindings([f('text_model.scam_language', 'medium'), f('attachment.executable', 'high')], m);
    expect(s.reasons.map((r) => r.code)).toEqual(['attachment.executable', 'text_model.scam_language']);
  });

  it('takes the strongest instance of each code once', () => {
    expect(featureVector([f('a.weak', 'low', 0.2), f('a.weak', 'low', 0.7), f('b', 'low')])).toEqual(
      new Map([
        ['a.weak', 0.7],
        ['b', 1],
      ]),
    );
  });

  it('maps the fitted probability to a level and leads with the heaviest reasons', () => {
    expect(scoreFindings([], model).level).toBe('safe');
    const s = scoreFindings([f('a.weak', 'low'), f('a.strong', 'medium', 1, 'the strong one')], model);
    expect(s.probability).toBeCloseTo(1 / (1 + Math.exp(-2.5)), 6);
    expect(s.level).toBe('suspicious');
    expect(s.reasons[0].text).toBe('the strong one');
    expect(s.reasons.map((r) => r.code)).toEqual(['a.strong', 'a.weak']);
  });

  it('uses the severity fallback for codes the model never saw and never lists negative weights as reasons', () => {
    const s = scoreFindings([f('new.engine_code', 'high'), f('a.negative', 'low')], model);
    expect(s.reasons.map((r) => r.code)).toEqual(['new.engine_code']);
  });

  it('never calls a critical finding less than dangerous; other severities follow the fitted score', () => {
    const low: ScoringModel = { ...model, bias: -20 };
    expect(scoreFindings([f('x.critical', 'critical')], low).level).toBe('dangerous');
    expect(scoreFindings([f('x.high', 'high')], low).level).toBe('safe');
  });

  it('counts a model’s log-odds as they are, and positive ones damped by the factor when the damping code is present', () => {
    const m: ScoringModel = {
      ...model,
      bias: 0,
      weights: {},
      logitFrom: {
        code: 'text.opinion',
        coefficient: 1,
        min: -2,
        max: 12,
        dampedBy: { code: 'sender.own', factor: 0.5 },
      },
    };
    const opinion = (logit: number): Finding => ({ ...f('text.opinion', 'medium'), evidence: { logit } });
    const logitOf = (fs: Finding[]) => {
      const p = scoreFindings(fs, m).probability;
      return Math.log(p / (1 - p));
    };
    expect(logitOf([opinion(3)])).toBeCloseTo(3, 6);
    expect(logitOf([opinion(3), f('sender.own', 'info')])).toBeCloseTo(1.5, 6);
    // Ordinary wording keeps its full (negative) say, and the clip applies first.
    expect(logitOf([opinion(-1), f('sender.own', 'info')])).toBeCloseTo(-1, 6);
    expect(logitOf([opinion(20), f('sender.own', 'info')])).toBeCloseTo(6, 6);
  });
});
