// Prepared statements and schemas kept per open database: preparing costs more than running a point
// query, and some queries run for every checked message.

import type { Database, Statement } from 'better-sqlite3';

/** Distinct SQL texts kept per database; the callers use a handful of fixed queries. */
const MAX_STATEMENTS_PER_DB = 64;

const cache = new WeakMap<Database, Map<string, Statement>>();

/** `db.prepare(sql)`, prepared once per database handle. */
export function cachedStatement(db: Database, sql: string): Statement {
  let byDb = cache.get(db);
  if (!byDb) {
    byDb = new Map();
    cache.set(db, byDb);
  }
  let stmt = byDb.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    if (byDb.size >= MAX_STATEMENTS_PER_DB) byDb.clear();
    byDb.set(sql, stmt);
  }
  return stmt;
}

const schemasDone = new WeakMap<Database, Set<string>>();

/**
 * `db.exec(schema)` once per database handle: the CREATE ... IF NOT EXISTS statements are parsed afresh
 * by every exec, and the modules that need their tables ensure them on every call.
 */
export function execSchemaOnce(db: Database, schema: string): void {
  let done = schemasDone.get(db);
  if (done?.has(schema)) return;
  db.exec(schema);
  if (!done) {
    done = new Set();
    schemasDone.set(db, done);
  }
  done.add(schema);
}
