import { describe, expect, it } from 'vitest';
import {
  versionFromExportToolManifest,
  versionFromHeaders,
  versionFromLogonPage,
} from '../../../src/exchange/probe/sources.js';
import { exportToolManifest, logonPage } from './fake-exchange.js';

describe('versionFromHeaders', () => {
  it('reads X-OWA-Version in any case', () => {
    expect(versionFromHeaders({ 'x-owa-version': '15.1.2242.12' })).toBe('15.1.2242.12');
    expect(versionFromHeaders({ 'X-OWA-Version': '15.2.1118.7' })).toBe('15.2.1118.7');
  });
  it('ignores missing or non-Exchange values', () => {
    expect(versionFromHeaders({ server: 'Microsoft-IIS/10.0' })).toBeUndefined();
    expect(versionFromHeaders({ 'x-owa-version': 'hello' })).toBeUndefined();
    expect(versionFromHeaders({ 'x-owa-version': '1.2.3.4' })).toBeUndefined();
  });
});

describe('versionFromLogonPage', () => {
  it('reads the CU from resource paths (3 parts: CU only)', () => {
    expect(versionFromLogonPage(logonPage('15.1.2242'))).toBe('15.1.2242');
  });
  it('reads the 4-part Exchange 2010 form', () => {
    expect(versionFromLogonPage('<link href="/owa/14.3.513.0/themes/base/logon.css">')).toBe('14.3.513.0');
  });
  it('takes the highest build when several appear', () => {
    const html = `${logonPage('15.2.1118')}<img src="/owa/auth/15.2.986/themes/resources/x.gif">`;
    expect(versionFromLogonPage(html)).toBe('15.2.1118');
  });
  it('finds nothing in pages without resource paths, and stays fast on hostile input', () => {
    expect(versionFromLogonPage('<html>/owa/auth/logon.aspx</html>')).toBeUndefined();
    const hostile = '/owa/auth/15.'.repeat(100_000);
    const t = performance.now();
    expect(versionFromLogonPage(hostile)).toBeUndefined();
    expect(performance.now() - t).toBeLessThan(1000);
  });
});

describe('versionFromExportToolManifest', () => {
  it("reads the manifest's own identity, not a dependency's", () => {
    expect(versionFromExportToolManifest(exportToolManifest('15.2.1118.25'))).toBe('15.2.1118.25');
  });
  it('ignores documents without an Exchange version', () => {
    expect(versionFromExportToolManifest('<html>404</html>')).toBeUndefined();
    expect(versionFromExportToolManifest('<assemblyIdentity version="1.0.0.1"/>')).toBeUndefined();
  });
});
