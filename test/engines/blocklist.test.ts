import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { blocklistEngine } from '../../src/engines/blocklist.js';
import { referenceLists } from '../../src/intel/reference.js';
import type { Target } from '../../src/types.js';
import { ctx, fixtureDb, link } from '../intel/helpers.js';

const target = (url: string): Target => ({ kind: 'link', id: 'link:1', link: link(url) });

function db() {
  return fixtureDb([
    {
      name: 'phish-a',
      hosts: [
        ['evil-login.example', '2025-03-04'],
        ['bad.weebly.com'],
        ['x.static.nytimes.com'],
        ['attacker.test'],
      ],
      urls: [['compromised.example/wp-content/paypal', '2024-11-20'], ['short.example/abc123']],
    },
    {
      name: 'malware-b',
      hosts: [['attacker.test', '2019-05-11']],
      info: { threat: 'malware', title: 'Malware B' },
    },
  ]);
}

async function run(url: string, d = db()) {
  return blocklistEngine.analyse(target(url), ctx(d));
}

describe('blocklist engine', () => {
  it('matches an exact URL, with the date it was first seen', async () => {
    const out = await run('https://short.example/abc123');
    expect(out.status).toBe('malicious');
    expect(out.findings[0]).toMatchObject({
      code: 'blocklist.url',
      evidence: { match: 'exact', dataset: 'phish-a' },
    });
  });
  it('matches a URL under a listed folder (prefix)', async () => {
    const out = await run('http://compromised.example/wp-content/paypal/login.php?x=1');
    expect(out.findings[0]).toMatchObject({
      code: 'blocklist.url',
      evidence: { match: 'prefix', firstSeen: '2024-11-20' },
    });
    expect(out.findings[0].message).toContain('2024-11-20');
    expect((await run('http://compromised.example/about')).status).toBe('clean');
  });
  it('matches a listed host, and sub-hosts of a listed domain', async () => {
    const host = await run('https://www.evil-login.example/');
    expect(host.findings[0]).toMatchObject({ code: 'blocklist.host', evidence: { firstSeen: '2025-03-04' } });
    const sub = await run('https://secure.account.evil-login.example/x');
    expect(sub.findings[0]).toMatchObject({
      code: 'blocklist.domain',
      evidence: { listed: 'evil-login.example', match: 'parent' },
    });
  });
  it('reports every list an entry is on, naming each', async () => {
    const out = await run('http://attacker.test/x');
    expect(out.findings.map((f) => f.evidence.dataset).sort()).toEqual(['malware-b', 'phish-a']);
    expect(out.findings.find((f) => f.evidence.dataset === 'malware-b')?.message).toMatch(
      /malware.*Malware B.*2019-05-11/,
    );
  });
  it('never condemns a shared-hosting or popular domain for one bad tenant', async () => {
    expect(referenceLists().popular.has('nytimes.com')).toBe(true);
    expect((await run('https://bad.weebly.com/')).status).toBe('malicious');
    expect((await run('https://good.weebly.com/')).status).toBe('clean');
    expect((await run('https://sub.bad.weebly.com/')).status).toBe('malicious');
    expect((await run('https://x.static.nytimes.com/')).status).toBe('malicious');
    expect((await run('https://y.x.static.nytimes.com/')).status).toBe('clean');
  });
  it('also looks up the redirectors a link was wrapped in', async () => {
    const wrapped: Target = {
      kind: 'link',
      id: 'link:1',
      link: {
        ...link('https://example.org/landing'),
        wrappers: [{ kind: 'open-redirect', url: 'http://attacker.test/r?u=x' }],
      },
    };
    const out = await blocklistEngine.analyse(wrapped, ctx(db()));
    expect(out.status).toBe('malicious');
    expect(out.findings[0].evidence.via).toEqual({
      wrapper: 'open-redirect',
      url: 'http://attacker.test/r?u=x',
    });
  });
  it('is unknown, not clean, without a store or without lists', async () => {
    expect((await blocklistEngine.analyse(target('https://evil-login.example/'), ctx())).status).toBe(
      'unknown',
    );
    const empty = fixtureDb([]);
    const out = await blocklistEngine.analyse(target('https://evil-login.example/'), ctx(empty));
    expect(out.status).toBe('unknown');
  });
  it('applies only to web links with a host', () => {
    expect(blocklistEngine.applies?.(target('https://a.example/'))).toBe(true);
    const mail: Target = {
      kind: 'link',
      id: 'l',
      link: { ...link('https://a.example/'), scheme: 'mailto', hostAscii: undefined },
    };
    expect(blocklistEngine.applies?.(mail)).toBe(false);
  });
  it('stays bounded on hostile URLs', async () => {
    const t0 = performance.now();
    const deepHost = `${'a.'.repeat(120)}evil-login.example`;
    expect((await run(`https://${deepHost}/`)).status).toBe('malicious');
    expect((await run(`https://x.example/${'a/'.repeat(50_000)}`)).status).toBe('clean');
    expect((await run(`https://x.example/?q=${'%41'.repeat(100_000)}`)).status).toBe('clean');
    expect(performance.now() - t0).toBeLessThan(2000);
  });
  it('costs well under a millisecond per link', async () => {
    const d = db();
    await run('https://warm.example/', d);
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) await run(`https://host${i}.example.com/a/b/c/d.php?q=${i}`, d);
    expect((performance.now() - t0) / 2000).toBeLessThan(0.5);
  });
  it('loads the shipped snapshot into an empty store on first use', async () => {
    const fresh = new Database(':memory:');
    // An entry from the shipped Phishing.Database list.
    const out = await blocklistEngine.analyse(
      target('http://0000000000000000000000000.findyourjacket.com/x'),
      ctx(fresh),
    );
    expect(out.status).toBe('malicious');
    expect(out.findings[0].evidence.dataset).toBe('phishing-database');
    expect(blocklistEngine.dataVersion?.(ctx(fresh))).toMatch(/^snapshot [0-9a-f]{12}/);
  });
});
