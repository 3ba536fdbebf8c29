import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseTextWithModel, textModel, textStrength } from '../../src/engines/text-model.js';
import { trainLogistic } from '../../src/ml/logistic.js';
import { fromModelFile, toModelFile } from '../../src/ml/model-file.js';
import { TEXT_MODEL_PATH } from '../../src/ml/paths.js';
import { textFeatures } from '../../src/ml/text-features.js';
import { vectoriseFeatures } from '../../src/ml/train-text.js';
import type { Message } from '../../src/types.js';

const DIM = 1 << 12;

function msg(subject: string, text: string, to = 'alice@corp.example', name = 'Alice Smith'): Message {
  return { subject, text, to: [{ name, address: to }], cc: [] } as unknown as Message;
}

const PHISH = [
  'Your account has been suspended. Verify your password now to avoid closure.',
  'Unusual sign-in detected. Confirm your identity and verify your account within 24 hours.',
  'Your mailbox is full. Click here to verify your password and restore access.',
];
const HAM = [
  'The meeting moved to Thursday; the agenda is attached. See you there.',
  'Thanks for the patch, I merged it into the release branch this morning.',
  'Lunch on Friday? The new place near the office has good soup.',
];

function tinyModel() {
  const docs = [...PHISH.map((t) => ({ t, y: 1 })), ...HAM.map((t) => ({ t, y: 0 }))];
  const rep = Array.from({ length: 20 }, () => docs).flat();
  const m = trainLogistic(
    rep.map((d) =>
      vectoriseFeatures(
        textFeatures({ text: d.t }).map((f) => f.name),
        DIM,
      ),
    ),
    rep.map((d) => d.y),
    { dim: DIM, epochs: 10, seed: 1 },
  );
  return fromModelFile(toModelFile(m, { version: 'tiny', kind: 'text', threshold: 0.7, training: {} }));
}

describe('text-model engine', () => {
  const model = tinyModel();

  it('flags scam wording and lists the words that weigh most', () => {
    const out = analyseTextWithModel(
      msg('Action required', 'Dear Alice, verify your password now or your account will be suspended.'),
      'message',
      model,
    );
    expect(out.status).toBe('suspicious');
    const f = out.findings[0];
    expect(f.code).toBe('text_model.scam_language');
    expect(f.evidence.probability).toBeGreaterThan(0.7);
    expect(f.strength).toBeCloseTo(textStrength(f.evidence.probability as number), 2);
    const phrases = f.evidence.phrases as string[];
    expect(phrases.some((p) => /verify|password|suspended|account/.test(p))).toBe(true);
    expect(phrases.join(' ')).not.toMatch(/alice/i);
    // Function words weigh in the score but are not shown: they tell a person nothing.
    expect(phrases).not.toContain('"your"');
    expect(phrases.every((p) => !/^"(your|to|the|or|now)"$/.test(p))).toBe(true);
  });

  it('leaves ordinary mail clean', () => {
    const out = analyseTextWithModel(
      msg('Re: release', 'Thanks, merged the patch into the release branch.'),
      'message',
      model,
    );
    expect(out.status).toBe('clean');
    // Its log-odds still go to the verdict, as an info finding with no phrases to show.
    expect(out.findings).toHaveLength(1);
    const f = out.findings[0];
    expect(f).toMatchObject({ code: 'text_model.scam_language', severity: 'info', strength: 0 });
    const ev = f.evidence as { probability: number; logit: number; phrases?: string[] };
    expect(ev.logit).toBeLessThan(0);
    expect(ev.logit).toBeCloseTo(Math.log(ev.probability / (1 - ev.probability)), 1);
    expect(ev.phrases).toBeUndefined();
    expect(f.message).toMatch(/ordinary mail/);
  });

  it('gives the same probability whoever the recipient is', () => {
    const a = analyseTextWithModel(
      msg(
        'Hi Alice',
        'Alice, verify your password for alice@corp.example',
        'alice@corp.example',
        'Alice Smith',
      ),
      'm',
      model,
    );
    const b = analyseTextWithModel(
      msg('Hi Rodrigo', 'Rodrigo, verify your password for phishing@pot', 'phishing@pot', 'Rodrigo Ferreira'),
      'm',
      model,
    );
    expect(a.findings[0]?.evidence.probability ?? 0).toBe(b.findings[0]?.evidence.probability ?? 0);
  });

  it('maps probability to strength by log-odds: 0 at even odds, 1 from odds of e^6 up', () => {
    expect(textStrength(0.5)).toBeCloseTo(0);
    expect(textStrength(0.2)).toBe(0);
    expect(textStrength(1 / (1 + Math.exp(-3)))).toBeCloseTo(0.5);
    expect(textStrength(0.99999)).toBe(1);
    expect(textStrength(1)).toBe(1);
  });

  it('says unknown when there is no text at all', () => {
    expect(analyseTextWithModel(msg('', ''), 'm', model).status).toBe('unknown');
  });

  describe.skipIf(!existsSync(TEXT_MODEL_PATH))('the shipped model (data/model/text.json)', () => {
    it('scores a credential-phishing text above a technical mailing-list message', () => {
      const shipped = textModel()!;
      const p = (m: Message) =>
        Number(analyseTextWithModel(m, 'm', shipped).findings[0]?.evidence.probability ?? 0);
      const phish = p(
        msg(
          'Your mailbox will be deactivated',
          'Dear user, your email account password expires today. Click here to verify your account and keep your mailbox active. IT Help Desk',
        ),
      );
      const ham = p(
        msg(
          'Re: build failure on arm64',
          'I think the linker flags changed in the last commit; can you try reverting the CMake change and rebuilding?',
        ),
      );
      expect(phish).toBeGreaterThan(0.5);
      expect(ham).toBeLessThan(phish);
    });
  });
});
