// `suspect history` lists past checks; `suspect rescore ID` re-runs one and shows what changed.

import type { Command } from 'commander';
import { analyseRaw, analyseUrl } from '../analyse.js';
import { diffReports, renderDiff } from '../report/diff.js';
import { renderText } from '../report/text.js';
import { getCheck, listChecks, saveCheck } from '../store/checks.js';
import { openDb } from '../store/db.js';
import { EXIT, setExitCode } from './exit-codes.js';

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description('list past checks, newest first')
    .option('--db <file>', 'SQLite store')
    .option('-n, --limit <n>', 'how many', (v) => Number.parseInt(v, 10), 50)
    .option('--json', 'JSON Lines')
    .action((o: { db?: string; limit: number; json?: boolean }) => {
      const db = openDb(o.db ?? process.env.SUSPECT_DB);
      try {
        const rows = listChecks(db, o.limit);
        if (o.json) for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
        else if (!rows.length) process.stdout.write('No checks yet. Run `suspect check FILE`.\n');
        else
          for (const r of rows)
            process.stdout.write(
              `${String(r.id).padStart(5)}  ${r.created_at.slice(0, 19).replace('T', ' ')}  ${r.verdict.padEnd(10)} ${String(r.score).padStart(3)}  ${r.file ?? ''}${r.idx !== null ? ` #${r.idx + 1}` : ''}  ${r.subject ?? ''}${r.rescore_of ? `  (rescore of ${r.rescore_of})` : ''}\n`,
            );
      } finally {
        db.close();
      }
    });

  program
    .command('rescore')
    .description('re-run a past check with the current engines, data and model, and show what changed')
    .argument('<id>', 'check id from `suspect history`')
    .option('--db <file>', 'SQLite store')
    .option('--json', 'print the new report and the difference as JSON')
    .action(async (idArg: string, o: { db?: string; json?: boolean }, cmd: Command) => {
      const id = Number.parseInt(idArg, 10);
      if (!Number.isInteger(id) || id <= 0) throw new Error(`not a check id: ${idArg}`);
      const db = openDb(o.db ?? process.env.SUSPECT_DB);
      try {
        const past = getCheck(db, id);
        if (!past) {
          process.stderr.write(`suspect: no check with id ${id}\n`);
          setExitCode(cmd, EXIT.ERROR);
          return;
        }
        const options = past.options;
        const report = past.raw
          ? await analyseRaw(past.raw, past.report.source, { db, options })
          : await analyseUrl(past.report.links[0]?.url ?? '', { db, options });
        const newId = saveCheck(db, report, past.raw, options, id);
        const diff = diffReports(past.report, report);
        if (o.json) process.stdout.write(`${JSON.stringify({ id: newId, rescoreOf: id, diff, report })}\n`);
        else
          process.stdout.write(
            `Rescored check ${id} as ${newId}.\n${renderDiff(diff)}\n\n${renderText(report)}\n`,
          );
        setExitCode(
          cmd,
          report.verdict === 'dangerous'
            ? EXIT.DANGEROUS
            : report.verdict === 'suspicious'
              ? EXIT.SUSPICIOUS
              : EXIT.OK,
        );
      } finally {
        db.close();
      }
    });
}
