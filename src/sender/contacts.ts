// The people a user corresponds with: imported from vCard/CSV, learned from a Sent folder, kept in
// the SQLite store; and the Message-IDs of threads the user took part in (to spot fake replies).

import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { cachedStatement, execSchemaOnce } from '../store/statements.js';
import type { Message } from '../types.js';
import { addressDomain, addressOrg, normAddress } from './domains.js';
import { isFreemail } from './freemail.js';
import type { Contact } from './types.js';

/** A contacts file bigger than this is refused: it is read whole into memory. */
export const MAX_CONTACTS_FILE_BYTES = 50 * 1024 * 1024;
/** Contacts read from one file at most: a crafted file must not make every check slow. */
export const MAX_CONTACTS_PER_FILE = 200_000;
/** Names longer than this are cut before matching (a display name is never legitimately that long). */
const MAX_NAME_LENGTH = 200;

const ADDRESS_RE = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

export function isAddress(s: string): boolean {
  return ADDRESS_RE.test(s.trim());
}

// ───────────── names ─────────────

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'sir', 'herr', 'frau', 'mme', 'm']);

/**
 * A name reduced for comparison: accents, case, punctuation and titles dropped, "Smith, Jane"
 * turned round. '' when the name is too weak to identify anyone (one short word, or an address).
 */
