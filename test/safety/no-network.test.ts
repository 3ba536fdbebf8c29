// Analysing a message full of links makes no outbound connection and no DNS query.

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { analyseRaw } from '../../src/analyse.js';
import { openDb } from '../../src/store/db.js';
import { guardNetwork, type NetworkAttempt } from '../helpers/network-guard.js';

const LINKY = [
  'From: "Bank" <alerts@bank.example>',
  'Reply-To: <x@other.example>',
  'To: <you@home.example>',
  'Subject: Verify your account',
  'Authentication-Results: mx.home.example; spf=fail smtp.mailfrom=bank.example; dkim=fail header.d=bank.example',
  'DKIM-Signature: v=1; a=rsa-sha256; d=bank.example; s=s1; h=from:subject; bh=AAAA; b=BBBB',
  'Received: from relay.example (relay.example [198.51.100.9]) by mx.home.example; Mon, 3 Nov 2025 08:00:00 +0000',
  'MIME-Version: 1.0',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<a href="https://bit.ly/3xyz">www.bank.example</a> <a href="http://192.0.2.1/login">login</a>',
  '<a href="https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fphish.example%2F">x</a>',
  '<img src="https://tracker.example/pixel.gif"><form action="https://collect.example/p"></form>',
  '<meta http-equiv="refresh" content="0;url=https://refresh.example/">',
  'Also hxxps://defanged[.]example/path and www.plain-domain.com and https://xn--pypal-4ve.com/',
].join('\r\n');

describe('analysis makes no network access', () => {
  let guard: { attempts: NetworkAttempt[]; restore: () => void } | undefined;
  afterEach(() => guard?.restore());

  it('the guard itself catches attempts (control)', async () => {
    guard = guardNetwork();
    await expect(fetch('https://bit.ly/3xyz')).rejects.toThrow(/blocked/);
    const dns = await import('node:dns');
    expect(() => dns.lookup('phish.example', () => {})).toThrow(/blocked/);
    expect(guard.attempts.map((a) => a.api)).toEqual(['fetch', 'dns.lookup']);
  });

  it('analysing a link-heavy message and the bundled examples contacts nothing', async () => {
    const db = openDb(':memory:');
    guard = guardNetwork();
    const report = await analyseRaw(
      new TextEncoder().encode(LINKY),
      { kind: 'eml', file: 'linky.eml' },
      { db },
    );
    expect(report.links.length).toBeGreaterThanOrEqual(8);
    for (const f of [
      'phish-paypal.eml',
      'forwarded-invoice.eml',
      'ceo-giftcard.eml',
      'newsletter-safe.eml',
    ]) {
      const raw = readFileSync(new URL(`../../examples/${f}`, import.meta.url));
      await analyseRaw(raw, { kind: 'eml', file: f }, { db });
    }
    expect(guard.attempts).toEqual([]);
    db.close();
  });
});
