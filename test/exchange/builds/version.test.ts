import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BuildParseError,
  compareBuilds,
  formatBuild,
  MAX_BUILD_STRING_LENGTH,
  parseBuild,
} from '../../../src/exchange/builds/version.js';

describe('parseBuild', () => {
  it('reads the dotted form', () => {
    expect(parseBuild('15.2.792.3')).toEqual({ major: 15, minor: 2, build: 792, revision: 3 });
  });

  it('drops zero padding of the short forms in Microsoft list', () => {
    expect(formatBuild(parseBuild('15.01.2242.004'))).toBe('15.1.2242.4');
    expect(formatBuild(parseBuild('14.03.0513.000'))).toBe('14.3.513.0');
  });

  it('keeps three-part builds as CU-only (no revision)', () => {
    const b = parseBuild('15.1.2242');
    expect(b.revision).toBeUndefined();
    expect(formatBuild(b)).toBe('15.1.2242');
  });

  it('reads the AdminDisplayVersion form and surrounding space', () => {
    expect(formatBuild(parseBuild('Version 15.1 (Build 2242.4)'))).toBe('15.1.2242.4');
    expect(formatBuild(parseBuild('  15.2.1118.7\n'))).toBe('15.2.1118.7');
  });

  it.each(['', '15', '15.2', 'abc', '15.2.792.3.1', '15.2.792.x', '1.2.3.4; rm -rf', '15.2.123456.1'])(
    'rejects %j with a clear error',
    (s) => {
      expect(() => parseBuild(s)).toThrow(BuildParseError);
    },
  );

  it('rejects over-long input before matching', () => {
    expect(() => parseBuild('1'.repeat(MAX_BUILD_STRING_LENGTH + 1))).toThrow(/too long/);
  });
});

describe('compareBuilds', () => {
  it('orders numerically, not as text', () => {
    expect(compareBuilds(parseBuild('15.2.1118.7'), parseBuild('15.2.986.36'))).toBeGreaterThan(0);
    expect(compareBuilds(parseBuild('15.1.1415.10'), parseBuild('15.1.1415.8'))).toBeGreaterThan(0);
    expect(compareBuilds(parseBuild('15.1.2242.4'), parseBuild('15.01.2242.004'))).toBe(0);
  });

  it('puts a CU-only build below every update of that CU', () => {
    expect(compareBuilds(parseBuild('15.2.792'), parseBuild('15.2.792.3'))).toBeLessThan(0);
  });
});

describe('parseBuild properties', () => {
  it('never throws anything but BuildParseError, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        try {
          parseBuild(s);
        } catch (e) {
          expect(e).toBeInstanceOf(BuildParseError);
        }
      }),
    );
  });

  it('round-trips any zero-padded four-part build', () => {
    const part = fc.integer({ min: 0, max: 9999 });
    fc.assert(
      fc.property(part, part, part, part, fc.integer({ min: 0, max: 2 }), (a, b, c, d, pad) => {
        const p = (n: number) =>
          String(n)
            .padStart(String(n).length + pad, '0')
            .slice(-5);
        expect(formatBuild(parseBuild(`${p(a)}.${p(b)}.${p(c)}.${p(d)}`))).toBe(`${a}.${b}.${c}.${d}`);
      }),
    );
  });
});
