import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSeed } from '../../src/scams/seed.js';
import { runCli } from '../helpers/run-cli.js';

const SCAM =
  'Your company email password expires today. To keep your current password, confirm it on the portal below within 6 hours. After that your mailbox will be locked and every message in it archived by the security team.';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'suspect-scams-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));
const env = () => ({ SUSPECT_HOME: home });
const seedCount = readSeed().scams.length;

function writeEml(name: string, to: string, body: string): string {
  const file = path.join(home, name);
  writeFileSync(
    file,
    `From: it@helpdesk.example\r\nTo: ${to}\r\nSubject: Password expiry\r\nDate: Tue, 14 Mar 2023 10:00:00 +0000\r\n\r\nDear ${to.split('@')[0]},\r\n${body}\r\n`,
  );
  return file;
}

describe('suspect scams', () => {
  it('adds a scam from an email, knows it again, and lists it after the seed', async () => {
    const file = writeEml('a.eml', 'ann@corp.example', SCAM);
    const added = await runCli(['scams', 'add', file, '--title', 'Password expiry portal'], env());
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(
      /^Added known scam #(\d+) "Password expiry portal" \(first seen 2023-03-14\)\./,
    );

    const again = await runCli(
      ['scams', 'add', '--json', writeEml('b.eml', 'bob@other.example', SCAM)],
      env(),
    );
    const line = JSON.parse(again.stdout);
    expect(line).toMatchObject({ added: false, scam: { title: 'Password expiry portal' } });

    const list = await runCli(['scams', 'list', '--json', '--limit', '1000'], env());
    const rows = list.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(seedCount + 1);
    expect(rows.at(-1)).toMatchObject({ title: 'Password expiry portal', firstSeen: '2023-03-14' });
    expect(rows.at(-1).text).not.toContain('ann');
  });

  it('adds a plain-text file with a first-seen date and shows it, alone and side by side', async () => {
    const txt = path.join(home, 'scam.txt');
    writeFileSync(txt, SCAM);
    const added = await runCli(['scams', 'add', txt, '--first-seen', '2024-05-02', '--json'], env());
    const id = JSON.parse(added.stdout).scam.id as number;

    const show = await runCli(['scams', 'show', String(id)], env());
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('first seen: 2024-05-02');
    expect(show.stdout).toContain('your company email password expires today');

    const msg = writeEml(
      'c.eml',
      'carl@corp.example',
      SCAM.replace('6 hours', '2 hours').replace('locked', 'closed'),
    );
    const cmp = await runCli(['scams', 'show', String(id), '--compare', msg, '--width', '90'], env());
    expect(cmp.code).toBe(0);
    expect(cmp.stdout).toMatch(/\d+% similar: Known scam #\d+: scam\.txt, first seen 2024-05-02/);
    expect(cmp.stdout).toContain('«');
  });

  it('refuses too little text, a bad date and an unknown id with the right exit codes', async () => {
    const short = path.join(home, 'short.txt');
    writeFileSync(short, 'click here');
    const r = await runCli(['scams', 'add', short], env());
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/too little text/);

    expect((await runCli(['scams', 'add', short, '--first-seen', 'last week'], env())).code).toBe(4);
    expect((await runCli(['scams', 'show', '99999'], env())).code).toBe(3);
    expect((await runCli(['scams', 'show', 'abc'], env())).code).toBe(4);
    expect((await runCli(['scams', 'add', path.join(home, 'missing.eml')], env())).code).toBe(3);
  });
});

describe('suspect scams match', () => {
  it('names the seed scam a message copies and exits by how close it is', async () => {
    const seed = readSeed().scams.find((s) => s.category === 'crypto')!;
    const txt = path.join(home, 'wallet.txt');
    // The seed's normalised text is itself a valid text to match (placeholders are words to the tokeniser).
    writeFileSync(txt, seed.normalised.replaceAll('URL', 'https://wallet-verify.example/x'));
    const r = await runCli(['scams', 'match', txt, '--width', '100'], env());
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`#`);
    expect(r.stdout).toContain(seed.title);
    const plain = path.join(home, 'plain.txt');
    writeFileSync(
      plain,
      'The garden club meets on Sunday to plan the spring flower show and the bake sale for the school roof.',
    );
    const none = await runCli(['scams', 'match', '--json', plain], env());
    expect(none.code).toBe(0);
    expect(JSON.parse(none.stdout)).toMatchObject({ usable: true, matches: [] });
  });
});
