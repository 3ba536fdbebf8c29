import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanExchange } from '../../../src/exchange/scan/index.js';
import type { ScanHit, ScanResult } from '../../../src/exchange/types.js';

const root = path.resolve(import.meta.dirname, '../../fixtures/exchange/server1');
let r: ScanResult;
beforeAll(async () => {
  r = await scanExchange(root);
});

const inFile = (suffix: string) => r.hits.filter((h) => h.file.endsWith(suffix));
const lines = (hits: ScanHit[], rule?: string) =>
  hits
    .filter((h) => !rule || h.rule === rule)
    .map((h) => h.line)
    .sort((a, b) => (a ?? 0) - (b ?? 0));

describe('HttpProxy rules', () => {
  it('ProxyLogon SSRF: case-insensitive, autodiscover/localhost/no-slash excluded', () => {
    const ecp = inFile('HttpProxy_2021030401-1.LOG');
    expect(lines(ecp, 'proxylogon.ssrf')).toEqual([6, 11]);
    // ResetOABVirtualDirectory answered 500 is not a 27065 reset hit.
    expect(lines(ecp, 'proxylogon.reset-vdir')).toEqual([]);
    expect(ecp.every((h) => h.rule === 'proxylogon.ssrf')).toBe(true);
    expect(ecp[0]).toMatchObject({
      clientIp: '203.0.113.20',
      timestamp: '2021-03-04T01:00:00.000Z',
      cve: 'CVE-2021-26855',
    });
  });

  it('ProxyShell and ProxyNotShell in the Autodiscover log, benign autodiscover.json and Nessus ignored', () => {
    const a = inFile('HttpProxy_2021030402-1.LOG');
    expect(a.map((h) => [h.line, h.rule, h.cve])).toEqual([
      [9, 'proxyshell.autodiscover', 'CVE-2021-34473'],
      [10, 'proxyshell.autodiscover-attempt', 'CVE-2021-34473'],
      [11, 'proxynotshell.autodiscover', 'CVE-2022-41040'],
      [13, 'proxyshell.autodiscover', 'CVE-2021-34473'],
    ]);
  });

  it('OWASSRF: only the unexplained successful POST', () => {
    const o = inFile('HttpProxy_2021030403-1.LOG');
    expect(o.map((h) => [h.line, h.rule, h.cve])).toEqual([[7, 'owassrf.owa-powershell', 'CVE-2022-41080']]);
  });

  it('malformed rows are reported, not fatal, and later rows still scanned', () => {
    const file = 'V15/Logging/HttpProxy/Ews/HttpProxy_2021030501-1.LOG';
    const probs = r.problems.filter((p) => p.file === file).map((p) => p.problem);
    expect(probs.some((p) => p.startsWith('line 7: quoted field not closed'))).toBe(true);
    expect(probs.some((p) => p.startsWith('line 8: 9 fields'))).toBe(true);
    expect(lines(inFile('HttpProxy_2021030501-1.LOG'), 'proxylogon.ssrf')).toContain(9);
  });
});

describe('ECP Server and OABGenerator rules', () => {
  it('script in a vdir URL is a hit; a normal ExternalUrl change is not', () => {
    expect(inFile('ECPServer20210304-1.LOG')).toEqual([]);
    expect(inFile('ECPServer20210305-1.LOG').map((h) => [h.rule, h.line])).toEqual([
      ['proxylogon.ecp-vdir-script', 6],
    ]);
  });
  it('OAB download path: another install drive is fine, traversal out of the OAB folder is not', () => {
    const o = inFile('OABGenerator20210304-1.LOG');
    expect(o.map((h) => [h.rule, h.line, h.cve])).toEqual([
      ['proxylogon.oab-download-path', 2, 'CVE-2021-26858'],
    ]);
  });
});

describe('IIS W3C rules', () => {
  it('flags each attack row and none of the benign look-alikes', () => {
    const iis = inFile('u_ex210305.log').map((h) => [h.line, h.rule]);
    expect(iis).toEqual([
      [6, 'proxylogon.static-post'],
      [7, 'proxylogon.static-post'],
      [9, 'proxyshell.autodiscover'],
      [10, 'proxyshell.autodiscover-attempt'],
      [12, 'owassrf.owa-powershell'],
      [14, 'proxytoken.ecp'],
      [16, 'proxylogon.rpc-probe'],
      [17, 'webshell.aspnet-client-request'],
      [19, 'ua.exploit-tool'],
      [20, 'proxynotshell.autodiscover'],
      [25, 'proxylogon.static-post'],
    ]);
  });
  it('back-end PowerShell, exploit user agents and refused ProxyNotShell; RPC and OWA look-alikes ignored', () => {
    expect(inFile('u_ex210306.log').map((h) => [h.line, h.rule])).toEqual([
      [5, 'owassrf.backend-powershell'],
      [6, 'proxylogon.exploit-user-agent-post'],
      [6, 'webshell.aspnet-client-request'],
      [7, 'proxynotshell.autodiscover-attempt'],
    ]);
  });
  it('maps fields with the header block in force (IIS rewrites #Fields mid-file)', () => {
    const last = inFile('u_ex210305.log').find((h) => h.line === 25)!;
    expect(last).toMatchObject({
      clientIp: '203.0.113.69',
      timestamp: '2021-03-05T12:00:00Z',
      severity: 'high',
    });
    expect(r.problems.filter((p) => p.file.endsWith('u_ex210305.log'))).toEqual([]);
  });
});

