// `suspect contacts import|learn|list`: the people you correspond with, for the impersonation checks.

import type { Command } from 'commander';
import { readInputs } from '../message/input/index.js';
import { parseMessage } from '../message/parse.js';
import { learnFromMessages, listContacts, readContactsFile, saveContacts } from '../sender/contacts.js';
import { openDb } from '../store/db.js';
import type { Message } from '../types.js';
import { EXIT, setExitCode } from './exit-codes.js';

/** Sent messages parsed before they are written to the store: bounds memory on a huge Sent mbox. */
const LEARN_BATCH = 500;

interface DbOption {
  db?: string;
  json?: boolean;
}

function open(o: DbOption) {
  return openDb(o.db ?? process.env.SUSPECT_DB);
}

export function registerContacts(program: Command): void {
  const contacts = program
    .command('contacts')
    .description('the people you write to, so Suspect notices when someone pretends to be one of them');

  contacts
    .command('import')
    .description('import contacts from vCard (.vcf) or CSV (name,address) files')
    .argument('<files...>', 'vCard or CSV files')
    .option('--db <file>', 'SQLite store (default $SUSPECT_HOME/suspect.sqlite)')
    .action((files: string[], o: DbOption, cmd: Command) => {
      const db = open(o);
      try {
        let total = 0;
        for (const f of files) {
          const list = readContactsFile(f);
          saveContacts(db, list);
          total += list.length;
          process.stderr.write(`${f}: ${list.length} address(es)\n`);
        }
        process.stdout.write(`Imported ${total} contact address(es).\n`);
      } catch (err) {
        process.stderr.write(`suspect contacts import: ${(err as Error).message}\n`);
        setExitCode(cmd, EXIT.ERROR);
      } finally {
        db.close();
      }
    });

  contacts
    .command('learn')
    .description('learn who you write to from your Sent folder (mbox, folder of .eml/.msg, or files)')
    .argument('<paths...>', 'Sent mbox, folder or message files')
    .option('--db <file>', 'SQLite store (default $SUSPECT_HOME/suspect.sqlite)')
    .action(async (paths: string[], o: DbOption, cmd: Command) => {
      const db = open(o);
      let messages = 0;
      let unreadable = 0;
      const people = new Set<string>();
      const self = new Set<string>();
      let batch: Message[] = [];
      const flush = () => {
        const r = learnFromMessages(db, batch);
        messages += r.messages;
        for (const a of r.selfAddresses) self.add(a);
        batch = [];
        return r;
      };
      try {
        for await (const item of readInputs(paths)) {
          if ('error' in item) {
            unreadable++;
            process.stderr.write(`suspect: ${item.source.file ?? 'input'}: ${item.error}\n`);
            continue;
          }
          const m = await parseMessage(item.raw, item.source, { skipAttachments: true });
          for (const a of [...m.to, ...m.cc]) people.add(a.address.toLowerCase());
          batch.push(m);
          if (batch.length >= LEARN_BATCH) flush();
        }
        flush();
        for (const s of self) people.delete(s);
        process.stdout.write(
          `Learned from ${messages} sent message(s): ${people.size} people you write to; your own address(es): ${[...self].join(', ') || 'none found'}.\n`,
        );
        if (unreadable) setExitCode(cmd, EXIT.ERROR);
      } catch (err) {
        process.stderr.write(`suspect contacts learn: ${(err as Error).message}\n`);
        setExitCode(cmd, EXIT.ERROR);
      } finally {
        db.close();
      }
    });

  contacts
    .command('list')
    .description('list the contacts Suspect knows')
    .option('--db <file>', 'SQLite store (default $SUSPECT_HOME/suspect.sqlite)')
    .option('--json', 'one JSON object per contact (JSON Lines)')
    .action((o: DbOption) => {
      const db = open(o);
      try {
        const list = listContacts(db);
        for (const c of list) {
          if (o.json) process.stdout.write(`${JSON.stringify(c)}\n`);
          else
            process.stdout.write(
              `${c.name ? `${c.name} <${c.address}>` : c.address}  (${c.source}${c.messages ? `, ${c.messages} sent` : ''})\n`,
            );
        }
        if (!o.json && !list.length)
          process.stdout.write(
            'No contacts yet: use "suspect contacts import" or "suspect contacts learn".\n',
          );
      } finally {
        db.close();
      }
    });
}
