import fc from 'fast-check';
import { decodeWords } from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { decodeHeaderValue } from '../../src/message/headers.js';

describe('decodeHeaderValue', () => {
  it('decodes RFC 2047 encoded words', () => {
    expect(decodeHeaderValue('=?UTF-8?B?Q2Fmw6k=?= =?UTF-8?Q?_cr=C3=A8me?=')).toBe('Café crème');
    expect(decodeHeaderValue('Re: =?iso-8859-1?q?caf=E9?= ok')).toBe('Re: café ok');
  });

  it('returns what decodeWords returns, also for values it passes through untouched', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('=?', '?=', '=?UTF-8?B?', '=?utf-8?q?a=20b?=', '\ufffd', ' ', '\t', '?', '='),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const value = parts.join('');
        let expected: string;
        try {
          expected = decodeWords(value);
        } catch {
          expected = value;
        }
        expect(decodeHeaderValue(value)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
