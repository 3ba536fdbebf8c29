// `suspect check PATH...`: analyse messages from files, folders, mboxes, .msg files or stdin.

import type { Command } from 'commander';
import { analyseRaw } from '../analyse.js';
import { readInputs } from '../message/input/index.js';
import { reportToJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import { rememberReceivedMessage } from '../sender/contacts.js';
import { saveCheck } from '../store/checks.js';
import { openDb } from '../store/db.js';
import type { VerdictLevel } from '../types.js';
import { EXIT, setExitCode } from './exit-codes.js';
import { type AnalysisCliOptions, addAnalysisOptions, toAnalysisOptions } from './options.js';

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
    .action(async (paths: string[], o: AnalysisCliOptions & { progress?: boolean }, cmd: Command) => {
      const options = toAnalysisOptions(o);
      const db = openDb(o.db ?? process.env.SUSPECT_DB);
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
        for await (const item of inputs) {
          if ('error' in item) {
            failed++;
            const where = item.source.file ?? 'input';
            if (o.json)
              process.stdout.write(
                `${JSON.stringify({ file: where, index: item.source.index, error: item.error })}\n`,
              );
            else
              process.stderr.write(
                `suspect: ${where}${item.source.index !== undefined ? ` #${item.source.index + 1}` : ''}: ${item.error}\n`,
              );
            continue;
          }
          const report = await analyseRaw(item.raw, item.source, { db, options });
          // What the reader had to reconstruct (e.g. .msg headers rebuilt from properties) is part of the report.
          if (item.note) report.problems.unshift(item.note);
          count++;
          if (o.store !== false) {
            saveCheck(db, report, item.raw, options);
            // A later "Re:" to this message then belongs to a thread the user really had.
            if (report.source.kind !== 'url') rememberReceivedMessage(db, { messageId: report.messageId });
          }
          process.stdout.write(
            o.json ? `${reportToJson(report)}\n` : `${renderText(report, { verbose: o.verbose })}\n\n`,
          );
          worst = Math.max(worst, EXIT_BY_VERDICT[report.verdict]);
        }
      } finally {
        if (showProgress) process.stderr.write('\n');
        db.close();
      }
      if (count === 0 && failed === 0) {
        process.stderr.write('suspect: no messages found in the given paths\n');
        failed++;
      }
      setExitCode(cmd, failed > 0 ? EXIT.ERROR : worst);
    });
}
