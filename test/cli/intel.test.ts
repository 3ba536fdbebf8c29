import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEEDS } from '../../src/intel/feeds.js';
import { runCli } from '../helpers/run-cli.js';
import { type FeedServer, startFeedServer } from '../intel/feed-server.js';

let server: FeedServer;
let home: string;
beforeAll(async () => {
  server = await startFeedServer();
  home = mkdtempSync(path.join(tmpdir(), 'suspect-cli-intel-'));
});
afterAll(async () => {
  await server.close();
});

/** Every feed pointed at the local server, through the documented environment variables. */
const env = () => ({
  SUSPECT_HOME: home,
  ...Object.fromEntries(FEEDS.map((f) => [f.env, server.urls[f.name]])),
});

describe('suspect intel', () => {
  it('status shows the shipped datasets with source, licence and age', async () => {
    const r = await runCli(['intel', 'status'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Intel snapshot [0-9a-f]{12}/);
    expect(r.stdout).toContain('phishing-database');
    expect(r.stdout).toContain('licence: MIT');
    expect(r.stdout).toMatch(/majestic-top15k: 15,000 entries/);
    expect(r.stdout).toContain('Feeds never fetched here: urlhaus, openphish');
  });

  it('status --json is machine-readable', async () => {
    const r = await runCli(['intel', 'status', '--json'], env());
    const s = JSON.parse(r.stdout);
    expect(s.totals.blocklistEntries).toBeGreaterThan(100_000);
    expect(s.totals.brands).toBeGreaterThan(150);
    expect(s.datasets.find((d: { name: string }) => d.name === 'blocklistproject')).toMatchObject({
      origin: 'snapshot',
      licence: 'Unlicense',
    });
  });

  it('update fetches every feed with progress on stderr, then status lists them', async () => {
    const r = await runCli(['intel', 'update'], env());
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('openphish: fetching http://127.0.0.1:');
    expect(r.stdout).toMatch(/^urlhaus: updated, 3 entries/m);
    expect(r.stdout).toMatch(/^phishtank: updated, 2 entries/m);
    const s = await runCli(['intel', 'status', '--json'], env());
    const feeds = JSON.parse(s.stdout).datasets.filter((d: { origin: string }) => d.origin === 'feed');
    expect(feeds).toHaveLength(5);
    const again = await runCli(['intel', 'update', '--feed', 'openphish', '--json'], env());
    expect(JSON.parse(again.stdout).results[0]).toMatchObject({ feed: 'openphish', status: 'not-modified' });
  });

  it('a feed update then puts its URLs on the blocklist for suspect url', async () => {
    const r = await runCli(['url', '--json', 'https://chase-verify.example/login'], env());
    const line = JSON.parse(r.stdout.trim().split('\n')[0]);
    const hit = line.findings.find((f: { code: string }) => f.code === 'blocklist.url');
    expect(hit.evidence).toMatchObject({
      dataset: 'phishtank',
      origin: 'feed',
      targetBrand: 'JPMorgan Chase & Co.',
    });
  });

  it('update reports an unreachable feed with exit code 3 and keeps going', async () => {
    const r = await runCli(['intel', 'update', '--feed', 'urlhaus', '--feed', 'phishtank'], {
      ...env(),
      SUSPECT_FEED_URLHAUS: `${server.base}/missing.csv`,
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/urlhaus: FAILED — HTTP 404/);
    expect(r.stdout).toMatch(/phishtank: (updated|not modified)/);
  });

  it('rejects an unknown feed name as a usage error', async () => {
    const r = await runCli(['intel', 'update', '--feed', 'nope'], env());
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('unknown feed nope');
  });
});
