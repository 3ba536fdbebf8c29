import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cacheResolver, isNoRecordError, liveResolver, loadDnsCache } from '../../src/sender/dns.js';
import { writeDnsCache } from './helpers.js';

describe('DNS cache file', () => {
  it('answers case-insensitively, tells "no such name" from "no such type", and replays recorded failures', async () => {
    const file = writeDnsCache({
      'Example.COM.': { txt: [['v=spf1 -all']] },
      'slow.example': { TXT: { error: 'ETIMEOUT' } },
    });
    const r = cacheResolver(loadDnsCache(file));
    expect(await r('example.com', 'TXT')).toEqual([['v=spf1 -all']]);
    await expect(r('example.com', 'MX')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(r('missing.example', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    const timeout = await r('slow.example', 'TXT').catch((e) => e);
    expect(timeout.code).toBe('ETIMEOUT');
    expect(isNoRecordError(timeout)).toBe(false);
  });

  it('rejects a file that is not a JSON object, with the file name', () => {
    const file = writeDnsCache({});
    writeFileSync(file, '[1,2]');
    expect(() => loadDnsCache(file)).toThrow(/must hold an object/);
    writeFileSync(file, '{nope');
    expect(() => loadDnsCache(file)).toThrow(/not valid JSON/);
  });

  it('caps the live resolver at a query budget (no amplification from hostile SPF records)', async () => {
    // Port 9 on localhost: nothing answers, and the budget is spent before any query leaves.
    const r = liveResolver({ servers: ['127.0.0.1:9'], timeoutMs: 50, maxQueries: 0 });
    await expect(r('example.com', 'TXT')).rejects.toMatchObject({ code: 'EBUDGET' });
  });
});
