// Build → exposure: which CVE chains are open on a build, which update fixes each, support status.
// The comparison follows HealthChecker's Test-ExchangeBuildGreaterOrEqualThanSecurityPatch
// (CompareExchangeBuildLevel.ps1): a build is patched for update S when it is at or above the highest
// build labelled S on its version line (a later CU includes earlier fixes), or when its own CU has S
// and it is at or above that build.

import { CVES, type CveInfo, EXCHANGE_2010_FIXES, EXTENDED_PROTECTION_DEFAULT_FROM } from './cves.js';
import { type BuildTable, defaultBuildTable, productOfBuild, type TableEntry } from './table.js';
import type { ProductId } from './types.js';
import { BuildParseError, compareBuilds, type ExchangeBuild, formatBuild, parseBuild } from './version.js';

export type Precision = 'cu' | 'cu+su';

export interface FixInfo {
  /** Lowest build on the server's CU, or a later CU, that contains the fix. */
  build: string;
  kb?: string;
  cu: string;
  update: string | null;
  /** Extra action beyond installing the build (config checks). */
  afterwards?: string;
}

export interface CveStatus {
  id: string;
  chain: string;
  summary: string;
  severity: CveInfo['severity'];
  check: CveInfo['check'];
  /** 'verify': a configuration the build alone cannot tell (Extended Protection). */
  status: 'open' | 'fixed' | 'verify' | 'not-applicable';
  why: string;
  /** Only the CU is known (remote probe): an update for this CU would fix it, if one is installed. */
  dependsOnUpdate?: boolean;
  fix?: FixInfo;
}

export interface SupportStatus {
  endOfSupport: string;
  outOfSupport: boolean;
  /** Microsoft still published updates after the end date, for paid Extended Security Update customers only. */
  esuOnly: boolean;
  /** Whether this CU got the product's most recent update (older CUs no longer get security updates). */
  cuReceivesUpdates: boolean;
  latestUpdateForCu?: string;
  /** The product's newest build in the table: what to patch to. */
  latest?: FixInfo;
  /** Newest Exchange SE build, when the product is out of support. */
  migrateTo?: FixInfo & { product: string };
}

export interface BuildAssessment {
  input: string;
  build: string;
  precision: Precision;
  productId: ProductId;
  product: string;
  cu: string;
  cuAlias?: string;
  /** Installed security/hotfix update; null = the CU itself; 'unknown' when only the CU is known (precision 'cu'). */
  update: string | null;
  /** The build is exactly a listed release. */
  exact: boolean;
  kb?: string;
  releaseDate?: string;
  /** CVE ids still open (build checks, plus config checks this build cannot fix at all). */
  open: string[];
  fixes: Record<string, FixInfo>;
  cves: CveStatus[];
  support: SupportStatus;
  notes: string[];
  /** Open CVEs or out of support: the verdict behind exit code 2. */
  exposed: boolean;
}

export interface AssessOptions {
  table?: BuildTable;
  /** Injected clock for the support check. */
  now?: Date;
}

/** "Mar21SU" → months since year 0, for ordering updates; undefined for other names. */
function updateMonth(name: string | null): number | undefined {
  const m = /^([A-Z][a-z]{2})(\d{2})(?:SU|HU)/.exec(name ?? '');
  if (!m) return undefined;
  const month = 'JanFebMarAprMayJunJulAugSepOctNovDec'.indexOf(m[1]) / 3;
  return month < 0 ? undefined : (2000 + Number(m[2])) * 12 + month;
}

function fixOf(e: TableEntry): FixInfo {
  const f: FixInfo = { build: e.build, cu: e.cu, update: e.update };
  if (e.kb) f.kb = e.kb;
  return f;
}

function describe(e: TableEntry): string {
  return `${e.cu}${e.update ? ` ${e.update}` : ''} (${e.build}${e.kb ? `, ${e.kb}` : ''})`;
}

interface PatchCheck {
  patched: boolean;
  why: string;
  /** Entries whose disagreement note applies. */
  used: TableEntry[];
}

/** HealthChecker's rule for one update name; `unknown` when the line never received that update. */
export function isPatchedFor(
  table: BuildTable,
  b: ExchangeBuild,
  update: string,
  shown = formatBuild(b),
): PatchCheck | undefined {
  const labelled = table.line(b).filter((e) => e.update === update);
  if (labelled.length === 0) return undefined;
  const highest = labelled.reduce((a, e) => (compareBuilds(e.parsed, a.parsed) > 0 ? e : a));
  const own = labelled.find((e) => e.parsed.build === b.build);
  if (compareBuilds(b, highest.parsed) >= 0) {
    const why =
      highest.parsed.build === b.build
        ? `${shown} is at or above ${describe(highest)}`
        : `${shown} is a later CU than ${describe(highest)}, the newest build that got ${update}, so it includes the fix`;
    return { patched: true, why, used: [highest] };
  }
  if (own && compareBuilds(b, own.parsed) >= 0) {
    return { patched: true, why: `${shown} is at or above ${describe(own)}`, used: [own] };
  }
  const why = own
    ? `${shown} is below ${describe(own)}`
    : `${update} was never released for this CU, and ${shown} is below ${describe(highest)}`;
  return { patched: false, why, used: own ? [own] : [] };
}

