import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  createScamMatchEngine,
  MALICIOUS_SIMILARITY,
  SUSPICIOUS_SIMILARITY,
  scamMatchEngine,
} from '../../src/engines/scam-match.js';
import { parseMessage } from '../../src/message/parse.js';
import { scamDataDir } from '../../src/scams/seed.js';
import type { EngineContext, Message, Target } from '../../src/types.js';

const seedTexts: { title: string; category: string; firstSeen: string; text: string }[] = JSON.parse(
  readFileSync(path.join(scamDataDir(), 'seed-texts.json'), 'utf8'),
).scams;
const sextortion = seedTexts.find((s) => s.category === 'sextortion')!;

function ctx(db?: Database.Database): EngineContext {
  return {
    signal: new AbortController().signal,
    now: new Date('2026-01-01'),
    options: {},
    ...(db ? { db } : {}),
  };
}

async function message(
  body: string,
  opts: { to?: string; subject?: string; html?: boolean } = {},
): Promise<Target> {
  const to = opts.to ?? 'Jane Roe <jane.roe@example.org>';
  const type = opts.html ? 'text/html' : 'text/plain';
  const raw = `From: x@sender.example\r\nTo: ${to}\r\nSubject: ${opts.subject ?? 'Notice'}\r\nContent-Type: ${type}; charset=utf-8\r\n\r\n${body}\r\n`;
  const m: Message = await parseMessage(new TextEncoder().encode(raw), { kind: 'eml' });
  return { kind: 'message', id: 'message', message: m };
}

/** Changes every n-th word, the way a scammer re-words a template. */
function reword(text: string, every: number): string {
  return text
    .split(' ')
    .map((w, i) => (i % every === every - 1 ? `${w}ly` : w))
    .join(' ');
}

describe('scam-match engine', () => {
  it('says unknown, not clean, when no scam corpus is loaded', async () => {
    const engine = createScamMatchEngine({ seed: false });
    const target = await message(sextortion.text);
    const withDb = await engine.analyse(target, ctx(new Database(':memory:')));
    expect(withDb).toMatchObject({ status: 'unknown', findings: [] });
    expect(withDb.note).toMatch(/no known-scam corpus/);
    expect((await engine.analyse(target, ctx())).status).toBe('unknown');
  });

  it('flags a re-sent copy of a known scam with the scam, its similarity and first-seen date', async () => {
    const text = sextortion.text.replace('Hello,', 'Hello John,').replace('48 hours', '24 hours');
    const out = await scamMatchEngine.analyse(await message(text), ctx(new Database(':memory:')));
    expect(out.status).toBe('malicious');
    const f = out.findings[0];
    expect(f).toMatchObject({
      code: 'scam.known_match',
      engine: 'scam-match',
      targetId: 'message',
      severity: 'high',
    });
    expect(f.strength).toBeGreaterThanOrEqual(MALICIOUS_SIMILARITY);
    expect(f.evidence).toMatchObject({
      title: sextortion.title,
      firstSeen: sextortion.firstSeen,
      similarityKind: 'exact',
    });
    expect(f.evidence.similarity).toBe(Math.round(f.strength! * 1000) / 1000);
    expect(String(f.evidence.scamExcerpt)).toContain('transfer AMOUNT in bitcoin');
    expect(f.message).toContain(sextortion.title);
    expect(f.message).toContain(sextortion.firstSeen);
  });

  it('works without a store, from the shipped seed', async () => {
    const out = await scamMatchEngine.analyse(await message(sextortion.text), ctx());
    expect(out.status).toBe('malicious');
    expect(out.findings[0].strength).toBeGreaterThan(0.9);
  });

  it('matches the same scam in an HTML-only message sent to someone else, equally', async () => {
    const html = `<html><body><p>${sextortion.text.replace(/\n/g, '</p><p>')}</p></body></html>`;
    const a = await scamMatchEngine.analyse(
      await message(sextortion.text, { to: 'bob@corp.example' }),
      ctx(),
    );
    const b = await scamMatchEngine.analyse(
      await message(html, { html: true, to: 'Mary Major <mm@x.example>' }),
      ctx(),
    );
    expect(b.status).toBe('malicious');
    expect(b.findings[0].strength).toBeCloseTo(a.findings[0].strength!, 2);
  });

  it('calls a heavily re-worded copy suspicious, not malicious', async () => {
    const out = await scamMatchEngine.analyse(await message(reword(sextortion.text, 9)), ctx());
    const sim = out.findings[0]?.strength ?? 0;
    expect(sim).toBeGreaterThanOrEqual(SUSPICIOUS_SIMILARITY);
    expect(sim).toBeLessThan(MALICIOUS_SIMILARITY);
    expect(out.status).toBe('suspicious');
    expect(out.findings[0].severity).toBe('medium');
  });

  it('finds nothing in an ordinary message', async () => {
    const out = await scamMatchEngine.analyse(
      await message(
        'Hi Jane, thanks for the notes from Tuesday. I moved the design review to Thursday at 3pm and booked the small room. Could you bring the printed mock-ups and the list of open questions from the customer call? Cheers, Tom',
      ),
      ctx(),
    );
    expect(out).toMatchObject({ status: 'clean', findings: [] });
  });

  it('says unknown when there is too little text to compare', async () => {
    const out = await scamMatchEngine.analyse(await message('See attached.'), ctx());
    expect(out.status).toBe('unknown');
    expect(out.note).toMatch(/too little text/);
  });

  it('stays fast on a huge message', async () => {
    const huge = `${sextortion.text}\n${'lorem ipsum dolor sit amet '.repeat(200_000)}`;
    const target = await message(huge);
    const t0 = performance.now();
    const out = await scamMatchEngine.analyse(target, ctx());
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(['clean', 'suspicious', 'malicious']).toContain(out.status);
  });

  it('reports the data it used', () => {
    const db = new Database(':memory:');
    expect(scamMatchEngine.dataVersion?.(ctx(db))).toMatch(/^minhash-v1\/.*last=\d+;seed=/);
    expect(scamMatchEngine.applies?.({ kind: 'link', id: 'l', link: {} as never })).toBe(false);
  });
});
