// Non-log inputs of the scan: exported event logs, web-folder files, IIS configuration, ProgramData
// archives and lsass dumps.

import { scanEvtxFile } from '../evtx/scan-evtx.js';
import type { ScanHit } from '../types.js';
import { scanWebFile, type WebFileKind } from '../webshell/scan-files.js';
import type { CoverageTracker } from './coverage.js';
import type { FoundFile } from './discover.js';

export interface FileKindContext {
  emit: (hit: ScanHit) => void;
  coverage: CoverageTracker;
  problem: (file: string, problem: string) => void;
  onBytes: (bytes: number) => void;
  signal?: AbortSignal;
  /** Whether the logs showed any trace (archives/dumps weigh more then, as in Test-ProxyLogon). */
  anyLogHit: () => boolean;
}

const WEB_KINDS: readonly string[] = [
  'webroot',
  'iis-config',
  'programdata-archive',
  'lsass-dump',
] satisfies WebFileKind[];

function isWebFile(f: FoundFile): f is FoundFile & { kind: WebFileKind } {
  return WEB_KINDS.includes(f.kind);
}

export async function scanFileKinds(
  files: FoundFile[],
  ctx: FileKindContext,
): Promise<{ filesScanned: number }> {
  let filesScanned = 0;
  // Event logs first, so that their hits count for the archive/dump weighting.
  const ordered = [...files.filter((f) => f.kind === 'evtx'), ...files.filter((f) => f.kind !== 'evtx')];
  for (const f of ordered) {
    ctx.signal?.throwIfAborted();
    try {
      if (f.kind === 'evtx') {
        const s = await scanEvtxFile(f.abs, f.rel, ctx.emit, (p) => ctx.problem(f.rel, p), ctx.signal);
        ctx.coverage.add(f.rel, 'evtx', f.size, s.firstSeen, s.lastSeen);
      } else if (isWebFile(f)) {
        const hits = await scanWebFile(f, { anyLogHit: ctx.anyLogHit(), signal: ctx.signal });
        for (const h of hits) ctx.emit(h);
        if (f.kind === 'webroot') ctx.coverage.add(f.rel, 'webroot', f.size);
      }
      filesScanned++;
    } catch (e) {
      if (ctx.signal?.aborted) throw e;
      ctx.problem(f.rel, (e as Error).message);
    }
    ctx.onBytes(f.size);
  }
  return { filesScanned };
}
