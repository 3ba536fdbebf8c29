// The build table (data/exchange/builds.json) with the look-ups the CVE check needs.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildEntry, BuildTableData, ProductId, ProductInfo } from './types.js';
import { compareBuilds, type ExchangeBuild, formatBuild, parseBuild } from './version.js';

/** A table entry with its build parsed once. */
export interface TableEntry extends BuildEntry {
  parsed: ExchangeBuild;
  /** Parsed `otherBuilds`. */
  alternates: ExchangeBuild[];
}

/** Exchange SE shares 15.2 with 2019; HealthChecker tells them apart by build ≥ 2562. */
export const SE_FIRST_BUILD = 2562;

// Same path from src/exchange/builds/ and from dist/exchange/builds/.
const DEFAULT_DATA_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../data/exchange/builds.json',
);

/** Which product a build belongs to, or undefined when it is not an Exchange 2007–SE build. */
export function productOfBuild(b: ExchangeBuild): ProductId | undefined {
  if (b.major === 8 && b.minor <= 3) return 'Exchange2007';
  if (b.major === 14 && b.minor <= 3) return 'Exchange2010';
  if (b.major !== 15) return undefined;
  if (b.minor === 0) return 'Exchange2013';
  if (b.minor === 1) return 'Exchange2016';
  if (b.minor === 2) return b.build >= SE_FIRST_BUILD ? 'ExchangeSE' : 'Exchange2019';
  return undefined;
}

export class BuildTable {
  readonly entries: TableEntry[];
  readonly products: Map<ProductId, ProductInfo>;
  readonly data: BuildTableData;

  constructor(data: BuildTableData) {
    if (data?.schema !== 1 || !Array.isArray(data.builds)) throw new Error('unsupported build table format');
    this.data = data;
    this.entries = data.builds
      .map((e) => ({ ...e, parsed: parseBuild(e.build), alternates: (e.otherBuilds ?? []).map(parseBuild) }))
      .sort((a, b) => compareBuilds(a.parsed, b.parsed));
    this.products = new Map(data.products.map((p) => [p.id, p]));
  }

  static fromFile(file: string = DEFAULT_DATA_FILE): BuildTable {
    return new BuildTable(JSON.parse(readFileSync(file, 'utf8')) as BuildTableData);
  }

  /** Entries of the same version line (15.0 / 15.1 / 15.2, so 2019 and SE together, as HealthChecker does). */
  line(b: ExchangeBuild): TableEntry[] {
    return this.entries.filter((e) => e.parsed.major === b.major && e.parsed.minor === b.minor);
  }

  ofProduct(product: ProductId): TableEntry[] {
    return this.entries.filter((e) => e.product === product);
  }

  /** Entries released on the same CU (same major.minor.build). */
  sameCu(b: ExchangeBuild): TableEntry[] {
    return this.line(b).filter((e) => e.parsed.build === b.build);
  }

  /** The entry whose build (or alternate build) is exactly b; the CU entry wins over an SU at the same build. */
  exact(b: ExchangeBuild): TableEntry | undefined {
    if (b.revision === undefined) return undefined;
    const key = formatBuild(b);
    const hits = this.sameCu(b).filter(
      (e) => e.build === key || e.alternates.some((a) => formatBuild(a) === key),
    );
    return hits.find((e) => e.update === null) ?? hits[0];
  }

  /** Highest-build entry of a product (its newest CU + update). */
  latest(product: ProductId): TableEntry | undefined {
    return this.ofProduct(product).at(-1);
  }
}

let defaultTable: BuildTable | undefined;

/** The shipped table, loaded once. */
export function defaultBuildTable(): BuildTable {
  defaultTable ??= BuildTable.fromFile();
  return defaultTable;
}
