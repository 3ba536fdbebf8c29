import { describe, expect, it } from 'vitest';
import { editDistance, isKeyboardTypo, keysAdjacent } from '../../src/intel/distance.js';
import { brandInPath, brandLookalike, domainLookalike } from '../../src/intel/lookalike.js';
import { officialBrandOf, sharedHostingOf } from '../../src/intel/reference.js';
import { parseConfusables, skeleton } from '../../src/intel/skeleton.js';

describe('skeleton', () => {
  it('maps homoglyphs, digits and rn to the same skeleton', () => {
    expect(skeleton('pаypal')).toBe(skeleton('paypal')); // Cyrillic а
    expect(skeleton('paypa1')).toBe(skeleton('paypal'));
    expect(skeleton('rnicrosoft')).toBe(skeleton('microsoft'));
    expect(skeleton('g00gle')).toBe(skeleton('google'));
    expect(skeleton('example')).not.toBe(skeleton('examine'));
  });
  it('parses the confusables format', () => {
    const m = parseConfusables('# c\n0430 ;\t0061 ;\tMA\t# ( а → a )\n006D ;\t0072 006E ;\tMA # m → rn\n');
    expect(m.get('а')).toBe('a');
    expect(m.get('m')).toBe('rn');
  });
});

describe('distances', () => {
  it('computes optimal string alignment distance with a cap', () => {
    expect(editDistance('paypal', 'paypal')).toBe(0);
    expect(editDistance('paypal', 'paypla')).toBe(1); // transposition
    expect(editDistance('paypal', 'pyapl')).toBe(2);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abcdefgh', 'zzzzzzzz', 2)).toBe(3);
  });
  it('knows QWERTY neighbours', () => {
    expect(keysAdjacent('a', 's')).toBe(true);
    expect(keysAdjacent('a', 'l')).toBe(false);
    expect(isKeyboardTypo('amazon', 'amazpn')).toBe(true); // o→p
    expect(isKeyboardTypo('amazon', 'amazun')).toBe(false); // o→u: two keys apart
    expect(isKeyboardTypo('amazon', 'amazoon')).toBe(true); // double strike
  });
});

describe('domainLookalike', () => {
  it('finds each kind between two domains', () => {
    expect(domainLookalike('examp1e.com', 'example.com')?.kind).toBe('confusable');
    expect(domainLookalike('example.org', 'example.com')).toMatchObject({
      kind: 'tld-swap',
      distance: 0,
      reference: 'example.com',
    });
    expect(domainLookalike('exanple.com', 'example.com')).toMatchObject({ kind: 'keyboard', distance: 1 });
    expect(domainLookalike('exampel.com', 'example.com')).toMatchObject({ kind: 'edit', distance: 1 });
    expect(domainLookalike('example-billing.net', 'example.com')?.kind).toBe('combosquat');
    expect(domainLookalike('example.evil.net', 'example.com')?.kind).toBe('subdomain');
  });
  it('says nothing for the same registrable domain or unrelated ones', () => {
    expect(domainLookalike('mail.example.com', 'example.com')).toBeUndefined();
    expect(domainLookalike('wikipedia.org', 'example.com')).toBeUndefined();
    expect(domainLookalike('1.2.3.4', 'example.com')).toBeUndefined();
    expect(domainLookalike('', 'example.com')).toBeUndefined();
  });
  it('handles Unicode and punycode alike', () => {
    const uni = domainLookalike('exаmple.com', 'example.com'); // Cyrillic а
    expect(uni?.kind).toBe('confusable');
    expect(uni?.candidate.startsWith('xn--')).toBe(true);
  });
});

