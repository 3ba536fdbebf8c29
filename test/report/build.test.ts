import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseRaw } from '../../src/analyse.js';
import { renderText } from '../../src/report/text.js';
import { openDb } from '../../src/store/db.js';

const seed = JSON.parse(
  readFileSync(new URL('../../data/scams/seed-texts.json', import.meta.url), 'utf8'),
) as {
  scams: { title: string; text: string }[];
};

describe('report', () => {
  it('shows a message side by side with the known scam it copies', async () => {
    const scam = seed.scams[0];
    const body = scam.text.replace('James Williams', 'Peter Okafor');
    const raw = new TextEncoder().encode(
      `From: x@y.example\r\nTo: you@home.example\r\nSubject: Urgent business\r\n\r\n${body}\r\n`,
    );
    const db = openDb(':memory:');
    const report = await analyseRaw(raw, { kind: 'eml' }, { db });
    expect(report.findings.some((f) => f.code === 'scam.known_match')).toBe(true);
    expect(report.comparisons?.[0].title).toBe(scam.title);
    expect(report.comparisons?.[0].html).toContain('<');
    expect(renderText(report)).toContain(`It nearly copies the known scam "${scam.title}"`);
    expect(renderText(report, { verbose: true })).toContain('Side by side with the known scam');
    db.close();
  });

  it("leads with a reason the reader can check, even when the text model's opinion weighs more", async () => {
    const raw = new TextEncoder().encode(
      [
        'From: =?UTF-8?B?TNC+Y9CwbCBE0LB0aW5n?= <x@dating.example>',
        'To: you@home.example',
        'Subject: PROPOSAL',
        'Message-ID: <1@dating.example>',
        '',
        'Greetings, I am contacting you on behalf of a client who needs a fund manager for funds totaling',
        '$53.7 million USD. Kindly respond for more details.',
        '',
      ].join('\r\n'),
    );
    const report = await analyseRaw(raw, { kind: 'eml' }, { db: openDb(':memory:') });
    const codes = report.reasons.map((r) => r.code);
    expect(codes).toContain('text_model.scam_language');
    const model = report.reasons.find((r) => r.code === 'text_model.scam_language')!;
    // The model's opinion outweighs each checkable reason here, and still comes after them.
    expect(model.weight).toBeGreaterThan(
      Math.max(...report.reasons.filter((r) => r !== model).map((r) => r.weight)),
    );
    expect(codes.at(-1)).toBe('text_model.scam_language');
    expect(codes[0]).toBe('request.advance_fee_story');
  });

  it('reports coverage per target and never counts unknown as clean', async () => {
    const raw = readFileSync(new URL('../../examples/phish-paypal.eml', import.meta.url));
    const report = await analyseRaw(raw, { kind: 'eml' }, { db: openDb(':memory:') });
    const msg = report.coverage.find((c) => c.targetId === 'message');
    expect(msg?.engines).toBeGreaterThan(3);
    const unknownRuns = report.runs.filter(
      (r) => r.targetId === 'message' && (r.status === 'unknown' || r.status === 'error'),
    ).length;
    expect(msg?.unknown).toBe(unknownRuns);
    expect(unknownRuns).toBeGreaterThan(0); // sender-auth cannot tell without DNS or a trusted server
    expect(report.versions.model).toBeTruthy();
    expect(Object.keys(report.versions.engines).length).toBeGreaterThan(5);
  });
});
