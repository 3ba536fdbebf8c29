import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerContacts } from '../../src/cli/contacts.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { FIXTURES } from '../sender/engine-helpers.js';

async function cli(args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  const program = new Command().exitOverride();
  registerContacts(program);
  let code: number = EXIT.OK;
  program.hook('postAction', (_c, action) => {
    const v = action.getOptionValue('__exitCode');
    if (typeof v === 'number') code = v;
  });
  try {
    await program.parseAsync(['node', 'suspect', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  return { out, err, code };
}

afterEach(() => vi.restoreAllMocks());

describe('suspect contacts', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'suspect-contacts-'));
  const db = path.join(dir, 'store.sqlite');

  it('imports vCard and CSV, learns from a Sent folder and lists', async () => {
    const imp = await cli([
      'contacts',
      'import',
      '--db',
      db,
      path.join(FIXTURES, 'contacts.vcf'),
      path.join(FIXTURES, 'contacts.csv'),
    ]);
    expect(imp.out).toBe('Imported 7 contact address(es).\n');
    const sent = path.join(dir, 'Sent');
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(sent);
    copyFileSync(path.join(FIXTURES, 'sent-1.eml'), path.join(sent, 'sent-1.eml'));
    const learn = await cli(['contacts', 'learn', '--db', db, sent]);
    expect(learn.out).toContain(
      'Learned from 1 sent message(s): 3 people you write to; your own address(es): alex@yourcompany.example.',
    );
    const list = await cli(['contacts', 'list', '--db', db, '--json']);
    const rows = list.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(8);
    expect(rows.find((r) => r.address === 'alex@yourcompany.example')).toMatchObject({
      source: 'self',
      name: 'Alex Morgan',
    });
    expect(rows.find((r) => r.address === 'jane@yourcompany.example')).toMatchObject({
      source: 'learned',
      messages: 1,
    });
    const text = await cli(['contacts', 'list', '--db', db]);
    expect(text.out).toContain('Jane Smith <jane@yourcompany.example>  (learned, 1 sent)');
  });

  it('gives a clear error for a missing or oversized file', async () => {
    const r = await cli(['contacts', 'import', '--db', db, path.join(dir, 'nope.vcf')]);
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.err).toContain('nope.vcf');
    const empty = path.join(dir, 'empty.csv');
    writeFileSync(empty, '');
    expect((await cli(['contacts', 'import', '--db', db, empty])).out).toBe(
      'Imported 0 contact address(es).\n',
    );
  });
});
