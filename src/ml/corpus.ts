// Reads the development corpus (../shared/corpus/manifest.csv and the messages extracted to /tmp/corpus).
// The messages never ship; only models fitted on them do.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type CorpusLabel = 'phish' | 'spam' | 'ham';

export interface ManifestRow {
  path: string;
  label: CorpusLabel;
  /** As in the manifest, e.g. 'spamassassin/easy_ham'. */
  source: string;
  /** The corpus the message came from, e.g. 'spamassassin': the unit of source cross-validation. */
  corpus: string;
  month: string;
  sha256: string;
  bytes: number;
}

/** Largest manifest read; a corrupt or hostile path must not exhaust memory. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export function readManifest(file: string): ManifestRow[] {
  const text = readFileSync(file, 'utf8');
  if (text.length > MAX_MANIFEST_BYTES)
    throw new Error(`${file}: manifest larger than ${MAX_MANIFEST_BYTES} bytes`);
  const lines = text.split(/\r?\n/).filter(Boolean);
  const header = (lines[0] ?? '').split(',');
  const col = (n: string) => header.indexOf(n);
  const [iPath, iLabel, iSource] = [col('path'), col('label'), col('source')];
  if (iPath < 0 || iLabel < 0) throw new Error(`${file}: manifest needs 'path' and 'label' columns`);
  const rows: ManifestRow[] = [];
  for (const l of lines.slice(1)) {
    const c = l.split(',');
    const label = c[iLabel] as CorpusLabel;
    if (label !== 'phish' && label !== 'spam' && label !== 'ham') continue;
    const source = iSource >= 0 ? (c[iSource] ?? '') : path.dirname(c[iPath]);
    rows.push({
      path: c[iPath],
      label,
      source,
      corpus: source.split('/')[0],
      month: col('month') >= 0 ? (c[col('month')] ?? '') : '',
      sha256: col('sha256') >= 0 ? (c[col('sha256')] ?? '') : c[iPath],
      bytes: col('bytes') >= 0 ? Number(c[col('bytes')]) : 0,
    });
  }
  return rows;
}

/** The extraction folder holds every file of the manifest (checks a sample to stay fast). */
export function corpusExtracted(dataDir: string, rows: ManifestRow[]): boolean {
  if (rows.length === 0) return false;
  const step = Math.max(1, Math.floor(rows.length / 50));
  for (let i = 0; i < rows.length; i += step) if (!existsSync(path.join(dataDir, rows[i].path))) return false;
  return true;
}

/**
 * Recipients the corpus anonymised into the message text (phishing_pot replaced the real recipient by
 * "phishing@pot" and kept its owner's name in places). Masked in training like any recipient is, so the
 * model cannot learn them; at run time the message's own To/Cc play that role.
 */
export const ANONYMISED_RECIPIENTS: Record<string, { name?: string; address: string }[]> = {
  phishing_pot: [
    { name: 'Rodrigo Ferreira', address: 'phishing@pot' },
    { name: 'Rodrigo-f-p', address: 'phish.me.again@gmail.com' },
  ],
};
