// Shared shapes of the Exchange server check: scanners produce ScanResult, the report consumes it.

/** One trace of possible compromise found in a log, an event or a file. */
export interface ScanHit {
  /** Rule id, stable: e.g. 'proxylogon.ssrf', 'proxyshell.autodiscover', 'webshell.chinachopper'. */
  rule: string;
  /** CVE id when the rule maps to one; absent for generic rules (webshell heuristics, lsass dump). */
  cve?: string;
  /** Path relative to the scanned root. */
  file: string;
  /** 1-based line for text logs; record number for EVTX; absent for whole files. */
  line?: number;
  /** ISO 8601 time of the event when the source has one. */
  timestamp?: string;
  clientIp?: string;
  /** Why it matched, in plain words, naming the field and value. */
  why: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  /** The matching raw line or value, truncated. */
  excerpt?: string;
  /** Hashes of a matched file (webshell hits). */
  sha256?: string;
}

/** How far back the evidence in one log folder goes, so that "nothing found" is honest. */
export interface LogCoverage {
  /** Folder relative to the scanned root, e.g. 'Logging/HttpProxy/Ecp'. */
  folder: string;
  kind: string; // 'httpproxy', 'ecp-server', 'oabgenerator', 'iis-w3c', 'evtx', 'webroot', ...
  files: number;
  bytes: number;
  firstSeen?: string;
  lastSeen?: string;
  days?: number;
}

/** A file that could not be read completely; reported, never fatal. */
export interface ScanProblem {
  file: string;
  problem: string;
}

export interface ScanResult {
  root: string;
  hits: ScanHit[];
  coverage: LogCoverage[];
  problems: ScanProblem[];
  bytesScanned: number;
  filesScanned: number;
  ms: number;
}

export interface ScanOptions {
  /** Called with bytes done / total as the scan goes; the CLI draws a progress bar from it. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Exchange install folder as it was on the server (e.g. 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\'); used by the CVE-2021-26858 path check. */
  installPath?: string;
  /** Worker threads for the log files; default 1 (in-process), or 2 once the logs exceed 256 MiB and a second core is idle. */
  workers?: number;
}
