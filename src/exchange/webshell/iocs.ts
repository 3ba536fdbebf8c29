// Indicator data for the web-folder check, loaded once from data/exchange/iocs:
//  - MSTIC's March 2021 Exchange IOC feed (sha256 hashes and file paths; TLP:WHITE, Azure-Sentinel);
//  - signature-base filename IOCs (regex;score lines; Florian Roth, DRL 1.1);
//  - signature-base YARA rules for web shells and forensic artefacts (DRL 1.1), compiled by ./yara.ts.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { iocDataDir } from './data-dir.js';
import { parseYara, type YaraRule } from './yara.js';

export interface FilenameIoc {
  re: RegExp;
  score: number;
  source: string;
  comment: string;
}

export interface IocData {
  sha256: Set<string>;
  /** MSTIC paths reduced to their tail below the install or inetpub folder, lower-case, '/' separators. */
  pathTails: string[];
  filenameIocs: FilenameIoc[];
  yaraRules: YaraRule[];
  yaraErrors: { rule: string; error: string }[];
}

export const YARA_FILES = ['apt_hafnium.yar', 'apt_webshell_chinachopper.yar', 'expl_proxyshell.yar'];

/** Reduces 'C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\...' to 'frontend/...'. */
export function pathTail(winPath: string): string {
  const p = winPath.replace(/\\/g, '/').toLowerCase();
  const v15 = p.indexOf('/v15/');
  if (v15 >= 0) return p.slice(v15 + 5);
  const inetpub = p.indexOf('inetpub/');
  if (inetpub >= 0) return p.slice(inetpub);
  return p.replace(/^[a-z]:\//, '');
}

export function parseMsticCsv(csv: string): { sha256: Set<string>; pathTails: string[] } {
  const sha256 = new Set<string>();
  const tails = new Set<string>();
  for (const line of csv.split(/\r?\n/).slice(1)) {
    const cols = line.split(',');
    if (cols.length < 4) continue;
    const [, , indicator, type] = cols;
    if (type === 'sha256' && /^[0-9a-f]{64}$/i.test(indicator)) sha256.add(indicator.toLowerCase());
    else if (type === 'filepath') tails.add(pathTail(indicator));
  }
  return { sha256, pathTails: [...tails] };
}

export function parseFilenameIocs(text: string, source: string): FilenameIoc[] {
  const out: FilenameIoc[] = [];
  let comment = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#')) {
      comment = line.slice(1).trim();
      continue;
    }
    const m = /^(.*);(\d+)$/.exec(line);
    if (!m) continue;
    try {
      out.push({ re: new RegExp(m[1], 'i'), score: Number(m[2]), source, comment });
    } catch {
      // A pattern JavaScript cannot compile is left out; the rest still apply.
    }
  }
  return out;
}

let cached: IocData | undefined;

export function loadIocs(dir = iocDataDir()): IocData {
  if (cached && dir === iocDataDir()) return cached;
  const mstic = parseMsticCsv(
    readFileSync(
      path.join(dir, 'mstic', 'MSTICIoCs-ExchangeServerVulnerabilitiesDisclosedMarch2021.csv'),
      'utf8',
    ),
  );
  const filenameIocs = parseFilenameIocs(
    readFileSync(path.join(dir, 'signature-base', 'filename-iocs_exchange_excerpt.txt'), 'utf8'),
    'signature-base filename-iocs',
  );
  const yaraRules: YaraRule[] = [];
  const yaraErrors: { rule: string; error: string }[] = [];
  for (const f of YARA_FILES) {
    const parsed = parseYara(readFileSync(path.join(dir, 'signature-base', f), 'utf8'));
    yaraRules.push(...parsed.rules);
    yaraErrors.push(...parsed.errors);
  }
  const data = { ...mstic, filenameIocs, yaraRules, yaraErrors };
  if (dir === iocDataDir()) cached = data;
  return data;
}
