import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assessBuild } from '../../../src/exchange/builds/assess.js';
import { CVES } from '../../../src/exchange/builds/cves.js';
import { BuildParseError } from '../../../src/exchange/builds/version.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const assess = (b: string, now = NOW) => assessBuild(b, { now });

const PROXYLOGON = ['CVE-2021-26855', 'CVE-2021-26857', 'CVE-2021-26858', 'CVE-2021-27065'];
const PROXYSHELL = ['CVE-2021-34473', 'CVE-2021-34523', 'CVE-2021-31207'];
const PROXYNOTSHELL = ['CVE-2022-41040', 'CVE-2022-41082'];
const JUL21 = ['CVE-2021-33766', 'CVE-2021-31196'];
const LATER = [...PROXYNOTSHELL, 'CVE-2022-41080', 'CVE-2023-21529'];

describe('assessBuild on builds from the Microsoft list', () => {
  it('2019 CU8 without updates (15.2.792.3): every chain open, fixes on its own CU', () => {
    const a = assess('15.2.792.3');
    expect(a.product).toBe('Exchange Server 2019');
    expect(a.cu).toBe('CU8');
    expect(a.update).toBeNull();
    expect(a.exact).toBe(true);
    expect(a.open).toEqual(
      expect.arrayContaining([...PROXYLOGON, ...PROXYSHELL, ...JUL21, ...LATER, 'CVE-2021-31195']),
    );
    expect(a.open).toContain('CVE-2024-21410');
    // FACTS.md table: 2019 CU8 Mar21SU .10, Apr21SU .13, May21SU .15.
    expect(a.fixes['CVE-2021-26855']).toMatchObject({
      build: '15.2.792.10',
      kb: 'KB5000871',
      update: 'Mar21SU',
    });
    expect(a.fixes['CVE-2021-34473']).toMatchObject({ build: '15.2.792.13', kb: 'KB5001779' });
    expect(a.fixes['CVE-2021-31207']).toMatchObject({ build: '15.2.792.15', kb: 'KB5003435' });
    // CU8 never got Nov22SU: the first fix is on a later CU.
    expect(a.fixes['CVE-2022-41082']).toMatchObject({ build: '15.2.986.36', kb: 'KB5019758', cu: 'CU11' });
  });

  it('2016 CU20 in the short form 15.01.2242.004: ProxyLogon fixed by the CU, ProxyShell open', () => {
    const a = assess('15.01.2242.004');
    expect(a.build).toBe('15.1.2242.4');
    expect(a.product).toBe('Exchange Server 2016');
    expect(a.cu).toBe('CU20');
    for (const c of PROXYLOGON) expect(a.open).not.toContain(c);
    expect(a.open).toEqual(expect.arrayContaining([...PROXYSHELL, ...JUL21, ...LATER]));
    expect(a.fixes['CVE-2021-34473'].build).toBe('15.1.2242.8');
    expect(a.fixes['CVE-2021-31207'].build).toBe('15.1.2242.10');
    expect(a.fixes['CVE-2021-33766'].build).toBe('15.1.2242.12');
  });

  it('2019 CU12 (15.2.1118.7): only the 2022+ chains are open', () => {
    const a = assess('15.2.1118.7');
    expect(a.cu).toBe('CU12');
    expect(a.open.sort()).toEqual([...LATER, 'CVE-2024-21410'].sort());
    expect(a.fixes['CVE-2022-41040']).toMatchObject({ build: '15.2.1118.20', kb: 'KB5019758' });
    expect(a.fixes['CVE-2023-21529']).toMatchObject({ build: '15.2.1118.25', kb: 'KB5023038' });
  });

  it('2019 CU9 (15.2.858.5) includes the March 2021 fix, as EOMT says', () => {
    const a = assess('15.2.858.5');
    for (const c of PROXYLOGON) expect(a.open).not.toContain(c);
    expect(a.open).toContain('CVE-2021-34473');
  });

  it('2016 CU21 stays open to ProxyNotShell at its last update (no Nov22SU for CU21)', () => {
    const a = assess('15.1.2308.27');
    expect(a.update).toBe('Mar22SU');
    expect(a.open).toEqual(expect.arrayContaining(PROXYNOTSHELL));
    expect(a.open).not.toContain('CVE-2021-34473');
    expect(a.support.cuReceivesUpdates).toBe(false);
  });

  it('2019 CU12 Feb23SU closes every build check; Extended Protection is left to verify', () => {
    const a = assess('15.2.1118.25');
    expect(a.open).toEqual([]);
    expect(a.cves.find((c) => c.id === 'CVE-2024-21410')?.status).toBe('verify');
  });

  it('Exchange SE RTM: nothing open and in support', () => {
    const a = assess('15.2.2562.17');
    expect(a.productId).toBe('ExchangeSE');
    expect(a.open).toEqual([]);
    expect(a.support.outOfSupport).toBe(false);
    expect(a.exposed).toBe(false);
  });
});