describe('PowerShell proxy log (Rps_Http)', () => {
  it('flags the Kerberos POST from an unknown client, not WinRM or failed requests', () => {
    expect(inFile('Rps_Http_2022120110-1.LOG').map((h) => [h.line, h.rule, h.cve])).toEqual([
      [4, 'owassrf.rps-http', 'CVE-2022-41080'],
    ]);
  });
});

describe('IIS configuration', () => {
  it('a virtual directory pointing into ProgramData matches the signature-base rules', () => {
    expect(inFile('applicationHost.config').map((h) => h.rule)).toEqual([
      'yara.APT_IIS_Config_ProxyShell_Artifacts',
      'yara.SUSP_IIS_Config_ProxyShell_Artifacts',
    ]);
  });
  it('the same file without that directory does not', async () => {
    const benign = await scanExchange(
      path.resolve(import.meta.dirname, '../../fixtures/exchange/benign-config'),
    );
    expect(benign.hits).toEqual([]);
    expect(benign.filesScanned).toBe(1);
  });
});

describe('web folders, ProgramData and dumps', () => {
  const rulesOf = (suffix: string) =>
    inFile(suffix)
      .map((h) => h.rule)
      .sort();
  it('flags web shells by IOC, YARA rule and structure', () => {
    expect(rulesOf('aspnet_client/discover.aspx')).toEqual(
      [
        'webshell.eval-request',
        'webshell.jscript-server',
        'webshell.mstic-path',
        'yara.ChinaChopper_Generic',
      ].sort(),
    );
    expect(rulesOf('owa/auth/outlook.aspx')).toContain('webshell.pst-as-aspx');
    expect(rulesOf('owa/auth/outlook.aspx')).toContain('yara.WEBSHELL_ASPX_ProxyShell_Aug21_2');
    expect(rulesOf('owa/auth/cert.aspx')).toContain('webshell.der-as-aspx');
    expect(rulesOf('owa/auth/errorPage.aspx')).toEqual(['webshell.mstic-path']);
    expect(rulesOf('owa/auth/Current/xx.aspx')).toEqual(['webshell.filename-ioc']);
    expect(rulesOf('ecp/auth/y.aspx')).toEqual(['webshell.filename-ioc']);
    expect(inFile('aspnet_client/notes.txt').map((h) => [h.rule, h.severity])).toEqual([
      ['webshell.aspnet-client-file', 'medium'],
    ]);
    expect(inFile('discover.aspx')[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });
  it('leaves the benign look-alikes alone', () => {
    for (const f of [
      'aspnet_client/web.config',
      'owa/auth/logon.aspx',
      'ecp/auth/TimeoutLogoff.aspx',
      'flogon.js',
      'logon.css',
      'keys.dat',
      'setup.log',
    ])
      expect(inFile(f), f).toEqual([]);
  });
  it('reports lsass dumps and ProgramData archives, weighted up because the logs show exploitation', () => {
    expect(inFile('Windows/Temp/lsass.dmp').map((h) => [h.rule, h.severity])).toEqual([
      ['credential.lsass-dump', 'critical'],
    ]);
    expect(inFile('ProgramData/it.zip').map((h) => [h.rule, h.severity])).toEqual([
      ['exfil.programdata-archive', 'high'],
    ]);
  });
});

describe('scan result', () => {
  it('covers every log folder with its time window, and counts bytes', () => {
    const iis = r.coverage.find((c) => c.kind === 'iis-w3c')!;
    expect(iis).toMatchObject({
      folder: 'inetpub/logs/LogFiles/W3SVC1',
      files: 2,
      firstSeen: '2021-03-05T01:00:00Z',
      lastSeen: '2021-03-06T01:00:04Z',
      days: 2,
    });
    expect(
      r.coverage
        .filter((c) => c.kind === 'httpproxy')
        .map((c) => c.folder.split('/').pop())
        .sort(),
    ).toEqual(['Autodiscover', 'Ecp', 'Ews', 'Owa']);
    expect(r.bytesScanned).toBeGreaterThan(5000);
    expect(r.filesScanned).toBeGreaterThan(15);
  });
  it('reports progress up to the total', async () => {
    const calls: [number, number][] = [];
    await scanExchange(root, { onProgress: (d, t) => calls.push([d, t]) });
    const [done, total] = calls[calls.length - 1];
    expect(done).toBe(total);
    expect(calls.every(([d, t]) => d <= t)).toBe(true);
  });
  it('stops on abort', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(scanExchange(root, { signal: ac.signal })).rejects.toThrow();
  });
});

describe('worker threads', () => {
  it('give the same hits, problems and coverage as the in-process scan', async () => {
    const inWorkers = await scanExchange(root, { workers: 2 });
    const strip = (x: ScanResult) => ({ hits: x.hits, problems: x.problems, coverage: x.coverage });
    expect(strip(inWorkers)).toEqual(strip(r));
  });
});
