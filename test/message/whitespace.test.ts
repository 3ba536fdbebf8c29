import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collapseToLines, collapseToParagraphs } from '../../src/message/whitespace.js';

// What the readers did before: the definitions these one-pass versions must match.
const linesByRegex = (s: string) =>
  s
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
const paragraphsByRegex = (s: string) =>
  s
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n\n')
    .trim();

/** Text dense in every kind of whitespace JavaScript knows, between short words. */
const text = fc
  .array(
    fc.oneof(
      fc.constantFrom(' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028'),
      fc.constantFrom('\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u200b', '\u0085', '\u180e'),
      fc.constantFrom('a', 'word', 'é', '.', '\u00a1', '\u009f'),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('whitespace clean-up', () => {
  it('gives the same lines as the regular expressions did', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(collapseToLines(s)).toBe(linesByRegex(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same paragraphs as the regular expressions did', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(collapseToParagraphs(s)).toBe(paragraphsByRegex(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps whitespace around a blank line and collapses blanks', () => {
    expect(collapseToParagraphs('a \t\n \r\n\u00a0 b  c')).toBe('a \n\n b c');
    expect(collapseToLines('a \t\n \r\n\u00a0 b  c')).toBe('a\nb c');
    expect(collapseToLines('  only  spaces  ')).toBe('only spaces');
  });
});
