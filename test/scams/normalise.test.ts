import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asciiWordAt,
  MAX_TOKENS,
  nextToken,
  normaliseText,
  normaliseWord,
  PLACEHOLDER,
  tokenise,
} from '../../src/scams/normalise.js';

const TEMPLATE = (name: string, email: string, amount: string, code: string, url: string) =>
  `Dear ${name},\nYour mailbox ${email} is full. Pay ${amount} for order ${code} at ${url} before Monday 12 March 2024 or lose your mail.`;

describe('tokenise', () => {
  it('replaces links, addresses, amounts, numbers and dates with placeholders', () => {
    const norm = normaliseText(
      'Visit https://evil.example/a?u=1 or www.bad.example, mail bob@corp.example, pay $1,250.00 or 300 EUR, call +1 (555) 010-2030 on 12 March',
    );
    expect(norm).toBe('visit URL or URL mail EMAIL pay AMOUNT or AMOUNT call NUM on NUM DATE');
  });

  it('replaces the name in a greeting, with or without an honorific', () => {
    const a = normaliseText('Dear John Smith,\nyour account is locked.');
    const b = normaliseText('Dear Mr. Alexander,\nyour account is locked.');
    const c = normaliseText('Hello phishing@pot,\nyour account is locked.');
    expect(a).toBe('dear NAME your account is locked');
    expect(b).toBe(a);
    expect(c).toBe(a.replace('dear', 'hello'));
    expect(normaliseText('Your box phishing@pot is full')).toBe('your box EMAIL is full');
  });

  it('does not eat a sentence that merely starts with a greeting word', () => {
    expect(normaliseText('Hello we are writing to tell you about your parcel today')).toBe(
      'hello we are writing to tell you about your parcel today',
    );
  });

  it('replaces words naming the recipient wherever they appear', () => {
    const norm = normaliseText('Attention: the files of Jdoe are ready for jdoe only', {
      recipientWords: ['jdoe'],
    });
    expect(norm).toBe('attention the files of NAME are ready for NAME only');
  });

  it('folds case, accents, compatibility forms and hidden zero-width characters', () => {
    expect(normaliseWord('Ｐa\u200By\u200dPal')).toBe('paypal');
    expect(normaliseWord('Café')).toBe('cafe');
    expect(normaliseWord("Don't")).toBe('dont');
    expect(normaliseWord('pаymеnt')).toBe('payment'); // Cyrillic а and е among Latin letters
    expect(normaliseWord('Αссоunt')).toBe('account'); // Greek Α, Cyrillic с с о
    expect(normaliseWord('привет')).toBe('привет'); // Russian stays Russian
  });

  it('keeps offsets that point at the original text', () => {
    const text = 'Hi Ann!\nClick https://x.example/y now, Ann.';
    for (const t of tokenise(text)) expect(t.end).toBeGreaterThan(t.start);
    const url = tokenise(text).find((t) => t.norm === PLACEHOLDER.url)!;
    expect(text.slice(url.start, url.end)).toBe('https://x.example/y');
  });

  it('is the same for the same scam sent to different people (property)', () => {
    const word = fc.stringMatching(/^[A-Z][a-z]{2,9}$/);
    fc.assert(
      fc.property(
        word,
        word,
        fc.emailAddress(),
        fc.integer({ min: 1, max: 99_999 }),
        fc.stringMatching(/^[A-Z]{2}[0-9]{5,9}$/),
        fc.webUrl(),
        (first, last, email, amount, code, url) => {
          const a = normaliseText(TEMPLATE(`${first} ${last}`, email, `$${amount}.00`, code, url));
          const b = normaliseText(
            TEMPLATE('Jane', 'jane@example.org', '$12.00', 'AB12345', 'https://a.example/'),
          );
          expect(a).toBe(b);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stays linear on inputs crafted to make the patterns backtrack', () => {
    for (const unit of ['a.', '1.', 'a-', 'x!', '$1,']) {
      const t0 = performance.now();
      tokenise(unit.repeat(100_000));
      expect(performance.now() - t0, unit).toBeLessThan(3_000);
    }
  });

  it('bounds the work on a huge input', () => {
    const huge = 'word '.repeat(2_000_000);
    const t0 = performance.now();
    const tokens = tokenise(huge);
    expect(tokens.length).toBeLessThanOrEqual(MAX_TOKENS);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});

describe('tokenise word fast paths', () => {
  it('gives each word the token its plain definition gives: normaliseWord, then NUM if a digit is left', () => {
    // ASCII pieces take the fast path, the others the remembered Unicode folding; none forms a date or greeting.
    const piece = fc.constantFrom('x', 'Q', 'z', '7', '_', "'", 'É', 'ß', 'ﬁ', '٣', 'р');
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), (chars) => {
        const word = chars.join('');
        const plain = normaliseWord(word);
        const expected = plain ? [/\p{N}/u.test(plain) ? PLACEHOLDER.number : plain] : [];
        // Twice: the second call may come from the memo.
        expect(tokenise(word).map((t) => t.norm)).toEqual(expected);
        expect(tokenise(word).map((t) => t.norm)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('addresses near and far from the "@"', () => {
  const norms = (s: string) => tokenise(s).map((t) => t.norm);
  it('finds an address whose local part is up to 64 code points, astral letters counting once', () => {
    expect(norms(`${'𝐀'.repeat(40)}@example.com`)).toEqual([PLACEHOLDER.email]);
    expect(norms(`write to ${'a'.repeat(64)}@example.com now`)).toEqual([
      'write',
      'to',
      PLACEHOLDER.email,
      'now',
    ]);
  });
  it('reads a longer run before the "@" as a word: the word starts first', () => {
    expect(norms(`${'x'.repeat(70)}@example.com`)).toEqual(['x'.repeat(70), 'example', 'com']);
  });
  it('reads words far from any "@" as words', () => {
    const far = `see ${'y'.repeat(200)} then mail bob@example.com or carol@example.org`;
    expect(norms(far)).toEqual([
      'see',
      'y'.repeat(200),
      'then',
      'mail',
      PLACEHOLDER.email,
      'or',
      PLACEHOLDER.email,
    ]);
  });
});

describe('ASCII words without the regular expression', () => {
  // Pieces that put every alternative of the token pattern next to plain words.
  const piece = fc.constantFrom(
    'word',
    'Usd',
    'eur',
    'dollars',
    'http',
    'HTTPS',
    'hxxp',
    'ftp',
    'www',
    'wwwx',
    '://',
    '.',
    ':',
    ' ',
    '\t',
    '\n',
    '\u00a0',
    '5',
    '1,000',
    '$',
    '€',
    '_',
    "'",
    '’',
    '@',
    'a@b.c',
    '-',
    '<',
    '"',
    'é',
    'ſ',
    '\u200b',
    'x'.repeat(130),
  );
  const text = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''));

  it('finds, wherever it answers, the token the regular expression finds there', () => {
    fc.assert(
      fc.property(text, fc.nat(), (input, p) => {
        const pos = input.length ? p % input.length : 0;
        const start = asciiWordAt(input, pos, input.indexOf('@', pos));
        if (start === -1) return;
        const m = nextToken(input, pos, input.indexOf('@', pos));
        expect(m).not.toBeNull();
        expect(m!.index).toBe(start);
        expect(m![4]).toBe(m![0]);
        expect(m![0]).toMatch(/^[A-Za-z]+$/);
        expect(/[A-Za-z]/.test(input.charAt(start + m![0].length))).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });

  it('answers for most words of ordinary text', () => {
    const input = 'Dear customer, your account (number 5) needs review: see http://x.example today.';
    let found = 0;
    for (let pos = 0; pos < input.length; pos++) if (asciiWordAt(input, pos, -1) !== -1) found++;
    expect(found).toBeGreaterThan(40);
    expect(asciiWordAt(input, input.indexOf('http'), -1)).toBe(-1);
    expect(asciiWordAt('pay usd 100', 3, -1)).toBe(-1);
  });
});
