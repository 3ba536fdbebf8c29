// The server-side CVE chains the build check covers, and the update that fixes each.
// Update → CVE mapping follows HealthChecker's $suNameDictionary (Invoke-AnalyzerSecurityCveCheck.ps1,
// CSS-Exchange @ f88378b1). Entries marked `handAdded` are missing from that dictionary and come from
// Microsoft's advisories as summarised in ../shared/exchange/FACTS.md §1.

export type Severity = 'critical' | 'high' | 'medium';

export interface CveInfo {
  id: string;
  /** Public name of the attack chain. */
  chain: string;
  /** What the flaw lets an attacker do, in plain words. */
  summary: string;
  severity: Severity;
  /** Build check: fixed by this update (or any later CU that includes it). Config check: the update that made the fix possible. */
  fixedBy: string;
  check: 'build' | 'config';
  handAdded?: string;
}

export const CVES: readonly CveInfo[] = [
  {
    id: 'CVE-2021-26855',
    chain: 'ProxyLogon',
    summary: 'lets anyone on the internet make the server send requests as itself (no password needed)',
    severity: 'critical',
    fixedBy: 'Mar21SU',
    check: 'build',
  },
  {
    id: 'CVE-2021-26857',
    chain: 'ProxyLogon',
    summary: 'lets an attacker run code as SYSTEM through Unified Messaging',
    severity: 'high',
    fixedBy: 'Mar21SU',
    check: 'build',
  },
  {
    id: 'CVE-2021-26858',
    chain: 'ProxyLogon',
    summary: 'lets an attacker write any file on the server (used to drop webshells)',
    severity: 'high',
    fixedBy: 'Mar21SU',
    check: 'build',
  },
  {
    id: 'CVE-2021-27065',
    chain: 'ProxyLogon',
    summary: 'lets an attacker write any file on the server through the admin centre (ECP)',
    severity: 'high',
    fixedBy: 'Mar21SU',
    check: 'build',
  },
  {
    id: 'CVE-2021-34473',
    chain: 'ProxyShell',
    summary: 'lets anyone on the internet reach internal server pages (no password needed)',
    severity: 'critical',
    fixedBy: 'Apr21SU',
    check: 'build',
    handAdded: 'not in HealthChecker; fixed by the April 2021 SU (KB5001779)',
  },
  {
    id: 'CVE-2021-34523',
    chain: 'ProxyShell',
    summary: 'lets an attacker act as an administrator in Exchange PowerShell',
    severity: 'critical',
    fixedBy: 'Apr21SU',
    check: 'build',
    handAdded: 'not in HealthChecker; fixed by the April 2021 SU (KB5001779)',
  },
  {
    id: 'CVE-2021-31207',
    chain: 'ProxyShell',
    summary: 'lets an attacker write a webshell by exporting a mailbox to a web folder',
    severity: 'high',
    fixedBy: 'May21SU',
    check: 'build',
  },
  {
    id: 'CVE-2021-33766',
    chain: 'ProxyToken',
    summary: "lets anyone change a user's mail settings (for example, forward their mail) without a password",
    severity: 'high',
    fixedBy: 'Jul21SU',
    check: 'build',
    handAdded: 'not in HealthChecker; fixed by the July 2021 SU (KB5004778) per Microsoft advisory',
  },
  {
    id: 'CVE-2021-31195',
    chain: 'ProxyOracle',
    summary: "lets an attacker steal a user's password from a crafted link (OWA)",
    severity: 'high',
    fixedBy: 'May21SU',
    check: 'build',
  },
  {
    id: 'CVE-2021-31196',
    chain: 'ProxyOracle',
    summary: 'lets an attacker run code on the server',
    severity: 'high',
    fixedBy: 'Jul21SU',
    check: 'build',
  },
  {
    id: 'CVE-2022-41040',
    chain: 'ProxyNotShell',
    summary: 'lets any signed-in user reach internal server pages (request forgery)',
    severity: 'high',
    fixedBy: 'Nov22SU',
    check: 'build',
  },
  {
    id: 'CVE-2022-41082',
    chain: 'ProxyNotShell',
    summary: 'lets any signed-in user run code on the server through PowerShell',
    severity: 'critical',
    fixedBy: 'Nov22SU',
    check: 'build',
  },
  {
    id: 'CVE-2022-41080',
    chain: 'OWASSRF',
    summary: 'gets round the ProxyNotShell URL-rewrite mitigation through OWA to run code',
    severity: 'critical',
    fixedBy: 'Nov22SU',
    check: 'build',
  },
  {
    id: 'CVE-2023-21529',
    chain: 'CVE-2023-21529',
    summary: 'lets any signed-in user run code on the server (deserialization)',
    severity: 'high',
    fixedBy: 'Feb23SU',
    check: 'build',
  },
  {
    id: 'CVE-2024-21410',
    chain: 'NTLM relay (Extended Protection)',
    summary: "lets an attacker relay a user's stolen NTLM credentials to the server and act as that user",
    severity: 'critical',
    // Extended Protection can be turned on from the August 2022 SU; CU14 turns it on by default.
    fixedBy: 'Aug22SU',
    check: 'config',
  },
];

/**
 * Exchange 2010 was only affected by CVE-2021-26857 of these, fixed by 2010 SP3 RU32
 * (14.3.513.0, KB5000978, March 2021, per Microsoft's build list).
 */
export const EXCHANGE_2010_FIXES: Readonly<Record<string, { build: string; kb: string; name: string }>> = {
  'CVE-2021-26857': { build: '14.3.513.0', kb: 'KB5000978', name: 'SP3 RU32' },
};

/** First build of 2019 CU14, which turns on Extended Protection by default during setup. */
export const EXTENDED_PROTECTION_DEFAULT_FROM = '15.2.1544.4';

export function cveInfo(id: string): CveInfo | undefined {
  return CVES.find((c) => c.id === id);
}
