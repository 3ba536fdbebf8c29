// `suspect train` regenerates the fitted model files in data/model/ from the development data in
// ../shared; `suspect eval` measures the whole pipeline on a labeled manifest.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { readManifest } from '../ml/corpus.js';
import { evaluateManifest, formatEval, sampleRows } from '../ml/evaluate.js';
import { DEFAULT_CORPUS_DIR, DEFAULT_SHARED_DIR } from '../ml/paths.js';
import {
  DEFAULT_CACHE_DIR,
  SCORE_SAMPLE_EVERY,
  trainScore,
  trainText,
  trainUrl,
  trainUrlScore,
} from '../ml/pipeline.js';
import { EXIT, setExitCode } from './exit-codes.js';

const WHAT = ['url', 'url-score', 'text', 'score', 'all'] as const;
type What = (typeof WHAT)[number];

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`must be a positive integer, not "${v}"`);
  return n;
}

const progress = (s: string) => process.stderr.write(`${s}\n`);

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description(
      'Regenerate the fitted models (URL classifier, text classifier, verdict weights) from ../shared data',
    )
    .option('--what <what>', `which model: ${WHAT.join('|')}`, 'all')
    .option('--shared <dir>', 'development data folder (corpus/, intel/)', DEFAULT_SHARED_DIR)
    .option('--corpus-dir <dir>', 'where the corpus tarballs are extracted', DEFAULT_CORPUS_DIR)
    .option('--out <dir>', 'write model files here instead of data/model/')
    .option(
      '--cache-dir <dir>',
      'where parsed features and pipeline findings are cached between runs',
      DEFAULT_CACHE_DIR,
    )
    .option(
      '--every <n>',
      `fit the verdict weights on one corpus message in n (the pipeline is slow)`,
      positiveInt,
      SCORE_SAMPLE_EVERY,
    )
    .action(
      async (
        opts: {
          what: string;
          shared: string;
          corpusDir: string;
          out?: string;
          cacheDir: string;
          every: number;
        },
        cmd: Command,
      ) => {
        if (!WHAT.includes(opts.what as What)) {
          process.stderr.write(`suspect train: --what must be one of ${WHAT.join(', ')}\n`);
          return setExitCode(cmd, EXIT.USAGE);
        }
        const shared = path.resolve(opts.shared);
        if (!existsSync(shared)) {
          process.stderr.write(
            `suspect train: the development data folder ${shared} does not exist (use --shared DIR)\n`,
          );
          return setExitCode(cmd, EXIT.ERROR);
        }
        const p = {
          shared,
          corpusDir: path.resolve(opts.corpusDir),
          modelDir: opts.out ? path.resolve(opts.out) : undefined,
          cacheDir: path.resolve(opts.cacheDir),
        };
        const what = opts.what as What;
        const reports: string[] = [];
        if (what === 'url' || what === 'all') reports.push(`## URL classifier\n\n${trainUrl(p, progress)}`);
        if (what === 'url-score' || what === 'all') {
          reports.push(`## Verdict weights for URLs on their own\n\n${await trainUrlScore(p, progress)}`);
        }
        if (what === 'text' || what === 'all')
          reports.push(`## Text classifier\n\n${await trainText(p, progress)}`);
        if (what === 'score' || what === 'all') {
          reports.push(`## Verdict weights\n\n${await trainScore(p, progress, { every: opts.every })}`);
        }
        process.stdout.write(`${reports.join('\n\n')}\n`);
      },
    );

  program
    .command('eval')
    .description(
      'Measure detection on a labeled manifest (CSV with path,label[,source]): precision, recall, F1, FPR, ROC AUC per source',
    )
    .argument('<manifest>', 'CSV manifest, e.g. ../shared/corpus/manifest.csv')
    .option('--data <dir>', 'folder the manifest paths are relative to', DEFAULT_CORPUS_DIR)
    .option(
      '--limit <n>',
      'evaluate a deterministic sample of n messages spread over all sources',
      positiveInt,
    )
    .option('--reduced', 'first reduce each message to the headers its sender controls')
    .option('--json', 'print JSON')
    .action(
      async (
        manifest: string,
        opts: { data: string; limit?: number; reduced?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        if (!existsSync(manifest)) {
          process.stderr.write(`suspect eval: manifest ${manifest} not found\n`);
          return setExitCode(cmd, EXIT.ERROR);
        }
        const rows = sampleRows(readManifest(manifest), opts.limit);
        const result = await evaluateManifest(manifest, rows, path.resolve(opts.data), {
          reduced: opts.reduced,
          log: progress,
        });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ ...result, rows: undefined })}\n`);
        } else {
          process.stdout.write(`${formatEval(result)}\n`);
        }
        if (result.errors === result.messages && result.messages > 0) setExitCode(cmd, EXIT.ERROR);
      },
    );
}
