import { describe, expect, it } from 'vitest';
import { normaliseText } from '../../src/scams/normalise.js';
import {
  scamComparison,
  sharedPassages,
  sideBySideHtml,
  sideBySideText,
} from '../../src/scams/side-by-side.js';

const SCAM =
  'Dear user, your mailbox has exceeded the storage limit set by your administrator. Click the link below to verify your account within 24 hours.';
const MESSAGE =
  'Dear Bob Jones,\nYour mailbox has exceeded the storage limit set by your administrator. Our cafeteria menu changes tomorrow. Click https://x.example/q to verify your account within 12 hours.';

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('sharedPassages', () => {
  const scam = normaliseText(SCAM);
  const shared = sharedPassages(MESSAGE, scam);

  it('cuts the message into segments that give the text back', () => {
    expect(shared.message.map((s) => s.text).join('')).toBe(MESSAGE);
    expect(shared.scam.map((s) => s.text).join('')).toBe(scam);
  });

  it('marks the shared passages and leaves the rest unmarked', () => {
    const marked = shared.message.filter((s) => s.shared).map((s) => s.text);
    const unmarked = shared.message
      .filter((s) => !s.shared)
      .map((s) => s.text)
      .join(' ');
    expect(marked.join(' ')).toContain('exceeded the storage limit set by your administrator');
    expect(marked.join(' ')).toContain('to verify your account within 12 hours');
    expect(unmarked).toContain('https://x.example/q');
    expect(unmarked).toContain('cafeteria menu changes tomorrow');
    expect(shared.messageCoverage).toBeGreaterThan(0.5);
    expect(shared.messageCoverage).toBeLessThan(1);
  });
});

describe('sideBySideText', () => {
  const scam = {
    id: 7,
    title: 'Mailbox quota',
    excerpt: normaliseText(SCAM),
    firstSeen: '2023-02',
    similarity: 0.72,
  };

  it('renders two columns within the width, with the heading and «marks»', () => {
    const out = sideBySideText(MESSAGE, scam, { width: 80 });
    expect(out).toContain('72% similar: Known scam #7: Mailbox quota, first seen 2023-02');
    expect(out).toContain('«');
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(out.split('\n').filter((l) => l.includes(' │ ')).length).toBeGreaterThan(3);
  });

  it('highlights with ANSI colour without changing the layout', () => {
    const plainWidth = sideBySideText(MESSAGE, scam, { width: 80, color: true });
    expect(plainWidth).toContain('\x1b[1;33m');
    for (const line of strip(plainWidth).split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('sideBySideHtml', () => {
  it('escapes every text and marks shared passages', () => {
    const html = sideBySideHtml(`<script>alert(1)</script> ${MESSAGE}`, {
      title: 'Quota <b>scam</b>',
      excerpt: normaliseText(SCAM),
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&#60;script&#62;');
    expect(html).toMatch(/<mark>[^<]*exceeded the storage limit/);
  });
});

describe('scamComparison', () => {
  it('renders a scam-match finding side by side and ignores other findings', () => {
    const finding = {
      code: 'scam.known_match',
      evidence: {
        scamId: 3,
        title: 'Quota',
        scamExcerpt: normaliseText(SCAM),
        firstSeen: '2023-02',
        similarity: 0.7,
      },
    };
    const views = scamComparison({ subject: 'Mailbox', text: MESSAGE }, finding, { width: 80 });
    expect(views?.text).toContain('70% similar: Known scam #3: Quota, first seen 2023-02');
    expect(views?.html).toContain('<mark>');
    expect(
      scamComparison({ text: MESSAGE }, { code: 'link.display_mismatch', evidence: {} }),
    ).toBeUndefined();
  });
});
