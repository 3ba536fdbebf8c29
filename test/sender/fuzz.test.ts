import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAddress, nameKey, parseCsv, parseVcard } from '../../src/sender/contacts.js';
import { recoveredFrom } from '../../src/sender/from.js';
import { findRequests } from '../../src/sender/requests.js';
import { crlf, messageOf } from './helpers.js';

describe('hostile input to the sender parsers', () => {
  it('contact files never throw and only yield valid addresses', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        for (const c of [
          ...parseCsv(s),
          ...parseVcard(`BEGIN:VCARD\nEMAIL:${s}\nFN:${s}\nEND:VCARD\n`),
          ...parseVcard(s),
        ]) {
          expect(isAddress(c.address)).toBe(true);
        }
        nameKey(s);
        findRequests(s, s);
      }),
      { numRuns: 300 },
    );
  });

  it('a huge body is scanned in bounded time', () => {
    const body = 'urgent '.repeat(500_000);
    const t = performance.now();
    expect(findRequests('x', body).map((h) => h.kind)).toEqual(['urgency']);
    expect(performance.now() - t).toBeLessThan(1000);
  });

  it('recovers From addresses from odd headers without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 120 }).filter((s) => !/[\r\n]/.test(s)),
        async (s) => {
          const m = await messageOf(crlf([`From: ${s}`, '', 'x', '']));
          const r = recoveredFrom(m);
          if (r) expect(r.address).toContain('@');
        },
      ),
      { numRuns: 100 },
    );
  });
});
