import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import CFB from 'cfb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InputItem, readInputs } from '../../../src/message/input/index.js';
import { buildMsg, u } from './msg-builder.js';

function wordDocument(): Buffer {
  const cfb = CFB.utils.cfb_new();
  CFB.utils.cfb_add(cfb, '/WordDocument', Buffer.alloc(600, 1));
  return CFB.write(cfb, { type: 'buffer' }) as Buffer;
}

const eml = (subject: string) =>
  `From: a@example.org\r\nTo: b@example.org\r\nSubject: ${subject}\r\n\r\nbody ${subject}\r\n`;
const mbox = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => `From x@example.org Mon Jan  1 10:00:0${i % 10} 2024\n${eml(`m${i}`)}\n`,
  ).join('');
const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1,
]);

async function collect(paths: string[], opts?: Parameters<typeof readInputs>[1]): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of readInputs(paths, opts)) out.push(item);
  return out;
}

const summary = (items: InputItem[], root: string) =>
  items.map((i) => {
    const file = i.source.file ? path.relative(root, i.source.file) : '';
    const where = i.source.index === undefined ? file : `${file}#${i.source.index}`;
    return 'raw' in i ? `${i.source.kind}:${where}` : `error:${where}`;
  });

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'suspect-input-'));
  const mail = path.join(root, 'mail');
  mkdirSync(path.join(mail, 'sub', 'deeper'), { recursive: true });
  writeFileSync(path.join(mail, 'b.eml'), eml('b'));
  writeFileSync(path.join(mail, 'a.eml'), eml('a'));
  writeFileSync(path.join(mail, 'notes.txt'), 'Remember to buy milk.\n');
  writeFileSync(path.join(mail, 'saved-as-text.txt'), eml('txt'));
  writeFileSync(path.join(mail, 'photo.jpg'), PNG);
  writeFileSync(path.join(mail, 'Thumbs.db'), wordDocument());
  writeFileSync(path.join(mail, 'letter.doc'), wordDocument());
  writeFileSync(path.join(mail, '._a.eml'), Buffer.from([0, 5, 22, 7, 0, 2, 0, 0]));
  writeFileSync(path.join(mail, 'sub', 'Inbox'), mbox(3));
  writeFileSync(
    path.join(mail, 'sub', 'deeper', 'c.msg'),
    buildMsg({ props: { 55: u('from msg'), 4096: u('x') } }),
  );
  writeFileSync(
    path.join(mail, 'sub', 'broken.eml'),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]),
  );
  symlinkSync(mail, path.join(mail, 'sub', 'loop')); // a symlink back to the top
  symlinkSync(path.join(mail, 'sub', 'self'), path.join(mail, 'sub', 'self')); // points at itself
  symlinkSync(path.join(root, 'gone.eml'), path.join(mail, 'sub', 'dangling.eml'));
  writeFileSync(path.join(root, 'image.png'), PNG);
  writeFileSync(path.join(root, 'readme'), 'Just some text\n');
  writeFileSync(path.join(root, 'empty.eml'), '');
  writeFileSync(path.join(root, 'report.doc'), wordDocument());
  writeFileSync(path.join(root, 'todo.txt'), 'Note: buy milk\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('readInputs: folders', () => {
  it('walks recursively in sorted order, detects formats by content and skips what is clearly not mail', async () => {
    const items = await collect([path.join(root, 'mail')]);
    expect(summary(items, path.join(root, 'mail'))).toEqual([
      'eml:a.eml',
      'eml:b.eml',
      'eml:saved-as-text.txt',
      'mbox:sub/Inbox#0',
      'mbox:sub/Inbox#1',
      'mbox:sub/Inbox#2',
      'error:sub/broken.eml',
      'error:sub/dangling.eml',
      'msg:sub/deeper/c.msg',
    ]);
    expect((items[6] as { error: string }).error).toBe('not an email (it looks like a binary file)');
    expect((items[7] as { error: string }).error).toBe('broken symbolic link');
    const msg = items[8] as { raw: Uint8Array; note?: string };
    expect(Buffer.from(msg.raw).toString()).toContain('Subject: from msg');
    expect(msg.note).toMatch(/Outlook \.msg/);
    const first = items[3] as { raw: Uint8Array };
    expect(Buffer.from(first.raw).toString()).toBe(eml('m0'));
  });
});

