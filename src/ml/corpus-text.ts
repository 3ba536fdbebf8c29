// Text features of every corpus message, parsed once and cached in /tmp so refits take seconds.

import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import PostalMime from 'postal-mime';
import { ANONYMISED_RECIPIENTS, type ManifestRow } from './corpus.js';
import { textFeatureNames } from './text-features.js';

export interface CorpusTextRow {
  sha256: string;
  label: ManifestRow['label'];
  source: string;
  corpus: string;
  month: string;
  /** Feature names (see text-features.ts). */
  feats: string[];
}

export const TEXT_CACHE_PATH = '/tmp/suspect-text-features.jsonl';
/** Bump when text-features.ts changes, so a stale cache is not reused. */
export const TEXT_FEATURES_VERSION = 4;

export async function corpusTextRows(
  rows: ManifestRow[],
  dataDir: string,
  log: (s: string) => void,
  cachePath = TEXT_CACHE_PATH,
): Promise<CorpusTextRow[]> {
  const cached = new Map<string, CorpusTextRow>();
  if (existsSync(cachePath)) {
    const rl = createInterface({ input: createReadStream(cachePath) });
    let first = true;
    for await (const line of rl) {
      if (first) {
        first = false;
        if (line !== JSON.stringify({ version: TEXT_FEATURES_VERSION })) break;
        continue;
      }
      const r = JSON.parse(line) as CorpusTextRow;
      cached.set(r.sha256, r);
    }
  }
  const out: CorpusTextRow[] = [];
  let parsed = 0;
  const started = Date.now();
  for (const row of rows) {
    const hit = cached.get(row.sha256);
    if (hit) {
      out.push({ ...hit, label: row.label, source: row.source, corpus: row.corpus, month: row.month });
      continue;
    }
    let feats: string[] = [];
    try {
      const email = await PostalMime.parse(readFileSync(path.join(dataDir, row.path)));
      const recipients = [...(email.to ?? []), ...(email.cc ?? [])].flatMap((a) =>
        'group' in a && Array.isArray(a.group) ? a.group : [a],
      ) as { name?: string; address?: string }[];
      recipients.push(...(ANONYMISED_RECIPIENTS[row.corpus] ?? []));
      feats = textFeatureNames({ subject: email.subject, text: email.text, html: email.html, recipients });
    } catch (err) {
      log(`text: cannot read ${row.path}: ${(err as Error).message}`);
    }
    const r: CorpusTextRow = {
      sha256: row.sha256,
      label: row.label,
      source: row.source,
      corpus: row.corpus,
      month: row.month,
      feats,
    };
    cached.set(row.sha256, r);
    out.push(r);
    parsed++;
    if (parsed % 1000 === 0)
      log(`text: parsed ${parsed} messages (${((parsed * 1000) / (Date.now() - started)).toFixed(0)}/s)`);
  }
  if (parsed > 0) {
    const lines = [
      JSON.stringify({ version: TEXT_FEATURES_VERSION }),
      ...[...cached.values()].map((r) => JSON.stringify(r)),
    ];
    writeFileSync(cachePath, `${lines.join('\n')}\n`);
  }
  return out;
}
