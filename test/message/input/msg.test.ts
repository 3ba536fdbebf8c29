import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import CFB from 'cfb';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import {
  convertMsg,
  MAX_EMBEDDED_MSG_DEPTH,
  NotOutlookMessageError,
} from '../../../src/message/input/msg.js';
import {
  bin,
  buildMsg,
  encapsulatedHtmlRtf,
  long,
  type MsgSpec,
  melaRtf,
  s8,
  time,
  u,
} from './msg-builder.js';

const parse = (raw: Uint8Array) => PostalMime.parse(raw);
const text = (raw: Uint8Array) => Buffer.from(raw).toString('utf8');

const phishing: MsgSpec = {
  props: {
    55: u('Your account is on hold – act now'),
    3098: u('PayPal Service'),
    3103: u('/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=abc'),
    23809: u('service@paypa1-login.example'),
    4096: u('Click the button to verify.'),
    4105: bin(
      melaRtf(
        encapsulatedHtmlRtf(
          '<html><body><a href="https://paypa1-login.example/verify">PayPal</a></body></html>',
        ),
      ),
    ),
    57: time(new Date('2024-05-06T07:08:09Z')),
    4149: u('<123@paypa1-login.example>'),
  },
  recipients: [
    { 12289: u('Alice Example'), 14846: u('alice@example.org'), 3093: long(1) },
    { 12289: u('Carol'), 12291: u('carol@example.org'), 3093: long(2) },
    { 12289: u('Hidden'), 12291: u('hidden@example.org'), 3093: long(3) },
  ],
};

describe('convertMsg: headers built from properties', () => {
  it('writes From/To/Cc/Subject/Date/Message-ID and says they were rebuilt', async () => {
    const { raw, notes } = convertMsg(buildMsg(phishing));
    const email = await parse(raw);
    expect(email.from).toEqual({ name: 'PayPal Service', address: 'service@paypa1-login.example' });
    expect(email.to).toEqual([{ name: 'Alice Example', address: 'alice@example.org' }]);
    expect(email.cc).toEqual([{ name: 'Carol', address: 'carol@example.org' }]);
    expect(text(raw)).not.toContain('hidden@example.org');
    expect(email.subject).toBe('Your account is on hold – act now');
    expect(email.date).toBe('2024-05-06T07:08:09.000Z');
    expect(email.messageId).toBe('<123@paypa1-login.example>');
    expect(notes.join(' ')).toMatch(/headers rebuilt from its properties/);
  });

  it('de-encapsulates the HTML body from the compressed RTF body', async () => {
    const email = await parse(convertMsg(buildMsg(phishing)).raw);
    expect(email.text).toContain('Click the button to verify.');
    expect(email.html).toContain('<a href="https://paypa1-login.example/verify">PayPal</a>');
  });

  it('strips CR/LF from property values so a subject cannot inject headers', async () => {
    const msg = buildMsg({ props: { 55: u('hi\r\nBcc: victim@example.org\r\n\r\nfake body') } });
    const email = await parse(convertMsg(msg).raw);
    expect(email.bcc ?? []).toEqual([]);
    expect(email.subject).toBe('hi Bcc: victim@example.org fake body');
  });

  it('decodes ANSI (PT_STRING8) strings with the message codepage', async () => {
    const privet = Uint8Array.of(0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2); // "Привет" in windows-1251
    const msg = buildMsg({
      props: {
        55: s8(privet),
        3098: s8(privet),
        3103: s8(Buffer.from('ivan@example.ru')),
        16381: long(1251),
      },
    });
    const email = await parse(convertMsg(msg).raw);
    expect(email.subject).toBe('Привет');
    expect(email.from?.name).toBe('Привет');
  });

  it('falls back to windows-1252 for ANSI strings without a codepage, and to it for unknown codepages', async () => {
    const cafe = Uint8Array.of(0x63, 0x61, 0x66, 0xe9);
    expect((await parse(convertMsg(buildMsg({ props: { 55: s8(cafe) } })).raw)).subject).toBe('café');
    const odd = buildMsg({ props: { 55: s8(cafe), 16381: long(99999) } });
    expect((await parse(convertMsg(odd).raw)).subject).toBe('café');
  });
});

