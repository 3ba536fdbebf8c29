// Which shingle size? Exact best-match Jaccard (brute force through an inverted index, no LSH) of
// the 2024 phishing and of all ham against the phishing_pot phishing of 2022–2023, for word
// shingles of 2 to 5 words. The chosen size (SHINGLE_WORDS) should keep recall while leaving a wide
// gap between the best ham score and the engine's thresholds. Takes a few minutes (parses ~14k mails).
//
//   npx tsx bench/scams-shingle-size.ts [--shared ../shared] [--corpus-dir /tmp/corpus]

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCorpusExtracted, inMonths, REPO_ROOT, readManifest } from '../scripts/build-scam-seed.js';
import { parseMessage } from '../src/message/parse.js';
import { messageText, recipientWords } from '../src/scams/message-text.js';
import { hashString, MIN_SHINGLES } from '../src/scams/minhash.js';
import { tokenise } from '../src/scams/normalise.js';

const { values } = parseArgs({
  options: {
    shared: { type: 'string', default: path.resolve(REPO_ROOT, '../shared') },
    'corpus-dir': { type: 'string', default: '/tmp/corpus' },
  },
});
const THRESHOLDS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];

function shingleSet(tokens: string[], k: number): Set<number> {
  const s = new Set<number>();
  if (tokens.length && tokens.length < k) s.add(hashString(tokens.join(' ')));
  for (let i = 0; i + k <= tokens.length; i++) s.add(hashString(tokens.slice(i, i + k).join(' ')));
  return s;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(values.shared, 'corpus', 'manifest.csv'))) {
    process.stderr.write(`skipped: no corpus at ${values.shared}/corpus\n`);
    return;
  }
  const manifest = readManifest(values.shared);
  ensureCorpusExtracted(values.shared, values['corpus-dir'], [...new Set(manifest.map((r) => r.source))]);
  const indexRows = manifest.filter((r) => r.source === 'phishing_pot' && inMonths(r, '2022-01', '2023-12'));
  const phishRows = manifest.filter((r) => r.source === 'phishing_pot' && inMonths(r, '2024-01', '2024-12'));
  const hamRows = manifest.filter((r) => r.label === 'ham');
  const tokens = new Map<string, string[]>();
  for (const r of [...indexRows, ...phishRows, ...hamRows]) {
    const raw = readFileSync(path.join(values['corpus-dir'], r.path));
    const m = await parseMessage(new Uint8Array(raw), { kind: 'eml' }, { skipAttachments: true });
    tokens.set(
      r.path,
      tokenise(messageText(m), { recipientWords: recipientWords(m) }).map((t) => t.norm),
    );
  }
  const lines = [
    `| words per shingle | group | with enough text | ${THRESHOLDS.map((t) => `≥ ${t}`).join(' | ')} | best |`,
    `|---|---|---|${THRESHOLDS.map(() => '---').join('|')}|---|`,
  ];
  for (const k of [2, 3, 4, 5]) {
    const postings = new Map<number, number[]>();
    const sizes: number[] = [];
    indexRows.forEach((r, doc) => {
      const set = shingleSet(tokens.get(r.path)!, k);
      sizes.push(set.size);
      for (const h of set) {
        const list = postings.get(h);
        if (list) list.push(doc);
        else postings.set(h, [doc]);
      }
    });
    const best = (toks: string[]): number => {
      const set = shingleSet(toks, k);
      if (set.size < MIN_SHINGLES) return -1;
      const shared = new Map<number, number>();
      for (const h of set) for (const d of postings.get(h) ?? []) shared.set(d, (shared.get(d) ?? 0) + 1);
      let b = 0;
      for (const [d, c] of shared)
        if (sizes[d] >= MIN_SHINGLES) b = Math.max(b, c / (set.size + sizes[d] - c));
      return b;
    };
    for (const [name, rows] of [
      ['phishing_pot phish 2024', phishRows],
      ['all ham', hamRows],
    ] as const) {
      const scores = rows.map((r) => best(tokens.get(r.path)!)).filter((x) => x >= 0);
      const cells = THRESHOLDS.map((t) => String(scores.filter((x) => x >= t).length));
      lines.push(
        `| ${k} | ${name} | ${scores.length} | ${cells.join(' | ')} | ${Math.max(...scores).toFixed(3)} |`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`scams-shingle-size: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
