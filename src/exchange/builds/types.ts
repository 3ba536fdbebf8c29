// Shapes of the Exchange build table (data/exchange/builds.json) and of a build assessment.

export type ProductId =
  | 'Exchange2007'
  | 'Exchange2010'
  | 'Exchange2013'
  | 'Exchange2016'
  | 'Exchange2019'
  | 'ExchangeSE';

export type BuildSource = 'ms' | 'healthchecker';

/** One released build: a CU (update null) or a security/hotfix update on top of a CU. */
export interface BuildEntry {
  product: ProductId;
  /** CU label as HealthChecker names it ("CU23", "RTM"; "SP3 RU32" for 2007/2010). */
  cu: string;
  /** Microsoft's list names some CUs differently ("SP1" for 2013 CU4). */
  cuAlias?: string;
  /** "Mar21SU", "Apr24HU", "Aug23SUv2"; null for the CU itself. */
  update: string | null;
  /** Canonical dotted build (no zero padding). */
  build: string;
  /** Release date (YYYY-MM-DD), from Microsoft's list. */
  date?: string;
  kb?: string;
  sources: BuildSource[];
  /** Other build numbers the sources give for this same release (see `note`). */
  otherBuilds?: string[];
  note?: string;
}

export interface ProductInfo {
  id: ProductId;
  name: string;
  /** Last day of support (YYYY-MM-DD). */
  endOfSupport: string;
}

/** Where Microsoft's list and HealthChecker give different builds for the same release. */
export interface Disagreement {
  product: ProductId;
  cu: string;
  update: string | null;
  ms: string;
  healthchecker: string;
  /** The build we treat as fixing: the lower one. */
  used: string;
}

export interface BuildTableData {
  schema: 1;
  sources: {
    id: BuildSource;
    name: string;
    repository: string;
    path: string;
    commit: string;
    licence: string;
  }[];
  products: ProductInfo[];
  builds: BuildEntry[];
  disagreements: Disagreement[];
}
