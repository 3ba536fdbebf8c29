import { describe, expect, it } from 'vitest';
import { normaliseLink } from '../../../src/message/links/normalise.js';
import { refang } from '../../../src/message/links/refang.js';

const raw = (r: string) => ({ raw: r, source: 'text' as const, location: 'text body' });

describe('normaliseLink', () => {
  it('refangs defanged links and says so', () => {
    const l = normaliseLink(raw('hxxps://evil[.]example/login'), 'link:1');
    expect(l.url).toBe('https://evil.example/login');
    expect(l.defanged).toBe(true);
    expect(refang('evil(.)example[:]//x')).toBe('evil.example://x');
  });

  it('gives IDN hosts as Unicode and punycode', () => {
    const l = normaliseLink(raw('https://pаypal.com/'), 'link:1'); // Cyrillic а
    expect(l.hostAscii).toBe('xn--pypal-4ve.com');
    expect(l.hostUnicode).toBe('pаypal.com');
  });

  it('adds a scheme to www. links and keeps the wrapper', () => {
    expect(normaliseLink(raw('www.example.org/a'), 'l').url).toBe('http://www.example.org/a');
    const l = normaliseLink(
      raw('https://nam02.safelinks.protection.outlook.com/?url=http%3A%2F%2Fx.example%2F'),
      'l',
    );
    expect(l.hostAscii).toBe('x.example');
    expect(l.wrappers[0].kind).toBe('safelinks');
  });

  it('keeps odd schemes without throwing', () => {
    expect(normaliseLink(raw('javascript:alert(1)'), 'l').scheme).toBe('javascript');
    expect(normaliseLink(raw('data:text/html;base64,PGgxPg=='), 'l').scheme).toBe('data');
    expect(normaliseLink(raw('http://[::1'), 'l').scheme).toBe('http');
  });
});