describe('brandLookalike', () => {
  const cases: [string, string, string][] = [
    ['paypa1.com', 'confusable', 'PayPal'],
    ['xn--pypal-4ve.com', 'confusable', 'PayPal'],
    ['netflix.co', 'tld-swap', 'Netflix'],
    ['paypal.online', 'tld-swap', 'PayPal'],
    ['amazon.xyz', 'tld-swap', 'Amazon'],
    ['faceboook.com', 'keyboard', 'Facebook'],
    ['goggle.com', 'edit', 'Google'],
    ['paypal-secure-login.example', 'combosquat', 'PayPal'],
    ['dhl-tracking.info', 'combosquat', 'DHL'],
    ['apple-id-verify.com', 'combosquat', 'Apple'],
    ['paypal.com.account-verify.net', 'subdomain', 'PayPal'],
    ['paypal-login.weebly.com', 'subdomain', 'PayPal'],
    ['paypa1-login.example', 'confusable', 'PayPal'],
  ];
  for (const [domain, kind, brand] of cases) {
    it(`${domain} → ${kind} of ${brand}`, () => {
      const m = brandLookalike(domain);
      expect(m?.kind).toBe(kind);
      expect(m?.brand).toBe(brand);
      expect(m?.officialDomains.length).toBeGreaterThan(0);
    });
  }
  it('treats brand names inside free-hosting tenants as impersonation, on every blogspot suffix', () => {
    expect(brandLookalike('metamaskinc.blogspot.co.uk')).toMatchObject({
      kind: 'subdomain',
      brand: 'MetaMask',
    });
    expect(brandLookalike('telegrambottest.duckdns.org')?.brand).toBe('Telegram');
    expect(brandLookalike('myblog.blogspot.co.uk')).toBeUndefined();
    expect(brandLookalike('paypal-billing.sharepoint.com')?.brand).toBe('PayPal');
    expect(brandLookalike('microsoft.sharepoint.com')).toBeUndefined();
    expect(brandLookalike('contoso.sharepoint.com')).toBeUndefined();
  });
  it('tells a common-word brand name from its distinctive compounds', () => {
    expect(brandLookalike('ledgerlive.online')).toMatchObject({ brand: 'Ledger' });
    expect(brandLookalike('icloud-find.com')).toMatchObject({ brand: 'Apple', kind: 'combosquat' });
    expect(brandLookalike('ledger-accounting.com')).toBeUndefined();
  });
  it('never flags official or popular domains', () => {
    for (const d of [
      'paypal.com',
      'www.paypal.com',
      'amazon.de',
      'amazon.co.jp',
      'login.microsoftonline.com',
      'wikipedia.org',
      'bbc.co.uk',
      'nytimes.com',
      'eki-net.com',
      'smbc-card.com',
    ])
      expect(brandLookalike(d), d).toBeUndefined();
  });
  it('does not flag ordinary words that happen to be brands', () => {
    for (const d of [
      'applebees.com',
      'apple.farm',
      'orange-county-news.com',
      'chase-the-sun.org',
      'saison-hotel.fr',
    ])
      expect(brandLookalike(d), d).toBeUndefined();
  });
  it('is robust to hostile input', () => {
    expect(brandLookalike('a'.repeat(5000))).toBeUndefined();
    expect(brandLookalike('....')).toBeUndefined();
    expect(brandLookalike('[::1]')).toBeUndefined();
    // Padding a host with labels does not hide the lookalike on its right.
    expect(brandLookalike(`${'a.'.repeat(3000)}paypa1.com`)?.brand).toBe('PayPal');
  });
  it('finds brands in paths only next to a phishing word', () => {
    expect(brandInPath('/paypal/login.php')?.brand).toBe('PayPal');
    expect(brandInPath('/www.paypal.com/webapps')?.brand).toBe('PayPal');
    expect(brandInPath('/news/2024/paypal-earnings')).toBeUndefined();
  });
  it('is fast', () => {
    brandLookalike('warm-up.example');
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) brandLookalike(`shop${i}-something.example.com`);
    expect((performance.now() - t0) / 2000).toBeLessThan(0.5);
  });
});

describe('reference lists', () => {
  it('knows official and shared-hosting domains', () => {
    expect(officialBrandOf('signin.ebay.co.uk')?.name).toBe('eBay');
    expect(officialBrandOf('paypal.com.evil.net')).toBeUndefined();
    expect(sharedHostingOf('x.weebly.com')).toEqual({ suffix: 'weebly.com', kind: 'hosting' });
    expect(sharedHostingOf('bit.ly')?.kind).toBe('shortener');
  });
});

describe('brandInPath (path segments)', () => {
  it('finds a brand domain spelled out in the path, with or without www.', () => {
    expect(brandInPath('/www.paypal.com/signin')?.brand).toBeDefined();
    expect(brandInPath('/x/www.paypal.com.secure-check/login')?.keyword).toBe('paypal.com');
    expect(brandInPath('/paypal.com/verify')?.keyword).toBe('paypal.com');
    expect(brandInPath('/blog/2024/holiday.html')).toBeUndefined();
  });
});
