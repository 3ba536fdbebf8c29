// Merges Microsoft's build list (CSV) and HealthChecker's build table into data/exchange/builds.json.
// Pure functions; scripts/exchange-builds.ts does the file I/O.

import type { BuildEntry, BuildTableData, Disagreement, ProductId, ProductInfo } from './types.js';
import { compareBuilds, formatBuild, parseBuild } from './version.js';

/** Row of exchange_builds_from_healthchecker.json (parsed from GetExchangeBuildDictionary). */
export interface HealthCheckerRow {
  product: string;
  cu: string;
  update: string | null;
  build: string;
}

// End-of-support dates: 2013/2016/2019/SE from HealthChecker's Get-ExchangeBuildVersionInformation.ps1;
// 2007/2010 from Microsoft's lifecycle pages (both long past).
export const PRODUCTS: ProductInfo[] = [
  { id: 'Exchange2007', name: 'Exchange Server 2007', endOfSupport: '2017-04-11' },
  { id: 'Exchange2010', name: 'Exchange Server 2010', endOfSupport: '2020-10-13' },
  { id: 'Exchange2013', name: 'Exchange Server 2013', endOfSupport: '2023-04-11' },
  { id: 'Exchange2016', name: 'Exchange Server 2016', endOfSupport: '2025-10-14' },
  { id: 'Exchange2019', name: 'Exchange Server 2019', endOfSupport: '2025-10-14' },
  { id: 'ExchangeSE', name: 'Exchange Server Subscription Edition (SE)', endOfSupport: '2035-12-31' },
];

export const SOURCES: BuildTableData['sources'] = [
  {
    id: 'ms',
    name: "Microsoft's Exchange build number list",
    repository: 'microsoft/Get-ExchangeBuildNumber',
    path: 'ExchangeBuildNumbers.csv',
    commit: 'a2c819b8',
    licence: 'MIT',
  },
  {
    id: 'healthchecker',
    name: 'HealthChecker build dictionary (GetExchangeBuildDictionary)',
    repository: 'microsoft/CSS-Exchange',
    path: 'Shared/Get-ExchangeBuildVersionInformation.ps1',
    commit: 'f88378b1',
    licence: 'MIT',
  },
];

const PRODUCT_BY_YEAR: Record<string, ProductId> = {
  '2007': 'Exchange2007',
  '2010': 'Exchange2010',
  '2013': 'Exchange2013',
  '2016': 'Exchange2016',
  '2019': 'Exchange2019',
  SE: 'ExchangeSE',
};

/** "Mar21SU", "Apr24HU", "Aug23SUv2". */
export const UPDATE_NAME = /^[A-Z][a-z]{2}\d{2}(?:SU|HU)(?:v\d+)?$/;

interface Row {
  product: ProductId;
  cu: string;
  update: string | null;
  build: string;
  date?: string;
  kb?: string;
}

/** Splits "Exchange 2013 CU21 Mar21SU" into product, CU label and update name. */
export function parseMsProductName(name: string): { product: ProductId; cu: string; update: string | null } {
  const m = /^Exchange (2007|2010|2013|2016|2019|SE)\b\s*(.*)$/.exec(name.trim());
  if (!m) throw new Error(`unknown product name in Microsoft's list: "${name}"`);
  const words = m[2]
    .replace(/\([^)]*\)/g, ' ') // "CU13 (2023H1)" → "CU13"
    .split(/\s+/)
    .filter(Boolean);
  const last = words.at(-1);
  const update = last && UPDATE_NAME.test(last) ? last : null;
  if (update) words.pop();
  return { product: PRODUCT_BY_YEAR[m[1]], cu: words.join(' ') || 'RTM', update };
}

/** M/D/YYYY → YYYY-MM-DD. */
function isoDate(mdy: string): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(mdy.trim());
  if (!m) return undefined;
  return `${m[3]}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}`;
}

/** Parses ExchangeBuildNumbers.csv (header `Product Name,Build Number,Date,KB,Blog`; no quoted fields). */
export function parseMsCsv(text: string): Row[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines.shift()?.split(',') ?? [];
  if (header[0] !== 'Product Name' || header[1] !== 'Build Number') {
    throw new Error('unexpected header in ExchangeBuildNumbers.csv');
  }
  return lines.map((line) => {
    const [name, build, date, kb] = line.split(',');
    const p = parseMsProductName(name);
    const row: Row = { ...p, build: formatBuild(parseBuild(build)) };
    const d = isoDate(date ?? '');
    if (d) row.date = d;
    if (kb) row.kb = kb.trim();
    return row;
  });
}

