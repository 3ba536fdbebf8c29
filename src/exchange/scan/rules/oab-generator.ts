// Rule for OABGenerator logs (Logging\OABGeneratorLog\**), CVE-2021-26858 as Test-ProxyLogon.ps1 checks
// it: lines with 'Download failed and temporary file', path extracted with the same regex, flagged when
// it does not start with "'<install>ClientAccess\OAB" (the quote is part of the logged path).
// On a copy of the logs the install path is unknown unless given, so by default any
// "'X:\...\V15\ClientAccess\OAB\" path without '..' counts as the OAB folder.

import { excerpt } from '../hit.js';
import { leadingTimestamp } from '../timestamps.js';
import type { LogRuleSet } from './types.js';

const DOWNLOAD_FAILED = /Download failed and temporary file (.*?) needs to be removed/i;
const DEFAULT_OAB_PREFIX = /^'[a-z]:\\(?:[^\\']+\\)*?V15\\ClientAccess\\OAB(\\|')/i;

export function isOabFolderPath(quotedPath: string, installPath?: string): boolean {
  if (/(^|\\)\.\.(\\|'|$)/.test(quotedPath)) return false;
  if (installPath) {
    const base = installPath.endsWith('\\') ? installPath : installPath + '\\';
    return quotedPath.toLowerCase().startsWith(`'${base}ClientAccess\\OAB`.toLowerCase());
  }
  return DEFAULT_OAB_PREFIX.test(quotedPath);
}

export const oabGeneratorRules: LogRuleSet = {
  kind: 'oabgenerator',
  needles: () => [{ text: 'Download failed and temporary file', nocase: true }],
  open(ctx) {
    return {
      onLine(line, lineNo) {
        const m = DOWNLOAD_FAILED.exec(line);
        if (!m || isOabFolderPath(m[1], ctx.installPath)) return;
        ctx.emit({
          rule: 'proxylogon.oab-download-path',
          cve: 'CVE-2021-26858',
          file: ctx.rel,
          line: lineNo,
          timestamp: leadingTimestamp(line),
          why: `the OAB generator wrote a temporary file at ${m[1]}, outside the OAB folder: the arbitrary file write of CVE-2021-26858`,
          severity: 'critical',
          excerpt: excerpt(line),
        });
      },
      finish() {},
    };
  },
};
