// Public threat feeds `suspect intel update` refreshes, and parsers for their real formats.
// Feed URLs can be overridden per feed by environment variable (and by option, for tests).

export type FeedFormat = 'urlhaus-csv' | 'phishtank-csv' | 'url-lines' | 'host-lines';

export interface FeedDef {
  name: string;
  title: string;
  source: string;
  homepage: string;
  licence: string;
  threat: 'phishing' | 'malware';
  url: string;
  /** Environment variable that overrides `url`. */
  env: string;
  format: FeedFormat;
}

export const FEEDS: FeedDef[] = [
  {
    name: 'urlhaus',
    title: 'URLhaus recent malware URLs',
    source: 'abuse.ch URLhaus',
    homepage: 'https://urlhaus.abuse.ch/',
    licence: 'CC0-1.0 (abuse.ch terms of use)',
    threat: 'malware',
    url: 'https://urlhaus.abuse.ch/downloads/csv_recent/',
    env: 'SUSPECT_FEED_URLHAUS',
    format: 'urlhaus-csv',
  },
  {
    name: 'openphish',
    title: 'OpenPhish community feed',
    source: 'OpenPhish',
    homepage: 'https://openphish.com/',
    licence: 'OpenPhish community feed terms (non-commercial use)',
    threat: 'phishing',
    url: 'https://openphish.com/feed.txt',
    env: 'SUSPECT_FEED_OPENPHISH',
    format: 'url-lines',
  },
  {
    name: 'phishtank',
    title: 'PhishTank online, verified phishing URLs',
    source: 'PhishTank (Cisco Talos)',
    homepage: 'https://phishtank.org/',
    licence: 'PhishTank terms of use',
    threat: 'phishing',
    url: 'http://data.phishtank.com/data/online-valid.csv',
    env: 'SUSPECT_FEED_PHISHTANK',
    format: 'phishtank-csv',
  },
  {
    name: 'phishing-database-domains',
    title: 'Phishing.Database active phishing domains',
    source: 'Phishing.Database',
    homepage: 'https://github.com/Phishing-Database/Phishing.Database',
    licence: 'MIT',
    threat: 'phishing',
    url: 'https://raw.githubusercontent.com/Phishing-Database/Phishing.Database/master/phishing-domains-ACTIVE.txt',
    env: 'SUSPECT_FEED_PHISHING_DATABASE_DOMAINS',
    format: 'host-lines',
  },
  {
    name: 'phishing-database-links',
    title: 'Phishing.Database active phishing links',
    source: 'Phishing.Database',
    homepage: 'https://github.com/Phishing-Database/Phishing.Database',
    licence: 'MIT',
    threat: 'phishing',
    url: 'https://raw.githubusercontent.com/Phishing-Database/Phishing.Database/master/phishing-links-ACTIVE.txt',
    env: 'SUSPECT_FEED_PHISHING_DATABASE_LINKS',
    format: 'url-lines',
  },
];

export interface FeedEntry {
  /** A URL or a host, as the feed gives it. */
  value: string;
  firstSeen?: string;
  target?: string;
}

/** Splits one CSV record (RFC 4180 quoting; feeds keep records on one line). */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          v += line.slice(i);
          i = line.length;
          break;
        }
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(v);
      const comma = line.indexOf(',', i);
      i = comma < 0 ? line.length + 1 : comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** YYYY-MM-DD of a feed timestamp, or undefined. */
function day(s: string | undefined): string | undefined {
  return s && /^\d{4}-\d\d-\d\d/.test(s) ? s.slice(0, 10) : undefined;
}

/** Entries of a feed body; throws when the body is not in the feed's format (e.g. an HTML error page). */
export function parseFeed(format: FeedFormat, body: string): FeedEntry[] {
  const lines = body.replace(/^\uFEFF/, '').split(/\r?\n/);
  const head =
    lines
      .find((l) => l.trim())
      ?.trim()
      .toLowerCase() ?? '';
  if (head.startsWith('<!doctype') || head.startsWith('<html'))
    throw new Error('the feed sent an HTML page, not its data');
  const entries: FeedEntry[] = [];
  switch (format) {
    case 'urlhaus-csv': {
      // `# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter` in the comment header.
      for (const l of lines) {
        if (!l.trim() || l.startsWith('#')) continue;
        const f = parseCsvLine(l);
        if (f.length < 3 || !/^\d+$/.test(f[0])) throw new Error('not a URLhaus CSV record');
        entries.push({ value: f[2], firstSeen: day(f[1]) });
      }
      break;
    }
    case 'phishtank-csv': {
      const header = parseCsvLine(lines[0] ?? '');
      const iUrl = header.indexOf('url');
      const iTime = header.indexOf('submission_time');
      const iTarget = header.indexOf('target');
      if (iUrl < 0) throw new Error('not a PhishTank CSV (no url column)');
      for (const l of lines.slice(1)) {
        if (!l.trim()) continue;
        const f = parseCsvLine(l);
        if (!f[iUrl]) continue;
        const target = iTarget >= 0 ? f[iTarget] : undefined;
        entries.push({
          value: f[iUrl],
          firstSeen: day(f[iTime]),
          target: target && target !== 'Other' ? target : undefined,
        });
      }
      break;
    }
    case 'url-lines':
    case 'host-lines': {
      for (const l of lines) {
        const t = l.trim();
        if (!t || t.startsWith('#') || t.startsWith('!')) continue;
        if (/\s/.test(t)) throw new Error(`not a plain list (line "${t.slice(0, 60)}")`);
        entries.push({ value: t });
      }
      break;
    }
  }
  return entries;
}
