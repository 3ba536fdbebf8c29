import { describe, expect, it } from 'vitest';
import { assessBuild } from '../../../src/exchange/builds/assess.js';
import { renderReportHtml } from '../../../src/exchange/report/html.js';
import { buildReport, describeDays, logWindow, scanExitCode } from '../../../src/exchange/report/model.js';
import { renderReportText } from '../../../src/exchange/report/text.js';
import type { LogCoverage, ScanHit, ScanResult } from '../../../src/exchange/types.js';

const NOW = new Date('2026-11-27T12:00:00Z');

const cov = (folder: string, kind: string, first: string, last: string, days: number): LogCoverage => ({
  folder,
  kind,
  files: 30,
  bytes: 1_000_000,
  firstSeen: first,
  lastSeen: last,
  days,
});

const FULL_COVERAGE: LogCoverage[] = [
  cov('V15/Logging/HttpProxy/Ecp', 'httpproxy', '2026-10-01T00:00:00Z', '2026-10-28T00:00:00Z', 27),
  cov('V15/Logging/ECP/Server', 'ecp-server', '2026-10-01T00:00:00Z', '2026-10-28T00:00:00Z', 27),
  cov('V15/Logging/OABGeneratorLog', 'oabgenerator', '2026-10-01T00:00:00Z', '2026-10-28T00:00:00Z', 27),
  cov('inetpub/logs/LogFiles/W3SVC1', 'iis-w3c', '2026-10-01T00:00:00Z', '2026-10-28T00:00:00Z', 27),
  cov('evtx', 'evtx', '2026-10-01T00:00:00Z', '2026-10-28T00:00:00Z', 27),
  { folder: 'inetpub/wwwroot/aspnet_client', kind: 'webroot', files: 3, bytes: 1000 },
];

const scan = (hits: ScanHit[], coverage = FULL_COVERAGE): ScanResult => ({
  root: '/copy',
  hits,
  coverage,
  problems: [],
  bytesScanned: 30_000_000,
  filesScanned: 150,
  ms: 1200,
});

const SSRF: ScanHit = {
  rule: 'proxylogon.ssrf',
  cve: 'CVE-2021-26855',
  file: 'V15/Logging/HttpProxy/Ecp/HttpProxy_2026100101-1.LOG',
  line: 7,
  timestamp: '2026-10-02T03:04:05Z',
  clientIp: '203.0.113.9',
  why: 'AnchorMailbox is ServerInfo~a]@mail.example.test:444/ecp/proxyLogon.ecp',
  severity: 'critical',
};
const SHELL: ScanHit = {
  rule: 'webshell.chinachopper',
  file: 'inetpub/wwwroot/aspnet_client/x.aspx',
  why: 'JScript eval(Request[...]) with runat=server',
  severity: 'critical',
  sha256: 'ab'.repeat(32),
};
const UA: ScanHit = {
  rule: 'useragent.known-attacker',
  file: 'inetpub/logs/LogFiles/W3SVC1/u_ex261003.log',
  line: 40,
  why: 'user agent python-requests/2.25.1 is on the CHIRP list',
  severity: 'medium',
};

