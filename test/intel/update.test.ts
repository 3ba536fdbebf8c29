import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocklistIndex } from '../../src/intel/blocklist.js';
import { parseCsvLine, parseFeed } from '../../src/intel/feeds.js';
import { getDataset } from '../../src/intel/store.js';
import { updateFeeds } from '../../src/intel/update.js';
import { type FeedServer, startFeedServer } from './feed-server.js';
import { fixtureDb } from './helpers.js';

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
});

/** A port on 127.0.0.1 with nothing listening. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('feed parsers', () => {
  it('splits quoted CSV records', () => {
    expect(parseCsvLine('1,"a,b","say ""hi""",')).toEqual(['1', 'a,b', 'say "hi"', '']);
  });
  it('rejects an HTML error page instead of wiping a list', () => {
    expect(() => parseFeed('url-lines', '<!DOCTYPE html><html>busy</html>')).toThrow(/HTML/);
    expect(() => parseFeed('urlhaus-csv', 'id;url\n1;x')).toThrow();
  });
});

describe('updateFeeds', () => {
  it('fetches every feed in its real format and stores entries with provenance', async () => {
    const db = fixtureDb([]);
    const progress: string[] = [];
    const results = await updateFeeds(db, { urls: server.urls, onProgress: (m) => progress.push(m) });
    expect(results.map((r) => [r.feed, r.status])).toEqual([
      ['urlhaus', 'updated'],
      ['openphish', 'updated'],
      ['phishtank', 'updated'],
      ['phishing-database-domains', 'updated'],
      ['phishing-database-links', 'updated'],
    ]);
    // drive.google.com/ names a whole popular service, weebly.com a shared host: skipped.
    expect(results[0]).toMatchObject({ rows: 3, skipped: 1 });
    expect(results[3]).toMatchObject({ rows: 3, skipped: 1 });
    expect(progress.some((m) => m.startsWith('urlhaus: fetching'))).toBe(true);
    const urlhaus = getDataset(db, 'urlhaus')!;
    expect(urlhaus).toMatchObject({
      origin: 'feed',
      source: 'abuse.ch URLhaus',
      dataDate: '2026-11-26',
      threat: 'malware',
    });
    expect(urlhaus.etag).toBeTruthy();
    const idx = blocklistIndex(db);
    expect(idx.lookup('https://dl.malware-drop.example/payload/setup.exe')[0]).toMatchObject({
      code: 'blocklist.url',
      firstSeen: '2026-11-27',
    });
    expect(idx.lookup('http://bad-download.example/other')[0]).toMatchObject({ code: 'blocklist.host' });
    expect(idx.lookup('https://chase-verify.example/login')[0]).toMatchObject({
      target: 'JPMorgan Chase & Co.',
      firstSeen: '2026-11-25',
    });
    expect(idx.lookup('http://example-phish.test/a,b/index.html')).toHaveLength(1);
    expect(idx.lookup('http://amazon-refund.example/')[0].dataset.name).toBe('phishing-database-domains');
    expect(idx.lookup('https://xn--pypal-4ve.com/x')[0].code).toBe('blocklist.host');
    expect(idx.lookup('https://someone.weebly.com/')).toHaveLength(0);
  });

  it('sends conditional requests and keeps the data on 304', async () => {
    const db = fixtureDb([]);
    await updateFeeds(db, { urls: server.urls, feeds: ['openphish'] });
    const before = server.requests.length;
    const [again] = await updateFeeds(db, { urls: server.urls, feeds: ['openphish'] });
    expect(again).toMatchObject({ status: 'not-modified', rows: 3 });
    const req = server.requests[before];
    expect(req.headers['if-none-match']).toBeTruthy();
    expect(req.headers['if-modified-since']).toBe('Wed, 26 Nov 2026 12:00:00 GMT');
    expect(blocklistIndex(db).lookup('https://metamask-wallet-verify.vercel.app/')).toHaveLength(1);
  });

  it('reports an unreachable feed clearly and still updates the others', async () => {
    const port = await closedPort();
    const db = fixtureDb([]);
    const results = await updateFeeds(db, {
      urls: { ...server.urls, openphish: `http://127.0.0.1:${port}/feed.txt` },
      feeds: ['openphish', 'phishtank'],
    });
    expect(results[0]).toMatchObject({ feed: 'openphish', status: 'error' });
    expect(results[0].error).toMatch(/unreachable|ECONNREFUSED/);
    expect(results[1]).toMatchObject({ feed: 'phishtank', status: 'updated' });
    expect(getDataset(db, 'openphish')?.lastError).toBe(results[0].error);
  });

  it('keeps the previous data when a feed fails or sends garbage', async () => {
    const db = fixtureDb([]);
    await updateFeeds(db, { urls: server.urls, feeds: ['phishing-database-links'] });
    server.override.set('/phishing-links-ACTIVE.txt', { body: '<html><body>rate limited</body></html>' });
    try {
      const [bad] = await updateFeeds(db, { urls: server.urls, feeds: ['phishing-database-links'], env: {} });
      expect(bad.status).toBe('error');
      server.override.set('/phishing-links-ACTIVE.txt', { status: 503 });
      const [down] = await updateFeeds(db, { urls: server.urls, feeds: ['phishing-database-links'] });
      expect(down).toMatchObject({ status: 'error', error: 'HTTP 503 Service Unavailable' });
    } finally {
      server.override.clear();
    }
    expect(
      blocklistIndex(db).lookup('http://compromised-blog.example/wp-includes/dhl/track.php'),
    ).toHaveLength(1);
  });

  it('refuses a feed larger than the limit', async () => {
    const db = fixtureDb([]);
    const [r] = await updateFeeds(db, { urls: server.urls, feeds: ['urlhaus'], maxBytes: 100 });
    expect(r.status).toBe('error');
    expect(r.error).toMatch(/more than|larger than/);
  });

  it('takes feed URLs from the environment', async () => {
    const db = fixtureDb([]);
    const [r] = await updateFeeds(db, {
      feeds: ['openphish'],
      env: { SUSPECT_FEED_OPENPHISH: server.urls.openphish },
    });
    expect(r).toMatchObject({ status: 'updated', url: server.urls.openphish });
  });

  it('rejects an unknown feed name', async () => {
    await expect(updateFeeds(fixtureDb([]), { feeds: ['nope'] })).rejects.toThrow(/unknown feed "nope"/);
  });
});
