// Attachment exploder over the development corpus: every message's attachments through
// explodeAttachments and the attachment engine. Reports time spent, errors (must be none) and how
// often each finding fires per label — a finding that fires on much ham is a false-positive risk.
// Run: npx tsx bench/attachments.ts [N]   (N = sample size, default all)

import { readFileSync } from 'node:fs';
import path from 'node:path';
import PostalMime from 'postal-mime';
import { attachmentEngine } from '../src/engines/attachment.js';
import { explodeAttachments } from '../src/message/attachments/index.js';
import type { EngineContext, MimePart } from '../src/types.js';
import { ensureExtracted, readManifest, requireCorpus, sampleRows } from './corpus.js';

requireCorpus();
const dir = ensureExtracted();
const rows = sampleRows(readManifest(), Number(process.argv[2] ?? Number.POSITIVE_INFINITY));
const ctx = { signal: new AbortController().signal, now: new Date(), options: {} } as EngineContext;

const perLabel: Record<
  string,
  { messages: number; withAttachments: number; flagged: number; codes: Record<string, number> }
> = {};
let files = 0;
let bytes = 0;
let explodeMs = 0;
let cpuMs = 0;
const flaggedHam: string[] = [];
let slowest = { ms: 0, path: '' };
const errors: string[] = [];
const problems: Record<string, number> = {};

for (const row of rows) {
  perLabel[row.label] ??= { messages: 0, withAttachments: 0, flagged: 0, codes: {} };
  const stats = perLabel[row.label];
  stats.messages++;
  let parts: MimePart[];
  try {
    const email = await PostalMime.parse(readFileSync(path.join(dir, row.path)), {
      forceRfc822Attachments: true,
    });
    parts = email.attachments.map((a) => ({
      filename: a.filename ?? undefined,
      mimeType: a.mimeType,
      disposition: a.disposition ?? undefined,
      content:
        typeof a.content === 'string' ? new TextEncoder().encode(a.content) : new Uint8Array(a.content),
    }));
  } catch {
    continue; // parsing is not what this measures
  }
  if (parts.length === 0) continue;
  stats.withAttachments++;
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    const r = await explodeAttachments(parts);
    const ms = performance.now() - started;
    explodeMs += ms;
    const used = process.cpuUsage(cpu);
    cpuMs += (used.user + used.system) / 1000;
    if (ms > slowest.ms) slowest = { ms, path: row.path };
    const seen = new Set<string>();
    for (const a of r.attachments) {
      files++;
      bytes += a.size;
      const out = await attachmentEngine.analyse({ kind: 'attachment', id: a.id, attachment: a }, ctx);
      for (const f of out.findings) seen.add(f.code);
      if (row.label === 'ham' && (out.status === 'malicious' || out.status === 'suspicious'))
        flaggedHam.push(`${row.path}: ${out.findings.map((f) => f.message).join(' | ')}`);
      if (out.status === 'malicious' || out.status === 'suspicious') seen.add('(flagged)');
    }
    for (const c of seen) stats.codes[c] = (stats.codes[c] ?? 0) + 1;
    if (seen.has('(flagged)')) stats.flagged++;
    for (const p of r.problems) {
      const key = p
        .replace(/^.*?: /, '')
        .replace(/\(.*\)/, '(…)')
        .slice(0, 80);
      problems[key] = (problems[key] ?? 0) + 1;
    }
  } catch (e) {
    errors.push(`${row.path}: ${(e as Error).stack}`);
  }
}

const mem = process.memoryUsage();
console.log(`messages ${rows.length}, files exploded ${files} (${(bytes / 1e6).toFixed(1)} MB)`);
console.log(
  `explode + engine: wall ${(explodeMs / 1000).toFixed(2)} s, CPU ${(cpuMs / 1000).toFixed(2)} s; slowest message ${slowest.ms.toFixed(0)} ms (${slowest.path})`,
);
console.log(`peak-ish rss ${(mem.rss / 1e6).toFixed(0)} MB; errors ${errors.length}`);
for (const e of errors.slice(0, 5)) console.log(`  ${e}`);
for (const [label, s] of Object.entries(perLabel)) {
  console.log(
    `\n${label}: ${s.messages} messages, ${s.withAttachments} with attachments, ${s.flagged} flagged by the attachment engine`,
  );
  for (const [code, n] of Object.entries(s.codes).sort((a, b) => b[1] - a[1]))
    console.log(`  ${String(n).padStart(5)}  ${code}`);
}
console.log('\nham flagged:');
for (const f of flaggedHam) console.log(`  ${f}`);
console.log('\nproblems reported (top 10):');
for (const [p, n] of Object.entries(problems)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 10))
  console.log(`  ${String(n).padStart(5)}  ${p}`);
