// `suspect url URL... [--from FILE]`: a verdict per URL from the link engines of the same panel,
// without ever visiting the URL.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { analyseUrl } from '../analyse.js';
import { renderText } from '../report/text.js';
import { openDb } from '../store/db.js';
import type { Report, VerdictLevel } from '../types.js';
import { EXIT, setExitCode } from './exit-codes.js';
import { type AnalysisCliOptions, addAnalysisOptions, toAnalysisOptions } from './options.js';

/** Longest URL accepted; longer lines are reported as errors (browsers cap near 2 MB, mail far lower). */
export const MAX_URL_LENGTH = 16_384;
/** URLs read from one --from file at most; stops an endless stdin from running forever unnoticed. */
export const MAX_URLS_PER_FILE = 1_000_000;

const EXIT_BY_VERDICT: Record<VerdictLevel, number> = {
  safe: EXIT.OK,
  suspicious: EXIT.SUSPICIOUS,
  dangerous: EXIT.DANGEROUS,
};

/** The JSON shape of one URL's result (one object per line). */
export function urlResultJson(url: string, report: Report): Record<string, unknown> {
  return {
    url,
    verdict: report.verdict,
    score: report.score,
    reasons: report.reasons,
    findings: report.findings,
    coverage: report.coverage,
    runs: report.runs.map((r) => ({ engine: r.engine, status: r.status, note: r.note, ms: r.ms })),
    link: report.links[0],
    versions: report.versions,
    analysedAt: report.analysedAt,
  };
}

/** URLs from a file or '-' (stdin): one per line; blank lines and # comments skipped. */
async function* urlsFrom(file: string): AsyncGenerator<string> {
  const input = file === '-' ? process.stdin : createReadStream(file, { encoding: 'utf8' });
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const line of rl) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    if (++n > MAX_URLS_PER_FILE) throw new Error(`${file}: more than ${MAX_URLS_PER_FILE} URLs`);
    yield t;
  }
}

/** Why a URL cannot be checked, or undefined when it can. */
function problemWith(url: string): string | undefined {
  if (url.length > MAX_URL_LENGTH) return `longer than ${MAX_URL_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f]/.test(url)) return 'contains control characters';
  return undefined;
}

export function registerUrl(program: Command): void {
  addAnalysisOptions(
    program
      .command('url')
      .description('check URLs without visiting them: a verdict per URL with the evidence')
      .argument('[urls...]', 'URLs to check (defanged forms like hxxp://evil[.]com are accepted)'),
  )
    .option('--from <file>', 'read URLs from a file, one per line ("-" for standard input)')
    .action(async (urls: string[], o: AnalysisCliOptions & { from?: string }, cmd: Command) => {
      if (!urls.length && !o.from) {
        process.stderr.write('suspect url: give at least one URL or --from FILE\n');
        setExitCode(cmd, EXIT.USAGE);
        return;
      }
      const options = toAnalysisOptions(o);
      const db = openDb(o.db ?? process.env.SUSPECT_DB);
      let worst = EXIT.OK as number;
      let failed = 0;
      const fail = (url: string, error: string) => {
        failed++;
        if (o.json) process.stdout.write(`${JSON.stringify({ url, error })}\n`);
        else process.stderr.write(`suspect: ${url.slice(0, 200)}: ${error}\n`);
      };
      const check = async (url: string) => {
        const problem = problemWith(url);
        if (problem) return fail(url, problem);
        let report: Report;
        try {
          report = await analyseUrl(url, { db, options });
        } catch (err) {
          return fail(url, (err as Error).message);
        }
        if (!report.links[0]?.hostAscii && !report.links[0]?.scheme) return fail(url, 'not a URL');
        worst = Math.max(worst, EXIT_BY_VERDICT[report.verdict]);
        process.stdout.write(
          o.json
            ? `${JSON.stringify(urlResultJson(url, report))}\n`
            : `${renderText(report, { verbose: o.verbose })}\n\n`,
        );
      };
      try {
        for (const u of urls) await check(u);
        if (o.from) {
          try {
            for await (const u of urlsFrom(o.from)) await check(u);
          } catch (err) {
            fail(o.from, (err as Error).message);
          }
        }
      } finally {
        db.close();
      }
      setExitCode(cmd, failed > 0 ? EXIT.ERROR : worst);
    });
}
