import { describe, expect, it } from 'vitest';
import {
  decompressRtfBody,
  MAX_COMPRESSED_RTF_BYTES,
  rtfToBody,
} from '../../../src/message/input/rtf-html.js';
import { encapsulatedHtmlRtf, melaRtf } from './msg-builder.js';

describe('rtfToBody', () => {
  it('de-encapsulates HTML from an RTF body (MELA flavour)', () => {
    const html = '<html><body><p>Caf\u00e9 {braces} \\ backslash</p></body></html>';
    const body = rtfToBody(melaRtf(encapsulatedHtmlRtf(html)));
    expect(body.kind).toBe('html');
    expect((body as { content: string }).content).toContain('{braces}');
  });

  it('returns the text of \\fromtext RTF and nothing for plain RTF', () => {
    expect(rtfToBody(melaRtf('{\\rtf1\\ansi\\fromtext \\deff0 Hello text\\par}'))).toMatchObject({
      kind: 'text',
    });
    expect(rtfToBody(melaRtf('{\\rtf1\\ansi\\deff0 Plain rtf\\par}'))).toEqual({ kind: 'none' });
  });

  it('refuses a forged COMPSIZE instead of reading past the input', () => {
    const forged = Buffer.alloc(32);
    forged.writeUInt32LE(0x7fffffff, 0);
    forged.writeUInt32LE(0x7fffffff, 4);
    forged.writeUInt32LE(0x75465a4c, 8);
    expect(() => decompressRtfBody(forged)).toThrow(/truncated/);
    expect(rtfToBody(forged)).toEqual({ kind: 'none', problem: 'compressed RTF body is truncated' });
  });

  it('refuses bodies over the size limit and unknown formats', () => {
    expect(() => decompressRtfBody(new Uint8Array(MAX_COMPRESSED_RTF_BYTES + 1))).toThrow(/too large/);
    expect(() => decompressRtfBody(new Uint8Array(20))).toThrow(/unknown format/);
  });
});
