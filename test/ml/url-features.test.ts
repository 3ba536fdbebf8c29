import { describe, expect, it } from 'vitest';
import { describeUrlFeature, MAX_URL_CHARS, urlFeatures } from '../../src/ml/url-features.js';

const names = (u: string) => urlFeatures(u).map((f) => f.name);

describe('urlFeatures', () => {
  it('reads structure: subdomains, IP hosts, userinfo, ports, punycode, email in the address', () => {
    expect(names('http://192.168.10.1/a')).toContain('b:ip-host');
    expect(names('http://paypal.com@evil.example/x')).toContain('b:userinfo');
    expect(names('http://example.com:8081/')).toContain('b:port');
    expect(names('https://example.com:443/')).not.toContain('b:port');
    expect(names('https://xn--pypal-4ve.com/')).toContain('b:punycode');
    expect(names('https://x.example/p?u=victim@example.org')).toContain('b:email-in-url');
    const f = urlFeatures('https://a.b.c.d.e.example.com/').find((x) => x.name === 'n:subdomains');
    expect(f?.shown).toBe(5);
    expect(describeUrlFeature(f!)).toBe('the address has 5 subdomains');
  });

  it('names the words of each part and the page extension', () => {
    const f = urlFeatures('https://secure-login.example.net/account/verify.php?session=1');
    const n = f.map((x) => x.name);
    expect(n).toEqual(
      expect.arrayContaining([
        'w:sub:secure',
        'w:sub:login',
        'w:dom:example',
        'w:path:account',
        'w:path:verify',
        'ext:php',
        'w:q:session',
        'tld:net',
      ]),
    );
    const login = f.find((x) => x.name === 'w:path:account')!;
    expect(describeUrlFeature(login)).toBe("the word 'account' in the path");
  });

  it('treats private suffixes as hosting platforms (tldts with private domains on)', () => {
    expect(names('https://my-wallet.vercel.app/x')).toEqual(
      expect.arrayContaining(['b:private-suffix', 'host:vercel.app']),
    );
  });

  it('ignores how the data set wrote scheme, www and a bare trailing slash', () => {
    const a = names('https://www.example.com/');
    expect(names('example.com')).toEqual(a);
    expect(names('http://example.com')).toEqual(a);
  });

  it('stays bounded on hostile input', () => {
    const huge = `https://${'a.'.repeat(5000)}example.com/${'x/'.repeat(100000)}?${'k=v&'.repeat(100000)}`;
    const f = urlFeatures(huge);
    expect(f.length).toBeLessThan(400);
    expect(MAX_URL_CHARS).toBeLessThan(huge.length);
    expect(() => urlFeatures('%%%://[::1')).not.toThrow();
    expect(() => urlFeatures('')).not.toThrow();
  });
});
