// Builds the intel snapshot shipped in data/intel/ from ../shared/intel. Only datasets whose licence
// allows redistribution are included (see data/intel/README.md for sources and attribution):
//
//   URLhaus via urlhaus-filter (CC0 / MIT), Phishing.Database (MIT), The Block List Project
//   (Unlicense), Majestic Million top 15k (CC BY 3.0), Unicode confusables (Unicode License v3).
//
// Not shipped, by licence: OpenPhish, PhishTank, JPCERT, Cisco Umbrella (they are used only to
// evaluate, see bench/intel-eval.ts; Umbrella's hosts are used here only to drop list noise).
//
//   npx tsx scripts/build-brands.ts                     # first: brands.json (official domains are kept off the lists)
//   npx tsx scripts/build-intel-snapshot.ts            # writes data/intel/{manifest.json,*.tsv.gz,popular-majestic.txt.gz}
//
// The snapshot version hashes every shipped file, brands.json and shared-hosting.txt included, so
// any change reloads the stores and the lookalike engine's data version changes with it.
//
// Entries are normalised (src/intel/normalise.ts); entries that would condemn a whole popular,
// official-brand or shared-hosting domain are dropped (src/intel/reference.ts isProtectedWholeHost).

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { splitHost } from '../src/intel/domains.js';
import { normaliseHost, urlKey } from '../src/intel/normalise.js';
import {
  type Brand,
  buildReference,
  isProtectedWholeHost,
  parseSharedHosting,
} from '../src/intel/reference.js';
import type { SnapshotDataset, SnapshotManifest } from '../src/intel/snapshot.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(repoRoot, '../shared/intel');
const out = path.join(repoRoot, 'data/intel');

if (!existsSync(shared)) {
  console.error(`${shared} not found: the snapshot is built from the shared development data.`);
  process.exit(3);
}

const read = (rel: string) => gunzipSync(readFileSync(path.join(shared, rel))).toString('utf8');
const lines = (rel: string) =>
  read(rel)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
const day = (iso: string | undefined) => (iso && /^\d{4}-\d\d-\d\d/.test(iso) ? iso.slice(0, 10) : '');

// ── popular domains (Majestic top 15k, registrable domains in rank order) ──
const majestic = read('popular/majestic_million.top15k.2026-03.csv.gz').split('\n').slice(1);
const popular: string[] = [];
for (const row of majestic) {
  const domain = row.split(',')[2]?.trim().toLowerCase();
  if (domain) popular.push(domain);
}
writeFileSync(path.join(out, 'popular-majestic.txt.gz'), gzipSync(`${popular.join('\n')}\n`, { level: 9 }));

const brands = (JSON.parse(readFileSync(path.join(out, 'brands.json'), 'utf8')) as { brands: Brand[] })
  .brands;
const ref = buildReference(
  brands,
  parseSharedHosting(readFileSync(path.join(out, 'shared-hosting.txt'), 'utf8')),
  popular,
);
// Umbrella lists hosts people's machines really resolve (www.google.com, login.live.com): used here
// only to drop list noise, never shipped.
const umbrellaHosts = new Set(
  lines('popular/umbrella-top-20k.2026-07.txt.gz').map((h) => h.toLowerCase().replace(/^www\./, '')),
);

let dropped = 0;
function keepHost(h: string): boolean {
  if (isProtectedWholeHost(h, ref) || umbrellaHosts.has(h)) {
    dropped++;
    return false;
  }
  return true;
}

interface Built {
  meta: Omit<SnapshotDataset, 'file' | 'rows' | 'sha256'>;
  hosts: Map<string, string>;
  urls: Map<string, string>;
}

function addEntry(b: Built, raw: string, firstSeen: string) {
  const h = normaliseHost(raw);
  if (h) {
    if (keepHost(h) && !b.hosts.has(h)) b.hosts.set(h, firstSeen);
    return;
  }
  const k = urlKey(raw);
  if (!k) return;
  if (!k.rest) {
    if (keepHost(k.host) && !b.hosts.has(k.host)) b.hosts.set(k.host, firstSeen);
  } else if (!b.urls.has(k.key)) b.urls.set(k.key, firstSeen);
}

const built: Built[] = [];

function hostListed(hosts: Map<string, string>, host: string): boolean {
  let h = host;
  for (;;) {
    if (hosts.has(h)) return true;
    const dot = h.indexOf('.');
    if (dot < 0) return false;
    h = h.slice(dot + 1);
  }
}

// URLhaus (urlhaus-filter): first-seen 2018–2020 plus the 2022-03-14 lists.
{
  const b: Built = {
    meta: {
      name: 'urlhaus-filter',
      title: 'URLhaus malware URLs and hosts (via urlhaus-filter)',
      source: 'abuse.ch URLhaus, packaged by curben/urlhaus-filter',
      homepage: 'https://gitlab.com/malware-filter/urlhaus-filter',
      licence: 'CC0-1.0 (data), MIT (urlhaus-filter)',
      dataDate: '2022-03-14',
      threat: 'malware',
    },
    hosts: new Map(),
    urls: new Map(),
  };
  for (const row of read('urlhaus_filter/urlhaus_filter_first_seen_2018-10_2020-07.csv.gz')
    .split('\n')
    .slice(1)) {
    const cut = row.lastIndexOf(',');
    if (cut > 0) addEntry(b, row.slice(0, cut), day(row.slice(cut + 1)));
  }
  for (const l of lines('urlhaus_filter/urlhaus-filter.2022-03-14.txt.gz')) addEntry(b, l, '');
  for (const l of lines('urlhaus_filter/urlhaus-filter-domains.2022-03-14.txt.gz')) addEntry(b, l, '');
  built.push(b);
}

