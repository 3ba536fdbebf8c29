// Builds the remediation report (what is exposed, what was found, what to do, in order) from a build
// assessment and/or a scan result. Structured data only; text.ts and html.ts word it for people.

import type { BuildAssessment, CveStatus } from '../builds/assess.js';
import type { LogCoverage, ScanHit, ScanProblem, ScanResult } from '../types.js';

/** Log kinds whose absence means some checks could not run, with what is then missed. */
export const KEY_LOG_KINDS: Readonly<Record<string, string>> = {
  httpproxy: 'HttpProxy logs (Logging\\HttpProxy): the main ProxyLogon trace, CVE-2021-26855',
  'ecp-server':
    'ECP server logs (Logging\\ECP\\Server): webshell planting through the admin centre, CVE-2021-27065',
  oabgenerator: 'OAB generator logs (Logging\\OABGeneratorLog): file writes, CVE-2021-26858',
  'iis-w3c': 'IIS logs (inetpub\\logs\\LogFiles): ProxyShell, ProxyNotShell, OWASSRF and ProxyToken requests',
  evtx: 'the Application event log (.evtx): Unified Messaging crashes, CVE-2021-26857',
  webroot: 'the web folders (inetpub\\wwwroot\\aspnet_client, FrontEnd\\HttpProxy): webshells',
};

export type StepKind = 'isolate' | 'patch' | 'mitigate' | 'investigate' | 'rotate' | 'rebuild' | 'keep-logs';

export interface ReportStep {
  kind: StepKind;
  title: string;
  details: string[];
}

/** Hits of one rule, most severe rule first. */
export interface EvidenceGroup {
  rule: string;
  cve?: string;
  severity: ScanHit['severity'];
  count: number;
  files: string[];
  first?: string;
  last?: string;
  hits: ScanHit[];
}

export interface LogWindow {
  /** Shortest and longest span, in days, over the log folders that have dates. */
  minDays?: number;
  maxDays?: number;
  from?: string;
  to?: string;
  folders: LogCoverage[];
  /** Key log kinds absent from the scanned copy, with what could therefore not be checked. */
  missing: { kind: string; meaning: string }[];
}

export type Compromise = 'traces-found' | 'worth-checking' | 'nothing-found' | 'not-scanned';

export interface RemediationReport {
  generatedAt: string;
  /** One sentence for the top of the report. */
  headline: string;
  /** Where the facts come from (e.g. a remote probe), shown under the headline. */
  context: string[];
  exposure?: BuildAssessment;
  compromise: Compromise;
  evidence: EvidenceGroup[];
  hitCount: number;
  window?: LogWindow;
  problems: ScanProblem[];
  scanned?: { root: string; files: number; bytes: number; ms: number };
  steps: ReportStep[];
}

const SEVERITY_ORDER: Record<ScanHit['severity'], number> = { critical: 0, high: 1, medium: 2, low: 3 };

export function isSevere(h: Pick<ScanHit, 'severity'>): boolean {
  return h.severity === 'high' || h.severity === 'critical';
}

export function isWebshell(h: Pick<ScanHit, 'rule'>): boolean {
  return /webshell/i.test(h.rule);
}