describe('convertMsg: binary HTML body', () => {
  it('decodes PidTagHtml bytes with the Internet codepage', async () => {
    const html = Uint8Array.from([...Buffer.from('<p>Gr'), 0xfc, 0xdf, ...Buffer.from('e</p>')]); // windows-1252
    const msg = buildMsg({ props: { 55: u('h'), 4115: bin(html), 16350: long(1252) } });
    expect((await parse(convertMsg(msg).raw)).html).toBe('<p>Grüße</p>');
    const utf8 = buildMsg({ props: { 55: u('h'), 4115: bin(Buffer.from('<p>Grüße</p>')) } });
    expect((await parse(convertMsg(utf8).raw)).html).toBe('<p>Grüße</p>');
  });
});

describe('convertMsg: transport headers', () => {
  it('keeps the received headers (minus MIME headers) and does not add rebuilt ones', async () => {
    const headers = [
      'Received: from mx.example.net (mx.example.net [192.0.2.1]) by mx.example.org; Mon, 6 May 2024 07:08:09 +0000',
      'Authentication-Results: mx.example.org; spf=fail smtp.mailfrom=paypa1-login.example',
      'From: "PayPal" <service@paypa1-login.example>',
      'To: alice@example.org',
      'Subject: Real subject',
      'Content-Type: text/plain; charset=us-ascii',
      'Content-Transfer-Encoding: 7bit',
      'MIME-Version: 1.0',
      '',
      'this line is after the header block and must not become a header',
    ].join('\r\n');
    const { raw, notes } = convertMsg(buildMsg({ props: { ...phishing.props, 125: u(headers) } }));
    const email = await parse(raw);
    expect(email.subject).toBe('Real subject');
    expect(email.headers.find((h) => h.key === 'authentication-results')?.value).toContain('spf=fail');
    expect(email.headers.filter((h) => h.key === 'content-type')).toHaveLength(1);
    expect(text(raw)).not.toContain('this line is after the header block');
    expect(email.html).toContain('paypa1-login.example/verify');
    expect(notes.join(' ')).not.toMatch(/rebuilt/);
  });
});

describe('convertMsg: attachments', () => {
  it('writes attachments as base64 parts with their name and type', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <</URI (https://evil.example/)>>\n%%EOF');
    const msg = buildMsg({
      props: { 55: u('Invoice'), 4096: u('see attached') },
      attachments: [
        { props: { 14087: u('invoice.pdf'), 14094: u('application/pdf') }, data: pdf },
        {
          props: { 14087: u('Zahlungsübersicht.html') },
          data: Buffer.from('<form action="https://x.example">'),
        },
      ],
    });
    const email = await parse(convertMsg(msg).raw);
    expect(email.attachments.map((a) => [a.filename, a.mimeType])).toEqual([
      ['invoice.pdf', 'application/pdf'],
      ['Zahlungsübersicht.html', 'application/octet-stream'],
    ]);
    expect(Buffer.from(email.attachments[0].content as ArrayBuffer).equals(pdf)).toBe(true);
  });

  it('converts an embedded message into a message/rfc822 part, recursively', async () => {
    const inner: MsgSpec = {
      props: {
        55: u('Original scam'),
        4096: u('inner text'),
        3098: u('Scammer'),
        23809: u('x@scam.example'),
      },
      attachments: [{ props: { 14087: u('payload.js') }, data: Buffer.from('WScript.Shell') }],
    };
    const msg = buildMsg({
      props: { 55: u('Fwd: Original scam'), 4096: u('look at this') },
      attachments: [{ props: { 12289: u('Original scam') }, embedded: inner }],
    });
    const { raw } = convertMsg(msg);
    const outer = await parse(raw);
    const part = outer.attachments.find((a) => a.mimeType === 'message/rfc822');
    expect(part?.filename).toBe('Original scam.eml');
    const nested = await parse(new Uint8Array(part!.content as ArrayBuffer));
    expect(nested.subject).toBe('Original scam');
    expect(nested.from?.address).toBe('x@scam.example');
    expect(nested.attachments.map((a) => a.filename)).toEqual(['payload.js']);
  });

  it('keeps an embedded OLE object (attach method 6) as a file so its macros can be scanned', async () => {
    const msg = buildMsg({
      props: { 55: u('doc inside') },
      attachments: [
        { props: { 12289: u('Document') }, oleObject: { WordDocument: Buffer.alloc(700, 0x41) } },
      ],
    });
    const { raw } = convertMsg(msg);
    const [att] = (await parse(raw)).attachments;
    expect(att.filename).toBe('Document');
    expect(att.mimeType).toBe('application/x-ole-storage');
    expect(
      Buffer.from(att.content as ArrayBuffer)
        .subarray(0, 4)
        .toString('hex'),
    ).toBe('d0cf11e0');
  });

  it('stops converting embedded messages past the nesting limit', () => {
    let spec: MsgSpec = { props: { 55: u('deepest') } };
    for (let i = 0; i < MAX_EMBEDDED_MSG_DEPTH + 2; i++) {
      spec = { props: { 55: u(`level ${i}`) }, attachments: [{ props: {}, embedded: spec }] };
    }
    const { raw, notes } = convertMsg(buildMsg(spec));
    expect(notes.join(' ')).toMatch(/nested deeper than/);
    expect(text(raw)).not.toContain('deepest');
  });
});