// Phishing.Database: active domain shards 2024–2025, links 2020, first-seen where known.
{
  const b: Built = {
    meta: {
      name: 'phishing-database',
      title: 'Phishing.Database active phishing domains and links',
      source: 'Phishing.Database (mitchellkrogza / Phishing-Database)',
      homepage: 'https://github.com/Phishing-Database/Phishing.Database',
      licence: 'MIT',
      dataDate: '2025-12-28',
      threat: 'phishing',
    },
    hosts: new Map(),
    urls: new Map(),
  };
  for (const f of [
    'phishing_database/phishing_domains_new_first_seen.csv.gz',
    'phishing_database/phishing_links_new_first_seen.csv.gz',
  ])
    for (const row of read(f).split('\n').slice(1)) {
      const cut = row.lastIndexOf(',');
      if (cut > 0) addEntry(b, row.slice(0, cut), day(row.slice(cut + 1)));
    }
  for (const f of [
    'phishing_database/phishing-domains-ACTIVE3.2025-12-28.partial.txt.gz',
    'phishing_database/phishing-domains-ACTIVE.2024-12-26.txt.gz',
    'phishing_database/phishing-domains-ACTIVE2.partial.txt.gz',
    'phishing_database/phishing-links-ACTIVE.2020-09-01.txt.gz',
  ])
    for (const l of lines(f)) addEntry(b, l, '');
  built.push(b);
}

// The Block List Project: phishing, scam and ransomware domains (2026-07).
{
  const b: Built = {
    meta: {
      name: 'blocklistproject',
      title: 'The Block List Project phishing, scam and ransomware domains',
      source: 'The Block List Project',
      homepage: 'https://github.com/blocklistproject/Lists',
      licence: 'Unlicense',
      dataDate: '2026-07-06',
      threat: 'phishing',
    },
    hosts: new Map(),
    urls: new Map(),
  };
  for (const f of [
    'blocklistproject/phishing-nl.txt.gz',
    'blocklistproject/scam-nl.txt.gz',
    'blocklistproject/ransomware.txt.gz',
  ])
    for (const l of lines(f)) addEntry(b, l.replace(/^0\.0\.0\.0\s+/, ''), '');
  built.push(b);
}

const datasets: SnapshotDataset[] = [];
let redundant = 0;
for (const b of built) {
  // A URL under a listed host adds nothing to matching (the host match fires first): drop it.
  for (const key of [...b.urls.keys()]) {
    const host = key.slice(0, key.search(/[/?]/));
    if (splitHost(host).registrable && hostListed(b.hosts, host)) {
      b.urls.delete(key);
      redundant++;
    }
  }
  const body = [
    ...[...b.hosts].map(([e, d]) => `H\t${e}\t${d}`),
    ...[...b.urls].map(([e, d]) => `U\t${e}\t${d}`),
  ]
    .sort()
    .join('\n');
  const gz = gzipSync(`${body}\n`, { level: 9 });
  const file = `${b.meta.name}.tsv.gz`;
  writeFileSync(path.join(out, file), gz);
  datasets.push({
    ...b.meta,
    file,
    rows: b.hosts.size + b.urls.size,
    sha256: createHash('sha256').update(gz).digest('hex'),
  });
  console.error(
    `${b.meta.name}: ${b.hosts.size} hosts, ${b.urls.size} URLs, ${(gz.length / 1e6).toFixed(2)} MB`,
  );
}
console.error(`dropped ${redundant} URLs under listed hosts`);
console.error(`dropped ${dropped} entries naming popular, official or shared-hosting domains whole`);

const popularSha = createHash('sha256')
  .update(readFileSync(path.join(out, 'popular-majestic.txt.gz')))
  .digest('hex');
const manifest: SnapshotManifest = {
  schema: 'suspect.intel-snapshot/1',
  // Content-derived, so a rebuild from the same data keeps the version and avoids a reload.
  version: createHash('sha256')
    .update(datasets.map((d) => d.sha256).join(',') + popularSha)
    .update(readFileSync(path.join(out, 'brands.json')))
    .update(readFileSync(path.join(out, 'shared-hosting.txt')))
    .digest('hex')
    .slice(0, 12),
  built: new Date().toISOString().slice(0, 10),
  datasets,
  popular: {
    name: 'majestic-top15k',
    title: 'Majestic Million, top 15,000 domains',
    source: 'Majestic',
    homepage: 'https://majestic.com/reports/majestic-million',
    licence: 'CC BY 3.0',
    dataDate: '2026-03',
    file: 'popular-majestic.txt.gz',
    rows: popular.length,
    sha256: popularSha,
  },
};
writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.error(`wrote data/intel/manifest.json, version ${manifest.version}`);
