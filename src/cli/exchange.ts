// `suspect exchange version|probe|scan`: Exchange build exposure, remote version probe, log and
// web-folder scan, and the remediation report.

import { existsSync, statSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  type AssessOptions,
  assessBuild,
  type BuildAssessment,
  BuildParseError,
} from '../exchange/builds/index.js';
import {
  normaliseTarget,
  ProbeError,
  type ProbeOptions,
  type ProbeResult,
  probeExchange,
} from '../exchange/probe/index.js';
import { buildReport, renderReportHtml, renderReportText, scanExitCode } from '../exchange/report/index.js';
import type { ScanOptions, ScanResult } from '../exchange/types.js';
import { EXIT, setExitCode } from './exit-codes.js';

export type ScanFn = (root: string, opts?: ScanOptions) => Promise<ScanResult>;

/** Boundaries the tests replace: the scanner, the HTTP probe, the clock, the output streams. */
export interface ExchangeCliDeps {
  scan?: ScanFn;
  probe?: (url: string, opts?: ProbeOptions) => Promise<ProbeResult>;
  now?: () => Date;
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  /** Whether stderr is a terminal (progress bar). */
  stderrIsTty?: boolean;
}

/** Upper bound for --timeout: a probe that waits longer than this is not useful. */
export const MAX_PROBE_TIMEOUT_SECONDS = 120;
/** The progress bar redraws at most this often, so a fast scan is not slowed by terminal writes. */
export const PROGRESS_REDRAW_MS = 100;

async function defaultScan(root: string, opts?: ScanOptions): Promise<ScanResult> {
  // Loaded on demand: `version` and `probe` need none of the scanner's modules.
  const { scanExchange } = await import('../exchange/scan/index.js');
  return scanExchange(root, opts);
}

function human(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let n = bytes;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** A one-line progress bar on stderr, drawn from ScanOptions.onProgress. */
export function progressBar(write: (s: string) => void, now: () => number = Date.now) {
  let last = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update(done: number, total: number) {
      const t = now();
      if (t - last < PROGRESS_REDRAW_MS && done < total) return;
      last = t;
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const width = 30;
      const full = Math.round(frac * width);
      write(
        `\r[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(frac * 100).toFixed(0).padStart(3)}% ${human(done)} / ${human(total)}`,
      );
      drawn = true;
    },
    clear() {
      if (drawn) write('\r\x1b[2K');
    },
  };
}

function writeHtml(file: string, html: string, err: (s: string) => void): void {
  writeFileSync(file, html);
  err(`Report written to ${file}\n`);
}

function assessOrUsage(
  build: string,
  opts: AssessOptions,
  err: (s: string) => void,
): BuildAssessment | number {
  try {
    return assessBuild(build, opts);
  } catch (e) {
    if (e instanceof BuildParseError) {
      err(`suspect: ${e.message}\n`);
      return EXIT.USAGE;
    }
    throw e;
  }
}

