import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanExchange } from '../../../src/exchange/scan/index.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const fixtures = path.resolve(repoRoot, '../shared/exchange/fixtures');

describe.skipIf(!existsSync(fixtures))('Test-ProxyLogon checks on ../shared/exchange/fixtures', () => {
  it('finds exactly 3 × 26855, 1 × 27065 reset, 1 ECP file, 1 × 26858 path', async () => {
    const r = await scanExchange(fixtures);
    const count = (rule: string) => r.hits.filter((h) => h.rule === rule).length;
    expect(count('proxylogon.ssrf')).toBe(3);
    expect(r.hits.filter((h) => h.cve === 'CVE-2021-26855')).toHaveLength(3);
    expect(count('proxylogon.reset-vdir')).toBe(1);
    const ecpFiles = new Set(r.hits.filter((h) => h.rule === 'proxylogon.ecp-set-vdir').map((h) => h.file));
    expect([...ecpFiles]).toEqual(['V15/Logging/ECP/Server/ECPServer20210303-1.LOG']);
    const oab = r.hits.filter((h) => h.rule === 'proxylogon.oab-download-path');
    expect(oab).toHaveLength(1);
    expect(oab[0].why).toContain("'C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx'");
    // The autodiscover-only and localhost rows are the ones Test-ProxyLogon leaves out.
    const ssrfAnchors = r.hits.filter((h) => h.rule === 'proxylogon.ssrf').map((h) => h.excerpt ?? '');
    expect(ssrfAnchors.some((e) => e.includes('/autodiscover/autodiscover.xml'))).toBe(false);
    expect(ssrfAnchors.some((e) => e.includes('ServerInfo~localhost'))).toBe(false);
    expect(ssrfAnchors.every((e) => e.includes('203.0.113.7'))).toBe(true);
    expect(r.problems).toEqual([]);
  });

  it('reports the log-age window of each folder', async () => {
    const r = await scanExchange(fixtures);
    const ecp = r.coverage.find((c) => c.folder === 'V15/Logging/HttpProxy/Ecp');
    expect(ecp).toMatchObject({
      kind: 'httpproxy',
      files: 1,
      firstSeen: '2021-03-03T06:40:00.000Z',
      lastSeen: '2021-03-07T15:04:04.546Z',
      days: 5,
    });
  });
});
