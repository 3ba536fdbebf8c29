import { describe, expect, it } from 'vitest';
import { unwrap } from '../../../src/message/links/unwrap.js';

describe('unwrap', () => {
  it('peels Microsoft Safe Links', () => {
    const r = unwrap(
      'https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fpaypa1-login.example%2Fsignin&data=04%7C01&reserved=0',
    );
    expect(r.url).toBe('https://paypa1-login.example/signin');
    expect(r.wrappers.map((w) => w.kind)).toEqual(['safelinks']);
  });

  it('peels Proofpoint v1, v2 and v3', () => {
    expect(unwrap('https://urldefense.proofpoint.com/v1/url?u=http://evil.example/a&k=abc').url).toBe(
      'http://evil.example/a',
    );
    expect(
      unwrap(
        'https://urldefense.proofpoint.com/v2/url?u=https-3A__evil.example_login-3Fa-3D1&d=DwMF&c=x&r=y&m=z&s=w&e=',
      ).url,
    ).toBe('https://evil.example/login?a=1');
    // v3: '*' placeholders are filled from the base64 block ('Pw' = '?').
    expect(unwrap('https://urldefense.com/v3/__https://evil.example/path*q=1__;Pw!!ABC$').url).toBe(
      'https://evil.example/path?q=1',
    );
  });

  it('peels Google redirects and generic open redirects, nested', () => {
    const r = unwrap(
      'https://www.google.com/url?q=https://tracker.example/r?url=https%3A%2F%2Fphish.example%2Fx&sa=D',
    );
    expect(r.url).toBe('https://phish.example/x');
    expect(r.wrappers.map((w) => w.kind)).toEqual(['google-redirect', 'open-redirect']);
  });

  it('leaves plain links alone and stops on loops', () => {
    expect(unwrap('https://example.org/?q=hello').wrappers).toEqual([]);
    const loop = 'https://a.example/?url=https://a.example/?url=https://a.example/';
    expect(unwrap(loop).wrappers.length).toBeLessThanOrEqual(8);
  });
});