export function groupEvidence(hits: readonly ScanHit[]): EvidenceGroup[] {
  const groups = new Map<string, EvidenceGroup>();
  for (const h of hits) {
    const key = `${h.rule}|${h.cve ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = { rule: h.rule, severity: h.severity, count: 0, files: [], hits: [] };
      if (h.cve) g.cve = h.cve;
      groups.set(key, g);
    }
    g.count++;
    g.hits.push(h);
    if (SEVERITY_ORDER[h.severity] < SEVERITY_ORDER[g.severity]) g.severity = h.severity;
    if (!g.files.includes(h.file)) g.files.push(h.file);
    if (h.timestamp) {
      if (!g.first || h.timestamp < g.first) g.first = h.timestamp;
      if (!g.last || h.timestamp > g.last) g.last = h.timestamp;
    }
  }
  return [...groups.values()].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.count - a.count,
  );
}

export function logWindow(coverage: readonly LogCoverage[]): LogWindow {
  const dated = coverage.filter((c) => c.days !== undefined && c.kind !== 'webroot');
  const w: LogWindow = {
    folders: [...coverage],
    missing: Object.entries(KEY_LOG_KINDS)
      .filter(([kind]) => !coverage.some((c) => c.kind === kind && c.files > 0))
      .map(([kind, meaning]) => ({ kind, meaning })),
  };
  if (dated.length > 0) {
    w.minDays = Math.min(...dated.map((c) => c.days ?? 0));
    w.maxDays = Math.max(...dated.map((c) => c.days ?? 0));
  }
  const firsts = coverage.map((c) => c.firstSeen).filter((s): s is string => !!s);
  const lasts = coverage.map((c) => c.lastSeen).filter((s): s is string => !!s);
  // ISO 8601 strings sort in time order.
  if (firsts.length) w.from = firsts.sort()[0];
  if (lasts.length) w.to = lasts.sort().at(-1);
  return w;
}

/** "27 days" or "5 to 30 days". */
export function describeDays(w: LogWindow): string | undefined {
  if (w.minDays === undefined || w.maxDays === undefined) return undefined;
  const r = (n: number) => Math.round(n);
  const unit = (n: number) => (r(n) === 1 ? 'day' : 'days');
  return r(w.minDays) === r(w.maxDays)
    ? `${r(w.maxDays)} ${unit(w.maxDays)}`
    : `${r(w.minDays)} to ${r(w.maxDays)} ${unit(w.maxDays)}`;
}

function openByChain(e: BuildAssessment): Map<string, CveStatus[]> {
  const m = new Map<string, CveStatus[]>();
  for (const c of e.cves) {
    if (c.status !== 'open') continue;
    m.set(c.chain, [...(m.get(c.chain) ?? []), c]);
  }
  return m;
}

function buildLabel(f: { build: string; cu: string; update: string | null; kb?: string }): string {
  return `${f.build} (${f.cu}${f.update ? ` ${f.update}` : ''}${f.kb ? `, ${f.kb}` : ''})`;
}

function patchStep(e: BuildAssessment | undefined): ReportStep | undefined {
  if (!e) {
    return {
      kind: 'patch',
      title: 'Check which Exchange build the server runs',
      details: [
        'On the server, in the Exchange Management Shell: (Get-Command ExSetup.exe).FileVersionInfo.FileVersion',
        'Then run: suspect exchange version <that number>. It tells you which updates are missing.',
      ],
    };
  }
  if (!e.exposed) return undefined;
  const details: string[] = [];
  const latest = e.support.latest;
  if (e.support.outOfSupport) {
    details.push(
      `${e.product} has been out of support since ${e.support.endOfSupport}: Microsoft no longer fixes new flaws in it` +
        (e.support.esuOnly
          ? ' (later updates exist only for paid Extended Security Update customers).'
          : '.'),
    );
    if (e.support.migrateTo) {
      details.push(
        `Plan the move to ${e.support.migrateTo.product}, build ${buildLabel(e.support.migrateTo)} or later.`,
      );
    }
    if (latest && e.open.length > 0) {
      details.push(`Until then, install at least ${buildLabel(latest)}, the newest build of ${e.product}.`);
    }
  } else if (latest) {
    details.push(
      `Install ${buildLabel(latest)}: the newest cumulative update and security update for ${e.product}.`,
    );
  }
  if (!e.support.cuReceivesUpdates && e.cu !== 'unknown') {
    details.push(
      `${e.cu} no longer receives security updates${e.support.latestUpdateForCu ? ` (its last was ${e.support.latestUpdateForCu})` : ''}; install a newer cumulative update first, then its latest security update.`,
    );
  }
  if (e.open.length > 0) {
    const chains = [...openByChain(e).keys()];
    details.push(`This closes: ${chains.join(', ')}.`);
  }
  if (e.precision === 'cu') {
    details.push(
      'Only the CU is known: confirm the exact build on the server before deciding an update is installed.',
    );
  }
  return { kind: 'patch', title: 'Install the missing updates', details };
}

function mitigateStep(e: BuildAssessment | undefined): ReportStep | undefined {
  if (!e || e.open.length === 0) return undefined;
  const chains = openByChain(e);
  const details: string[] = [];
  if (chains.has('ProxyLogon')) {
    details.push(
      "ProxyLogon: run Microsoft's EOMT.ps1 (CSS-Exchange); it adds URL Rewrite rules that block the X-AnonResource-Backend and X-BEResource cookies.",
    );
  }
  if (chains.has('ProxyNotShell') || chains.has('OWASSRF')) {
    details.push(
      'ProxyNotShell: run EOMTv2.ps1 (URL Rewrite rule on autodiscover + powershell). OWASSRF (CVE-2022-41080) gets round that rule, so only the November 2022 update really fixes it.',
    );
  }
  if (chains.has('ProxyShell') || chains.has('ProxyToken') || chains.has('ProxyOracle')) {
    details.push(
      'ProxyShell, ProxyToken and ProxyOracle have no stop-gap rule: if you cannot patch today, block access to the server from the internet (port 443) until you can.',
    );
  }
  const ep = e.cves.find((c) => c.id === 'CVE-2024-21410');
  if (ep && (ep.status === 'open' || ep.status === 'verify')) {
    details.push(
      'Turn on Extended Protection once the build supports it (August 2022 update or later): CVE-2024-21410.',
    );
  }
  if (details.length === 0) {
    details.push(
      'No stop-gap exists for the open flaws: limit access to the server from the internet until it is patched.',
    );
  }
  details.push(
    'Mitigations only buy time; Microsoft says they "can become insufficient". Patch as soon as you can.',
  );
  return { kind: 'mitigate', title: 'If patching has to wait: mitigate now', details };
}

function investigateStep(
  e: BuildAssessment | undefined,
  evidence: EvidenceGroup[],
  w: LogWindow | undefined,
  scanned: boolean,
): ReportStep | undefined {
  const details: string[] = [];
  for (const g of evidence.slice(0, 5)) {
    const h = g.hits[0];
    details.push(
      `${g.cve ?? g.rule}: ${g.count} hit${g.count === 1 ? '' : 's'}, first in ${h.file}${h.line ? ` line ${h.line}` : ''}` +
        `${h.clientIp ? ` from ${h.clientIp}` : ''}. ${h.why}`,
    );
  }
  if (evidence.length > 5)
    details.push(`…and ${evidence.length - 5} more kinds of trace (see the evidence list).`);
  if (evidence.length > 0) {
    details.push(
      'Note the client IP addresses and times above and look for the same IPs in the other logs (IIS, HttpProxy, firewall).',
      'Run a full Microsoft Safety Scanner (MSERT) scan on the server; a full scan can take hours.',
    );
  }
  const exposedBefore = e && e.open.length > 0;
  if (scanned) {
    const days = w ? describeDays(w) : undefined;
    if (evidence.length === 0 && exposedBefore) {
      details.push(
        `Nothing was found${days ? ` in the ${days} these logs cover` : ''}, but the build was open to ${[...openByChain(e).keys()].join(', ')}. ` +
          'An attack older than the logs would leave no trace here: check the web folders by hand and run a full MSERT scan.',
      );
    }
    if (w?.from && evidence.length > 0) {
      details.push(`The logs start on ${w.from.slice(0, 10)}: anything earlier cannot be seen here.`);
    }
    for (const m of w?.missing ?? []) details.push(`Not in the scanned copy: ${m.meaning}.`);
  } else if (exposedBefore) {
    details.push(
      'The server was open to known attacks: copy its logs (Exchange Server\\V15\\Logging, inetpub\\logs, the Application event log) and web folders, then run: suspect exchange scan <folder>.',
    );
  }
  if (details.length === 0) return undefined;
  return {
    kind: 'investigate',
    title: evidence.length > 0 ? 'Investigate what was found' : 'Look for older traces',
    details,
  };
}

function rotateStep(evidence: EvidenceGroup[]): ReportStep | undefined {
  const severe = evidence.some((g) => isSevere(g));
  if (!severe) return undefined;
  return {
    kind: 'rotate',
    title: 'Change passwords and keys',
    details: [
      'Assume the attacker could read what the server knows: change the passwords of every administrator account, of the service accounts used by Exchange, and of users who signed in to Outlook on the web (OWA) or the admin centre (ECP) during the attack window.',
      'If a domain administrator ever signed in on the server, reset the KRBTGT account password twice (with replication in between) and review new accounts and group changes in Active Directory.',
      'Replace the server certificate if the private key was stored on the server.',
    ],
  };
}

function rebuildStep(evidence: EvidenceGroup[]): ReportStep | undefined {
  const shells = evidence.filter((g) => isWebshell(g));
  if (shells.length === 0) return undefined;
  const files = [...new Set(shells.flatMap((g) => g.files))].slice(0, 10);
  return {
    kind: 'rebuild',
    title: 'Rebuild the server',
    details: [
      `A webshell was found (${files.join(', ')}). It lets the attacker run any command on the server, so removing the file cannot prove the server is clean.`,
      'Keep a copy of the files and logs for evidence, then install a fresh Windows and a current Exchange (Exchange SE) on new or wiped hardware, move the mailboxes, and retire the old server.',
    ],
  };
}

function isolateStep(evidence: EvidenceGroup[]): ReportStep | undefined {
  if (!evidence.some((g) => isSevere(g))) return undefined;
  return {
    kind: 'isolate',
    title: 'Cut the server off from the internet now',
    details: [
      'Block inbound HTTPS (port 443) to the server at the firewall, or stop publishing it, so the attacker cannot come back while you work.',
      'Do not wipe or reinstall yet: copy the logs and the web folders first, they are the evidence.',
    ],
  };
}

function keepLogsStep(w: LogWindow | undefined): ReportStep | undefined {
  if (!w) return undefined;
  return {
    kind: 'keep-logs',
    title: 'Keep logs for longer',
    details: [
      'Exchange keeps its HttpProxy logs for about 30 days by default. Copy the Logging and inetpub\\logs folders somewhere safe regularly, so a future check can look further back.',
    ],
  };
}

function headline(
  e: BuildAssessment | undefined,
  compromise: Compromise,
  hitCount: number,
  w?: LogWindow,
): string {
  const parts: string[] = [];
  if (compromise === 'traces-found') parts.push(`Traces of an attack were found (${hitCount} in all).`);
  else if (compromise === 'worth-checking')
    parts.push(`${hitCount} trace${hitCount === 1 ? '' : 's'} worth checking were found.`);
  else if (compromise === 'nothing-found') {
    const days = w ? describeDays(w) : undefined;
    parts.push(
      days
        ? `Nothing suspicious in the ${days} these logs cover.`
        : 'Nothing suspicious was found in the scanned files.',
    );
  }
  if (e) {
    const what = `${e.product} ${e.cu}${e.update && e.update !== 'unknown' ? ` ${e.update}` : ''} (${e.build})`;
    const maybe = e.cves.filter((c) => c.status === 'open' && c.dependsOnUpdate).length;
    const sure = e.open.length - maybe;
    if (maybe > 0 && sure === 0) {
      parts.push(
        `${what} has ${maybe} known flaw${maybe === 1 ? '' : 's'} open unless a security update for its CU is installed.`,
      );
    } else if (maybe > 0) {
      parts.push(
        `${what} has ${sure} known flaw${sure === 1 ? '' : 's'} open, and ${maybe} more unless a security update for its CU is installed.`,
      );
    } else if (e.open.length > 0) {
      parts.push(`${what} has ${e.open.length} known flaw${e.open.length === 1 ? '' : 's'} open.`);
    } else parts.push(`${what} has none of the checked flaws open.`);
    if (e.support.outOfSupport) parts.push(`${e.product} is out of support since ${e.support.endOfSupport}.`);
  }
  return parts.join(' ');
}

export interface ReportInput {
  exposure?: BuildAssessment;
  context?: string[];
  scan?: ScanResult;
  now?: Date;
}

export function buildReport(input: ReportInput): RemediationReport {
  const { exposure, scan } = input;
  const evidence = groupEvidence(scan?.hits ?? []);
  const hitCount = scan?.hits.length ?? 0;
  const w = scan ? logWindow(scan.coverage) : undefined;
  const compromise: Compromise = !scan
    ? 'not-scanned'
    : evidence.some((g) => isSevere(g))
      ? 'traces-found'
      : hitCount > 0
        ? 'worth-checking'
        : 'nothing-found';
  const steps = [
    isolateStep(evidence),
    patchStep(exposure),
    mitigateStep(exposure),
    investigateStep(exposure, evidence, w, !!scan),
    rotateStep(evidence),
    rebuildStep(evidence),
    keepLogsStep(w),
  ].filter((s): s is ReportStep => !!s);
  const report: RemediationReport = {
    generatedAt: (input.now ?? new Date()).toISOString(),
    headline: headline(exposure, compromise, hitCount, w),
    context: input.context ?? [],
    compromise,
    evidence,
    hitCount,
    problems: scan?.problems ?? [],
    steps,
  };
  if (exposure) report.exposure = exposure;
  if (w) report.window = w;
  if (scan)
    report.scanned = { root: scan.root, files: scan.filesScanned, bytes: scan.bytesScanned, ms: scan.ms };
  return report;
}

/** Exit code of `exchange scan`: 0 nothing, 1 low/medium traces only, 2 high/critical traces. */
export function scanExitCode(hits: readonly ScanHit[]): 0 | 1 | 2 {
  if (hits.some(isSevere)) return 2;
  return hits.length > 0 ? 1 : 0;
}
