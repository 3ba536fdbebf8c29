// How often each sender finding (sender-auth, impersonation, header-anomaly engines) fires on ham,
// spam and phishing of the development corpus (../shared/corpus), overall and per source.
//
//   npx tsx bench/sender-findings.ts [--limit N] [--contacts-from-ham] [--reduced] [--out FILE]
//
// --reduced: each message is cut down to the headers a sender controls (see ../shared/corpus/README.md),
// so receiver-added headers (Received, Authentication-Results) cannot tell the sources apart.
//
// --contacts-from-ham: before measuring, learn a contact book from the senders of every other ham
// message (as if the user had corresponded with them), then measure on all messages; the contact
// findings only ever fire with contacts. Nothing from the corpus is written into the repo: the output
// holds counts only.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { headerAnomalyEngine } from '../src/engines/header-anomaly.js';
import { impersonationEngine } from '../src/engines/impersonation.js';
import { senderAuthEngine } from '../src/engines/sender-auth.js';
import { parseMessage } from '../src/message/parse.js';
import { reduceToSenderHeaders } from '../src/ml/reduce-headers.js';
import { saveContacts } from '../src/sender/contacts.js';
import { openDb } from '../src/store/db.js';
import type { AnalysisOptions, EngineContext, Message } from '../src/types.js';
import { ensureExtracted, type ManifestRow, readManifest, requireCorpus, sampleRows } from './corpus.js';

const ENGINES = [senderAuthEngine, impersonationEngine, headerAnomalyEngine];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

let reduced = false;

async function load(dir: string, row: ManifestRow): Promise<Message | undefined> {
  try {
    const file = readFileSync(path.join(dir, row.path));
    const raw = reduced ? reduceToSenderHeaders(new Uint8Array(file)) : new Uint8Array(file);
    return await parseMessage(raw, { kind: 'eml', file: row.path }, { skipAttachments: true });
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  requireCorpus();
  const dir = ensureExtracted();
  const limit = Number(arg('--limit') ?? 0);
  const withContacts = process.argv.includes('--contacts-from-ham');
  reduced = process.argv.includes('--reduced');
  const out = arg('--out');
  let rows = readManifest();
  if (limit > 0) rows = sampleRows(rows, limit);

  const db = openDb(':memory:');
  if (withContacts) {
    const ham = rows.filter((r) => r.label === 'ham').filter((_, i) => i % 2 === 0);
    for (const r of ham) {
      const m = await load(dir, r);
      if (m?.from?.address)
        saveContacts(db, [{ address: m.from.address, name: m.from.name || undefined, source: 'learned' }]);
    }
  }
  const options: AnalysisOptions = { dns: 'off', trustAuthservIds: [] };

  const labels = ['ham', 'spam', 'phish'] as const;
  const totals: Record<string, number> = { ham: 0, spam: 0, phish: 0 };
  const bySource: Record<string, number> = {};
  const fired = new Map<string, Record<string, number>>();
  const firedBySource = new Map<string, Record<string, number>>();
  const anyBy: Record<string, number> = { ham: 0, spam: 0, phish: 0 };
  let errors = 0;
  const started = Date.now();

  for (const [i, row] of rows.entries()) {
    const m = await load(dir, row);
    if (!m) {
      errors++;
      continue;
    }
    totals[row.label]++;
    bySource[row.source] = (bySource[row.source] ?? 0) + 1;
    const ctx: EngineContext = { signal: new AbortController().signal, now: new Date(), db, options };
    const codes = new Set<string>();
    for (const e of ENGINES) {
      try {
        const o = await e.analyse({ kind: 'message', id: 'message', message: m }, ctx);
        for (const f of o.findings) if (f.severity !== 'info' || f.code !== 'auth.results') codes.add(f.code);
      } catch (err) {
        errors++;
        console.error(`${row.path}: ${e.name}: ${(err as Error).message}`);
      }
    }
    if ([...codes].some((c) => !c.startsWith('auth.results'))) anyBy[row.label]++;
    for (const c of codes) {
      const rec = fired.get(c) ?? { ham: 0, spam: 0, phish: 0 };
      rec[row.label]++;
      fired.set(c, rec);
      const src = firedBySource.get(c) ?? {};
      src[row.source] = (src[row.source] ?? 0) + 1;
      firedBySource.set(c, src);
    }
    if (i % 1000 === 999) process.stderr.write(`${i + 1}/${rows.length}\n`);
  }

  const secs = (Date.now() - started) / 1000;
  const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '–');
  const lines: string[] = [];
  lines.push(
    `Messages: ${totals.ham} ham, ${totals.spam} spam, ${totals.phish} phish (${errors} errors), ${secs.toFixed(0)} s; DNS off, no trusted authserv-id, contacts: ${withContacts ? 'learned from every other ham sender' : 'none'}; headers: ${reduced ? 'reduced to those a sender controls' : 'raw'}.`,
    '',
    '| finding | ham | spam | phish | phish/ham |',
    '|---|---:|---:|---:|---:|',
  );
  const sorted = [...fired.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  for (const [code, rec] of sorted) {
    const h = rec.ham / Math.max(1, totals.ham);
    const p = rec.phish / Math.max(1, totals.phish);
    lines.push(
      `| ${code} | ${rec.ham} (${pct(rec.ham, totals.ham)}) | ${rec.spam} (${pct(rec.spam, totals.spam)}) | ${rec.phish} (${pct(rec.phish, totals.phish)}) | ${h ? (p / h).toFixed(1) : p ? '∞' : '–'} |`,
    );
  }
  lines.push(
    `| *any finding* | ${anyBy.ham} (${pct(anyBy.ham, totals.ham)}) | ${anyBy.spam} (${pct(anyBy.spam, totals.spam)}) | ${anyBy.phish} (${pct(anyBy.phish, totals.phish)}) | |`,
  );
  lines.push('', "Per source (share of that source's messages):", '');
  const sources = Object.keys(bySource).sort();
  lines.push(`| finding | ${sources.map((s) => `${s} (${bySource[s]})`).join(' | ')} |`);
  lines.push(`|---|${sources.map(() => '---:').join('|')}|`);
  for (const [code] of sorted) {
    const src = firedBySource.get(code) ?? {};
    lines.push(`| ${code} | ${sources.map((s) => pct(src[s] ?? 0, bySource[s])).join(' | ')} |`);
  }
  const table = lines.join('\n');
  console.log(table);
  if (out) {
    writeFileSync(out, `${table}\n`);
    console.error(`written to ${out}`);
  }
  void labels;
}

await main();
