// `suspect scams add|list|match|show`: the known-scam corpus the 'scam-match' engine compares messages with.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { MALICIOUS_SIMILARITY } from '../engines/scam-match.js';
import { hasMailExtension, looksLikeHeaders } from '../message/input/detect.js';
import { readInputs } from '../message/input/index.js';
import { parseMessage } from '../message/parse.js';
import { type Fingerprint, fingerprintText } from '../scams/fingerprint.js';
import { findMatches, MIN_REPORTED_SIMILARITY, similarityWith } from '../scams/match.js';
import { messageText, recipientWords } from '../scams/message-text.js';
import { ensureSeed } from '../scams/seed.js';
import { sideBySideText } from '../scams/side-by-side.js';
import { MAX_TITLE_CHARS, parseFirstSeen, type ScamEntry, ScamStore } from '../scams/store.js';
import { openDb } from '../store/db.js';
import type { MessageSource } from '../types.js';
import { EXIT, setExitCode } from './exit-codes.js';

/** A plain-text scam (pasted from somewhere) is read whole; bigger files are not texts. */
const MAX_TEXT_FILE_BYTES = 5 * 1024 * 1024;
/** Rows `scams list` prints unless told otherwise. */
const DEFAULT_LIST_LIMIT = 50;

interface DbOption {
  db?: string;
  json?: boolean;
}

interface Loaded {
  label: string;
  text: string;
  fingerprint: Fingerprint;
  subject?: string;
  date?: string;
}

function openStore(o: DbOption): ScamStore {
  const store = new ScamStore(openDb(o.db ?? process.env.SUSPECT_DB));
  // The engine loads the shipped seed on first use; do the same so list/show see what it matches against.
  ensureSeed(store);
  return store;
}

function entryJson(e: ScamEntry) {
  return {
    id: e.id,
    title: e.title,
    firstSeen: e.firstSeen ?? null,
    source: e.source,
    addedAt: e.addedAt,
    complete: e.complete,
    text: e.excerpt,
  };
}

function firstSeenArg(v: string): string {
  try {
    return parseFirstSeen(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function similarityArg(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 1)
    throw new InvalidArgumentError(`--min must be a number in (0, 1], got "${v}"`);
  return n;
}

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new InvalidArgumentError(`${name} must be a whole number, got "${v}"`);
    return n;
  };
}

/** Texts to index from the given paths: .txt files whole, anything else as messages (.eml, .msg, mbox, folders). */
async function* loadTexts(paths: string[]): AsyncGenerator<Loaded | { label: string; error: string }> {
  const mailPaths: string[] = [];
  for (const p of paths) {
    if (!(await isPlainText(p))) {
      mailPaths.push(p);
      continue;
    }
    try {
      const text = (await readFile(p)).toString('utf8');
      yield { label: p, text, fingerprint: fingerprintText(text) };
    } catch (err) {
      yield { label: p, error: (err as Error).message };
    }
  }
  if (!mailPaths.length) return;
  for await (const item of readInputs(mailPaths)) {
    const label = labelOf(item.source);
    if ('error' in item) {
      yield { label, error: item.error };
      continue;
    }
    const message = await parseMessage(item.raw, item.source, { skipAttachments: true });
    const text = messageText(message);
    yield {
      label,
      text,
      fingerprint: fingerprintText(text, { recipientWords: recipientWords(message) }),
      subject: message.subject,
      date: message.date,
    };
  }
}

/** A scam pasted into a text file: .txt, or a small file that is neither mail, mbox nor binary. */
async function isPlainText(file: string): Promise<boolean> {
  if (file === '-' || hasMailExtension(file)) return false;
  try {
    const st = await stat(file);
    if (!st.isFile() || st.size > MAX_TEXT_FILE_BYTES) return false;
    if (path.extname(file).toLowerCase() === '.txt') return true;
    const head = (await readFile(file)).subarray(0, 16 * 1024);
    if (head.includes(0)) return false;
    const text = head.toString('latin1');
    return !looksLikeHeaders(text) && !/^From /.test(text);
  } catch {
    return false; // missing or unreadable: readInputs reports it in its words
  }
}

function labelOf(source: MessageSource): string {
  const file = source.file ?? 'stdin';
  return source.index !== undefined ? `${file} #${source.index + 1}` : file;
}

