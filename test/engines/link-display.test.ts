import { describe, expect, it } from 'vitest';
import { domainInDisplayText, linkDisplayEngine } from '../../src/engines/link-display.js';
import { normaliseLink } from '../../src/message/links/normalise.js';
import type { EngineContext } from '../../src/types.js';

const ctx = { signal: new AbortController().signal, now: new Date(0), options: {} } as EngineContext;
const run = async (href: string, displayText: string) => {
  const link = normaliseLink({ raw: href, displayText, source: 'html-a', location: 'HTML body' }, 'link:1');
  return linkDisplayEngine.analyse({ kind: 'link', id: link.id, link }, ctx);
};

describe('link-display engine', () => {
  it('flags a link that shows one domain and goes to another', async () => {
    const out = await run('https://paypa1-login.example.com/signin', 'www.paypal.com');
    expect(out.status).toBe('suspicious');
    expect(out.findings[0].code).toBe('link.display_mismatch');
    expect(out.findings[0].message).toContain('www.paypal.com');
    expect(out.findings[0].message).toContain('paypa1-login.example.com');
  });

  it('accepts the same registrable domain and plain words', async () => {
    expect((await run('https://login.paypal.com/x', 'https://www.paypal.com')).findings).toEqual([]);
    expect((await run('https://evil.example.com/', 'Click here')).findings).toEqual([]);
  });

  it('treats mail-service click tracking as low, not as a scam sign', async () => {
    const out = await run('https://mandrillapp.com/track/click/123', 'www.shop.co.uk');
    expect(out.findings[0]).toMatchObject({ code: 'link.display_mismatch_tracked', severity: 'low' });
    expect(out.status).toBe('clean');
  });

  it('finds the domain a display text names', () => {
    expect(domainInDisplayText('Log in at https://secure.bank.co.uk/login now')?.domain).toBe('bank.co.uk');
    expect(domainInDisplayText('version 1.2.3')).toBeUndefined();
    expect(domainInDisplayText('file.exe')).toBeUndefined();
  });

  it('does not take an e-mail address in the link text for a site the link claims to lead to', () => {
    expect(domainInDisplayText('Write to press@gmail.com')).toBeUndefined();
    expect(domainInDisplayText('jo.smith+news@mail.example.org')).toBeUndefined();
    // A site named after an address still counts.
    expect(domainInDisplayText('jo@gmail.com or www.paypal.com')?.domain).toBe('paypal.com');
  });
});
