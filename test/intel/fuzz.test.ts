import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvLine, parseFeed } from '../../src/intel/feeds.js';
import { brandInPath, brandLookalike, domainLookalike } from '../../src/intel/lookalike.js';
import { normaliseHost, urlKey, urlLookupKeys } from '../../src/intel/normalise.js';

const hostish = fc.stringMatching(/^[a-z0-9.\-аеорсху1lI0]{0,80}$/);

describe('intel functions on arbitrary input', () => {
  it('never throw and stay bounded', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), hostish), (s) => {
        normaliseHost(s);
        const k = urlKey(s);
        if (k) expect(urlLookupKeys(k).length).toBeLessThanOrEqual(10);
        brandLookalike(s);
        brandInPath(s);
        domainLookalike(s, 'example.com');
        parseCsvLine(s);
      }),
      { numRuns: 400 },
    );
  });
  it('lookalike results always name an official domain different from the candidate', () => {
    fc.assert(
      fc.property(hostish, (s) => {
        const m = brandLookalike(s);
        if (m) {
          expect(m.officialDomains).toContain(m.reference);
          expect(m.officialDomains).not.toContain(m.candidate);
        }
      }),
      { numRuns: 400 },
    );
  });
  it('feed parsers either parse or throw a clear error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (s) => {
        for (const f of ['urlhaus-csv', 'phishtank-csv', 'url-lines', 'host-lines'] as const) {
          try {
            expect(Array.isArray(parseFeed(f, s))).toBe(true);
          } catch (err) {
            expect((err as Error).message.length).toBeGreaterThan(5);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