function isoDate(date: string | undefined): string | undefined {
  if (!date) return undefined;
  const t = Date.parse(date);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().slice(0, 10);
}

function printEntry(e: ScamEntry): string {
  return [
    `#${e.id} ${e.title}`,
    `  first seen: ${e.firstSeen ?? 'unknown'}`,
    `  source:     ${e.source}`,
    `  added:      ${e.addedAt}`,
  ].join('\n');
}

export function registerScams(program: Command): void {
  const scams = program
    .command('scams')
    .description('the known scams "doing the rounds" that messages are compared with');

  scams
    .command('add')
    .description('teach Suspect a new known scam from emails (.eml, .msg, mbox) or plain-text files (.txt)')
    .argument('<files...>', 'files to add')
    .option('--title <title>', 'name of the scam (default: the subject, or the file name)')
    .option(
      '--first-seen <date>',
      'when the scam was first seen, YYYY-MM-DD (default: the Date header, else today)',
      firstSeenArg,
    )
    .option('--source <source>', 'where it was seen (default: the file name)')
    .option('--db <file>', 'SQLite store (default $SUSPECT_HOME/suspect.sqlite)')
    .option('--json', 'one JSON object per file')
    .action(
      async (
        files: string[],
        o: DbOption & { title?: string; firstSeen?: string; source?: string },
        cmd: Command,
      ) => {
        const firstSeen = o.firstSeen;
        const store = openStore(o);
        let failed = 0;
        try {
          for await (const item of loadTexts(files)) {
            if ('error' in item) {
              failed++;
              const where = item.error.startsWith(item.label) ? '' : `${item.label}: `;
              report(o, { file: item.label, error: item.error }, `suspect: ${where}${item.error}`);
              continue;
            }
            if (!item.fingerprint.usable) {
              failed++;
              const error = 'too little text to recognise it again (a scam needs a few sentences)';
              report(o, { file: item.label, error }, `suspect: ${item.label}: ${error}`);
              continue;
            }
            const title = (o.title ?? item.subject ?? path.basename(item.label)).slice(0, MAX_TITLE_CHARS);
            const seen = firstSeen ?? isoDate(item.date) ?? new Date().toISOString().slice(0, 10);
            const r = store.add({
              title,
              fingerprint: item.fingerprint,
              firstSeen: seen,
              source: o.source ?? `added from ${path.basename(item.label)}`,
            });
            const entry = store.get(r.id)!;
            report(
              o,
              { file: item.label, added: r.added, scam: entryJson(entry) },
              r.added
                ? `Added known scam #${r.id} "${entry.title}" (first seen ${entry.firstSeen ?? 'unknown'}).`
                : `${item.label}: already known as #${r.id} "${entry.title}".`,
            );
          }
        } finally {
          store.db.close();
        }
        if (failed) setExitCode(cmd, EXIT.ERROR);
      },
    );

  scams
    .command('list')
    .description('list the known scams')
    .option('--limit <n>', 'how many', positiveInt('--limit'), DEFAULT_LIST_LIMIT)
    .option('--offset <n>', 'skip this many', positiveInt('--offset'), 0)
    .option('--db <file>', 'SQLite store (default $SUSPECT_HOME/suspect.sqlite)')
    .option('--json', 'one JSON object per scam')
    .action((o: DbOption & { limit: number; offset: number }) => {
      const store = openStore(o);
      try {
        const rows = store.list(o.limit, o.offset);
        if (o.json) {
          for (const e of rows) process.stdout.write(`${JSON.stringify(entryJson(e))}\n`);
          return;
        }
        const total = store.count();
        process.stdout.write(
          `${total} known scams${rows.length < total ? `, showing ${rows.length} from ${o.offset + 1}` : ''}\n`,
        );
        for (const e of rows) process.stdout.write(`#${e.id}\t${e.firstSeen ?? 'unknown'}\t${e.title}\n`);
      } finally {
        store.db.close();
      }
    });

  scams
    .command('match')
    .description('find the known scams a message is a near copy of, and show the best side by side')
    .argument('<files...>', 'emails (.eml, .msg, mbox) or .txt files')
    .option('--min <similarity>', 'lowest similarity to report, 0..1', similarityArg, MIN_REPORTED_SIMILARITY)
    .option('--width <n>', 'terminal width', positiveInt('--width'))
    .option('--db <file>', 'SQLite store (default $SUSPECT_HOME/suspect.sqlite)')
    .option('--json', 'one JSON object per file')
    .action(async (files: string[], o: DbOption & { min: number; width?: number }, cmd: Command) => {
      const store = openStore(o);
      let worst: number = EXIT.OK;
      try {
        for await (const item of loadTexts(files)) {
          if ('error' in item) {
            worst = EXIT.ERROR;
            report(o, { file: item.label, error: item.error }, `suspect: ${item.label}: ${item.error}`);
            continue;
          }
          const matches = findMatches(store, item.fingerprint, { minSimilarity: o.min, limit: 3 });
          if (o.json) {
            const rows = matches.map((m) => ({
              similarity: m.similarity,
              exact: m.exact,
              scam: entryJson(m.scam),
            }));
            process.stdout.write(
              `${JSON.stringify({ file: item.label, usable: item.fingerprint.usable, matches: rows })}\n`,
            );
            continue;
          }
          if (!item.fingerprint.usable) {
            process.stdout.write(`${item.label}: too little text to compare with known scams\n`);
            continue;
          }
          if (!matches.length) {
            process.stdout.write(`${item.label}: no known scam is similar\n`);
            continue;
          }
          const [best] = matches;
          worst = Math.max(worst, best.similarity >= MALICIOUS_SIMILARITY ? EXIT.DANGEROUS : EXIT.SUSPICIOUS);
          process.stdout.write(`${item.label}:\n`);
          for (const m of matches)
            process.stdout.write(`  ${Math.round(m.similarity * 100)}%  #${m.scam.id} ${m.scam.title}\n`);
          process.stdout.write(
            `\n${sideBySideText(
              item.text,
              { ...best.scam, similarity: best.similarity },
              {
                width: o.width ?? process.stdout.columns ?? 100,
                color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
              },
            )}\n`,
          );
        }
      } finally {
        store.db.close();
      }
      setExitCode(cmd, worst);
    });

  scams
    .command('show')
    .description('show one known scam; with --compare, side by side with a message')
    .argument('<id>', 'the scam number shown by `scams list`')
    .option('--compare <file>', 'an email or .txt file to show side by side with the scam')
    .option('--width <n>', 'terminal width for --compare', positiveInt('--width'))
    .option('--db <file>', 'SQLite store (default $SUSPECT_HOME/suspect.sqlite)')
    .option('--json', 'JSON output')
    .action(async (idArg: string, o: DbOption & { compare?: string; width?: number }, cmd: Command) => {
      const id = Number(idArg);
      if (!Number.isInteger(id) || id <= 0) {
        process.stderr.write(`suspect: scam id must be a positive whole number, got "${idArg}"\n`);
        setExitCode(cmd, EXIT.USAGE);
        return;
      }
      const store = openStore(o);
      try {
        const entry = store.get(id);
        if (!entry) {
          process.stderr.write(`suspect: no known scam #${id}\n`);
          setExitCode(cmd, EXIT.ERROR);
          return;
        }
        if (!o.compare) {
          process.stdout.write(
            o.json ? `${JSON.stringify(entryJson(entry))}\n` : `${printEntry(entry)}\n\n${entry.excerpt}\n`,
          );
          return;
        }
        let loaded: Loaded | undefined;
        for await (const item of loadTexts([o.compare])) {
          if ('error' in item) throw new Error(`${item.label}: ${item.error}`);
          loaded = item;
          break;
        }
        if (!loaded) throw new Error(`${o.compare}: no message found`);
        const { similarity } = similarityWith(store, loaded.fingerprint, entry);
        if (o.json) {
          process.stdout.write(
            `${JSON.stringify({ scam: entryJson(entry), file: loaded.label, similarity })}\n`,
          );
          return;
        }
        const width = o.width ?? process.stdout.columns ?? 100;
        process.stdout.write(
          sideBySideText(
            loaded.text,
            { ...entry, similarity },
            { width, color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR },
          ),
        );
      } finally {
        store.db.close();
      }
    });
}

function report(o: { json?: boolean }, json: unknown, text: string): void {
  if (o.json) process.stdout.write(`${JSON.stringify(json)}\n`);
  else if (text.startsWith('suspect:')) process.stderr.write(`${text}\n`);
  else process.stdout.write(`${text}\n`);
}
