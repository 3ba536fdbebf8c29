import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/message/parse.js';

const enc = (s: string) => new TextEncoder().encode(s.replace(/\n/g, '\r\n'));
const example = (f: string) => readFileSync(new URL(`../../examples/${f}`, import.meta.url));

describe('parseMessage', () => {
  it('builds the Message model: headers decoded, addresses, auth results, hops, links', async () => {
    const m = await parseMessage(example('phish-paypal.eml'), { kind: 'eml', file: 'phish-paypal.eml' });
    expect(m.from).toEqual({ name: 'PayPal Service', address: 'service@paypal.com' });
    expect(m.replyTo[0].address).toBe('support@paypa1-resolution.example');
    expect(m.returnPath).toBe('bounce@mailer-paypa1.example');
    expect(m.authResults[0]).toMatchObject({ authservId: 'mx.home.example' });
    expect(m.authResults[0].methods.map((x) => `${x.method}=${x.result}`)).toEqual([
      'spf=fail',
      'dkim=none',
      'dmarc=fail',
    ]);
    expect(m.received[0]).toMatchObject({ ip: '203.0.113.45', by: 'mx.home.example' });
    const mismatch = m.links.find((l) => l.displayText === 'https://www.paypal.com/signin');
    expect(mismatch?.hostAscii).toBe('www.paypal.com.account-verify.paypa1-login.example');
    expect(m.links.some((l) => l.hostAscii === '198.51.100.23')).toBe(true);
    expect(m.problems).toEqual([]);
  });

  it('decodes encoded words in headers', async () => {
    const m = await parseMessage(
      enc('From: =?UTF-8?B?SsO2cmc=?= <j@x.example>\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\n\nhi'),
      { kind: 'eml' },
    );
    expect(m.from?.name).toBe('Jörg');
    expect(m.subject).toBe('Grüße');
    expect(m.headers.find((h) => h.key === 'subject')?.value).toBe('Grüße');
  });

  it('unwraps a message forwarded as an attachment and analyses its attachment', async () => {
    const m = await parseMessage(example('forwarded-invoice.eml'), { kind: 'eml' });
    expect(m.embedded).toHaveLength(1);
    const inner = m.embedded[0];
    expect(inner.source.kind).toBe('rfc822-attachment');
    expect(inner.source.parentId).toBe(m.id);
    expect(inner.subject).toBe('Overdue invoice 88213 - payment required today');
    expect(inner.attachments.map((a) => a.filename)).toContain('Invoice_88213.pdf.exe');
  });

  it('uses the visible text of an HTML-only body', async () => {
    const m = await parseMessage(
      enc('Content-Type: text/html\n\n<p>Hello <b>there</b></p><script>var x=1</script>'),
      { kind: 'eml' },
    );
    expect(m.bodyText).toBe('Hello there');
  });

  it('says what it could not read instead of failing', async () => {
    expect((await parseMessage(new Uint8Array(), { kind: 'eml' })).problems[0]).toMatch(/empty/);
    const bin = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    expect((await parseMessage(bin, { kind: 'eml' })).problems.join(' ')).toMatch(/binary/);
    const truncated = await parseMessage(
      enc(
        'From: a@b.example\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\nhttps://cut.example/',
      ),
      {
        kind: 'eml',
      },
    );
    expect(truncated.links.map((l) => l.hostAscii)).toContain('cut.example');
  });
});
