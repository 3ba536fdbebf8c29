// URL patterns shared by the IIS and HttpProxy rules. Sources: signature-base expl_proxyshell.yar,
// expl_cve_2022_41040_proxynoshell.yar, vuln_proxynotshell_cve_2022_41040.yar,
// expl_proxynotshell_owassrf_dec22.yar (Florian Roth, Nextron Systems; DRL 1.1) and the Sigma rule
// "Successful Exchange ProxyShell Attack". Matching is case-insensitive where the attacker controls case.

import type { ScanHit } from '../../types.js';

/** autodiscover.json used as an explicit-logon path to reach a back-end endpoint (ProxyShell's trick). */
const AUTODISCOVER_BACKEND =
  /\/autodiscover\/autodiscover\.json[\s\S]{1,300}?\/(powershell|mapi\/nspi|EWS\/|X-Rps-CAT)/i;
/** ProxyShell requests carry the marker in the query. */
const EMAIL_MARKER = /Email=autodiscover\/autodiscover\.json/i;
/** ProxyNotShell spelling of the same trick (any case of "powershell", often as a protocol value). */
const NOTSHELL_POWERSHELL = /\/autodiscover\/autodiscover\.json[\s\S]{1,300}?owershell/i;
/** Markers of the public ProxyNotShell proof of concept (testanull/ProxyNotShell-PoC). */
const NOTSHELL_POC = /\/autodiscover\.json x=a|\/autodiscover\/admin@localhost\//i;
/** Nessus' harmless autodiscover.json check, excluded by signature-base. */
const NESSUS = /&Email=autodiscover\/autodiscover\.json%3F@test\.com/i;

/** OWA path with a mailbox in it that ends at /powershell: the OWASSRF request. */
export const OWASSRF_PATH = /\/owa\/[^/\s]{1,30}(%40|@)[^/\s.]{1,30}\.[^/\s]{2,3}\/powershell/i;

/** Legitimate remote PowerShell clients, excluded by CrowdStrike's Rps_Http-IOC.ps1 and signature-base. */
export const OWASSRF_BENIGN = /\bClientInfo\b|\bMicrosoft WinRM Client\b|\bExchange BackEnd Probes\b/;

type PartialHit = Omit<ScanHit, 'file'>;

/**
 * Classifies a request URL (stem + query) against the ProxyShell / ProxyNotShell patterns.
 * `authenticated` tells the two apart: ProxyShell needs no account, ProxyNotShell does.
 */
export function classifyAutodiscoverJson(
  url: string,
  status: string,
  authenticated: boolean,
): PartialHit | undefined {
  if (!/autodiscover\.json/i.test(url) || NESSUS.test(url)) return undefined;
  const backend = AUTODISCOVER_BACKEND.exec(url);
  const marker = EMAIL_MARKER.test(url);
  const poc = NOTSHELL_POC.test(url);
  const notshellWord = NOTSHELL_POWERSHELL.test(url);
  if (!backend && !marker && !poc && !notshellWord) return undefined;
  const ok = status === '200' || status === '301' || status === '302';
  const target = backend ? `/${backend[1]}` : notshellWord ? 'PowerShell' : 'a back-end path';
  if (poc || (authenticated && (notshellWord || backend))) {
    if (!ok) {
      return {
        rule: 'proxynotshell.autodiscover-attempt',
        cve: 'CVE-2022-41040',
        why: `autodiscover.json request reaching for ${target} (HTTP ${status || 'unknown'}): a ProxyNotShell attempt that did not succeed`,
        severity: 'medium',
      };
    }
    return {
      rule: 'proxynotshell.autodiscover',
      cve: 'CVE-2022-41040',
      why: `authenticated autodiscover.json request reaching for ${target} answered with HTTP ${status}: the ProxyNotShell SSRF (CVE-2022-41040, used with CVE-2022-41082 for code execution)`,
      severity: 'critical',
    };
  }
  if (ok) {
    return {
      rule: 'proxyshell.autodiscover',
      cve: 'CVE-2021-34473',
      why: `unauthenticated autodiscover.json request reaching for ${target} answered with HTTP ${status}: the ProxyShell path confusion (CVE-2021-34473, chained with 34523 and 31207)`,
      severity: 'critical',
    };
  }
  return {
    rule: 'proxyshell.autodiscover-attempt',
    cve: 'CVE-2021-34473',
    why: `autodiscover.json request reaching for ${target} (HTTP ${status || 'unknown'}): a ProxyShell attempt that was refused`,
    severity: 'medium',
  };
}