export function registerExchange(program: Command, deps: ExchangeCliDeps = {}): void {
  const out = deps.stdout ?? ((s: string) => void process.stdout.write(s));
  const err = deps.stderr ?? ((s: string) => void process.stderr.write(s));
  const now = deps.now ?? (() => new Date());
  const exchange = program
    .command('exchange')
    .description('check a Microsoft Exchange server: build exposure, remote version, traces of compromise');

  exchange
    .command('version')
    .description('which known CVE chains are open on an Exchange build, and which update fixes each')
    .argument('<build>', 'build number, e.g. 15.2.792.3 or 15.01.2242.004 (ExSetup.exe file version)')
    .option('--json', 'machine-readable output')
    .option('--html <file>', 'also write a standalone HTML report')
    .addHelpText(
      'after',
      '\nExit codes: 0 no open CVEs, 2 open CVEs or product out of support, 3 error, 4 usage.',
    )
    .action((build: string, o: { json?: boolean; html?: string }, cmd: Command) => {
      const a = assessOrUsage(build, { now: now() }, err);
      if (typeof a === 'number') return setExitCode(cmd, a);
      const report = buildReport({ exposure: a, now: now() });
      if (o.html) writeHtml(o.html, renderReportHtml(report), err);
      if (o.json) out(`${JSON.stringify(a, null, 2)}\n`);
      else out(renderReportText(report));
      setExitCode(cmd, a.exposed ? EXIT.DANGEROUS : EXIT.OK);
    });

  exchange
    .command('probe')
    .description('read the version an Exchange server shows without credentials, then check that build')
    .argument('<url>', 'server address, e.g. https://mail.example.org')
    .option('--json', 'machine-readable output')
    .option('--html <file>', 'also write a standalone HTML report')
    .option('--insecure', 'accept an untrusted TLS certificate (no secret is sent)')
    .option('--timeout <seconds>', 'per-request timeout in seconds', '10')
    .addHelpText(
      'after',
      '\nSends three ordinary GET requests (no exploit, no credentials).\nExit codes: 0 no open CVEs, 2 open CVEs, 3 error (unreachable, no version), 4 usage.',
    )
    .action(
      async (
        url: string,
        o: { json?: boolean; html?: string; insecure?: boolean; timeout: string },
        cmd: Command,
      ) => {
        const seconds = Number(o.timeout);
        if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_PROBE_TIMEOUT_SECONDS) {
          err(`suspect: --timeout must be a number of seconds between 0 and ${MAX_PROBE_TIMEOUT_SECONDS}\n`);
          return setExitCode(cmd, EXIT.USAGE);
        }
        try {
          normaliseTarget(url);
        } catch (e) {
          err(`suspect: ${(e as Error).message}\n`);
          return setExitCode(cmd, EXIT.USAGE);
        }
        let probe: ProbeResult;
        try {
          probe = await (deps.probe ?? probeExchange)(url, {
            timeoutMs: seconds * 1000,
            insecure: !!o.insecure,
          });
        } catch (e) {
          if (!(e instanceof ProbeError)) throw e;
          err(`suspect: ${e.message}\n`);
          return setExitCode(cmd, EXIT.ERROR);
        }
        const a = assessBuild(probe.build, { now: now() });
        const context = [
          `Read from ${probe.target} without credentials: build ${probe.build} from ${probe.source} (${probe.precision === 'cu' ? 'CU only' : 'CU + security update'}).`,
          ...probe.notes,
        ];
        const report = buildReport({ exposure: a, context, now: now() });
        if (o.html) writeHtml(o.html, renderReportHtml(report), err);
        if (o.json) {
          out(`${JSON.stringify({ ...a, probe }, null, 2)}\n`);
        } else {
          out(renderReportText(report));
        }
        setExitCode(cmd, a.exposed ? EXIT.DANGEROUS : EXIT.OK);
      },
    );

  exchange
    .command('scan')
    .description(
      "scan a copy of a server's logs and web folders for traces of ProxyLogon, ProxyShell and others",
    )
    .argument('<dir>', 'folder holding Exchange Server\\V15\\Logging, inetpub and exported .evtx files')
    .option('--json', 'machine-readable output')
    .option('--html <file>', 'also write a standalone HTML remediation report')
    .option('--build <build>', 'the server build, to add its exposure and the update to install')
    .option('--no-progress', 'no progress bar on stderr')
    .addHelpText(
      'after',
      '\nExit codes: 0 nothing found, 1 low/medium traces only, 2 high/critical traces, 3 error, 4 usage.',
    )
    .action(
      async (
        dir: string,
        o: { json?: boolean; html?: string; build?: string; progress: boolean },
        cmd: Command,
      ) => {
        let exposure: BuildAssessment | undefined;
        if (o.build) {
          const a = assessOrUsage(o.build, { now: now() }, err);
          if (typeof a === 'number') return setExitCode(cmd, a);
          exposure = a;
        }
        if (!existsSync(dir) || !statSync(dir).isDirectory()) {
          err(`suspect: ${dir} is not a folder\n`);
          return setExitCode(cmd, EXIT.ERROR);
        }
        const showProgress = o.progress && (deps.stderrIsTty ?? process.stderr.isTTY === true);
        const bar = progressBar(err);
        const scan = await (deps.scan ?? defaultScan)(dir, {
          onProgress: showProgress ? (done, total) => bar.update(done, total) : undefined,
        });
        bar.clear();
        const report = buildReport({ exposure, scan, now: now() });
        if (o.html) writeHtml(o.html, renderReportHtml(report), err);
        if (o.json) {
          const { evidence: _grouped, ...rest } = report;
          out(`${JSON.stringify({ ...scan, ...rest }, null, 2)}\n`);
        } else out(renderReportText(report));
        setExitCode(cmd, scanExitCode(scan.hits));
      },
    );
}
