import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { httpGet, ProbeHttpError } from '../../../src/exchange/probe/http.js';
import { normaliseTarget, ProbeError, probeExchange } from '../../../src/exchange/probe/probe.js';
import { closedPort, type FakeExchange, startFakeExchange } from './fake-exchange.js';

let server: FakeExchange | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('probeExchange against a fake Exchange on 127.0.0.1', () => {
  it('uses X-OWA-Version (CU + SU) when the server sends it', async () => {
    server = await startFakeExchange({ owaVersion: '15.1.2242.12', logonBuild: '15.1.2242' });
    const r = await probeExchange(server.url);
    expect(r).toMatchObject({ build: '15.1.2242.12', precision: 'cu+su', source: 'x-owa-version' });
    expect(r.observations.map((o) => o.source)).toContain('logon-page');
    expect(r.notes).toEqual([]);
  });

  it('falls back to the export-tool manifest when the header is missing', async () => {
    server = await startFakeExchange({ logonBuild: '15.2.1118', manifestVersion: '15.2.1118.20' });
    const r = await probeExchange(server.url);
    expect(r).toMatchObject({ build: '15.2.1118.20', precision: 'cu+su', source: 'exporttool-manifest' });
  });

  it('says CU only when just the logon page shows a version', async () => {
    server = await startFakeExchange({ logonBuild: '15.2.792' });
    const r = await probeExchange(server.url);
    expect(r).toMatchObject({ build: '15.2.792', precision: 'cu', source: 'logon-page' });
    expect(r.notes.join(' ')).toMatch(/Only the CU is visible/);
  });

  it('notes when sources show different CUs (load-balanced servers)', async () => {
    server = await startFakeExchange({ owaVersion: '15.2.1118.20', logonBuild: '15.2.986' });
    const r = await probeExchange(server.url);
    expect(r.build).toBe('15.2.1118.20');
    expect(r.notes.join(' ')).toMatch(/different CUs/);
  });

  it('sends only plain GETs to the three public paths, with no cookies or credentials', async () => {
    server = await startFakeExchange({ owaVersion: '15.1.2242.12' });
    await probeExchange(server.url);
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
    expect(server.requests.map((r) => r.url).sort()).toEqual([
      '/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application',
      '/owa/',
      '/owa/auth/logon.aspx',
    ]);
    for (const r of server.requests) {
      expect(r.headers.cookie).toBeUndefined();
      expect(r.headers.authorization).toBeUndefined();
    }
  });

  it('fails clearly on a web server that is not Exchange', async () => {
    server = await startFakeExchange({});
    await expect(probeExchange(server.url)).rejects.toThrow(/no Exchange version found/);
  });

  it('fails clearly when nothing listens', async () => {
    const port = await closedPort();
    const p = probeExchange(`http://127.0.0.1:${port}`);
    await expect(p).rejects.toBeInstanceOf(ProbeError);
    await expect(p).rejects.toThrow(/cannot reach .*refused/);
  });

  it('gives up after the timeout on a server that never answers', async () => {
    server = await startFakeExchange({ hang: true });
    const t = Date.now();
    await expect(probeExchange(server.url, { timeoutMs: 300 })).rejects.toThrow(
      /did not answer within 0.3 s/,
    );
    expect(Date.now() - t).toBeLessThan(3000);
  });
});

describe('httpGet limits', () => {
  it('cuts an endless body at maxBytes', async () => {
    server = await startFakeExchange({ hugeBody: 8 * 1024 * 1024 });
    const r = await httpGet(`${server.url}/owa/auth/logon.aspx`, { maxBytes: 100_000 });
    expect(r.truncated).toBe(true);
    expect(r.body.length).toBe(100_000);
  });
});

// A self-signed certificate, as many small organisations' Exchange servers have.
const tlsDir = mkdtempSync(path.join(tmpdir(), 'suspect-tls-'));
let cert: { key: string; cert: string } | undefined;
try {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      path.join(tlsDir, 'k.pem'),
      '-out',
      path.join(tlsDir, 'c.pem'),
    ],
    { stdio: 'ignore' },
  );
  cert = {
    key: readFileSync(path.join(tlsDir, 'k.pem'), 'utf8'),
    cert: readFileSync(path.join(tlsDir, 'c.pem'), 'utf8'),
  };
} catch {
  cert = undefined;
}
afterAll(() => rmSync(tlsDir, { recursive: true, force: true }));

describe.skipIf(!cert)('TLS with a self-signed certificate (needs openssl)', () => {
  it('refuses an untrusted certificate and says how to go on', async () => {
    server = await startFakeExchange({ owaVersion: '15.1.2242.12' }, cert);
    const err = await httpGet(`${server.url}/owa/`, { timeoutMs: 2000 }).catch((e) => e);
    expect(err).toBeInstanceOf(ProbeHttpError);
    expect(err.kind).toBe('tls');
    expect(err.message).toMatch(/not trusted.*--insecure/);
    await expect(probeExchange(server.url, { timeoutMs: 2000 })).rejects.toThrow(/cannot reach.*not trusted/);
  });

  it('reads the version with insecure: true', async () => {
    server = await startFakeExchange({ owaVersion: '15.1.2242.12' }, cert);
    const r = await probeExchange(server.url, { timeoutMs: 2000, insecure: true });
    expect(r.build).toBe('15.1.2242.12');
  });
});

describe('normaliseTarget', () => {
  it('adds https:// and keeps only the origin', () => {
    expect(normaliseTarget('mail.example.org').href).toBe('https://mail.example.org/');
    expect(normaliseTarget('https://mail.example.org/owa/?x=1').href).toBe('https://mail.example.org/');
  });
  it.each(['', 'ftp://mail.example.org', 'https://user:pw@mail.example.org', 'http://', 'x'.repeat(3000)])(
    'rejects %j',
    (s) => {
      expect(() => normaliseTarget(s)).toThrow(ProbeError);
    },
  );
});