describe('convertMsg: not or badly an Outlook message', () => {
  it('rejects other OLE files (e.g. a Word 97 document) as not a message', () => {
    const cfb = CFB.utils.cfb_new();
    CFB.utils.cfb_add(cfb, '/WordDocument', Buffer.alloc(600, 1));
    const doc = new Uint8Array(CFB.write(cfb, { type: 'buffer' }) as Buffer);
    expect(() => convertMsg(doc)).toThrow(NotOutlookMessageError);
  });

  it('reports a truncated .msg with a clear error', () => {
    const msg = buildMsg(phishing);
    expect(() => convertMsg(msg.subarray(0, 700))).toThrow(/damaged Outlook \.msg file/);
  });
});

// Real Outlook files shipped inside npm packages (ISC licensed), used from node_modules only.
const require = createRequire(import.meta.url);
function packageFile(pkg: string, file: string): string | undefined {
  try {
    const full = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
    return existsSync(full) ? full : undefined;
  } catch {
    return undefined;
  }
}
const msgreaderSample = packageFile('msgreader', 'data/test.msg');
const msgParserSample = packageFile('msg-parser', 'test/Top level email.msg');

describe.skipIf(!msgreaderSample)('real Outlook sample: msgreader data/test.msg', () => {
  it('keeps the transport headers and finds the HTML body and the image', async () => {
    const email = await parse(convertMsg(readFileSync(msgreaderSample!)).raw);
    expect(email.subject).toBe('asdf');
    expect(email.headers.some((h) => h.key === 'received')).toBe(true);
    expect(email.html).toMatch(/<html/i);
    expect(email.attachments.some((a) => a.mimeType === 'image/jpeg')).toBe(true);
  });
});

describe.skipIf(!msgParserSample)('real Outlook sample: msg-parser "Top level email.msg"', () => {
  it('converts recipients and the embedded email', async () => {
    const email = await parse(convertMsg(readFileSync(msgParserSample!)).raw);
    expect(email.subject).toBe('Top level email');
    expect(email.to?.map((a) => a.address)).toEqual(['someone1@gmail.com', 'someone2@gmail.com']);
    expect(email.cc?.map((a) => a.address)).toEqual(['ccsomeoneelse1@gmail.com', 'ccsomeoneelse2@gmail.com']);
    const embedded = email.attachments.find((a) => a.mimeType === 'message/rfc822');
    expect(embedded).toBeDefined();
    const nested = await parse(new Uint8Array(embedded!.content as ArrayBuffer));
    expect(nested.subject).toBeTruthy();
  });
});