describe('buildReport', () => {
  it('says honestly how far back "nothing found" goes', () => {
    const r = buildReport({ scan: scan([]), now: NOW });
    expect(r.compromise).toBe('nothing-found');
    expect(r.headline).toBe('Nothing suspicious in the 27 days these logs cover.');
    expect(r.window?.missing).toEqual([]);
    expect(renderReportText(r)).toMatch(
      /Nothing found in the 27 days these logs cover \(from 2026-10-01 to 2026-10-28\)/,
    );
  });

  it('lists the checks that could not run when key log folders are missing', () => {
    const r = buildReport({ scan: scan([], FULL_COVERAGE.slice(0, 1)), now: NOW });
    const missing = r.window?.missing.map((m) => m.kind);
    expect(missing).toEqual(['ecp-server', 'oabgenerator', 'iis-w3c', 'evtx', 'webroot']);
    expect(r.steps.find((s) => s.kind === 'investigate')?.details.join(' ')).toMatch(
      /Not in the scanned copy/,
    );
  });

  it('orders the steps for a compromised, unpatched server: isolate, patch, mitigate, investigate, rotate, rebuild', () => {
    const r = buildReport({
      exposure: assessBuild('15.2.792.3', { now: NOW }),
      scan: scan([SSRF, SHELL, UA]),
      now: NOW,
    });
    expect(r.compromise).toBe('traces-found');
    expect(r.steps.map((s) => s.kind)).toEqual([
      'isolate',
      'patch',
      'mitigate',
      'investigate',
      'rotate',
      'rebuild',
      'keep-logs',
    ]);
    const patch = r.steps.find((s) => s.kind === 'patch')?.details.join(' ');
    expect(patch).toMatch(/15\.2\.1748\.\d+ \(CU15/); // newest 2019 build
    expect(patch).toMatch(/Exchange Server Subscription Edition/);
    expect(r.steps.find((s) => s.kind === 'rebuild')?.details.join(' ')).toContain('aspnet_client/x.aspx');
    expect(r.evidence.map((g) => g.rule)).toEqual([
      'proxylogon.ssrf',
      'webshell.chinachopper',
      'useragent.known-attacker',
    ]);
  });

  it('does not ask to rotate credentials or rebuild for a medium hit alone', () => {
    const r = buildReport({ scan: scan([UA]), now: NOW });
    expect(r.compromise).toBe('worth-checking');
    const kinds = r.steps.map((s) => s.kind);
    expect(kinds).not.toContain('rotate');
    expect(kinds).not.toContain('rebuild');
    expect(kinds).not.toContain('isolate');
    expect(kinds).toContain('investigate');
  });

  it('warns that an exposed server with clean logs may have been attacked before the logs start', () => {
    const r = buildReport({ exposure: assessBuild('15.1.2242.4', { now: NOW }), scan: scan([]), now: NOW });
    const inv = r.steps.find((s) => s.kind === 'investigate')?.details.join(' ');
    expect(inv).toMatch(
      /Nothing was found in the 27 days these logs cover, but the build was open to ProxyShell/,
    );
  });

  it('asks for nothing but log keeping on a patched, clean server', () => {
    const r = buildReport({ exposure: assessBuild('15.2.2562.17', { now: NOW }), scan: scan([]), now: NOW });
    expect(r.steps.map((s) => s.kind)).toEqual(['keep-logs']);
  });
});

describe('logWindow / describeDays', () => {
  it('gives a range when folders differ', () => {
    const w = logWindow([
      cov('a', 'httpproxy', '2026-10-01T00:00:00Z', '2026-10-31T00:00:00Z', 30),
      cov('b', 'iis-w3c', '2026-10-26T00:00:00Z', '2026-10-31T00:00:00Z', 5),
    ]);
    expect(describeDays(w)).toBe('5 to 30 days');
    expect(w.from).toBe('2026-10-01T00:00:00Z');
  });
});

describe('scanExitCode', () => {
  it('maps hits to 0 / 1 / 2', () => {
    expect(scanExitCode([])).toBe(0);
    expect(scanExitCode([UA])).toBe(1);
    expect(scanExitCode([UA, SSRF])).toBe(2);
    expect(scanExitCode([{ ...UA, severity: 'high' }])).toBe(2);
  });
});

describe('renderReportHtml', () => {
  it('is standalone and escapes attacker-controlled log content', () => {
    const evil: ScanHit = {
      ...SSRF,
      why: 'matched <script>alert(1)</script>',
      excerpt: '"><img src=x onerror=alert(1)>',
      file: 'a/<b>.log',
    };
    const html = renderReportHtml(buildReport({ scan: scan([evil]), now: NOW }));
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<img/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('shows exposure, steps and the honest nothing-found line', () => {
    const html = renderReportHtml(
      buildReport({ exposure: assessBuild('15.2.1118.7', { now: NOW }), scan: scan([]), now: NOW }),
    );
    expect(html).toContain('CVE-2022-41082');
    expect(html).toContain('Nothing found in the 27 days these logs cover.');
    expect(html).toContain('<ol class="steps">');
  });
});

describe('headline for a CU-only build', () => {
  it('separates flaws open for sure from those an installed update may close', () => {
    const r = buildReport({ exposure: assessBuild('15.2.792', { now: NOW }), now: NOW });
    expect(r.headline).toMatch(
      /has 7 known flaws open, and 8 more unless a security update for its CU is installed/,
    );
  });
});

describe('headline when every open flaw depends on the unknown update', () => {
  it('does not say "0 known flaws open"', () => {
    const r = buildReport({ exposure: assessBuild('15.1.2507', { now: NOW }), now: NOW });
    expect(r.headline).toMatch(/has 5 known flaws open unless a security update for its CU is installed/);
  });
});
