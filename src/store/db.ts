// The embedded SQLite store (better-sqlite3). Each area creates its own tables on the handle.

import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

/** Folder for Suspect's state: $SUSPECT_HOME, else ~/.suspect. */
export function suspectHome(): string {
  return process.env.SUSPECT_HOME || path.join(homedir(), '.suspect');
}

export function defaultDbPath(): string {
  return path.join(suspectHome(), 'suspect.sqlite');
}

/** Opens (creating if needed) the store. ':memory:' gives a throwaway store for tests. */
export function openDb(file: string = defaultDbPath()): Database.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  // WAL lets the web server and the CLI read while a check writes.
  if (file !== ':memory:') {
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL never corrupts the store; a power cut may lose the last checks, which can be re-run.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}
