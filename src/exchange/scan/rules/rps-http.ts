// Rule for the remote-PowerShell proxy logs (Logging\CmdletInfra\Powershell-Proxy\Http\Rps_Http_*.log):
// signature-base EXPL_LOG_ProxyNotShell_PowerShell_Proxy_Log_Dec22_1 (Florian Roth; DRL 1.1), based on
// CrowdStrike's Rps_Http-IOC.ps1: a Kerberos-authenticated POST to /powershell that the OWASSRF chain
// leaves, excluding the normal PowerShell clients.

import { excerpt } from '../hit.js';
import { leadingTimestamp } from '../timestamps.js';
import { OWASSRF_BENIGN } from './shared-patterns.js';
import type { LogRuleSet } from './types.js';

const RPS_HTTP_POWERSHELL =
  /,\/[Pp][Oo][Ww][Ee][Rr][Ss][Hh][Ee][Ll][Ll][^\n]{0,50},Kerberos,true,[^\n]{0,50},200,0,,,,[^\n]{0,2000};OnEndRequest\.End\.ContentType=application\/soap\+xml charset UTF-8;S:ServiceCommonMetadata\.HttpMethod=POST;/;
/** The pattern looks at most this much of a line (its own ranges add up to about 2.2 KB). */
const MAX_RULE_LINE_CHARS = 65_536;

export const rpsHttpRules: LogRuleSet = {
  kind: 'rps-http',
  needles: () => [{ text: 'OnEndRequest.End.ContentType=application/soap+xml' }],
  open(ctx) {
    return {
      onLine(line, lineNo) {
        const raw = line.length > MAX_RULE_LINE_CHARS ? line.slice(0, MAX_RULE_LINE_CHARS) : line;
        if (!RPS_HTTP_POWERSHELL.test(raw) || OWASSRF_BENIGN.test(raw)) return;
        ctx.emit({
          rule: 'owassrf.rps-http',
          cve: 'CVE-2022-41080',
          file: ctx.rel,
          line: lineNo,
          timestamp: leadingTimestamp(line),
          why: 'Kerberos-authenticated remote PowerShell POST from a client that is not a normal PowerShell client: how the OWASSRF / ProxyNotShell chain shows up in the PowerShell proxy log (signature-base EXPL_LOG_ProxyNotShell_PowerShell_Proxy_Log_Dec22_1, after CrowdStrike Rps_Http-IOC.ps1)',
          severity: 'high',
          excerpt: excerpt(line),
        });
      },
      finish() {},
    };
  },
};
