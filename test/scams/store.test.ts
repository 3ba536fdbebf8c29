import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fingerprintText } from '../../src/scams/fingerprint.js';
import { findMatches } from '../../src/scams/match.js';
import { MAX_CANDIDATES, MAX_STORED_TEXT_CHARS, parseFirstSeen, ScamStore } from '../../src/scams/store.js';

const QUOTA =
  'Dear user, your mailbox has exceeded the storage limit set by your administrator. You may not be able to send or receive new mail until you increase your mailbox size. To increase your storage click the link below and verify your account within 24 hours or lose your emails. IT Help Desk';
const PARCEL =
  'Your parcel is on hold. We tried to deliver your package today but the customs fee has not been paid. Your parcel will be returned to the sender if the payment is not received within 48 hours. Please confirm your address and pay the fee using the secure link below.';
const MEETING =
  'Hi team, the quarterly planning meeting moves to Thursday afternoon in room four. Please bring the updated budget sheets and your notes on the hiring plan so that we can agree on priorities for next quarter.';

function newStore(): ScamStore {
  return new ScamStore(new Database(':memory:'));
}

describe('ScamStore', () => {
  it('adds, deduplicates, gets and lists scams', () => {
    const store = newStore();
    const a = store.add({
      title: 'Quota',
      fingerprint: fingerprintText(QUOTA),
      firstSeen: '2023-02-01',
      source: 'test',
    });
    const again = store.add({
      title: 'Other',
      fingerprint: fingerprintText(QUOTA.replace('24', '12')),
      source: 'test',
    });
    const b = store.add({ title: 'Parcel', fingerprint: fingerprintText(PARCEL), source: 'test' });
    expect(a.added).toBe(true);
    expect(again).toEqual({ id: a.id, added: false }); // numbers are placeholders: same normalised text
    expect(store.count()).toBe(2);
    expect(store.get(a.id)).toMatchObject({ title: 'Quota', firstSeen: '2023-02-01', complete: true });
    expect(store.list().map((e) => e.id)).toEqual([a.id, b.id]);
    expect(store.get(999)).toBeUndefined();
  });

  it('keeps a bounded excerpt of a long text and marks it incomplete', () => {
    const store = newStore();
    const long =
      `${QUOTA} `.repeat(5) +
      Array.from({ length: 3000 }, (_, i) => `filler${String.fromCharCode(97 + (i % 26))}x`).join(' ');
    const r = store.add({ title: 'Long', fingerprint: fingerprintText(long), source: 'test' });
    const e = store.get(r.id)!;
    expect(e.excerpt.length).toBeLessThanOrEqual(MAX_STORED_TEXT_CHARS);
    expect(e.complete).toBe(false);
  });

  it('refuses text too short to recognise and a bad first-seen date', () => {
    const store = newStore();
    expect(() =>
      store.add({ title: 'x', fingerprint: fingerprintText('click here now'), source: 't' }),
    ).toThrow(/too little text/);
    expect(() => parseFirstSeen('yesterday')).toThrow(/YYYY-MM-DD/);
    expect(parseFirstSeen('2024-03-05T10:00:00Z')).toBe('2024-03-05');
    expect(parseFirstSeen('2024-03')).toBe('2024-03');
  });

  it('refuses to mix signatures of another scheme', () => {
    const store = newStore();
    store.add({ title: 'Quota', fingerprint: fingerprintText(QUOTA), source: 'test' });
    store.setMeta('scheme', 'minhash-v0');
    expect(store.compatible()).toBe(false);
    expect(() =>
      store.add({ title: 'Parcel', fingerprint: fingerprintText(PARCEL), source: 'test' }),
    ).toThrow(/another scheme/);
  });
});

describe('findMatches', () => {
  const store = newStore();
  const quota = store.add({
    title: 'Quota',
    fingerprint: fingerprintText(QUOTA),
    firstSeen: '2023-02',
    source: 'test',
  });
  store.add({ title: 'Parcel', fingerprint: fingerprintText(PARCEL), source: 'test' });

  it('finds a lightly edited copy sent to someone else, with its similarity', () => {
    const edited = QUOTA.replace('Dear user', 'Dear Ms. Jane Roe')
      .replace('exceeded', 'reached')
      .replace('lose your emails', 'lose all your messages')
      .replace('24 hours', '12 hours');
    const [best] = findMatches(store, fingerprintText(edited));
    expect(best.scam.id).toBe(quota.id);
    expect(best.exact).toBe(true);
    expect(best.similarity).toBeGreaterThan(0.6);
    expect(best.similarity).toBeLessThan(1);
    expect(best.bands).toBeGreaterThan(0);
  });

  it('finds nothing for an unrelated message', () => {
    expect(findMatches(store, fingerprintText(MEETING))).toEqual([]);
  });

  it('bounds the candidates when many near-identical scams share buckets', () => {
    const crowded = newStore();
    crowded.db.transaction(() => {
      for (let i = 0; i < MAX_CANDIDATES + 100; i++) {
        const variant = `${QUOTA} variant word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))} extra`;
        crowded.add({ title: `v${i}`, fingerprint: fingerprintText(variant), source: 'test' });
      }
    })();
    const fp = fingerprintText(QUOTA);
    expect(crowded.candidates(fp.signature).length).toBeLessThanOrEqual(MAX_CANDIDATES);
    const t0 = performance.now();
    const matches = findMatches(crowded, fp, { limit: 3 });
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(matches).toHaveLength(3);
    expect(matches[0].similarity).toBeGreaterThan(0.8);
  });
});
