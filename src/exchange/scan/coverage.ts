// Per-folder log-age window: how far back the evidence goes, so "nothing found" can say over how many days.

import type { LogCoverage } from '../types.js';
import { daysBetween } from './timestamps.js';

export class CoverageTracker {
  private readonly byFolder = new Map<string, LogCoverage>();

  add(rel: string, kind: string, bytes: number, first?: string, last?: string): void {
    const slash = rel.lastIndexOf('/');
    const folder = slash < 0 ? '.' : rel.slice(0, slash);
    const key = `${kind}\u0000${folder}`;
    let c = this.byFolder.get(key);
    if (!c) {
      c = { folder, kind, files: 0, bytes: 0 };
      this.byFolder.set(key, c);
    }
    c.files++;
    c.bytes += bytes;
    if (first && (!c.firstSeen || first < c.firstSeen)) c.firstSeen = first;
    if (last && (!c.lastSeen || last > c.lastSeen)) c.lastSeen = last;
    if (first && !last && (!c.lastSeen || first > c.lastSeen)) c.lastSeen = first;
  }

  list(): LogCoverage[] {
    const out = [...this.byFolder.values()];
    for (const c of out) if (c.firstSeen && c.lastSeen) c.days = daysBetween(c.firstSeen, c.lastSeen);
    return out.sort((a, b) =>
      a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : a.kind < b.kind ? -1 : 1,
    );
  }
}
