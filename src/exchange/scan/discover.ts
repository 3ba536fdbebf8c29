// Finds the files worth scanning in a copy of a server's folders, matching folder names without regard
// to case (a copy made on Windows keeps whatever case the server had): Exchange logs under
// ...\Logging\{HttpProxy,ECP\Server,OABGeneratorLog}, IIS logs under inetpub\logs\LogFiles, exported
// .evtx files, the web folders web shells are dropped into, and ProgramData archives / lsass dumps.

import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

export type FileKind =
  | 'httpproxy'
  | 'ecp-server'
  | 'oabgenerator'
  | 'iis-w3c'
  | 'evtx'
  | 'webroot'
  | 'programdata-archive'
  | 'lsass-dump'
  | 'iis-config'
  | 'rps-http';

export interface FoundFile {
  abs: string;
  /** Relative to the scanned root, '/' separators. */
  rel: string;
  kind: FileKind;
  size: number;
  mtimeMs: number;
}

/** Directory depth limit: a copy of a server is shallow; a symlink loop or hostile tree is not. */
export const MAX_DEPTH = 40;
/** Files considered at most; beyond this the scan reports the tree as too large instead of running out of memory. */
export const MAX_FILES = 2_000_000;

const WEB_FOLDERS = [
  /(^|\/)inetpub\/wwwroot\/aspnet_client\//,
  /(^|\/)frontend\/httpproxy\/owa\/auth\//,
  /(^|\/)frontend\/httpproxy\/ecp\/auth\//,
  /(^|\/)frontend\/httpproxy\/oab\//,
  /(^|\/)clientaccess\/oab\//,
  /(^|\/)aspnet_client\//,
  /(^|\/)temporary asp\.net files\//,
];

/** Classifies one file by its path (lower-cased, '/' separators); undefined = not scanned. */
export function classify(relLower: string): FileKind | undefined {
  const name = relLower.slice(relLower.lastIndexOf('/') + 1);
  if (name.endsWith('.evtx')) return 'evtx';
  if (/^lsass.*dmp$/.test(name)) return 'lsass-dump';
  if (name === 'applicationhost.config') return 'iis-config';
  if (WEB_FOLDERS.some((re) => re.test(relLower))) return 'webroot';
  if (/(^|\/)programdata\//.test(relLower) && /\.(zip|7z|rar)$/.test(name)) return 'programdata-archive';
  const isLog = name.endsWith('.log');
  if (/(^|\/)httpproxy\//.test(relLower) && isLog) return 'httpproxy';
  if (/(^|\/)ecp\/server\//.test(relLower) && isLog) return 'ecp-server';
  if (/(^|\/)cmdletinfra\/powershell-proxy\/http\//.test(relLower) && isLog) return 'rps-http';
  if (/(^|\/)oabgeneratorlog\//.test(relLower)) return 'oabgenerator';
  if ((/(^|\/)logfiles\/w3svc\d+\//.test(relLower) || /(^|\/)w3svc\d+\//.test(relLower)) && isLog)
    return 'iis-w3c';
  // A folder handed over on its own: recognise the log by its file name.
  if (isLog) {
    if (name.startsWith('httpproxy_')) return 'httpproxy';
    if (name.startsWith('ecpserver')) return 'ecp-server';
    if (name.startsWith('oabgenerator')) return 'oabgenerator';
    if (/^u_ex\d+/.test(name)) return 'iis-w3c';
    if (name.startsWith('rps_http_')) return 'rps-http';
  }
  return undefined;
}

export interface DiscoverResult {
  files: FoundFile[];
  problems: { file: string; problem: string }[];
}

export async function discover(root: string, signal?: AbortSignal): Promise<DiscoverResult> {
  const files: FoundFile[] = [];
  const problems: { file: string; problem: string }[] = [];
  const rootAbs = path.resolve(root);
  // Classify with the root's own name in view, so pointing at '...\V15\Logging\HttpProxy' still works.
  const rootLabel = rootAbs.split(path.sep).slice(-4).join('/').toLowerCase();
  let seen = 0;
  async function walk(dir: string, rel: string, depth: number): Promise<void> {
    signal?.throwIfAborted();
    if (depth > MAX_DEPTH) {
      problems.push({ file: rel || '.', problem: `deeper than ${MAX_DEPTH} folders; not scanned` });
      return;
    }
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      problems.push({ file: rel || '.', problem: `cannot list folder: ${(e as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      const childRel = rel ? `${rel}/${ent.name}` : ent.name;
      const abs = path.join(dir, ent.name);
      if (ent.isDirectory()) await walk(abs, childRel, depth + 1);
      else if (ent.isFile()) {
        if (++seen > MAX_FILES) {
          if (seen === MAX_FILES + 1)
            problems.push({ file: '.', problem: `more than ${MAX_FILES} files; the rest were not scanned` });
          continue;
        }
        const kind = classify(`${rootLabel}/${childRel}`.toLowerCase());
        if (!kind) continue;
        try {
          const st = await lstat(abs);
          files.push({ abs, rel: childRel, kind, size: st.size, mtimeMs: st.mtimeMs });
        } catch (e) {
          problems.push({ file: childRel, problem: `cannot stat: ${(e as Error).message}` });
        }
      }
      // Symbolic links are not followed: a loop or a link out of the copy must not be scanned.
    }
  }
  await walk(rootAbs, '', 0);
  return { files, problems };
}