describe('disagreements between the two sources', () => {
  it('treats 2016 CU8 Mar21SU as fixed from the lower build and says so', () => {
    for (const b of ['15.1.1415.8', '15.1.1415.9', '15.1.1415.10']) {
      const a = assess(b);
      for (const c of PROXYLOGON) expect(a.open, b).not.toContain(c);
      expect(a.notes.join(' '), b).toMatch(/15\.1\.1415\.10.*15\.1\.1415\.8/);
    }
    expect(assess('15.1.1415.10').exact).toBe(true);
    expect(assess('15.1.1415.7').open).toEqual(expect.arrayContaining(PROXYLOGON));
  });
});

describe('precision and unusual input', () => {
  it('a CU-only build reports the worst case and marks what an update on that CU would fix', () => {
    const a = assess('15.2.792');
    expect(a.precision).toBe('cu');
    expect(a.update).toBe('unknown');
    const c = a.cves.find((x) => x.id === 'CVE-2021-26855');
    expect(c?.status).toBe('open');
    expect(c?.dependsOnUpdate).toBe(true);
    // No Nov22SU was ever released for CU8, so that stays open whatever update is installed.
    expect(a.cves.find((x) => x.id === 'CVE-2022-41040')?.dependsOnUpdate).toBeUndefined();
  });

  it('a build between listed ones is treated as the highest listed build below it', () => {
    const a = assess('15.2.792.11');
    expect(a.exact).toBe(false);
    expect(a.update).toBe('Mar21SU');
    expect(a.open).not.toContain('CVE-2021-26855');
    expect(a.open).toContain('CVE-2021-34473');
  });

  it('Exchange 2010 is only affected by CVE-2021-26857, fixed by SP3 RU32', () => {
    expect(assess('14.3.509.0').open).toEqual(['CVE-2021-26857']);
    expect(assess('14.03.0513.000').open).toEqual([]);
    expect(assess('14.3.513.0').support.outOfSupport).toBe(true);
  });

  it('rejects builds that are not Exchange 2007–SE', () => {
    expect(() => assess('16.0.1.1')).toThrow(BuildParseError);
    expect(() => assess('10.0.1.1')).toThrow(/not an Exchange/);
  });

  it('support follows the injected clock', () => {
    expect(assess('15.2.1748.10', new Date('2025-06-01')).support.outOfSupport).toBe(false);
    const after = assess('15.2.1748.10', new Date('2025-10-15'));
    expect(after.support.outOfSupport).toBe(true);
    expect(after.exposed).toBe(true);
    expect(after.support.migrateTo?.build).toMatch(/^15\.2\.2562\./);
  });
});

// Independent oracle: the per-CU fix table in ../shared (built apart from our generated data).
const repoRoot = path.resolve(__dirname, '../../..');
const shared = path.resolve(repoRoot, '../shared/exchange/key_fix_builds_by_cu.json');
describe.skipIf(!existsSync(shared))('against key_fix_builds_by_cu.json (../shared)', () => {
  const rows = existsSync(shared)
    ? (JSON.parse(readFileSync(shared, 'utf8')) as Record<string, string | null>[])
    : [];
  const suCves = (su: string) => CVES.filter((c) => c.fixedBy === su && c.check === 'build').map((c) => c.id);

  it('every listed fixing build closes its CVEs, and the CU below it leaves them open', () => {
    let checked = 0;
    for (const row of rows) {
      for (const su of ['Mar21SU', 'Apr21SU', 'May21SU', 'Jul21SU', 'Nov22SU', 'Feb23SU']) {
        const fix = row[su];
        if (!fix) continue;
        const fixed = assess(fix);
        const base = assess(row.cu_build as string);
        for (const cve of suCves(su)) {
          expect(fixed.open, `${row.product} ${row.cu} ${su} ${fix}`).not.toContain(cve);
          expect(base.open, `${row.product} ${row.cu} base ${row.cu_build}`).toContain(cve);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(80);
  });
});
