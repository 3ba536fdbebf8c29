// Rules for IIS W3C logs (inetpub\logs\LogFiles\W3SVC*\*.log). Ported from signature-base
// (apt_hafnium_log_sigs.yar, expl_proxyshell.yar, expl_cve_2022_41040_proxynoshell.yar,
// vuln_proxynotshell_cve_2022_41040.yar, expl_proxynotshell_owassrf_dec22.yar,
// exploit_cve_2021_33766_proxytoken.yar; authors Florian Roth (Nextron Systems), Zach Stanford; DRL 1.1)
// and CISA CHIRP AA21-062A (CC0). Most YARA conditions are over the raw line and kept that way; fields
// (date/time, c-ip, cs-username, sc-status) come from the '#Fields:' header.

import type { ScanHit } from '../../types.js';
import { excerpt } from '../hit.js';
import type { LogRecord } from '../log-record.js';
import type { NeedleSpec } from '../needles.js';
import { recordMatcher, statusOf } from './record-checks.js';
import { classifyAutodiscoverJson, OWASSRF_BENIGN, OWASSRF_PATH } from './shared-patterns.js';
import type { LogRuleSet } from './types.js';

/** Web shell drops through ProxyLogon: POSTs to static OWA/ECP resources (HAFNIUM, Volexity/CHIRP). */
const HAFNIUM_STATIC_POST =
  /POST \/(ecp\/y\.js|ecp\/main\.css|ecp\/default\.flt|ecp\/auth\/w\.js|owa\/auth\/w\.js|ecp\/\w\.js|owa\/auth\/Current\/[^ ]*)/;
/** User agents seen with HAFNIUM POSTs (signature-base LOG_APT_HAFNIUM_Exchange_Log_Traces_Mar21_1). */
const HAFNIUM_POST_UA =
  /POST \/(ecp|owa|aspnet_client)\/[^\n]{1,600} (ExchangeServicesClient\/0\.0\.0\.0|python-requests\/2\.19\.1|python-requests\/2\.25\.1|antSword\/v2\.1|Googlebot\/2\.1\+\(\+http:\/\/www\.googlebot\.com\/bot\.html\)|Mozilla\/5\.0\+\(compatible;\+Baiduspider\/2\.0;\+\+http:\/\/www\.baidu\.com\/search\/spider\.html\))[^\n]* (200|301|302) /;
/** Exploit-tool user agents from CISA CHIRP AA21-062A; "not necessarily indicative of compromise". */
export const ATTACKER_USER_AGENTS = [
  'ExchangeServicesClient/0.0.0.0',
  'python-requests/2.19.1',
  'python-requests/2.25.1',
  'antSword/v2.1',
];
const RPC_EMPTY_CORRELATION = /GET \/rpc\/ &CorrelationID=<empty>;&RequestId=[^\n]{40,600} (200|301|302)/;
const CLEANUP_X = /cmd\.exe \/c cd \/d C:[/\\]inetpub[/\\]wwwroot[/\\]aspnet_client/i;
const CLEANUP_S = ["aspnet_client&del '", 'aspnet_client&attrib +h +s +r ', '&echo [S]'];
const PROXYTOKEN = /\/ecp\/[^ ]*(\/RulesEditor\/InboxRules\.svc\/NewObject|SecurityToken=)/;

export const IIS_NEEDLES: NeedleSpec[] = [
  // IIS starts a new header block after a restart; the matcher must see it to map later rows.
  { text: '#Fields:' },
  { text: 'autodiscover.json', nocase: true },
  { text: '/powershell', nocase: true },
  { text: 'ServerInfo~', nocase: true },
  { text: 'aspnet_client', nocase: true },
  { text: 'POST /owa/auth/' },
  { text: 'POST /ecp/' },
  { text: '/rpc/ &CorrelationID=<empty>' },
  { text: 'python-requests/2.' },
  { text: 'ExchangeServicesClient/0.0.0.0' },
  { text: 'antSword/v2.1' },
];

function base(r: LogRecord, rel: string) {
  const date = r.get('date');
  const time = r.get('time');
  const user = r.get('cs-username');
  return {
    file: rel,
    line: r.lineNo,
    timestamp: date && time ? `${date}T${time}Z` : undefined,
    clientIp: r.get('c-ip') || undefined,
    excerpt: excerpt(r.raw),
    user: user && user !== '-' ? user : undefined,
  };
}

/** The raw-line regexes (ported from YARA) look at most this much of a line: IIS caps URLs far below
 * it, and a crafted megabyte-long line must not make a backtracking pattern run for seconds. */
export const MAX_RULE_LINE_CHARS = 65_536;

