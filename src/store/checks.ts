// Past checks: each report with its raw message and every engine's result, so it can be re-scored later.

import type { Database } from 'better-sqlite3';
import type { AnalysisOptions, Report } from '../types.js';
import { cachedStatement, execSchemaOnce } from './statements.js';

const CHECKS_SCHEMA = `
    CREATE TABLE IF NOT EXISTS raw_messages (
      sha256 TEXT PRIMARY KEY,
      raw BLOB NOT NULL,
      bytes INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS checks (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      message_sha256 TEXT,
      kind TEXT NOT NULL,
      file TEXT,
      idx INTEGER,
      subject TEXT,
      sender TEXT,
      verdict TEXT NOT NULL,
      score INTEGER NOT NULL,
      model_version TEXT,
      versions TEXT NOT NULL,
      report TEXT NOT NULL,
      options TEXT,
      rescore_of INTEGER REFERENCES checks(id),
      created_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS checks_message ON checks(message_sha256);
    CREATE TABLE IF NOT EXISTS engine_results (
      check_id INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
      engine TEXT NOT NULL,
      engine_version TEXT NOT NULL,
      target TEXT NOT NULL,
      status TEXT NOT NULL,
      findings TEXT NOT NULL,
      note TEXT,
      ms REAL
    );
    CREATE INDEX IF NOT EXISTS engine_results_check ON engine_results(check_id);
  `;

/** Creates the checks tables on this handle; the schema runs once per handle, not per check. */
export function ensureChecksSchema(db: Database): void {
  execSchemaOnce(db, CHECKS_SCHEMA);
}

export interface CheckRow {
  id: number;
  kind: string;
  file: string | null;
  idx: number | null;
  subject: string | null;
  sender: string | null;
  verdict: string;
  score: number;
  created_at: string;
  rescore_of: number | null;
  message_sha256: string | null;
}

/** Stores a report (and the raw message, once per content). Returns the check id. */
export function saveCheck(
  db: Database,
  report: Report,
  raw?: Uint8Array,
  options: AnalysisOptions = {},
  rescoreOf?: number,
): number {
  ensureChecksSchema(db);
  const tx = db.transaction(() => {
    if (raw)
      cachedStatement(db, 'INSERT OR IGNORE INTO raw_messages (sha256, raw, bytes) VALUES (?, ?, ?)').run(
        report.id,
        Buffer.from(raw),
        raw.length,
      );
    const info = cachedStatement(
      db,
      `INSERT INTO checks (message_sha256, kind, file, idx, subject, sender, verdict, score, model_version, versions, report, options, rescore_of, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      raw ? report.id : null,
      report.source.kind,
      report.file ?? (report.source.kind === 'url' ? report.links[0]?.url : null),
      report.index ?? null,
      report.subject ?? null,
      report.from?.address ?? null,
      report.verdict,
      report.score,
      report.versions.model,
      JSON.stringify(report.versions),
      JSON.stringify(report),
      JSON.stringify(options),
      rescoreOf ?? null,
      report.analysedAt,
    );
    const id = Number(info.lastInsertRowid);
    const ins = cachedStatement(
      db,
      'INSERT INTO engine_results (check_id, engine, engine_version, target, status, findings, note, ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const r of report.runs)
      ins.run(
        id,
        r.engine,
        r.engineVersion,
        r.targetId,
        r.status,
        JSON.stringify(r.findings),
        r.note ?? null,
        r.ms,
      );
    return id;
  });
  return tx();
}

export function listChecks(db: Database, limit = 50): CheckRow[] {
  ensureChecksSchema(db);
  return db
    .prepare(
      'SELECT id, kind, file, idx, subject, sender, verdict, score, created_at, rescore_of, message_sha256 FROM checks ORDER BY id DESC LIMIT ?',
    )
    .all(limit) as CheckRow[];
}

export interface StoredCheck {
  row: CheckRow;
  report: Report;
  options: AnalysisOptions;
  raw?: Uint8Array;
}

export function getCheck(db: Database, id: number): StoredCheck | undefined {
  ensureChecksSchema(db);
  const row = db.prepare('SELECT * FROM checks WHERE id = ?').get(id) as
    | (CheckRow & { report: string; options: string | null })
    | undefined;
  if (!row) return undefined;
  const rawRow = row.message_sha256
    ? (db.prepare('SELECT raw FROM raw_messages WHERE sha256 = ?').get(row.message_sha256) as
        | { raw: Buffer }
        | undefined)
    : undefined;
  return {
    row,
    report: JSON.parse(row.report) as Report,
    options: row.options ? (JSON.parse(row.options) as AnalysisOptions) : {},
    raw: rawRow ? new Uint8Array(rawRow.raw) : undefined,
  };
}
