import { describe, expect, it } from 'vitest';
import { parseAuthResults, stripComments } from '../../src/message/auth-results.js';

describe('parseAuthResults', () => {
  it('parses methods, properties and reasons, dropping comments', () => {
    const ar = parseAuthResults(
      'authentication-results',
      'mx.google.com; dkim=pass header.i=@example.com header.s=s1 (comment; with semicolon); spf=softfail (google.com: domain of transitioning a@b.example) smtp.mailfrom=a@b.example; dmarc=fail (p=REJECT sp=REJECT dis=NONE) header.from=example.com reason="policy says no"',
      2,
    );
    expect(ar?.authservId).toBe('mx.google.com');
    expect(ar?.position).toBe(2);
    expect(ar?.methods.map((m) => `${m.method}=${m.result}`)).toEqual([
      'dkim=pass',
      'spf=softfail',
      'dmarc=fail',
    ]);
    expect(ar?.methods[0].props['header.i']).toBe('@example.com');
    expect(ar?.methods[1].props['smtp.mailfrom']).toBe('a@b.example');
    expect(ar?.methods[2].reason).toBe('policy says no');
  });

  it('reads the ARC instance and treats "none" as no methods', () => {
    const arc = parseAuthResults(
      'arc-authentication-results',
      'i=2; mx.microsoft.com 1; spf=pass smtp.mailfrom=x.example',
      0,
    );
    expect(arc?.instance).toBe(2);
    expect(arc?.authservId).toBe('mx.microsoft.com');
    expect(arc?.methods).toHaveLength(1);
    expect(parseAuthResults('authentication-results', 'example.org; none', 0)?.methods).toEqual([]);
  });

  it('survives garbage and nested comments', () => {
    expect(stripComments('a (b (c) d) e')).toBe('a  e');
    expect(parseAuthResults('authentication-results', '', 0)).toBeUndefined();
    expect(parseAuthResults('authentication-results', ';;;===;', 0)).toBeUndefined();
    const odd = parseAuthResults('authentication-results', `x; ${'('.repeat(5000)} spf=pass`, 0);
    expect(odd?.authservId).toBe('x');
  });
});
