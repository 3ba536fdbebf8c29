import { describe, expect, it } from 'vitest';
import { MAX_PREFIX_SEGMENTS, normaliseHost, urlKey, urlLookupKeys } from '../../src/intel/normalise.js';

describe('normaliseHost', () => {
  it('reduces list entries to bare ASCII hosts', () => {
    expect(normaliseHost('WWW.Evil.COM.')).toBe('evil.com');
    expect(normaliseHost('||evil.com^$all')).toBe('evil.com');
    expect(normaliseHost('bücher.example')).toBe('xn--bcher-kva.example');
    expect(normaliseHost('evil.com:8080')).toBe('evil.com');
  });
  it('rejects comments, URLs and non-hosts', () => {
    for (const s of ['# comment', '! title', 'http://evil.com/x', 'evil.com/x', 'localhost', ''])
      expect(normaliseHost(s)).toBeUndefined();
  });
});

describe('urlKey', () => {
  it('drops scheme, www, fragment, default port and a trailing slash', () => {
    expect(urlKey('HTTPS://www.Evil.com:443/Login/?a=1#frag')?.key).toBe('evil.com/login/?a=1');
    expect(urlKey('http://evil.com/path/')?.key).toBe('evil.com/path');
    expect(urlKey('evil.com/path')?.key).toBe('evil.com/path');
    expect(urlKey('||evil.com/x.exe$all')?.key).toBe('evil.com/x.exe');
    expect(urlKey('http://evil.com:8080/a')?.key).toBe('evil.com:8080/a');
    expect(urlKey('http://evil.com/')).toMatchObject({ key: 'evil.com', rest: '' });
  });
  it('rejects what is not a web URL', () => {
    for (const s of ['mailto:a@b.c', 'javascript:alert(1)', 'http://', '# x'])
      expect(urlKey(s)).toBeUndefined();
  });
});

describe('urlLookupKeys', () => {
  it('lists the full key, the key without query, then shorter path prefixes', () => {
    expect(urlLookupKeys(urlKey('http://evil.com/a/b/c.php?x=1')!)).toEqual([
      'evil.com/a/b/c.php?x=1',
      'evil.com/a/b/c.php',
      'evil.com/a/b',
      'evil.com/a',
    ]);
    expect(urlLookupKeys(urlKey('http://evil.com/')!)).toEqual([]);
  });
  it('bounds the number of lookups on deep paths', () => {
    const deep = `http://evil.com/${'a/'.repeat(500)}x`;
    expect(urlLookupKeys(urlKey(deep)!).length).toBeLessThanOrEqual(MAX_PREFIX_SEGMENTS + 2);
  });
});