export function matchIisRecord(r: LogRecord, rel: string): ScanHit[] {
  const hits: ScanHit[] = [];
  const { user, ...b } = base(r, rel);
  const raw = r.raw.length > MAX_RULE_LINE_CHARS ? r.raw.slice(0, MAX_RULE_LINE_CHARS) : r.raw;
  const status = statusOf(r) ?? '';
  const method = r.get('cs-method') ?? '';
  const stem = r.get('cs-uri-stem') ?? '';
  const query = r.get('cs-uri-query') ?? '';
  const url = query && query !== '-' ? `${stem}?${query}` : stem;
  const ua = r.get('cs(User-Agent)') ?? '';

  const auto = classifyAutodiscoverJson(url, status, user !== undefined);
  if (auto) hits.push({ ...auto, ...b });

  if (OWASSRF_PATH.test(stem) && method === 'POST' && status === '200' && !OWASSRF_BENIGN.test(raw)) {
    hits.push({
      rule: 'owassrf.owa-powershell',
      cve: 'CVE-2022-41080',
      ...b,
      why: `POST to "${stem}" answered 200: remote PowerShell reached through OWA (OWASSRF, CVE-2022-41080 with CVE-2022-41082)`,
      severity: 'critical',
    });
  } else if (
    /^\/powershell$/i.test(stem) &&
    method === 'POST' &&
    r.get('s-port') === '444' &&
    / - 200 0 0 2/.test(raw) &&
    !OWASSRF_BENIGN.test(raw)
  ) {
    hits.push({
      rule: 'owassrf.backend-powershell',
      cve: 'CVE-2022-41080',
      ...b,
      why: 'POST /powershell on the back-end site (port 444) without a normal PowerShell client: the back-end side of an OWASSRF/ProxyNotShell session (signature-base Dec22_3)',
      severity: 'medium',
    });
  }

  if (method === 'POST' && status === '500' && PROXYTOKEN.test(url) && / 500 0 0/.test(raw)) {
    hits.push({
      rule: 'proxytoken.ecp',
      cve: 'CVE-2021-33766',
      ...b,
      why: `POST to "${stem}" with a SecurityToken / inbox-rule call answered 500: the ProxyToken attempt to add a forwarding rule to someone else's mailbox`,
      severity: 'high',
    });
  }

  const staticPost = HAFNIUM_STATIC_POST.exec(raw);
  if (staticPost) {
    hits.push({
      rule: 'proxylogon.static-post',
      cve: 'CVE-2021-26855',
      ...b,
      why: `POST to the static file /${staticPost[1]} (HTTP ${status}): static files are never POSTed by browsers; this is how ProxyLogon exploit traffic shows up in IIS logs (Volexity, CISA AA21-062A)`,
      severity: /^(200|301|302)$/.test(status) ? 'high' : 'medium',
    });
  } else if (HAFNIUM_POST_UA.test(raw)) {
    hits.push({
      rule: 'proxylogon.exploit-user-agent-post',
      cve: 'CVE-2021-26855',
      ...b,
      why: `successful POST to ${stem} with the user agent "${ua}", seen in HAFNIUM exploitation (signature-base LOG_APT_HAFNIUM_Exchange_Log_Traces_Mar21_1)`,
      severity: 'high',
    });
  } else {
    const known = ATTACKER_USER_AGENTS.find((a) => ua.includes(a));
    if (known) {
      hits.push({
        rule: 'ua.exploit-tool',
        ...b,
        why: `user agent "${known}" is one CISA listed for ProxyLogon exploitation tools (not proof on its own)`,
        severity: 'low',
      });
    }
  }

  if (RPC_EMPTY_CORRELATION.test(raw)) {
    hits.push({
      rule: 'proxylogon.rpc-probe',
      ...b,
      why: 'GET /rpc/ with an empty CorrelationID: a request shape from the public ProxyLogon exploit (signature-base LOG_CVE_2021_27065_Exchange_Forensic_Artefacts_Mar21_2)',
      severity: 'medium',
    });
  }

  if (/^\/aspnet_client\/.+\.(aspx|ashx|asmx|asp)$/i.test(stem) && status !== '404') {
    hits.push({
      rule: 'webshell.aspnet-client-request',
      ...b,
      why: `request to ${stem} (HTTP ${status}): aspnet_client holds no pages on a clean Exchange server, so a page answered there is most likely a web shell`,
      severity: /^(200|302)$/.test(status) ? 'high' : 'medium',
    });
  }

  if (CLEANUP_X.test(raw) || CLEANUP_S.filter((s) => raw.includes(s)).length >= 2) {
    hits.push({
      rule: 'hafnium.cleanup-command',
      ...b,
      why: 'command line that deletes or hides files in aspnet_client: HAFNIUM clean-up after a web shell (signature-base LOG_Exchange_Forensic_Artefacts_CleanUp_Activity_Mar21_1)',
      severity: 'high',
    });
  }
  return hits;
}

export const iisRules: LogRuleSet = {
  kind: 'iis-w3c',
  needles: () => IIS_NEEDLES,
  open(ctx) {
    return recordMatcher(ctx, (r) => {
      for (const hit of matchIisRecord(r, ctx.rel)) ctx.emit(hit);
    });
  },
};
