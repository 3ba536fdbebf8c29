// `suspect intel status` and `suspect intel update`: what threat intel is loaded, and refreshing it
// from public feeds.

import type { Command } from 'commander';
import { FEEDS } from '../intel/feeds.js';
import { type IntelStatus, intelStatus } from '../intel/status.js';
import { type FeedResult, updateFeeds } from '../intel/update.js';
import { openDb } from '../store/db.js';
import { EXIT, setExitCode } from './exit-codes.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function age(days: number | undefined): string {
  if (days === undefined) return 'age unknown';
  if (days === 0) return 'today';
  if (days < 60) return `${days} day${days === 1 ? '' : 's'} old`;
  if (days < 730) return `${Math.round(days / 30)} months old`;
  return `${(days / 365).toFixed(1)} years old`;
}

export function renderStatus(s: IntelStatus): string {
  const lines: string[] = [];
  lines.push(
    `Intel snapshot ${s.snapshotVersion ?? 'not loaded'}${s.snapshotJustLoaded ? ' (loaded just now)' : ''}`,
  );
  lines.push(
    `${s.totals.blocklistEntries.toLocaleString('en')} blocklist entries, ${s.totals.popularDomains.toLocaleString('en')} popular domains, ${s.totals.brands} brands`,
  );
  lines.push('');
  for (const d of s.datasets) {
    const when = d.dataDate ? `data of ${d.dataDate}, ${age(d.ageDays)}` : age(d.ageDays);
    lines.push(
      `${d.origin === 'feed' ? 'feed    ' : 'shipped '} ${d.name}: ${d.rows.toLocaleString('en')} entries (${when})`,
    );
    lines.push(`         ${d.title} — ${d.source}; licence: ${d.licence}`);
    if (d.lastError)
      lines.push(`         last update failed${d.checkedAt ? ` at ${d.checkedAt}` : ''}: ${d.lastError}`);
    else if (d.origin === 'feed' && d.checkedAt) lines.push(`         last checked ${d.checkedAt}`);
  }
  if (s.feedsNeverUpdated.length)
    lines.push(
      '',
      `Feeds never fetched here: ${s.feedsNeverUpdated.join(', ')} (run "suspect intel update")`,
    );
  return lines.join('\n');
}

function renderResult(r: FeedResult): string {
  if (r.status === 'updated')
    return `${r.feed}: updated, ${r.rows} entries${r.skipped ? ` (${r.skipped} skipped)` : ''}`;
  if (r.status === 'not-modified') return `${r.feed}: not modified, ${r.rows} entries kept`;
  return `${r.feed}: FAILED — ${r.error} (${r.url}); the previous data is kept`;
}

export function registerIntel(program: Command): void {
  const intel = program
    .command('intel')
    .description('threat intelligence: what is loaded, and updates from public feeds');
  intel
    .command('status')
    .description('show the loaded datasets, their sources, licences, sizes and age')
    .option('--json', 'machine-readable output')
    .option('--db <file>', 'SQLite store (default $SUSPECT_HOME/suspect.sqlite)')
    .action((o: { json?: boolean; db?: string }) => {
      const db = openDb(o.db ?? process.env.SUSPECT_DB);
      try {
        const s = intelStatus(db);
        process.stdout.write(o.json ? `${JSON.stringify(s)}\n` : `${renderStatus(s)}\n`);
      } finally {
        db.close();
      }
    });
  intel
    .command('update')
    .description(`refresh feeds from the network (${FEEDS.map((f) => f.name).join(', ')})`)
    .option('--feed <name>', 'only this feed (repeatable)', collect, [])
    .option('--json', 'machine-readable output')
    .option('--db <file>', 'SQLite store (default $SUSPECT_HOME/suspect.sqlite)')
    .addHelpText(
      'after',
      `\nFeed URLs can be overridden with ${FEEDS.map((f) => f.env).join(', ')}.\nRequests are conditional (ETag / If-Modified-Since); a feed that fails keeps its previous data.`,
    )
    .action(async (o: { feed: string[]; json?: boolean; db?: string }, cmd: Command) => {
      const unknown = o.feed.filter((n) => !FEEDS.some((f) => f.name === n));
      if (unknown.length) {
        process.stderr.write(
          `suspect: unknown feed ${unknown.join(', ')} (known: ${FEEDS.map((f) => f.name).join(', ')})\n`,
        );
        setExitCode(cmd, EXIT.USAGE);
        return;
      }
      const db = openDb(o.db ?? process.env.SUSPECT_DB);
      try {
        intelStatus(db); // loads the shipped snapshot first, so feeds add to it
        const results = await updateFeeds(db, {
          feeds: o.feed,
          onProgress: (m) => process.stderr.write(`${m}\n`),
        });
        if (o.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
        else process.stdout.write(`${results.map(renderResult).join('\n')}\n`);
        const failed = results.filter((r) => r.status === 'error').length;
        setExitCode(cmd, failed ? EXIT.ERROR : EXIT.OK);
      } finally {
        db.close();
      }
    });
}
