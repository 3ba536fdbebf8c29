import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  mergeBuildTables,
  parseHealthChecker,
  parseMsCsv,
  parseMsProductName,
  serializeBuildTable,
} from '../../../src/exchange/builds/generate.js';
import { BuildTable } from '../../../src/exchange/builds/table.js';

describe('parseMsProductName', () => {
  it.each([
    ['Exchange 2013 CU21 Mar21SU', { product: 'Exchange2013', cu: 'CU21', update: 'Mar21SU' }],
    ['Exchange 2019 CU13 (2023H1)', { product: 'Exchange2019', cu: 'CU13', update: null }],
    ['Exchange 2019 CU12 Aug23SUv2', { product: 'Exchange2019', cu: 'CU12', update: 'Aug23SUv2' }],
    ['Exchange SE RTM Aug25SU', { product: 'ExchangeSE', cu: 'RTM', update: 'Aug25SU' }],
    ['Exchange 2010 SP3 RU32', { product: 'Exchange2010', cu: 'SP3 RU32', update: null }],
    ['Exchange 2019 CU14 Apr24HU', { product: 'Exchange2019', cu: 'CU14', update: 'Apr24HU' }],
  ])('%s', (name, want) => {
    expect(parseMsProductName(name)).toEqual(want);
  });

  it('rejects other products', () => {
    expect(() => parseMsProductName('Exchange 2003 SP2')).toThrow(/unknown product/);
  });
});

const CSV = `Product Name,Build Number,Date,KB,Blog
Exchange 2016 CU8,15.1.1415.2,12/19/2017,KB4035145,
Exchange 2016 CU8 Mar21SU,15.1.1415.10,3/2/2021,KB5000871,
Exchange 2013 SP1,15.0.847.32,2/25/2014,KB2926248,
Exchange 2013 SP1 Mar21SU,15.0.847.64,3/2/2021,KB5000871,
Exchange 2016 CU13,15.01.1779.002,6/18/2019,KB4488406,
`;
const HC = [
  { product: 'Exchange2016', cu: 'CU8', update: null, build: '15.1.1415.2' },
  { product: 'Exchange2016', cu: 'CU8', update: 'Mar21SU', build: '15.1.1415.8' },
  { product: 'Exchange2013', cu: 'CU4', update: null, build: '15.0.847.32' },
  { product: 'Exchange2016', cu: 'CU13', update: 'Jul19SU', build: '15.1.1779.4' },
];

describe('mergeBuildTables', () => {
  const t = mergeBuildTables(parseMsCsv(CSV), parseHealthChecker(HC));

  it('keeps the lower build where the sources disagree, and records both', () => {
    expect(t.disagreements).toEqual([
      {
        product: 'Exchange2016',
        cu: 'CU8',
        update: 'Mar21SU',
        ms: '15.1.1415.10',
        healthchecker: '15.1.1415.8',
        used: '15.1.1415.8',
      },
    ]);
    const e = t.builds.find((b) => b.update === 'Mar21SU' && b.product === 'Exchange2016');
    expect(e).toMatchObject({ build: '15.1.1415.8', otherBuilds: ['15.1.1415.10'], kb: 'KB5000871' });
    expect(e?.note).toMatch(/lower/);
  });

  it("uses HealthChecker's CU label and keeps Microsoft's as an alias", () => {
    const sp1 = t.builds.filter((b) => b.build.startsWith('15.0.847.'));
    expect(sp1.map((b) => [b.cu, b.cuAlias, b.update])).toEqual([
      ['CU4', 'SP1', null],
      ['CU4', 'SP1', 'Mar21SU'],
    ]);
  });

  it('normalises short forms and keeps rows only one source has, sorted by build', () => {
    const builds = t.builds.map((b) => b.build);
    expect(builds).toContain('15.1.1779.2');
    expect(builds).toContain('15.1.1779.4');
    expect(builds).toEqual([...builds].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
  });

  it('round-trips through the serialiser into a loadable table', () => {
    const table = new BuildTable(JSON.parse(serializeBuildTable(t)));
    expect(table.entries).toHaveLength(t.builds.length);
  });
});

const repoRoot = path.resolve(__dirname, '../../..');
const sharedDir = path.resolve(repoRoot, '../shared/exchange');
describe.skipIf(!existsSync(path.join(sharedDir, 'ms_ExchangeBuildNumbers.csv')))(
  'data/exchange/builds.json (needs ../shared/exchange)',
  () => {
    it('is exactly what scripts/exchange-builds.ts generates from the two sources', () => {
      const generated = serializeBuildTable(
        mergeBuildTables(
          parseMsCsv(readFileSync(path.join(sharedDir, 'ms_ExchangeBuildNumbers.csv'), 'utf8')),
          parseHealthChecker(
            JSON.parse(readFileSync(path.join(sharedDir, 'exchange_builds_from_healthchecker.json'), 'utf8')),
          ),
        ),
      );
      expect(readFileSync(path.join(repoRoot, 'data/exchange/builds.json'), 'utf8')).toBe(generated);
    });

    it('has every build of both sources (340 MS rows and 280 HealthChecker rows, FACTS.md §2)', () => {
      const ms = parseMsCsv(readFileSync(path.join(sharedDir, 'ms_ExchangeBuildNumbers.csv'), 'utf8'));
      const hc = JSON.parse(
        readFileSync(path.join(sharedDir, 'exchange_builds_from_healthchecker.json'), 'utf8'),
      );
      expect(ms).toHaveLength(340);
      expect(hc).toHaveLength(280);
      const table = BuildTable.fromFile(path.join(repoRoot, 'data/exchange/builds.json'));
      const known = new Set(table.entries.flatMap((e) => [e.build, ...(e.otherBuilds ?? [])]));
      for (const r of ms) expect(known.has(r.build), r.build).toBe(true);
      expect(table.data.disagreements.map((d) => `${d.cu} ${d.used}`)).toEqual([
        'CU8 15.1.1415.8',
        'CU9 15.1.1466.13',
      ]);
    });
  },
);
