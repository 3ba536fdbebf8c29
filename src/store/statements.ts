// Prepared statements kept per open database: preparing costs more than running a point query, and
// some queries run for every checked message.

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