export function nameKey(name: string | undefined): string {
  if (!name) return '';
  let n = name
    .slice(0, MAX_NAME_LENGTH)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '');
  n = n.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ').replace(/["'`]/g, '');
  if (/@/.test(n)) n = n.replace(/\S+@\S+/g, ' ');
  const comma = /^\s*([^,]+),\s*([^,]+)\s*$/.exec(n);
  if (comma) n = `${comma[2]} ${comma[1]}`;
  const words = n
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w && !TITLES.has(w));
  const key = words.join(' ');
  // One word is too common to mean a person ("Admin", "John"); a long single token ("JaneSmithCFO") may.
  if (words.length < 2 && key.length < 8) return '';
  return key;
}

/** First name for greetings ("Dear Jane"): the first word of a person's name, if it looks like one. */
export function firstName(name: string | undefined): string {
  const key = nameKey(name);
  const first = key.split(' ')[0] ?? '';
  return first.length >= 2 && !/\d/.test(first) ? first : '';
}

// ───────────── file formats ─────────────

function unfoldVcard(text: string): string[] {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n');
}

function vcardValue(line: string): string {
  const colon = line.indexOf(':');
  return colon >= 0
    ? line
        .slice(colon + 1)
        .replace(/\\([,;\\])/g, '$1')
        .replace(/\\n/gi, ' ')
        .trim()
    : '';
}

/** Contacts from a vCard file (3.0/4.0): one per e-mail address, named by FN (or N). */
export function parseVcard(text: string, source = 'vcard'): Contact[] {
  const out: Contact[] = [];
  let name = '';
  let emails: string[] = [];
  for (const line of unfoldVcard(text)) {
    const prop = line
      .split(/[;:]/)[0]
      .replace(/^item\d+\./i, '')
      .toUpperCase();
    if (prop === 'BEGIN') {
      name = '';
      emails = [];
    } else if (prop === 'FN') name = vcardValue(line);
    else if (prop === 'N' && !name) {
      const [family = '', given = ''] = vcardValue(line).split(';');
      name = `${given} ${family}`.trim();
    } else if (prop === 'EMAIL') {
      const v = vcardValue(line).replace(/^mailto:/i, '');
      if (isAddress(v)) emails.push(v);
    } else if (prop === 'END') {
      for (const e of emails) {
        if (out.length >= MAX_CONTACTS_PER_FILE) return out;
        out.push({ address: normAddress(e), name: name || undefined, source });
      }
      emails = [];
    }
  }
  return out;
}

/** Splits CSV text into rows (RFC 4180 quotes, commas or semicolons). */
function csvRows(text: string): string[][] {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      if (rows.length > MAX_CONTACTS_PER_FILE) break;
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim()));
}

/**
 * Contacts from CSV: `name,address` rows, with or without a header; exports from mail programs
 * ("First Name","Last Name","E-mail Address", "E-mail 2 Address", ...) are understood by their header.
 */
export function parseCsv(text: string, source = 'csv'): Contact[] {
  const rows = csvRows(text.replace(/^\uFEFF/, ''));
  if (!rows.length) return [];
  const head = rows[0].map((h) => h.trim().toLowerCase());
  const hasHeader = !rows[0].some((c) => isAddress(c));
  const out: Contact[] = [];
  const push = (name: string, address: string) => {
    if (isAddress(address) && out.length < MAX_CONTACTS_PER_FILE)
      out.push({ address: normAddress(address), name: name.trim() || undefined, source });
  };
  if (!hasHeader) {
    for (const r of rows) {
      const addr = r.find((c) => isAddress(c)) ?? '';
      const name = r.filter((c) => c !== addr && c.trim()).join(' ');
      push(name, addr);
    }
    return out;
  }
  const addrCols = head
    .map((h, i) => (/e-?mail|address/.test(h) && !/type|display/.test(h) ? i : -1))
    .filter((i) => i >= 0);
  const nameCol = head.findIndex((h) => /^(name|full ?name|display ?name|display name)$/.test(h));
  const firstCol = head.findIndex((h) => /^(first|given)[ _-]?name$/.test(h));
  const lastCol = head.findIndex((h) => /^(last|family|sur)[ _-]?name$/.test(h));
  for (const r of rows.slice(1)) {
    const name = nameCol >= 0 ? (r[nameCol] ?? '') : [r[firstCol] ?? '', r[lastCol] ?? ''].join(' ');
    for (const c of addrCols) push(name, (r[c] ?? '').trim());
  }
  return out;
}

/** Reads a contacts file, by extension (.vcf/.vcard → vCard, else CSV). Throws a clear error. */
export function readContactsFile(file: string): Contact[] {
  const size = statSync(file).size;
  if (size > MAX_CONTACTS_FILE_BYTES) {
    throw new Error(`contacts file ${file} is ${size} bytes; the limit is ${MAX_CONTACTS_FILE_BYTES}`);
  }
  const text = readFileSync(file, 'utf8');
  const ext = path.extname(file).toLowerCase();
  if (ext === '.vcf' || ext === '.vcard' || /^\s*BEGIN:VCARD/i.test(text)) return parseVcard(text);
  return parseCsv(text);
}

// ───────────── the store ─────────────

const CONTACT_TABLES = `
    CREATE TABLE IF NOT EXISTS sender_contacts (
      address TEXT PRIMARY KEY,
      name TEXT,
      domain TEXT NOT NULL,
      source TEXT NOT NULL,
      messages INTEGER NOT NULL DEFAULT 0,
      first_seen TEXT NOT NULL,
      last_seen TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS sender_contacts_domain ON sender_contacts(domain);
    CREATE TABLE IF NOT EXISTS sender_threads (
      message_id TEXT PRIMARY KEY,
      source TEXT NOT NULL,
      seen_at TEXT NOT NULL
    );
  `;

/** Creates the contact and thread tables on this handle (once per handle). */
export function ensureContactTables(db: Database): void {
  execSchemaOnce(db, CONTACT_TABLES);
}

/** Adds or updates contacts; a known name is kept when the new one is empty; 'self' is never demoted. */
export function saveContacts(db: Database, contacts: Contact[], now = new Date()): number {
  ensureContactTables(db);
  const at = now.toISOString();
  const stmt = db.prepare(`
    INSERT INTO sender_contacts (address, name, domain, source, messages, first_seen, last_seen)
    VALUES (@address, @name, @domain, @source, @messages, @at, @at)
    ON CONFLICT(address) DO UPDATE SET
      name = COALESCE(excluded.name, sender_contacts.name),
      source = CASE WHEN sender_contacts.source = 'self' THEN 'self' ELSE excluded.source END,
      messages = sender_contacts.messages + excluded.messages,
      last_seen = excluded.last_seen
  `);
  const tx = db.transaction((list: Contact[]) => {
    for (const c of list) {
      stmt.run({
        address: normAddress(c.address),
        name: c.name ?? null,
        domain: addressDomain(c.address),
        source: c.source,
        messages: c.source === 'learned' || c.source === 'self' ? 1 : 0,
        at,
      });
    }
  });
  tx(contacts.filter((c) => isAddress(c.address)));
  return contacts.length;
}

export function listContacts(db: Database): (Contact & { messages: number })[] {
  ensureContactTables(db);
  return db
    .prepare('SELECT address, name, source, messages FROM sender_contacts ORDER BY domain, address')
    .all()
    .map((r) => {
      const row = r as { address: string; name: string | null; source: string; messages: number };
      return {
        address: row.address,
        name: row.name ?? undefined,
        source: row.source,
        messages: row.messages,
      };
    });
}

/** Normalises a Message-ID for storage and lookup: angle brackets and case of the domain do not matter. */
export function normMessageId(id: string): string {
  return id.trim().replace(/^<|>$/g, '').toLowerCase();
}

export function saveThreadIds(db: Database, ids: string[], source: string, now = new Date()): void {
  ensureContactTables(db);
  const stmt = cachedStatement(
    db,
    'INSERT OR IGNORE INTO sender_threads (message_id, source, seen_at) VALUES (?, ?, ?)',
  );
  const tx = db.transaction((list: string[]) => {
    for (const id of list) if (id.trim()) stmt.run(normMessageId(id), source, now.toISOString());
  });
  tx(ids);
}

export function threadCount(db: Database): number {
  ensureContactTables(db);
  return (cachedStatement(db, 'SELECT COUNT(*) AS n FROM sender_threads').get() as { n: number }).n;
}

export function knownThreadIds(db: Database, ids: string[]): string[] {
  ensureContactTables(db);
  const stmt = cachedStatement(db, 'SELECT 1 FROM sender_threads WHERE message_id = ?');
  return ids.filter((id) => stmt.get(normMessageId(id)));
}

// ───────────── learning from a Sent folder ─────────────

export interface LearnResult {
  messages: number;
  contacts: number;
  selfAddresses: string[];
  threadIds: number;
}

/** What one sent message teaches: the user's own address, the people written to, the thread ids. */
export function learnFromMessages(db: Database, messages: Iterable<Message>, now = new Date()): LearnResult {
  const self = new Map<string, Contact>();
  const people = new Map<string, Contact>();
  const ids: string[] = [];
  let count = 0;
  for (const m of messages) {
    count++;
    if (m.from?.address && isAddress(m.from.address)) {
      self.set(normAddress(m.from.address), {
        address: m.from.address,
        name: m.from.name || undefined,
        source: 'self',
      });
    }
    for (const a of [...m.to, ...m.cc]) {
      if (!isAddress(a.address)) continue;
      const key = normAddress(a.address);
      const prev = people.get(key);
      people.set(key, { address: a.address, name: a.name || prev?.name || undefined, source: 'learned' });
    }
    if (m.messageId) ids.push(m.messageId);
    ids.push(...m.references);
    if (m.inReplyTo) ids.push(m.inReplyTo);
  }
  for (const k of self.keys()) people.delete(k);
  saveContacts(db, [...self.values(), ...people.values()], now);
  saveThreadIds(db, ids, 'learned', now);
  return { messages: count, contacts: people.size, selfAddresses: [...self.keys()], threadIds: ids.length };
}

// ───────────── the in-memory book used by the checks ─────────────

export class ContactBook {
  readonly byAddress = new Map<string, Contact>();
  readonly byName = new Map<string, Contact[]>();
  /** Organisational domains of contacts, free-mail providers left out (they say nothing of an organisation). */
  readonly orgDomains = new Map<string, Contact[]>();
  readonly self: Contact[] = [];

  constructor(contacts: Iterable<Contact>) {
    for (const c of contacts) this.add(c);
  }

  private add(c: Contact): void {
    const address = normAddress(c.address);
    if (!isAddress(address)) return;
    const prev = this.byAddress.get(address);
    const contact: Contact = {
      address,
      name: c.name || prev?.name,
      source: prev?.source === 'self' ? 'self' : c.source,
    };
    this.byAddress.set(address, contact);
    if (contact.source === 'self') this.self.push(contact);
    const key = nameKey(contact.name);
    if (key) {
      const list = this.byName.get(key) ?? [];
      if (!list.some((x) => x.address === address)) list.push(contact);
      this.byName.set(key, list);
    }
    const domain = addressDomain(address);
    if (!isFreemail(domain)) {
      const org = addressOrg(address);
      const list = this.orgDomains.get(org) ?? [];
      list.push(contact);
      this.orgDomains.set(org, list);
    }
  }

  get size(): number {
    return this.byAddress.size;
  }

  has(address: string | undefined): boolean {
    return this.byAddress.has(normAddress(address));
  }

  /** Contacts whose name matches this display name. */
  withName(name: string | undefined): Contact[] {
    const key = nameKey(name);
    return key ? (this.byName.get(key) ?? []) : [];
  }

  /** Organisational domains of the user's own addresses. */
  selfOrgs(): string[] {
    return [...new Set(this.self.map((c) => addressOrg(c.address)).filter((d) => d && !isFreemail(d)))];
  }
}

function contactsFromDb(db: Database): Contact[] {
  ensureContactTables(db);
  return (cachedStatement(db, 'SELECT address, name, source FROM sender_contacts').all() as Contact[]).map(
    (r) => ({
      address: r.address,
      name: r.name ?? undefined,
      source: r.source,
    }),
  );
}

const bookCache = new WeakMap<object, { stamp: string; book: ContactBook }>();

/** The contacts known for a check: the store's plus the --contacts files, cached per options object. */
export function contactBookFor(
  db: Database | undefined,
  files: readonly string[] = [],
  cacheKey?: object,
): ContactBook {
  const rows = db
    ? (() => {
        ensureContactTables(db);
        return cachedStatement(
          db,
          'SELECT COUNT(*) AS n, MAX(last_seen) AS t FROM sender_contacts',
        ).get() as {
          n: number;
          t: string;
        };
      })()
    : { n: 0, t: '' };
  const mtime = (f: string) => {
    try {
      return statSync(f).mtimeMs;
    } catch (err) {
      throw new Error(
        `contacts file ${f} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
  };
  const stamp = `${rows.n}|${rows.t}|${files.map((f) => `${f}:${mtime(f)}`).join(',')}`;
  if (cacheKey) {
    const hit = bookCache.get(cacheKey);
    if (hit && hit.stamp === stamp) return hit.book;
  }
  const contacts: Contact[] = [];
  if (db) contacts.push(...contactsFromDb(db));
  for (const f of files) contacts.push(...readContactsFile(f));
  const book = new ContactBook(contacts);
  if (cacheKey) bookCache.set(cacheKey, { stamp, book });
  return book;
}

/**
 * Remembers a received message's own Message-ID as part of the user's threads, so that a later reply
 * to it is not called a reply to an unknown thread. Meant for whoever stores checked messages.
 */
export function rememberReceivedMessage(
  db: Database,
  message: Pick<Message, 'messageId'>,
  now = new Date(),
): void {
  if (message.messageId) saveThreadIds(db, [message.messageId], 'received', now);
}
