// Scans one exported .evtx file with the event rules; reports its time window for the coverage table.

import type { ScanHit } from '../types.js';
import { readEvtxEvents } from './reader.js';
import { matchEvent } from './rules.js';

export interface EvtxScanSummary {
  events: number;
  firstSeen?: string;
  lastSeen?: string;
}

export async function scanEvtxFile(
  abs: string,
  rel: string,
  emit: (hit: ScanHit) => void,
  problem: (p: string) => void,
  signal?: AbortSignal,
): Promise<EvtxScanSummary> {
  const s: EvtxScanSummary = { events: 0 };
  for await (const ev of readEvtxEvents(abs, { onProblem: problem, signal })) {
    s.events++;
    const t = ev.timeCreated;
    if (t) {
      if (!s.firstSeen || t < s.firstSeen) s.firstSeen = t;
      if (!s.lastSeen || t > s.lastSeen) s.lastSeen = t;
    }
    for (const h of matchEvent(ev)) emit({ ...h, file: rel });
  }
  return s;
}