export function parseHealthChecker(rows: HealthCheckerRow[]): Row[] {
  return rows.map((r) => {
    const product = r.product as ProductId;
    if (!PRODUCTS.some((p) => p.id === product))
      throw new Error(`unknown HealthChecker product "${r.product}"`);
    return { product, cu: r.cu, update: r.update, build: formatBuild(parseBuild(r.build)) };
  });
}

/** Identity of a release independent of its revision: product, CU build number, update or CU name. */
function releaseKey(r: Row): string {
  return `${r.product}|${parseBuild(r.build).build}|${r.update ?? `CU:${r.cu}`}`;
}

const byBuild = (a: { build: string }, b: { build: string }) =>
  compareBuilds(parseBuild(a.build), parseBuild(b.build));

/**
 * Merges both sources. Where they give different builds for the same release, the lower build is
 * used (a server at either value is treated as fixed) and the disagreement is recorded.
 */
export function mergeBuildTables(msRows: Row[], hcRows: Row[]): BuildTableData {
  const entries = new Map<string, BuildEntry>();
  const disagreements: Disagreement[] = [];
  // HealthChecker's CU labels win ("CU4" rather than the list's "SP1"): match CUs by product and build number.
  const hcCuLabel = new Map<string, string>();
  for (const r of hcRows) {
    if (r.update === null) hcCuLabel.set(`${r.product}|${parseBuild(r.build).build}`, r.cu);
  }

  for (const r of hcRows) {
    const key = releaseKey(r);
    const prev = entries.get(key);
    if (prev) throw new Error(`HealthChecker lists ${key} twice (${prev.build}, ${r.build})`);
    entries.set(key, {
      product: r.product,
      cu: r.cu,
      update: r.update,
      build: r.build,
      sources: ['healthchecker'],
    });
  }

  for (const r of msRows) {
    const label = hcCuLabel.get(`${r.product}|${parseBuild(r.build).build}`) ?? r.cu;
    const row: Row = { ...r, cu: label };
    const key = releaseKey(row);
    const prev = entries.get(key);
    if (!prev) {
      const e: BuildEntry = {
        product: r.product,
        cu: label,
        update: r.update,
        build: r.build,
        sources: ['ms'],
      };
      if (label !== r.cu) e.cuAlias = r.cu;
      if (r.date) e.date = r.date;
      if (r.kb) e.kb = r.kb;
      entries.set(key, e);
      continue;
    }
    if (prev.sources.includes('ms')) {
      throw new Error(`Microsoft's list names ${key} twice (${prev.build}, ${r.build})`);
    }
    prev.sources = ['ms', 'healthchecker'];
    if (label !== r.cu) prev.cuAlias = r.cu;
    if (r.date) prev.date = r.date;
    if (r.kb) prev.kb = r.kb;
    if (prev.build !== r.build) {
      const lower = byBuild(prev, r) <= 0 ? prev.build : r.build;
      const other = lower === prev.build ? r.build : prev.build;
      disagreements.push({
        product: r.product,
        cu: label,
        update: r.update,
        ms: r.build,
        healthchecker: prev.build,
        used: lower,
      });
      prev.otherBuilds = [other];
      prev.note =
        `Microsoft's list says ${r.build}, HealthChecker says ${prev.build}; ` +
        `treated as fixed from the lower, ${lower}.`;
      prev.build = lower;
    }
  }

  const builds = [...entries.values()].sort((a, b) => byBuild(a, b) || (a.update === null ? -1 : 1));
  return { schema: 1, sources: SOURCES, products: PRODUCTS, builds, disagreements };
}

/**
 * Serialises the table with one build per line, so that a regenerated file diffs line by line.
 * @internal
 */
export function serializeBuildTable(table: BuildTableData): string {
  const parts = Object.entries(table).map(([key, value]) =>
    Array.isArray(value)
      ? `  ${JSON.stringify(key)}: [\n${value.map((v) => `    ${JSON.stringify(v)}`).join(',\n')}\n  ]`
      : `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`,
  );
  return `{\n${parts.join(',\n')}\n}\n`;
}