/** Lowest build on this CU or a later one (same version line) that is patched for `update`. */
export function fixFor(table: BuildTable, b: ExchangeBuild, update: string): TableEntry | undefined {
  const line = table.line(b);
  const labelled = line.filter((e) => e.update === update);
  if (labelled.length === 0) return undefined;
  const highest = labelled.reduce((a, e) => (compareBuilds(e.parsed, a.parsed) > 0 ? e : a));
  const candidates = line.filter(
    (e) =>
      e.parsed.build >= b.build &&
      (e.update === update || (e.update === null && compareBuilds(e.parsed, highest.parsed) >= 0)),
  );
  return candidates[0]; // line() is sorted by build
}

interface Identified {
  cu: string;
  cuAlias?: string;
  update: string | null;
  exact: boolean;
  entry?: TableEntry;
  notes: string[];
}

function identify(table: BuildTable, b: ExchangeBuild, product: ProductId): Identified {
  const shown = formatBuild(b);
  const sameCu = table.sameCu(b).filter((e) => e.product === product);
  const cuEntry = sameCu.find((e) => e.update === null) ?? sameCu[0];
  if (!cuEntry) {
    const below = table
      .ofProduct(product)
      .filter((e) => e.update === null && e.parsed.build < b.build)
      .at(-1);
    const where = below ? `after ${below.cu} (${below.build})` : 'before the first listed build';
    return {
      cu: 'unknown',
      update: null,
      exact: false,
      notes: [`${shown} is not in the build table; it would come ${where}. Check the number.`],
    };
  }
  const base: Identified = { cu: cuEntry.cu, update: null, exact: false, notes: [] };
  if (cuEntry.cuAlias) base.cuAlias = cuEntry.cuAlias;
  if (b.revision === undefined) {
    base.update = 'unknown';
    base.notes.push(
      `Only the CU is known (${shown}): which security update is installed cannot be told from this number.`,
    );
    return base;
  }
  const exact = table.exact(b);
  if (exact) {
    if (exact.note) base.notes.push(exact.note);
    return { ...base, update: exact.update, exact: true, entry: exact };
  }
  const atOrBelow = sameCu.filter((e) => compareBuilds(e.parsed, b) <= 0).at(-1) ?? cuEntry;
  base.notes.push(
    `${shown} is not a listed release; treated as ${describe(atOrBelow)}, the highest listed build at or below it.`,
  );
  return { ...base, update: atOrBelow.update, entry: atOrBelow };
}

function cveStatusBase(c: CveInfo): Omit<CveStatus, 'status' | 'why'> {
  return { id: c.id, chain: c.chain, summary: c.summary, severity: c.severity, check: c.check };
}

function assessCve(table: BuildTable, b: ExchangeBuild, product: ProductId, c: CveInfo, notes: Set<string>) {
  const base = cveStatusBase(c);
  if (product === 'Exchange2007') {
    return { ...base, status: 'not-applicable' as const, why: 'Exchange 2007 is not affected by this flaw' };
  }
  if (product === 'Exchange2010') {
    const fix = EXCHANGE_2010_FIXES[c.id];
    if (!fix)
      return {
        ...base,
        status: 'not-applicable' as const,
        why: 'Exchange 2010 is not affected by this flaw',
      };
    const fixed = compareBuilds(b, parseBuild(fix.build)) >= 0;
    const status: CveStatus = {
      ...base,
      status: fixed ? 'fixed' : 'open',
      why: `${formatBuild(b)} is ${fixed ? 'at or above' : 'below'} 2010 ${fix.name} (${fix.build}, ${fix.kb})`,
      fix: { build: fix.build, kb: fix.kb, cu: fix.name, update: null },
    };
    return status;
  }
  // Worst case when the update is unknown: the CU's own build (revision 0 sorts below all its updates).
  const worst = { ...b, revision: b.revision ?? 0 };
  const check = isPatchedFor(table, worst, c.fixedBy, formatBuild(b));
  if (!check) {
    return {
      ...base,
      status: 'not-applicable' as const,
      why: `${c.fixedBy} was not released for this version`,
    };
  }
  for (const e of check.used) if (e.note) notes.add(e.note);
  const fixEntry = fixFor(table, worst, c.fixedBy);
  const status: CveStatus = { ...base, status: check.patched ? 'fixed' : 'open', why: check.why };
  if (fixEntry) status.fix = fixOf(fixEntry);
  if (!check.patched && b.revision === undefined) {
    const bestOnCu = table.sameCu(b).at(-1);
    if (bestOnCu && isPatchedFor(table, bestOnCu.parsed, c.fixedBy)?.patched) {
      status.dependsOnUpdate = true;
      status.why += `; an update for this CU fixes it, and only the CU is known`;
    }
  }
  if (c.check === 'config') return configStatus(status, b, check.patched);
  return status;
}

