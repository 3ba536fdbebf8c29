// Loads the labeled URL sets of ../shared/intel for training and evaluating the URL classifier.
// Nothing here ships: most of these sets may be used for training and evaluation only (see their README).

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'tldts';

export interface LabeledUrl {
  url: string;
  /** 1 = phishing, 0 = legitimate. */
  label: number;
  source: string;
  /** Registrable domain (private suffixes on), the unit of the train/validation split. */
  domain: string;
}

function readGz(file: string): string {
  return gunzipSync(readFileSync(file)).toString('utf8');
}

function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.length > 0);
}

/** Registrable domain of a URL or bare host, with private suffixes (x.github.io stays x.github.io). */
export function registrableDomain(url: string): string {
  const hostPart = url
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .split(/[/?#]/)[0]
    .replace(/^.*@/, '')
    .replace(/:\d*$/, '')
    .toLowerCase();
  const info = parse(hostPart, { allowPrivateDomains: true });
  return info.domain ?? info.hostname ?? hostPart;
}

/** The first CSV field, or a quoted one; enough for these files (URLs in column 1 or 2). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export interface UrlSetCounts {
  [source: string]: { phish: number; legit: number };
}

/** Every labeled URL found under `intelDir`, with its source name. Missing files are skipped. */
export function loadLabeledUrls(intelDir: string, log: (s: string) => void = () => {}): LabeledUrl[] {
  const out: LabeledUrl[] = [];
  const add = (url: string, label: number, source: string) => {
    const u = url.trim();
    if (!u || u.length > 2048 || /\s/.test(u)) return;
    out.push({ url: u, label, source, domain: registrableDomain(u) });
  };
  const f = (rel: string) => path.join(intelDir, rel);
  const tryLoad = (rel: string, fn: (text: string) => void) => {
    if (!existsSync(f(rel))) return log(`  (missing ${rel})`);
    const before = out.length;
    fn(readGz(f(rel)));
    log(`  ${rel}: ${out.length - before} URLs`);
  };

  tryLoad('openphish_first_seen_2024-10_2025-12.csv.gz', (t) => {
    for (const l of lines(t).slice(1)) add(csvFields(l)[0], 1, 'openphish');
  });
  tryLoad('jpcert_2019-2024.csv.gz', (t) => {
    for (const l of lines(t).slice(1)) add(csvFields(l)[1] ?? '', 1, 'jpcert');
  });
  for (const name of [
    'online-valid.HerePhishyPhishy.csv.gz',
    'online-valid.Malicious-Email-Detection.csv.gz',
    'online-valid.PhishX.csv.gz',
    'online-valid.shreyagopal-2020.csv.gz',
  ]) {
    tryLoad(`phishtank/${name}`, (t) => {
      const rows = lines(t);
      const col = csvFields(rows[0] ?? '').indexOf('url');
      for (const l of rows.slice(1)) add(csvFields(l)[col >= 0 ? col : 1] ?? '', 1, 'phishtank');
    });
  }
  tryLoad('labeled/ebubekirbbr_pdd/data_phishing_37175.json.gz', (t) => {
    for (const u of JSON.parse(t) as string[]) add(u, 1, 'pdd');
  });
  tryLoad('labeled/ebubekirbbr_pdd/data_legitimate_36400.json.gz', (t) => {
    for (const u of JSON.parse(t) as string[]) add(u, 0, 'pdd');
  });
  tryLoad('labeled/malicious_phish.subset.IgorVianadF.csv.gz', (t) => {
    for (const l of lines(t).slice(1)) {
      const at = l.lastIndexOf(',');
      const label = l.slice(at + 1);
      let url = l.slice(0, at);
      if (url.startsWith('"') && url.endsWith('"')) url = url.slice(1, -1).replace(/""/g, '"');
      // Defacement and malware rows are other threats; the classifier is about phishing.
      if (label === 'phishing') add(url, 1, 'kaggle');
      else if (label === 'benign') add(url, 0, 'kaggle');
    }
  });
  tryLoad('labeled/PhiUSIIL.sample.calliyigit.csv.gz', (t) => {
    for (const l of lines(t)) {
      const c = csvFields(l);
      const label = c.at(-1);
      // PhiUSIIL labels 1 = legitimate, 0 = phishing.
      if (label === '1' || label === '0') add(c[1], label === '1' ? 0 : 1, 'phiusiil');
    }
  });
  tryLoad('iscx_url_2016/Benign_list_big_final.csv.gz', (t) => {
    for (const l of lines(t)) add(l, 0, 'iscx');
  });
  return out;
}

/** Popular domains by rank (Majestic then Umbrella), for the "popular but not top" evaluation. */
export function loadPopularDomains(intelDir: string): Map<string, number> {
  const rank = new Map<string, number>();
  const maj = path.join(intelDir, 'popular/majestic_million.top15k.2026-03.csv.gz');
  if (existsSync(maj)) {
    for (const l of lines(readGz(maj)).slice(1)) {
      const c = l.split(',');
      const d = registrableDomain(c[2] ?? '');
      const r = Number(c[0]);
      if (d && !rank.has(d)) rank.set(d, r);
    }
  }
  const umb = path.join(intelDir, 'popular/umbrella-top-20k.2026-07.txt.gz');
  if (existsSync(umb)) {
    lines(readGz(umb)).forEach((l, i) => {
      const d = registrableDomain(l);
      const prev = rank.get(d);
      if (d && (prev === undefined || i + 1 < prev)) rank.set(d, i + 1);
    });
  }
  return rank;
}
