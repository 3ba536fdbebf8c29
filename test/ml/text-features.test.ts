import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a } from '../../src/ml/hash.js';
import {
  bodyText,
  EMAIL_RE,
  hashedTextFeatures,
  maskEmails,
  PLACEHOLDER,
  textFeatureNames,
  textFeatures,
} from '../../src/ml/text-features.js';

const names = (x: Parameters<typeof textFeatures>[0]) => textFeatures(x).map((f) => f.name);

describe('textFeatures', () => {
  it('does not depend on the recipient: names and addresses are masked wherever they appear', () => {
    const mk = (name: string, address: string) =>
      names({
        subject: `${name}, your mailbox is full`,
        text: `Dear ${name.split(' ')[0]}, the mailbox ${address} will be closed. Verify now.`,
        recipients: [{ name, address }],
      });
    const a = mk('Alice Smith', 'alice@corp.example');
    const b = mk('Rodrigo Ferreira', 'phishing@pot');
    expect(a).toEqual(b);
    expect(a).toContain(`w:${PLACEHOLDER.recipient}`);
    expect(a.some((n) => n.includes('alice') || n.includes('rodrigo'))).toBe(false);
  });

  it('does not depend on the era: years, dates and amounts become placeholders', () => {
    const a = names({ text: 'Invoice 2003-04-01 for $120.50 due 12/05/2003' });
    const b = names({ text: 'Invoice 2024-11-30 for $9,999 due 1/1/2025' });
    expect(a).toEqual(b);
    expect(a).toContain(`w:${PLACEHOLDER.number}`);
    expect(a).toContain(`w:${PLACEHOLDER.money}`);
  });

  it('masks links and addresses, and reads HTML as the visible text only', () => {
    const n = names({
      html: '<html><head><style>.x{color:red}</style><script>var secret=1</script></head><body><p>Click <a href="https://evil.example/x">https://evil.example/x</a></p><p>write to help@evil.example</p></body></html>',
    });
    expect(n).toEqual(
      expect.arrayContaining([
        'w:click',
        `w:${PLACEHOLDER.url}`,
        `w:${PLACEHOLDER.email}`,
        'b:click urltoken',
      ]),
    );
    expect(n.some((x) => x.includes('secret') || x.includes('color') || x.includes('evil'))).toBe(false);
  });

  it('drops mailing-list footers, which name the source rather than the content', () => {
    const text =
      'Patch attached, thanks.\n\n_______________________________________________\nUSRP-users mailing list\nhttp://lists.example.com/listinfo/usrp-users\n';
    const n = names({ text });
    expect(n).toContain('w:patch');
    expect(n.some((x) => x.includes('usrp') || x.includes('mailing'))).toBe(false);
  });

  it('strips quoting marks but keeps the quoted words', () => {
    expect(names({ text: '> > please reset' })).toEqual(names({ text: 'please reset' }));
  });

  it('prefers the plain-text body and caps its length', () => {
    expect(bodyText({ text: 'plain', html: '<p>html</p>' })).toBe('plain');
    expect(bodyText({ text: '', html: '<p>html</p>' }).trim()).toBe('html');
    expect(bodyText({ text: 'a'.repeat(10_000_000) }).length).toBeLessThanOrEqual(60_000);
  });

  it('bounds the work on a hostile body (megabytes of HTML, one endless word)', () => {
    const started = performance.now();
    const f = textFeatures({ html: `<p>${'click here now '.repeat(400_000)}</p>`, text: '' });
    const g = textFeatures({ text: 'x'.repeat(5_000_000) });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(f.length).toBeLessThan(10);
    expect(g).toEqual([]);
  });

  it('marks subject words apart from body words', () => {
    expect(names({ subject: 'Urgent', text: 'hello there' })).toEqual([
      's:urgent',
      'w:hello',
      'b:hello there',
      'w:there',
    ]);
  });
});

describe('fast paths give the same results as the plain definitions', () => {
  // Small alphabets so that addresses, runs longer than the 64-character local part and "@" pile-ups occur.
  const pieces = ['a', 'B', '7', '.', '-', '_', '%', '+', '@', ' ', 'é', 'com', 'x'.repeat(70), '\n'];
  const text = fc.array(fc.constantFrom(...pieces), { maxLength: 120 }).map((a) => a.join(''));

  it('maskEmails is replace(EMAIL_RE)', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(maskEmails(s)).toBe(s.replace(EMAIL_RE, ` ${PLACEHOLDER.email} `));
      }),
      { numRuns: 3000 },
    );
    const real = 'write to jo.smith+x@mail.example.com or admin@localhost, not @nobody or a@b@c.de';
    expect(maskEmails(real)).toBe(real.replace(EMAIL_RE, ` ${PLACEHOLDER.email} `));
    expect(maskEmails(real)).not.toBe(real);
  });

  it('hashedTextFeatures hashes exactly the names textFeatureNames lists, in the same order', () => {
    const words = fc.constantFrom(
      'click',
      'here',
      'now',
      'Your',
      'account',
      'x@y.com',
      '42',
      "don't",
      'café',
    );
    const prose = fc.array(words, { maxLength: 40 }).map((a) => a.join(' '));
    fc.assert(
      fc.property(prose, prose, (subject, body) => {
        const input = { subject, text: body, recipients: [{ name: 'Jo Here', address: 'jo@here.org' }] };
        const expected = textFeatureNames(input);
        const got = hashedTextFeatures(input);
        expect(got.hashes).toEqual(expected.map(fnv1a));
        expect(expected.map((_, i) => got.name(i))).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('hostile text stays cheap', () => {
  it('masks a body made of "@" signs and near-addresses in bounded time', () => {
    const t0 = performance.now();
    for (const text of [
      'a@'.repeat(30_000),
      `${'x'.repeat(64)}@${'a.'.repeat(29_000)}`,
      '@'.repeat(60_000),
    ]) {
      textFeatureNames({ text });
      expect(maskEmails(text)).toBe(text.replace(EMAIL_RE, ` ${PLACEHOLDER.email} `));
    }
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});