/** CVE-2024-21410 class: the build only decides whether Extended Protection can be on at all. */
function configStatus(s: CveStatus, b: ExchangeBuild, supportsEp: boolean): CveStatus {
  const how =
    'turn on Extended Protection (ExchangeExtendedProtectionManagement.ps1) and confirm with HealthChecker';
  if (s.fix) s.fix.afterwards = how;
  if (!supportsEp) {
    return {
      ...s,
      status: 'open',
      why: `Extended Protection cannot be turned on at this build: ${s.why}`,
    };
  }
  const byDefault = compareBuilds(b, parseBuild(EXTENDED_PROTECTION_DEFAULT_FROM)) >= 0;
  return {
    ...s,
    status: 'verify',
    why: byDefault
      ? 'this build turns Extended Protection on during setup unless the admin skipped it; confirm with HealthChecker'
      : `Extended Protection is supported here but off unless someone turned it on: ${how}`,
  };
}

function supportStatus(table: BuildTable, b: ExchangeBuild, product: ProductId, now: Date): SupportStatus {
  const info = table.products.get(product);
  if (!info) throw new Error(`no product record for ${product}`);
  const productEntries = table.ofProduct(product);
  const months = (es: TableEntry[]) => es.map((e) => updateMonth(e.update)).filter((m) => m !== undefined);
  const latestMonth = Math.max(-1, ...months(productEntries));
  const cuEntries = productEntries.filter((e) => e.parsed.build === b.build);
  const cuLatest = cuEntries.filter((e) => e.update !== null).at(-1);
  const end = new Date(`${info.endOfSupport}T23:59:59Z`);
  const [endYear, endMonth] = info.endOfSupport.split('-').map(Number);
  const out: SupportStatus = {
    endOfSupport: info.endOfSupport,
    outOfSupport: now.getTime() > end.getTime(),
    esuOnly: latestMonth > endYear * 12 + (endMonth - 1),
    cuReceivesUpdates: latestMonth < 0 || months(cuEntries).includes(latestMonth),
  };
  if (!out.outOfSupport) out.esuOnly = false;
  if (cuLatest?.update) out.latestUpdateForCu = cuLatest.update;
  const latest = table.latest(product);
  if (latest) out.latest = fixOf(latest);
  if (out.outOfSupport) {
    const se = table.latest('ExchangeSE');
    if (se)
      out.migrateTo = { ...fixOf(se), product: table.products.get('ExchangeSE')?.name ?? 'Exchange SE' };
  }
  return out;
}

/** Assesses a build string; throws BuildParseError for input that is not an Exchange 2007–SE build. */
export function assessBuild(input: string, opts: AssessOptions = {}): BuildAssessment {
  const table = opts.table ?? defaultBuildTable();
  const now = opts.now ?? new Date();
  const b = parseBuild(input);
  const productId = productOfBuild(b);
  if (!productId) {
    throw new BuildParseError(
      `${formatBuild(b)} is not an Exchange Server 2007–SE build (those start with 8., 14. or 15.0–15.2)`,
    );
  }
  const id = identify(table, b, productId);
  const notes = new Set(id.notes);
  const cves = CVES.map((c) => assessCve(table, b, productId, c, notes));
  const open = cves.filter((c) => c.status === 'open').map((c) => c.id);
  const fixes: Record<string, FixInfo> = {};
  for (const c of cves) if (c.fix) fixes[c.id] = c.fix;
  for (const c of CVES)
    if (c.handAdded && cves.some((s) => s.id === c.id && s.status !== 'not-applicable')) {
      notes.add(`${c.id} (${c.chain}): ${c.handAdded}.`);
    }
  const support = supportStatus(table, b, productId, now);
  const result: BuildAssessment = {
    input,
    build: formatBuild(b),
    precision: b.revision === undefined ? 'cu' : 'cu+su',
    productId,
    product: table.products.get(productId)?.name ?? productId,
    cu: id.cu,
    update: id.update,
    exact: id.exact,
    open,
    fixes,
    cves,
    support,
    notes: [...notes],
    exposed: open.length > 0 || support.outOfSupport,
  };
  if (id.cuAlias) result.cuAlias = id.cuAlias;
  if (id.entry?.kb) result.kb = id.entry.kb;
  if (id.entry?.date) result.releaseDate = id.entry.date;
  return result;
}
