import { dkimSign, sealMessage } from 'mailauth';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyAuth } from '../../src/sender/auth.js';
import { cacheResolver } from '../../src/sender/dns.js';
import { crlf, ed25519Key, messageOf, rsaKey, type TestKey, writeDnsCache } from './helpers.js';

const NOW = new Date('2025-06-03T00:00:00Z');
const SIGN_TIME = new Date('2025-06-02T09:59:00Z');
const TRUSTED = ['mx.receiver.example'];

const BODY_HEADERS = crlf([
  'From: Jane Smith <jane@sender.example>',
  'To: Bob Jones <bob@receiver.example>',
  'Subject: Quarterly numbers',
  'Date: Mon, 2 Jun 2025 09:59:00 +0000',
  'Message-ID: <q2-numbers@sender.example>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hi Bob,',
  '',
  'the numbers are in the shared folder as usual.',
  '',
  'Jane',
  '',
]);

/** What the receiving server prepends on arrival. */
function arrival(ip = '192.0.2.10'): string {
  return crlf([
    'Return-Path: <jane@sender.example>',
    `Received: from mail.sender.example (mail.sender.example [${ip}]) by mx.receiver.example with ESMTPS id 4bX; Mon, 2 Jun 2025 10:00:00 +0000`,
    '',
  ]);
}

let key: TestKey;
let edKey: TestKey;

function dnsFor(k: TestKey, extra: Record<string, Record<string, unknown>> = {}) {
  return {
    's1._domainkey.sender.example': {
      TXT: [[`v=DKIM1; k=${k === edKey ? 'ed25519' : 'rsa'}; p=${k.publicKeyB64}`]],
    },
    'sender.example': { TXT: [['v=spf1 ip4:192.0.2.10 -all']] },
    '_dmarc.sender.example': { TXT: [['v=DMARC1; p=reject']] },
    ...extra,
  };
}

async function signed(k: TestKey, opts: { expires?: Date; algorithm?: string } = {}): Promise<string> {
  // mailauth 4.13 takes the keys in signatureData (its .d.ts also lists them at the top level, which is ignored).
  const res = await dkimSign(BODY_HEADERS, {
    signatureData: [
      {
        signingDomain: 'sender.example',
        selector: 's1',
        privateKey: k.privateKey,
        algorithm: opts.algorithm,
      },
    ],
    signTime: SIGN_TIME,
    expires: opts.expires,
  } as never);
  expect(res.errors).toEqual([]);
  expect(res.signatures).toContain('DKIM-Signature');
  return res.signatures + BODY_HEADERS;
}

async function check(raw: string, dns: Record<string, Record<string, unknown>>, now = NOW) {
  const message = await messageOf(raw);
  const file = writeDnsCache(dns);
  return verifyAuth(message, { dns: 'cache', dnsCacheFile: file, trustAuthservIds: TRUSTED }, { now });
}

beforeAll(() => {
  key = rsaKey();
  edKey = ed25519Key();
});

