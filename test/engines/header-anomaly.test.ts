import { describe, expect, it } from 'vitest';
import { headerAnomalyEngine } from '../../src/engines/header-anomaly.js';
import { mixedScriptHeaders, receivedChainAnomalies } from '../../src/sender/header-anomalies.js';
import { codes, run, storeAndOptions } from '../sender/engine-helpers.js';
import { crlf, messageOf } from '../sender/helpers.js';

describe('header-anomaly engine', () => {
  it('flags a Reply-To on free mail under a company From', async () => {
    const out = await run(headerAnomalyEngine, 'reply-to-freemail.eml', { options: {} });
    const f = out.findings.find((x) => x.code === 'sender.reply_to_diverges');
    expect(f?.severity).toBe('high');
    expect(f?.message).toBe(
      'Replies would go to jane.smith.office@gmail.com, a free-mail address anyone can open, not to the sender jane@yourcompany.example.',
    );
    expect(out.status).toBe('suspicious');
  });

  it('stays quiet for a ticket system replying on its own domain and for a list', async () => {
    const ctx = await storeAndOptions();
    for (const file of ['fp-ticket-same-org.eml', 'fp-list-rewrite.eml', 'fp-colleague.eml']) {
      const out = await run(headerAnomalyEngine, file, ctx);
      expect(codes(out.findings), file).toEqual([]);
    }
  });

  it('keeps a cross-domain ticket Reply-To low', async () => {
    const out = await run(headerAnomalyEngine, 'fp-ticket-cross-domain.eml', { options: {} });
    expect(out.findings.find((f) => f.code === 'sender.reply_to_diverges')?.severity).toBe('low');
    expect(out.status).toBe('clean');
  });

  it('flags a word written in two alphabets in the subject or the sender name, not foreign text', async () => {
    const mixed = await messageOf(
      crlf([
        'From: =?UTF-8?B?TNC+Y9CwbCBE0LB0aW5n?= <x@dating.example>',
        'Subject: You have 1 new message',
        '',
        'y',
        '',
      ]),
    );
    const [f] = mixedScriptHeaders(mixed, 'm');
    expect(f).toMatchObject({ code: 'header.mixed_scripts', severity: 'medium' });
    expect(f.evidence).toMatchObject({
      field: "sender's name",
      word: 'Lоcаl',
      scripts: ['Latin', 'Cyrillic'],
    });
    for (const subject of [
      'Привет, how are you?',
      'Ελληνικά και English',
      'Café crème à emporter',
      'Plain subject',
    ]) {
      const m = await messageOf(crlf(['From: a@b.example', `Subject: ${subject}`, '', 'y', '']));
      expect(mixedScriptHeaders(m, 'm'), subject).toEqual([]);
    }
  });

  it('notes a Message-ID made elsewhere and a missing one', async () => {
    const same = await run(headerAnomalyEngine, 'contact-name-freemail.eml', { options: {} });
    expect(same.findings.map((f) => f.code)).not.toContain('header.message_id_domain_mismatch');
    const other = await messageOf(
      crlf(['From: a@bank.example', 'Message-ID: <x@bulk-sender.example>', '', 'y', '']),
    );
    const elsewhere = await headerAnomalyEngine.analyse(
      { kind: 'message', id: 'm', message: other },
      { signal: new AbortController().signal, now: new Date(), options: {} },
    );
    expect(
      elsewhere.findings.find((f) => f.code === 'header.message_id_domain_mismatch')?.evidence,
    ).toMatchObject({
      messageIdDomain: 'bulk-sender.example',
      fromDomain: 'bank.example',
    });
    const m = await messageOf(crlf(['From: a@b.example', 'Subject: x', '', 'y', '']));
    const none = await headerAnomalyEngine.analyse(
      { kind: 'message', id: 'm', message: m },
      { signal: new AbortController().signal, now: new Date(), options: {} },
    );
    expect(none.findings.map((f) => f.code)).toContain('header.message_id_missing');
  });

  it('finds Received chains that go back in time and future Date headers', async () => {
    const m = await messageOf(
      crlf([
        'Received: from a.example (a.example [192.0.2.1]) by mx.example; Mon, 2 Jun 2025 10:00:00 +0000',
        'Received: from b.example (b.example [192.0.2.2]) by a.example; Thu, 5 Jun 2025 10:00:00 +0000',
        'From: x@a.example',
        'Date: Mon, 9 Jun 2025 10:00:00 +0000',
        'Message-ID: <1@a.example>',
        '',
        'hi',
        '',
      ]),
    );
    const [f] = receivedChainAnomalies(m, 'm');
    expect((f.evidence.problems as { kind: string }[]).map((p) => p.kind)).toEqual([
      'time-goes-backwards',
      'date-after-receipt',
    ]);
  });

  it('flags two From headers', async () => {
    const m = await messageOf(
      crlf(['From: a@b.example', 'From: c@d.example', 'Message-ID: <1@b.example>', '', 'x', '']),
    );
    const out = await headerAnomalyEngine.analyse(
      { kind: 'message', id: 'm', message: m },
      { signal: new AbortController().signal, now: new Date(), options: {} },
    );
    expect(out.findings.map((f) => f.code)).toContain('header.from_multiple');
  });
});

describe('malformed From', () => {
  it('recovers the address hidden behind an unquoted comma and reports the trick', async () => {
    const m = await messageOf(
      crlf([
        'From: Microsoft account team ,_<no-reply@access-accsecurity.com>',
        'Message-ID: <1@access-accsecurity.com>',
        '',
        'x',
        '',
      ]),
    );
    expect(m.from?.address).toBe('');
    const out = await headerAnomalyEngine.analyse(
      { kind: 'message', id: 'm', message: m },
      { signal: new AbortController().signal, now: new Date(), options: {} },
    );
    const f = out.findings.find((x) => x.code === 'header.from_malformed');
    expect(f?.evidence).toMatchObject({
      address: 'no-reply@access-accsecurity.com',
      shownName: 'Microsoft account team',
    });
    expect(out.findings.map((x) => x.code)).not.toContain('header.message_id_domain_mismatch');
  });
});
