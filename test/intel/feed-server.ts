// A local HTTP server (127.0.0.1, ephemeral port) serving feed files in their real formats, with
// ETag / Last-Modified and 304 handling like the real feeds.

import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FEED_FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/feeds');

export const FEED_FILES: Record<string, string> = {
  urlhaus: 'urlhaus.csv',
  openphish: 'openphish.txt',
  phishtank: 'phishtank.csv',
  'phishing-database-domains': 'phishing-domains-ACTIVE.txt',
  'phishing-database-links': 'phishing-links-ACTIVE.txt',
};

export interface FeedServer {
  base: string;
  urls: Record<string, string>;
  requests: { path: string; headers: IncomingHttpHeaders }[];
  /** Replace what a path serves: a body, or a status code. */
  override: Map<string, { status?: number; body?: string }>;
  close(): Promise<void>;
}

const LAST_MODIFIED = 'Wed, 26 Nov 2026 12:00:00 GMT';

export async function startFeedServer(): Promise<FeedServer> {
  const requests: FeedServer['requests'] = [];
  const override = new Map<string, { status?: number; body?: string }>();
  const server: Server = createServer((req, res) => {
    const p = req.url ?? '/';
    requests.push({ path: p, headers: req.headers });
    const o = override.get(p);
    if (o?.status) {
      res.writeHead(o.status).end('error');
      return;
    }
    const file = Object.values(FEED_FILES).find((f) => `/${f}` === p);
    if (!file && !o?.body) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = o?.body ?? readFileSync(path.join(FEED_FIXTURES, file!), 'utf8');
    const etag = `"${Buffer.from(body).length}-${p.length}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain', etag, 'last-modified': LAST_MODIFIED }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const urls = Object.fromEntries(Object.entries(FEED_FILES).map(([k, f]) => [k, `${base}/${f}`]));
  return { base, urls, requests, override, close: () => new Promise((r) => server.close(() => r())) };
}
