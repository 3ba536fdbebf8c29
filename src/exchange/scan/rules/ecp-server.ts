// Rules for ECP Server logs (Logging\ECP\Server\*.log), CVE-2021-27065 (b) as Test-ProxyLogon.ps1 runs
// it: Select-String -List with the regex below (case-insensitive), reporting the file. Kept exactly,
// including its quirk that 'VirtualDirectory' must occur again after the closing tag.
// Also a script-in-URL check for Set-*VirtualDirectory lines the regex misses (CISA CHIRP AA21-062A /
// signature-base EXPL_LOG_CVE_2021_27065: 'S:CMD=Set-OabVirtualDirectory.ExternalUrl=').

import { excerpt } from '../hit.js';
import { leadingTimestamp } from '../timestamps.js';
import type { LogRuleSet } from './types.js';

export const TEST_PROXYLOGON_ECP_REGEX =
  /Set-.+VirtualDirectory.+?(?=Url).+<\w+.*>(.*?)<\/\w+>.+?(?=VirtualDirectory)/i;
/** A Set-*VirtualDirectory command whose URL parameter holds markup or server script. */
const VDIR_URL_WITH_SCRIPT = /Set-\w*VirtualDirectory[^;]*?\.\w*Url=''?[^;]*?(<script|<%|runat=)/i;

export const ecpServerRules: LogRuleSet = {
  kind: 'ecp-server',
  needles: () => [{ text: 'VirtualDirectory', nocase: true }],
  open(ctx) {
    let reported = false; // -List: one hit per file
    return {
      onLine(line, lineNo) {
        if (reported || line.startsWith('#')) return;
        const tpl = TEST_PROXYLOGON_ECP_REGEX.test(line);
        const script = !tpl && VDIR_URL_WITH_SCRIPT.test(line);
        if (!tpl && !script) return;
        reported = true;
        ctx.emit({
          rule: tpl ? 'proxylogon.ecp-set-vdir' : 'proxylogon.ecp-vdir-script',
          cve: 'CVE-2021-27065',
          file: ctx.rel,
          line: lineNo,
          timestamp: leadingTimestamp(line),
          why: tpl
            ? "a Set-...VirtualDirectory command put HTML/script into a URL setting: how CVE-2021-27065 writes a web shell (Test-ProxyLogon's ECP check)"
            : 'a Set-...VirtualDirectory command put server script into a URL setting (CVE-2021-27065 web shell drop)',
          severity: 'critical',
          excerpt: excerpt(line),
        });
      },
      finish() {},
    };
  },
};
