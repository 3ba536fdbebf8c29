import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseUrlWithModel, urlModel, urlModelEngine } from '../../src/engines/url-model.js';
import { trainLogistic } from '../../src/ml/logistic.js';
import { fromModelFile, toModelFile } from '../../src/ml/model-file.js';
import { URL_MODEL_PATH } from '../../src/ml/paths.js';
import { vectoriseUrl } from '../../src/ml/train-url.js';
import type { Link, Target } from '../../src/types.js';

const DIM = 1 << 12;

/** A tiny model fitted on synthetic URLs: phishing ones have login words and deep subdomains. */
function tinyModel() {
  const phish = Array.from(
    { length: 60 },
    (_, i) => `http://secure.login.account${i}.verify.host${i}.xyz/signin/verify.php?email=a${i}@b.example`,
  );
  const legit = Array.from({ length: 60 }, (_, i) => `https://shop${i}.example.com/products/item-${i}`);
  const urls = [...phish, ...legit];
  const m = trainLogistic(
    urls.map((u) => vectoriseUrl(u, DIM)),
    urls.map((_, i) => (i < phish.length ? 1 : 0)),
    { dim: DIM, epochs: 20, seed: 1 },
  );
  return fromModelFile(toModelFile(m, { version: 'tiny', kind: 'url', threshold: 0.8, training: {} }));
}

describe('url-model engine', () => {
  const model = tinyModel();

  it('flags a phishing-shaped address and says why, in words', () => {
    const out = analyseUrlWithModel(
      'http://secure.login.paypal.verify.evil.xyz/signin/verify.php?email=x@y.example',
      'link:1',
      model,
    );
    expect(out.status).toBe('suspicious');
    const f = out.findings[0];
    expect(f.code).toBe('url_model.phishy');
    expect(f.strength).toBeGreaterThan(0.8);
    expect(f.targetId).toBe('link:1');
    const reasons = f.evidence.reasons as string[];
    expect(reasons.length).toBeGreaterThan(0);
    expect(
      reasons.some((r) => /subdomains|the word '(login|verify|signin|secure)'|\.php|email address/.test(r)),
    ).toBe(true);
    expect(f.message).toContain(reasons[0]);
    // Named features come before letter sequences of the host.
    expect(reasons[0]).not.toMatch(/^the letters/);
  });

  it('leaves an ordinary shop page clean with no finding', () => {
    const out = analyseUrlWithModel('https://shop77.example.com/products/item-9', 'link:2', model);
    expect(out.status).toBe('clean');
    expect(out.findings).toEqual([]);
  });

  it('applies to web links only', () => {
    const link = (scheme: string, hostAscii?: string) =>
      ({ kind: 'link', id: 'l', link: { scheme, hostAscii, url: `${scheme}:x` } as Link }) as Target;
    expect(urlModelEngine.applies?.(link('https', 'a.example'))).toBe(true);
    expect(urlModelEngine.applies?.(link('mailto'))).toBe(false);
    expect(urlModelEngine.applies?.(link('https'))).toBe(false);
  });

  describe.skipIf(!existsSync(URL_MODEL_PATH))('the shipped model (data/model/url.json)', () => {
    it('ranks a credential-phishing URL above an ordinary article URL', () => {
      const shipped = urlModel()!;
      const p = (u: string) => analyseUrlWithModel(u, 'l', shipped).findings[0]?.strength ?? 0;
      const phishy = p(
        'http://paypal.com.secure-account-verify.login.xyz/webscr/signin.php?cmd=login&email=a@b.example',
      );
      expect(phishy).toBeGreaterThan(0.9);
      expect(p('https://en.wikipedia.org/wiki/Lighthouse')).toBeLessThan(phishy);
    });
  });
});
