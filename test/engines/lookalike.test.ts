import { describe, expect, it } from 'vitest';
import { lookalikeEngine } from '../../src/engines/lookalike.js';
import type { EngineOutcome, Target } from '../../src/types.js';
import { ctx, link } from '../intel/helpers.js';

const run = (url: string) =>
  lookalikeEngine.analyse({ kind: 'link', id: 'link:1', link: link(url) }, ctx()) as EngineOutcome;

describe('lookalike engine', () => {
  it('flags brand lookalikes with a code per kind and evidence naming both domains', () => {
    const cases: [string, string][] = [
      ['https://paypa1.com/signin', 'lookalike.brand_confusable'],
      ['https://faceboook.com/', 'lookalike.brand_edit'],
      ['https://paypal.online/', 'lookalike.tld_swap'],
      ['https://paypal-secure-login.example/', 'lookalike.combosquat'],
      ['https://paypal.com.account-verify.net/', 'lookalike.brand_in_subdomain'],
      ['https://wikipedla.org/', 'lookalike.domain_edit'],
    ];
    for (const [url, code] of cases) {
      const out = run(url);
      expect(out.findings[0]?.code, url).toBe(code);
      expect(out.status, url).not.toBe('clean');
      const host = new URL(url).hostname;
      expect(out.findings[0].message).toContain(host);
      expect(out.findings[0].evidence.candidate).toBe(host);
      expect(out.findings[0].evidence.reference).toBeTruthy();
    }
    expect(run('https://paypa1.com/').findings[0].message).toMatch(
      /paypa1\.com looks like paypal\.com \(PayPal\)/,
    );
  });
  it('weighs a combosquat by the words beside the brand, not by the TLD', () => {
    expect(run('https://paypal-secure-login.example/').findings[0].severity).toBe('high');
    expect(run('https://paypal-harbour.net/').findings[0]).toMatchObject({
      code: 'lookalike.combosquat',
      severity: 'medium',
    });
  });
  it('treats a non-ASCII homoglyph domain as malicious', () => {
    const out = lookalikeEngine.analyse(
      { kind: 'link', id: 'l', link: { ...link('https://xn--pypal-4ve.com/'), hostUnicode: 'pаypal.com' } },
      ctx(),
    ) as EngineOutcome;
    expect(out.status).toBe('malicious');
    expect(out.findings[0].severity).toBe('critical');
  });
  it('stays clean on official and ordinary domains', () => {
    for (const url of [
      'https://www.paypal.com/signin',
      'https://login.microsoftonline.com/',
      'https://example.org/',
      'https://www.bbc.co.uk/news',
    ]) {
      const out = run(url);
      expect(out.status, url).toBe('clean');
      expect(out.findings, url).toEqual([]);
    }
  });
  it('notes a brand in the path of another site, weakly', () => {
    const out = run('https://shop.example.net/paypal/login.php');
    expect(out.status).toBe('clean');
    expect(out.findings[0]).toMatchObject({ code: 'lookalike.brand_in_path', severity: 'low' });
  });
  it("does not read a brand in the path of an image as a claim (partners' logos)", () => {
    const img: Target = {
      kind: 'link',
      id: 'link:1',
      link: { ...link('https://shop.example.net/paypal/login.png'), source: 'html-img' },
    };
    expect((lookalikeEngine.analyse(img, ctx()) as EngineOutcome).findings).toEqual([]);
    expect(run('https://shop.example.net/paypal/login.png').findings[0]?.code).toBe(
      'lookalike.brand_in_path',
    );
  });
  it("does not read the reader's own address in a link as a brand", () => {
    for (const url of [
      'https://email.sender.example/account/login?email=jo.smith%40gmail.com',
      'https://email.sender.example/account/login/jo.smith@gmail.com',
    ])
      expect(run(url).findings, url).toEqual([]);
    expect(run('https://email.sender.example/gmail/account/login').findings[0]?.code).toBe(
      'lookalike.brand_in_path',
    );
  });
  it('skips links without a web host', () => {
    const t: Target = {
      kind: 'link',
      id: 'l',
      link: { ...link('https://a.example/'), scheme: 'mailto', hostAscii: undefined },
    };
    expect(lookalikeEngine.applies?.(t)).toBe(false);
  });
});
