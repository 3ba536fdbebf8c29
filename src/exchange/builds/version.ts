// Parses and compares Exchange build numbers ("15.2.792.3", "15.01.2242.004", "Version 15.1 (Build 2242.4)").

/** Longer input is not a build number; the cap stops a huge argument from reaching the regexes. */
export const MAX_BUILD_STRING_LENGTH = 64;

/** A parsed build. `revision` is absent when only major.minor.build is known (e.g. OWA resource paths). */
export interface ExchangeBuild {
  major: number;
  minor: number;
  build: number;
  revision?: number;
}

export class BuildParseError extends Error {
  override name = 'BuildParseError';
}

// Each part is at most 5 digits: real builds use 4 (e.g. 2562), zero-padded short forms use 2–4.
const DOTTED = /^(\d{1,5})\.(\d{1,5})\.(\d{1,5})(?:\.(\d{1,5}))?$/;
// AdminDisplayVersion as printed by Get-ExchangeServer: "Version 15.1 (Build 2242.4)".
const ADMIN_DISPLAY = /^Version (\d{1,5})\.(\d{1,5}) \(Build (\d{1,5})\.(\d{1,5})\)$/i;

/**
 * Parses a build string. Accepts zero-padded parts (`15.01.2242.004` → 15.1.2242.4), three-part
 * builds (CU precision only) and the AdminDisplayVersion form. Throws BuildParseError otherwise.
 */
export function parseBuild(input: string): ExchangeBuild {
  if (typeof input !== 'string') throw new BuildParseError('build number must be a string');
  if (input.length > MAX_BUILD_STRING_LENGTH) {
    throw new BuildParseError(`"${input.slice(0, 20)}…" is too long to be an Exchange build number`);
  }
  const s = input.trim().replace(/^v(?=\d)/i, '');
  const m = DOTTED.exec(s) ?? ADMIN_DISPLAY.exec(s);
  if (!m) {
    throw new BuildParseError(
      `"${input}" is not an Exchange build number (expected e.g. 15.2.792.3 or 15.01.2242.004)`,
    );
  }
  const out: ExchangeBuild = { major: Number(m[1]), minor: Number(m[2]), build: Number(m[3]) };
  if (m[4] !== undefined) out.revision = Number(m[4]);
  return out;
}

/** Canonical dotted form without zero padding. */
export function formatBuild(b: ExchangeBuild): string {
  const base = `${b.major}.${b.minor}.${b.build}`;
  return b.revision === undefined ? base : `${base}.${b.revision}`;
}

/** "15.2" — the version line a build belongs to (2013 = 15.0, 2016 = 15.1, 2019 and SE = 15.2). */
export function lineOf(b: ExchangeBuild): string {
  return `${b.major}.${b.minor}`;
}

/** Numeric comparison; a missing revision counts as 0 (the lowest build of that CU). */
export function compareBuilds(a: ExchangeBuild, b: ExchangeBuild): number {
  return a.major - b.major || a.minor - b.minor || a.build - b.build || (a.revision ?? 0) - (b.revision ?? 0);
}

export function sameCuLevel(a: ExchangeBuild, b: ExchangeBuild): boolean {
  return a.major === b.major && a.minor === b.minor && a.build === b.build;
}
