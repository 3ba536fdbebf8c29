// Build → exposure: public entry points.
export {
  type AssessOptions,
  assessBuild,
  type BuildAssessment,
  type CveStatus,
  type FixInfo,
  type Precision,
  type SupportStatus,
} from './assess.js';
export { CVES, type CveInfo, cveInfo } from './cves.js';
export { BuildTable, defaultBuildTable, productOfBuild } from './table.js';
export type { BuildEntry, BuildTableData, ProductId } from './types.js';
export { BuildParseError, type ExchangeBuild, formatBuild, parseBuild } from './version.js';