describe('readInputs: named files', () => {
  it('gives a clear error for a named file that is not mail, and goes on', async () => {
    const items = await collect([
      path.join(root, 'image.png'),
      path.join(root, 'missing.eml'),
      path.join(root, 'readme'),
      path.join(root, 'empty.eml'),
      path.join(root, 'report.doc'),
      path.join(root, 'todo.txt'),
      path.join(root, 'mail', 'a.eml'),
    ]);
    const errors = items.filter((i) => 'error' in i) as { source: { file?: string }; error: string }[];
    expect(errors.map((e) => [path.basename(e.source.file ?? ''), e.error])).toEqual([
      ['image.png', 'not an email (it looks like an image (PNG))'],
      ['missing.eml', 'no such file or folder'],
      ['readme', 'does not look like an email (no mail headers at the start)'],
      ['empty.eml', 'the file is empty'],
      [
        'report.doc',
        expect.stringMatching(/^not an email \(an OLE compound file but not an Outlook message/),
      ],
      ['todo.txt', 'does not look like an email (no mail headers at the start)'],
    ]);
    expect(items).toHaveLength(7);
    expect('raw' in items[6]).toBe(true);
  });

  it('passes on text under a mail extension with a note, for the parser to report what it can', async () => {
    const garbled = path.join(root, 'garbled.eml');
    writeFileSync(garbled, 'hello, this lost its headers\n');
    const [item] = await collect([garbled]);
    expect(item).toMatchObject({
      source: { kind: 'eml', file: garbled },
      note: expect.stringMatching(/mail headers/),
    });
  });

  it.skipIf(process.getuid?.() === 0)('turns permission errors into error items', async () => {
    const locked = path.join(root, 'locked.eml');
    writeFileSync(locked, eml('locked'));
    chmodSync(locked, 0);
    try {
      const [item] = await collect([locked]);
      expect((item as { error: string }).error).toMatch(/permission denied/);
    } finally {
      chmodSync(locked, 0o600);
    }
  });

  it('yields an oversized message as an error and reads the next one', async () => {
    const big = path.join(root, 'big.eml');
    writeFileSync(big, eml('x'.repeat(5000)));
    const items = await collect([big, path.join(root, 'mail', 'a.eml')], { maxMessageBytes: 1000 });
    expect((items[0] as { error: string }).error).toMatch(/message too large/);
    expect('raw' in items[1]).toBe(true);
  });

  it('caps messages inside an mbox and keeps the indexes', async () => {
    const file = path.join(root, 'capped.mbox');
    const body = 'y'.repeat(4000);
    writeFileSync(file, `${mbox(1)}From z Mon Jan  1 10:00:00 2024\n${eml(body)}\n${mbox(1)}`);
    const items = await collect([file], { maxMessageBytes: 1000 });
    expect(summary(items, root)).toEqual(['mbox:capped.mbox#0', 'error:capped.mbox#1', 'mbox:capped.mbox#2']);
  });

  it('gives no index to a file holding one message after a "From " line', async () => {
    const file = path.join(root, 'single');
    writeFileSync(file, mbox(1));
    const [item] = await collect([file]);
    expect(item.source).toEqual({ kind: 'mbox', file });
    expect(Buffer.from((item as { raw: Uint8Array }).raw).toString()).toBe(eml('m0'));
  });

  it('rejects a nonsense cap instead of switching the cap off', async () => {
    const big = path.join(root, 'big2.eml');
    writeFileSync(big, eml('z'.repeat(100)));
    for (const cap of [0, Number.NaN, -5, '10' as unknown as number]) {
      const [item] = await collect([big], { maxMessageBytes: cap });
      expect('raw' in item).toBe(true); // default cap applies
    }
  });
});

describe('readInputs: stdin', () => {
  it('reads one message from stdin', async () => {
    const items = await collect(['-'], { stdin: Readable.from([Buffer.from(eml('piped'))]) });
    expect(items).toHaveLength(1);
    expect(items[0].source).toEqual({ kind: 'stdin', file: '-' });
    expect(Buffer.from((items[0] as { raw: Uint8Array }).raw).toString()).toContain('Subject: piped');
  });

  it('streams an mbox from stdin and converts a .msg from stdin', async () => {
    const fromMbox = await collect(['-'], { stdin: Readable.from([Buffer.from(mbox(2))]) });
    expect(fromMbox.map((i) => i.source)).toEqual([
      { kind: 'mbox', file: '-', index: 0 },
      { kind: 'mbox', file: '-', index: 1 },
    ]);
    const msg = buildMsg({ props: { 55: u('piped msg') } });
    const [fromMsg] = await collect(['-'], { stdin: Readable.from([Buffer.from(msg)]) });
    expect(fromMsg.source.kind).toBe('msg');
    expect(Buffer.from((fromMsg as { raw: Uint8Array }).raw).toString()).toContain('Subject: piped msg');
  });

  it('caps stdin and refuses to read it twice', async () => {
    const stdin = Readable.from([Buffer.from(eml('a'.repeat(3000)))]);
    const items = await collect(['-', '-'], { stdin, maxMessageBytes: 1000 });
    expect((items[0] as { error: string }).error).toMatch(/message too large/);
    expect((items[1] as { error: string }).error).toMatch(/already read/);
  });

  it('says binary stdin is not mail', async () => {
    const [item] = await collect(['-'], { stdin: Readable.from([PNG]) });
    expect((item as { error: string }).error).toMatch(/not an email/);
  });
});

describe('readInputs: progress', () => {
  it('reports bytes and messages while streaming an mbox', async () => {
    const file = path.join(root, 'progress.mbox');
    writeFileSync(file, mbox(5));
    const seen: { bytesDone: number; bytesTotal: number; messages: number }[] = [];
    await collect([file], { onProgress: (p) => seen.push(p) });
    const last = seen.at(-1)!;
    expect(last.messages).toBe(5);
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(last.bytesTotal).toBe(Buffer.byteLength(mbox(5)));
  });
});
