// Rules for Exchange HttpProxy logs (Logging\HttpProxy\<Protocol>\*.log).
//  - CVE-2021-26855 exactly as Test-ProxyLogon.ps1 (CSS-Exchange @ f88378b1): AnchorMailbox -like
//    'ServerInfo~*/*', not '*/autodiscover*', not 'ServerInfo~localhost*/*'.
//  - CVE-2021-27065 (a): in HttpProxy\Ecp, AnchorMailbox -like 'ServerInfo~*/*Reset*VirtualDirectory#'
//    with HttpStatus 200.
//  - signature-base EXPL_LOG_CVE_2021_27055 (Zach Stanford, Florian Roth; DRL 1.1): 'ServerInfo~' with a
//    static-file SSRF target; reported only for rows Test-ProxyLogon leaves out (the localhost form).
//  - ProxyShell / ProxyNotShell: autodiscover.json carrying a back-end path (Sigma "Successful Exchange
//    ProxyShell Attack"; signature-base EXPL_Exchange_ProxyShell_*, Florian Roth).
//  - OWASSRF: /owa/<mailbox>@<domain>/powershell (signature-base EXPL_LOG_ProxyNotShell_OWASSRF_*).

import { excerpt } from '../hit.js';
import { like } from '../like.js';
import type { LogRecord } from '../log-record.js';
import { normaliseTimestamp } from '../timestamps.js';
import { recordMatcher } from './record-checks.js';
import { classifyAutodiscoverJson, OWASSRF_BENIGN, OWASSRF_PATH } from './shared-patterns.js';
import type { LogRuleSet } from './types.js';

const SSRF_STATIC_TARGET =
  /\/ecp\/[0-9a-zA-Z]{1,3}\.js|\/ecp\/auth\/w\.js|\/owa\/auth\/w\.js|\/owa\/auth\/x\.js|\/ecp\/main\.css|\/ecp\/default\.flt|\/owa\/auth\/Current\/themes\/resources\/logon\.css/;

/** The protocol folder under HttpProxy, lower-cased ('ecp', 'owa', ...), or '' when the layout is flat. */
function protocolFolder(rel: string): string {
  const parts = rel.toLowerCase().split('/');
  const i = parts.lastIndexOf('httpproxy');
  return i >= 0 && i + 2 < parts.length ? parts[i + 1] : '';
}

function context(r: LogRecord) {
  return {
    line: r.lineNo,
    timestamp: normaliseTimestamp(r.get('DateTime')),
    clientIp: r.get('ClientIpAddress') || undefined,
    excerpt: excerpt(r.raw),
  };
}

export const httpProxyRules: LogRuleSet = {
  kind: 'httpproxy',
  needles(rel) {
    const proto = protocolFolder(rel);
    const needles = [{ text: 'ServerInfo~', nocase: true }];
    // ProxyShell is logged under Autodiscover, OWASSRF under Owa; a flat copy gets every needle.
    if (proto === '' || proto === 'autodiscover') needles.push({ text: 'autodiscover.json', nocase: true });
    if (proto === '' || proto === 'owa') needles.push({ text: '/powershell', nocase: true });
    return needles;
  },
  open(ctx) {
    const inEcp = protocolFolder(ctx.rel) === 'ecp' || /(^|\/)ecp\//i.test(ctx.rel);
    return recordMatcher(ctx, (r) => {
      const anchor = r.get('AnchorMailbox') ?? '';
      let ssrf = false;
      if (
        like(anchor, 'ServerInfo~*/*') &&
        !like(anchor, 'ServerInfo~*/autodiscover*') &&
        !like(anchor, 'ServerInfo~localhost*/*')
      ) {
        ssrf = true;
        ctx.emit({
          rule: 'proxylogon.ssrf',
          cve: 'CVE-2021-26855',
          file: ctx.rel,
          ...context(r),
          why: `AnchorMailbox is "${anchor}": a request routed to a back-end URL named by the caller (the ProxyLogon server-side request forgery), as Test-ProxyLogon checks`,
          severity: 'critical',
        });
      }
      if (inEcp && like(anchor, 'ServerInfo~*/*Reset*VirtualDirectory#') && r.get('HttpStatus') === '200') {
        ctx.emit({
          rule: 'proxylogon.reset-vdir',
          cve: 'CVE-2021-27065',
          file: ctx.rel,
          ...context(r),
          why: `ECP request through the SSRF reset a virtual directory ("${anchor}", HTTP 200): the step that writes a web shell via CVE-2021-27065`,
          severity: 'critical',
        });
      }
      if (!ssrf && /serverinfo~/i.test(anchor) && SSRF_STATIC_TARGET.test(r.raw)) {
        ctx.emit({
          rule: 'proxylogon.ssrf-static',
          file: ctx.rel,
          ...context(r),
          why: `AnchorMailbox "${anchor}" with a request for ${r.get('UrlStem') ?? 'a static file'}: the pattern of a ProxyLogon (CVE-2021-26855) probe; Test-ProxyLogon skips it because it targets localhost or autodiscover (signature-base EXPL_LOG_CVE_2021_27055, Zach Stanford / Florian Roth)`,
          severity: 'medium',
        });
      }
      const url = `${r.get('UrlStem') ?? ''}${r.get('UrlQuery') ?? ''}`;
      const status = r.get('HttpStatus') ?? '';
      const user = r.get('AuthenticatedUser') ?? '';
      const auto = classifyAutodiscoverJson(url, status, user !== '' && user !== '-');
      if (auto) ctx.emit({ ...auto, file: ctx.rel, ...context(r) });
      const method = r.get('Method') ?? 'POST';
      if (OWASSRF_PATH.test(url) && status === '200' && method === 'POST' && !OWASSRF_BENIGN.test(r.raw)) {
        ctx.emit({
          rule: 'owassrf.owa-powershell',
          cve: 'CVE-2022-41080',
          file: ctx.rel,
          ...context(r),
          why: `OWA request to "${r.get('UrlStem')}": remote PowerShell reached through OWA, the OWASSRF route around the ProxyNotShell mitigation (signature-base EXPL_LOG_ProxyNotShell_OWASSRF, Florian Roth)`,
          severity: 'critical',
        });
      }
    });
  },
};
