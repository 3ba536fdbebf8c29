// Runs the sender engines over fixture messages with a contact book and a store made in the test.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';
import { learnFromMessages } from '../../src/sender/contacts.js';
import { openDb } from '../../src/store/db.js';
import type { AnalysisOptions, Engine, EngineContext, EngineOutcome, Finding } from '../../src/types.js';
import { messageOf } from './helpers.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/sender');
export const NOW = new Date('2025-06-03T00:00:00Z');

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** A store that learned the user's Sent folder (sent-1.eml), plus the vCard and CSV contacts. */
export async function storeAndOptions(): Promise<{ db: Database; options: AnalysisOptions }> {
  const db = openDb(':memory:');
  learnFromMessages(db, [await messageOf(fixture('sent-1.eml'))], NOW);
  return {
    db,
    options: {
      contactsFiles: [path.join(FIXTURES, 'contacts.vcf'), path.join(FIXTURES, 'contacts.csv')],
      trustAuthservIds: ['mx.yourcompany.example'],
    },
  };
}

export async function run(
  engine: Engine,
  file: string,
  ctxPart: { db?: Database; options: AnalysisOptions },
): Promise<EngineOutcome> {
  const message = await messageOf(fixture(file));
  const ctx: EngineContext = { signal: new AbortController().signal, now: NOW, ...ctxPart };
  return engine.analyse({ kind: 'message', id: 'message', message }, ctx);
}

export function codes(findings: Finding[]): string[] {
  return findings.filter((f) => f.severity !== 'info').map((f) => f.code);
}
