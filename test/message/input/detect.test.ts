import { describe, expect, it } from 'vitest';
import { emlxMessage, hasMailExtension, looksLikeHeaders, sniff } from '../../../src/message/input/detect.js';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('sniff', () => {
  it('recognises each mail format by content', async () => {
    expect(await sniff(b('From alice@example.org Mon Jan  1 10:00:00 2024\nFrom: a@b\n\nx'))).toEqual({
      format: 'mbox',
    });
    expect(await sniff(b('Received: from x by y; Mon, 1 Jan 2024\r\nFrom: a@b\r\n\r\nx'))).toEqual({
      format: 'eml',
    });
    expect(await sniff(b('\xEF\xBB\xBF\r\nSubject: with BOM\r\n\r\nx'))).toEqual({ format: 'eml' });
    expect(await sniff(b('1234\nFrom: a@b\nSubject: s\n\nbody<?xml'))).toEqual({ format: 'emlx' });
    expect(await sniff(Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0))).toEqual({
      format: 'cfb',
    });
    expect(await sniff(b('Microsoft Mail Internet Headers Version 2.0\r\nReceived: x\r\n'))).toEqual({
      format: 'eml',
    });
  });

  it('names what non-mail content is', async () => {
    const png = Uint8Array.of(
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      0,
      0,
      0,
      0x0d,
      0x49,
      0x48,
      0x44,
      0x52,
    );
    expect(await sniff(png)).toEqual({ format: 'not-mail', what: 'an image (PNG)' });
    expect(await sniff(b('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj'))).toEqual({
      format: 'not-mail',
      what: 'a PDF document',
    });
    expect(await sniff(Uint8Array.of(1, 2, 0, 3))).toEqual({ format: 'not-mail', what: 'a binary file' });
    expect(await sniff(b('Note: buy milk\nTodo: call Bob\n'))).toEqual({ format: 'text' });
    expect(await sniff(b('\r\n\r\n'))).toEqual({ format: 'empty' });
    expect(await sniff(new Uint8Array(0))).toEqual({ format: 'empty' });
  });
});

describe('looksLikeHeaders', () => {
  it('needs a header field first and a known mail header in the block', () => {
    expect(looksLikeHeaders('X-Custom: 1\nSubject: hi\n\nbody')).toBe(true);
    expect(looksLikeHeaders('Note: x\nAuthor: y\n\nSubject: not in the header block')).toBe(false);
    expect(looksLikeHeaders('Dear customer,\nSubject: x')).toBe(false);
  });
});

describe('emlx and extensions', () => {
  it('takes exactly the counted bytes of an .emlx', () => {
    const message = 'From: a@b\nSubject: s\n\nbody\n';
    const emlx = b(`${message.length}\n${message}<?xml version="1.0"?><plist/>`);
    expect(Buffer.from(emlxMessage(emlx)).toString('latin1')).toBe(message);
  });

  it('knows mail extensions case-insensitively', () => {
    expect(hasMailExtension('x/Y.EML')).toBe(true);
    expect(hasMailExtension('inbox.mbox')).toBe(true);
    expect(hasMailExtension('photo.jpg')).toBe(false);
    expect(hasMailExtension('Inbox')).toBe(false);
  });
});
