// Reads an Exchange build from what a server shows without credentials: the X-OWA-Version header,
// resource paths on the OWA logon page, and the ECP eDiscovery export-tool ClickOnce manifest.

import { type ExchangeBuild, formatBuild, parseBuild } from '../builds/version.js';

export type ProbeSource = 'x-owa-version' | 'logon-page' | 'exporttool-manifest';

export const PROBE_PATHS: Readonly<Record<ProbeSource, string>> = {
  'x-owa-version': '/owa/',
  'logon-page': '/owa/auth/logon.aspx',
  'exporttool-manifest': '/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application',
};

/** Only the start of a body is searched: the version is near the top of both pages. */
export const MAX_SCANNED_BODY_CHARS = 256 * 1024;

const isExchangeMajor = (b: ExchangeBuild) => b.major === 8 || b.major === 14 || b.major === 15;

function tryParse(s: string): ExchangeBuild | undefined {
  try {
    const b = parseBuild(s);
    return isExchangeMajor(b) ? b : undefined;
  } catch {
    return undefined;
  }
}

/** X-OWA-Version: the full build including the security update (e.g. 15.1.2242.12). */
export function versionFromHeaders(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== 'x-owa-version' || v === undefined) continue;
    const b = tryParse(String(Array.isArray(v) ? v[0] : v));
    if (b) return formatBuild(b);
  }
  return undefined;
}

// "/owa/auth/15.1.2242/themes/resources/favicon.ico" (2013+: CU only) or "/owa/14.3.123.4/themes/…" (2010).
const RESOURCE_PATH =
  /\/owa\/(?:auth\/)?(\d{1,2}\.\d{1,2}\.\d{1,5}(?:\.\d{1,5})?)\/(?:themes|scripts|resources|prem|images)\//gi;

/** The highest build named in resource paths of the logon page (usually 3 parts: CU only). */
export function versionFromLogonPage(html: string): string | undefined {
  let best: ExchangeBuild | undefined;
  for (const m of html.slice(0, MAX_SCANNED_BODY_CHARS).matchAll(RESOURCE_PATH)) {
    const b = tryParse(m[1]);
    if (!b) continue;
    if (
      !best ||
      b.build > best.build ||
      (b.build === best.build && (b.revision ?? 0) > (best.revision ?? 0))
    ) {
      best = b;
    }
  }
  return best ? formatBuild(best) : undefined;
}

// <assemblyIdentity name="microsoft.exchange.ediscovery.exporttool.application" version="15.2.1118.7" …/>
const MANIFEST_IDENTITY = /<(?:\w+:)?assemblyIdentity\b[^>]*>/gi;
const VERSION_ATTR = /\bversion\s*=\s*["'](\d+\.\d+\.\d+\.\d+)["']/i;

/** The export tool's own version from its ClickOnce deployment manifest (4 parts). */
export function versionFromExportToolManifest(xml: string): string | undefined {
  const tags = [...xml.slice(0, MAX_SCANNED_BODY_CHARS).matchAll(MANIFEST_IDENTITY)].map((m) => m[0]);
  // Prefer the manifest's own identity; dependencies also carry assemblyIdentity elements.
  const own = tags.find((t) => /exporttool/i.test(t)) ?? tags[0];
  const v = own ? VERSION_ATTR.exec(own)?.[1] : undefined;
  const b = v ? tryParse(v) : undefined;
  return b ? formatBuild(b) : undefined;
}
