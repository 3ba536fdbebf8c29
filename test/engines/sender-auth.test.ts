import { describe, expect, it } from 'vitest';
import { senderAuthEngine } from '../../src/engines/sender-auth.js';
import { run } from '../sender/engine-helpers.js';
import { crlf, messageOf, rsaKey, writeDnsCache } from '../sender/helpers.js';

describe('sender-auth engine', () => {
  it('is unknown, not clean, when nothing could be checked', async () => {
    const out = await run(senderAuthEngine, 'fp-colleague.eml', { options: { dns: 'off' } });
    expect(out.status).toBe('unknown');
    expect(out.note).toContain('--trust-authserv-id');
    expect(out.findings.map((f) => f.code)).toEqual(['auth.results']);
  });

  it('reports failures recorded by a trusted server under their own codes', async () => {
    const out = await run(senderAuthEngine, 'no-dmarc-spoof.eml', {
      options: { trustAuthservIds: ['mx.yourcompany.example'] },
    });
    expect(out.findings.map((f) => f.code)).toContain('auth.recorded_spf_fail');
    expect(out.status).toBe('suspicious');
  });

  it('reports a recorded DMARC failure with the policy', async () => {
    const m = await messageOf(
      crlf([
        'Authentication-Results: mx.google.com; dmarc=fail (p=REJECT sp=REJECT dis=NONE) header.from=bank.example; spf=softfail smtp.mailfrom=bank.example',
        'From: Bank <alerts@bank.example>',
        'Date: Mon, 2 Jun 2025 09:00:00 +0000',
        '',
        'x',
        '',
      ]),
    );
    const out = await senderAuthEngine.analyse(
      { kind: 'message', id: 'm', message: m },
      {
        signal: new AbortController().signal,
        now: new Date('2025-06-03'),
        options: { trustAuthservIds: ['mx.google.com'] },
      },
    );
    const f = out.findings.find((x) => x.code === 'auth.recorded_dmarc_fail');
    expect(f?.evidence).toMatchObject({ authservId: 'mx.google.com', domain: 'bank.example' });
    expect(out.findings.map((x) => x.code)).toContain('auth.recorded_spf_softfail');
  });
});

describe('sender-auth engine with a DNS cache file', () => {
  const body = crlf([
    'From: Ann <ann@signer.example>',
    'To: b@x.example',
    'Subject: Hello',
    'Date: Mon, 2 Jun 2025 09:00:00 +0000',
    'Message-ID: <1@signer.example>',
    '',
    'Hello there.',
    '',
  ]);

  async function signedRaw(privateKey: string): Promise<string> {
    const { dkimSign } = await import('mailauth');
    const res = await dkimSign(body, {
      signatureData: [{ signingDomain: 'signer.example', selector: 'k1', privateKey }],
    } as never);
    return res.signatures + body;
  }

  async function analyse(raw: string, dns: Record<string, Record<string, unknown>>, now: Date) {
    const message = await messageOf(raw);
    const options = { dns: 'cache' as const, dnsCacheFile: writeDnsCache(dns) };
    return senderAuthEngine.analyse(
      { kind: 'message', id: 'm', message },
      { signal: new AbortController().signal, now, options },
    );
  }

  it('flags a body changed after signing, and calls a missing key on old mail expected', async () => {
    const key = rsaKey();
    const raw = await signedRaw(key.privateKey);
    const dns = { 'k1._domainkey.signer.example': { TXT: [[`v=DKIM1; k=rsa; p=${key.publicKeyB64}`]] } };
    const tampered = await analyse(raw.replace('Hello there.', 'Pay here.'), dns, new Date('2025-06-03'));
    expect(tampered.findings.find((f) => f.code === 'auth.dkim_fail')?.severity).toBe('medium');
    expect(tampered.status).toBe('suspicious');
    const valid = await analyse(raw, dns, new Date('2025-06-03'));
    expect(valid.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(valid.status).toBe('clean');
    const rotated = await analyse(raw, {}, new Date('2026-06-03'));
    const missing = rotated.findings.find((f) => f.code === 'auth.dkim_key_missing');
    expect(missing?.severity).toBe('info');
    expect(missing?.message).toContain('so this is expected');
    const fresh = await analyse(raw, {}, new Date('2025-06-04'));
    expect(fresh.findings.find((f) => f.code === 'auth.dkim_key_missing')?.severity).toBe('medium');
  });
});
