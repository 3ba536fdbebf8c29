// A local HTTP server on 127.0.0.1 that answers like an Exchange server's OWA/ECP front end.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface FakeExchangeOptions {
  /** X-OWA-Version header on /owa/ and the logon page; omitted when undefined. */
  owaVersion?: string;
  /** CU build in the logon page resource paths, e.g. '15.1.2242'; no resource paths when undefined. */
  logonBuild?: string;
  /** Version in the export-tool manifest; 404 when undefined. */
  manifestVersion?: string;
  /** Never answer (timeout tests). */
  hang?: boolean;
  /** Stream this many bytes of body on the logon page (size-cap tests). */
  hugeBody?: number;
}

export interface FakeExchange {
  url: string;
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export function logonPage(build: string): string {
  return `<!DOCTYPE html><html><head><title>Outlook</title>
<link rel="shortcut icon" href="/owa/auth/${build}/themes/resources/favicon.ico" type="image/x-icon">
<link type="text/css" rel="stylesheet" href="/owa/auth/${build}/themes/resources/logon.css">
<script type="text/javascript" src="/owa/auth/${build}/scripts/premium/flogon.js"></script>
</head><body><form action="/owa/auth.owa" method="POST"></form></body></html>`;
}

export function exportToolManifest(version: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<asmv1:assembly xsi:schemaLocation="urn:schemas-microsoft-com:asm.v1 assembly.adaptive.xsd" manifestVersion="1.0" xmlns:asmv1="urn:schemas-microsoft-com:asm.v1" xmlns="urn:schemas-microsoft-com:asm.v2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <assemblyIdentity name="microsoft.exchange.ediscovery.exporttool.application" version="${version}" publicKeyToken="b03f5f7f11d50a3a" language="neutral" processorArchitecture="msil" xmlns="urn:schemas-microsoft-com:asm.v1" />
  <description asmv2:publisher="Microsoft Corporation" asmv2:product="Microsoft Exchange eDiscovery Export Tool" xmlns="urn:schemas-microsoft-com:asm.v1" />
  <dependency><dependentAssembly dependencyType="install" codebase="15.2.1.1/microsoft.exchange.ediscovery.exporttool.exe.manifest">
    <assemblyIdentity name="microsoft.exchange.ediscovery.exporttool.exe" version="1.0.0.1" language="neutral" processorArchitecture="msil" type="win32" />
  </dependentAssembly></dependency>
</asmv1:assembly>`;
}

export async function startFakeExchange(
  o: FakeExchangeOptions,
  tls?: { key: string; cert: string },
): Promise<FakeExchange> {
  const requests: FakeExchange['requests'] = [];
  const handler: http.RequestListener = (req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (o.hang) return; // never answer
    const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
    if (o.owaVersion) headers['x-owa-version'] = o.owaVersion;
    const path = (req.url ?? '').split('?')[0].toLowerCase();
    if (path === '/owa/' || path === '/owa') {
      res.writeHead(302, { ...headers, location: '/owa/auth/logon.aspx?url=%2fowa%2f&reason=0' });
      return res.end();
    }
    if (path === '/owa/auth/logon.aspx') {
      if (o.hugeBody) {
        res.writeHead(200, headers);
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const pump = () => {
          while (sent < (o.hugeBody ?? 0)) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => {});
        return pump();
      }
      res.writeHead(200, headers);
      return res.end(o.logonBuild ? logonPage(o.logonBuild) : '<html><body>Sign in</body></html>');
    }
    if (
      path === '/ecp/current/exporttool/microsoft.exchange.ediscovery.exporttool.application' &&
      o.manifestVersion
    ) {
      res.writeHead(200, { 'content-type': 'application/x-ms-application' });
      return res.end(exportToolManifest(o.manifestVersion));
    }
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><body>404 - Not found</body></html>');
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then closed). */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
