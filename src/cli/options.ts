// Options shared by the commands that analyse messages or URLs.

import type { Command } from 'commander';
import type { AnalysisOptions } from '../types.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function addAnalysisOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'one JSON object per result (JSON Lines)')
    .option('-v, --verbose', 'show every finding')
    .option('--db <file>', 'SQLite store (default $SUSPECT_HOME/suspect.sqlite)')
    .option('--no-store', 'do not keep this check in the history')
    .option('--dns', 'allow live DNS lookups for sender authentication (off by default)')
    .option('--dns-cache <file>', 'verify SPF/DKIM/DMARC from a DNS cache file instead of live DNS')
    .option(
      '--trust-authserv-id <id>',
      'trust Authentication-Results added by this server (repeatable)',
      collect,
      [],
    )
    .option('--contacts <file>', 'your contacts, vCard or CSV (repeatable)', collect, [])
    .option(
      '--online <engines>',
      'comma-separated online engines to allow (they get hashes or cleaned URLs only)',
    )
    .option('--timeout <ms>', 'time budget per engine in milliseconds', (v) => Number.parseInt(v, 10));
}

export interface AnalysisCliOptions {
  json?: boolean;
  verbose?: boolean;
  db?: string;
  store?: boolean;
  dns?: boolean;
  dnsCache?: string;
  trustAuthservId?: string[];
  contacts?: string[];
  online?: string;
  timeout?: number;
}

export function toAnalysisOptions(o: AnalysisCliOptions): AnalysisOptions {
  const opts: AnalysisOptions = {
    dns: o.dns ? 'live' : o.dnsCache ? 'cache' : 'off',
    trustAuthservIds: o.trustAuthservId ?? [],
    contactsFiles: o.contacts ?? [],
    online: o.online
      ? o.online
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
  };
  if (o.dnsCache) opts.dnsCacheFile = o.dnsCache;
  if (o.timeout !== undefined) {
    if (!Number.isFinite(o.timeout) || o.timeout <= 0)
      throw new Error('--timeout must be a positive number of milliseconds');
    opts.engineTimeoutMs = o.timeout;
  }
  return opts;
}