describe('verifyAuth with a DNS cache file and keys made in the test', () => {
  it('passes a valid signature, SPF from the trusted Received header, and DMARC', async () => {
    const r = await check(arrival() + (await signed(key)), dnsFor(key));
    expect(r.dkim).toHaveLength(1);
    expect(r.dkim[0]).toMatchObject({
      result: 'pass',
      domain: 'sender.example',
      selector: 's1',
      aligned: true,
    });
    expect(r.spf.result).toBe('pass');
    expect(r.spf.detail).toContain('Received header added by mx.receiver.example');
    expect(r.clientIp).toMatchObject({ ip: '192.0.2.10', receivedBy: 'mx.receiver.example' });
    expect(r.dmarc).toMatchObject({ result: 'pass', policy: 'reject' });
    expect(r.dns).toBe('cache');
  });

  it('verifies an Ed25519 signature (RFC 8463)', async () => {
    const r = await check(arrival() + (await signed(edKey, { algorithm: 'ed25519-sha256' })), dnsFor(edKey));
    expect(r.dkim[0].result).toBe('pass');
  });

  it('fails when the body was changed after signing', async () => {
    const raw = (arrival() + (await signed(key))).replace('shared folder', 'new bank account');
    const r = await check(raw, dnsFor(key));
    expect(r.dkim[0].result).toBe('fail');
    expect(r.dkim[0].detail).toContain('body was changed');
    expect(r.dmarc.result).toBe('pass'); // SPF still aligns
  });

  it('fails when a signed header was changed after signing', async () => {
    const raw = (arrival() + (await signed(key))).replace(
      'Subject: Quarterly numbers',
      'Subject: Urgent wire',
    );
    const r = await check(raw, dnsFor(key));
    expect(r.dkim[0].result).toBe('fail');
    expect(r.dkim[0].detail).toContain('headers were changed');
  });

  it('reports an expired signature (x=) apart from a failure', async () => {
    const raw = arrival() + (await signed(key, { expires: new Date('2025-06-10T00:00:00Z') }));
    const fresh = await check(raw, dnsFor(key));
    expect(fresh.dkim[0].result).toBe('pass');
    const later = await check(raw, dnsFor(key), new Date('2025-09-01T00:00:00Z'));
    expect(later.dkim[0].result).toBe('expired');
  });

  it('reports a key no longer published as key-missing, not fail', async () => {
    const dns = dnsFor(key) as Record<string, unknown>;
    delete dns['s1._domainkey.sender.example'];
    const r = await check(arrival() + (await signed(key)), dns as Record<string, Record<string, unknown>>);
    expect(r.dkim[0].result).toBe('key-missing');
    expect(r.dkim[0].detail).toContain('rotated');
  });

  it('reports a revoked key (empty p=) as key-missing', async () => {
    const r = await check(
      arrival() + (await signed(key)),
      dnsFor(key, { 's1._domainkey.sender.example': { TXT: [['v=DKIM1; k=rsa; p=']] } }),
    );
    expect(r.dkim[0].result).toBe('key-missing');
    expect(r.dkim[0].detail).toContain('revoked');
  });

  it('never reads a DNS timeout as "no record"', async () => {
    const r = await check(
      arrival() + (await signed(key)),
      dnsFor(key, {
        's1._domainkey.sender.example': { TXT: { error: 'ETIMEOUT' } },
        '_dmarc.sender.example': { TXT: { error: 'ESERVFAIL' } },
        'sender.example': { TXT: { error: 'ETIMEOUT' } },
      }),
    );
    expect(r.dkim[0].result).toBe('temperror');
    expect(r.spf.result).toBe('temperror');
    expect(r.dmarc.result).toBe('temperror');
    expect(r.dmarc.hasRecord).toBeUndefined();
  });

  it('fails SPF and DMARC for an unsigned message from an IP the domain does not allow', async () => {
    const r = await check(arrival('203.0.113.66') + BODY_HEADERS, dnsFor(key));
    expect(r.dkim[0].result).toBe('none');
    expect(r.spf.result).toBe('fail');
    expect(r.dmarc.result).toBe('fail');
  });

  it('does not check SPF without a trusted Received header, and leaves DMARC undecided rather than failed', async () => {
    const message = await messageOf(arrival('203.0.113.66') + BODY_HEADERS);
    const r = await verifyAuth(message, { dns: 'cache' }, { now: NOW, resolver: cacheResolver(dnsFor(key)) });
    expect(r.spf.result).toBe('not-checked');
    expect(r.spf.detail).toContain('--trust-authserv-id');
    expect(r.dmarc.result).toBe('not-checked');
    expect(r.dmarc.policy).toBe('reject');
  });

  it('reports a domain without DMARC as none with no record', async () => {
    const dns = dnsFor(key) as Record<string, unknown>;
    delete dns['_dmarc.sender.example'];
    const r = await check(arrival() + (await signed(key)), dns as Record<string, Record<string, unknown>>);
    expect(r.dmarc).toMatchObject({ result: 'none', hasRecord: false });
  });

  it('verifies an ARC seal and notices a message changed after sealing', async () => {
    const forwarded = arrival() + (await signed(key));
    const arcKey = rsaKey();
    const seal = await sealMessage(Buffer.from(forwarded), {
      signingDomain: 'list.example',
      selector: 'arc1',
      privateKey: arcKey.privateKey,
      authResults:
        'mx.list.example; dkim=pass header.d=sender.example; spf=pass smtp.mailfrom=sender.example',
      cv: 'none',
    } as never);
    const raw = seal.toString() + forwarded;
    const dns = dnsFor(key, {
      'arc1._domainkey.list.example': { TXT: [[`v=DKIM1; k=rsa; p=${arcKey.publicKeyB64}`]] },
    });
    const ok = await check(raw, dns);
    expect(ok.arc.result).toBe('pass');
    const tampered = await check(raw.replace('Subject: Quarterly numbers', 'Subject: Pay now'), dns);
    expect(tampered.arc.result).toBe('fail');
    const noKey = dnsFor(key);
    const missing = await check(raw, noKey);
    expect(missing.arc.result).toBe('key-missing');
  });
});

describe('results recorded by a trusted server', () => {
  const recorded = crlf([
    'Authentication-Results: mx.receiver.example; spf=fail smtp.mailfrom=sender.example; dkim=none; dmarc=fail (p=reject) header.from=sender.example',
    'Authentication-Results: mx.attacker.example; spf=pass smtp.mailfrom=sender.example; dmarc=pass header.from=sender.example',
    '',
  ]);

  it('uses the trusted server’s results when DNS is off, and ignores untrusted ones', async () => {
    const message = await messageOf(recorded + arrival() + BODY_HEADERS);
    const r = await verifyAuth(message, { dns: 'off', trustAuthservIds: TRUSTED }, { now: NOW });
    expect(r.dns).toBe('off');
    expect(r.spf).toMatchObject({ result: 'fail', source: 'recorded', authservId: 'mx.receiver.example' });
    expect(r.dmarc).toMatchObject({ result: 'fail', source: 'recorded' });
  });

  it('says "not checked" when nothing is trusted and DNS is off', async () => {
    const message = await messageOf(recorded + arrival() + BODY_HEADERS);
    const r = await verifyAuth(message, { dns: 'off' }, { now: NOW });
    expect(r.spf.result).toBe('not-checked');
    expect(r.dkim[0].result).toBe('not-checked');
    expect(r.dmarc.result).toBe('not-checked');
    expect(r.notes.join(' ')).toContain('--trust-authserv-id');
  });

  it('keeps a rotated key apart, and adds what the trusted server recorded on arrival', async () => {
    const header =
      'Authentication-Results: mx.receiver.example; dkim=pass header.d=sender.example header.s=s1; spf=pass smtp.mailfrom=sender.example; dmarc=pass header.from=sender.example\r\n';
    const message = await messageOf(header + arrival() + (await signed(key)));
    const dns = dnsFor(key) as Record<string, unknown>;
    delete dns['s1._domainkey.sender.example'];
    const r = await verifyAuth(
      message,
      { dns: 'cache', trustAuthservIds: TRUSTED },
      { now: NOW, resolver: cacheResolver(dns as Record<string, Record<string, unknown>>) },
    );
    expect(r.dkim[0]).toMatchObject({ result: 'pass', source: 'recorded' });
    expect(r.dkim[0].detail).toContain('no longer published');
  });
});
