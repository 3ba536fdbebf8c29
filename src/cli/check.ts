// `suspect check PATH...`: analyse messages from files, folders, mboxes, .msg files or stdin.

import type { Database } from 'better-sqlite3';
import type { Command } from 'commander';
import { analyseRaw } from '../analyse.js';
import { readInputs } from '../message/input/index.js';
import { reportToJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import { rememberReceivedMessage } from '../sender/contacts.js';
import { saveCheck } from '../store/checks.js';
import { defaultDbPath, openDb } from '../store/db.js';
import type { AnalysisOptions, MessageSource, VerdictLevel } from '../types.js';
import { EXIT, setExitCode } from './exit-codes.js';
import { type AnalysisCliOptions, addAnalysisOptions, toAnalysisOptions } from './options.js';
import { type Analyser, inInputOrder, inlineAnalyser, parseJobs, workerPool } from './pool.js';

const EXIT_BY_VERDICT: Record<VerdictLevel, number> = {
  safe: EXIT.OK,
  suspicious: EXIT.SUSPICIOUS,
  dangerous: EXIT.DANGEROUS,
};

export function registerCheck(program: Command): void {
  addAnalysisOptions(
    program
      .command('check')
      .description('check emails (.eml, .msg, mbox, folders; "-" for stdin) and say whether they are scams')
      .argument('<paths...>', 'files or folders to check, or - for standard input'),
  )
    .option('--progress', 'show progress on stderr (default when stderr is a terminal)')
    .option(
      '-j, --jobs <n>',
      'analyse with N worker threads in parallel ("auto": one per core); output keeps the input order',
      parseJobs,
      1,
    )
    .action(
      async (paths: string[], o: AnalysisCliOptions & { progress?: boolean; jobs: number }, cmd: Command) => {
        const options = toAnalysisOptions(o);
        const dbFile = o.db ?? process.env.SUSPECT_DB ?? defaultDbPath();
        const db = openDb(dbFile);
        const analyser =
          o.jobs > 1 ? await startPool(o.jobs, db, dbFile, options) : inlineAnalyser({ db, options });
        const showProgress = o.progress ?? process.stderr.isTTY;
        let worst = EXIT.OK as number;
        let failed = 0;
        let count = 0;
        try {
          const inputs = readInputs(paths, {
            onProgress: showProgress
              ? ({ file, bytesDone, bytesTotal, messages }) => {
                  const pct = bytesTotal ? Math.floor((100 * bytesDone) / bytesTotal) : 0;
                  process.stderr.write(`\r${file}: ${pct}% (${messages} messages)   `);
                }
              : undefined,
          });
          const work = (item: typeof inputs extends AsyncIterable<infer I> ? I : never) =>
            'error' in item ? Promise.resolve(undefined) : analyser.analyse(item.raw, item.source);
          for await (const done of inInputOrder(inputs, work, analyser.maxPending)) {
            const item = done.item;
            if ('error' in done) {
              // The reader could read it but the analysis failed (e.g. a worker thread died): an error, not a verdict.
              failed++;
              reportFailure(item.source, `the analysis failed (${done.error.message})`, o.json);
              continue;
            }
            if ('error' in item) {
              failed++;
              reportFailure(item.source, item.error, o.json);
              continue;
            }
            const report = done.result;
            if (!report) continue;
            // What the reader had to reconstruct (e.g. .msg headers rebuilt from properties) is part of the report.
            if (item.note) report.problems.unshift(item.note);
            count++;
            if (o.store !== false) {
              saveCheck(db, report, item.raw, options);
              // A later "Re:" to this message then belongs to a thread the user really had.
              rememberReceivedMessage(db, { messageId: report.messageId });
            }
            process.stdout.write(
              o.json ? `${reportToJson(report)}\n` : `${renderText(report, { verbose: o.verbose })}\n\n`,
            );
            worst = Math.max(worst, EXIT_BY_VERDICT[report.verdict]);
          }
        } finally {
          if (showProgress) process.stderr.write('\n');
          await analyser.close();
          db.close();
        }
        if (count === 0 && failed === 0) {
          process.stderr.write('suspect: no messages found in the given paths\n');
          failed++;
        }
        setExitCode(cmd, failed > 0 ? EXIT.ERROR : worst);
      },
    );
}

function reportFailure(source: MessageSource, error: string, json?: boolean): void {
  const where = source.file ?? 'input';
  if (json) process.stdout.write(`${JSON.stringify({ file: where, index: source.index, error })}\n`);
  else
    process.stderr.write(
      `suspect: ${where}${source.index !== undefined ? ` #${source.index + 1}` : ''}: ${error}\n`,
    );
}

/** A tiny message analysed once before the workers start; see startPool. */
const WARM_UP_MESSAGE = new TextEncoder().encode(
  'From: warm-up@example.invalid\r\nTo: you@example.invalid\r\nSubject: warm-up\r\n\r\nhttps://example.invalid/\r\n',
);

/**
 * Starts the worker pool. One message is analysed here first, so that whatever the engines set up in
 * the store on first use (the intel snapshot, their tables) is written once, by this thread, before
 * the workers open the store and only read it.
 */
async function startPool(
  jobs: number,
  db: Database,
  dbFile: string,
  options: AnalysisOptions,
): Promise<Analyser> {
  await analyseRaw(WARM_UP_MESSAGE, { kind: 'eml' }, { db, options });
  return workerPool(jobs, { dbFile, options });
}
