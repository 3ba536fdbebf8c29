import { describe, expect, it } from 'vitest';
import { looksLikeHtml, observeTypeMismatch, sniffType } from '../../../src/message/attachments/sniff.js';
import { makeDocx, makePdf, tinyExe } from './helpers.js';

describe('sniffType', () => {
  it('finds the true type of common formats', async () => {
    expect((await sniffType(tinyExe()))?.ext).toBe('exe');
    expect((await sniffType(makePdf(['<< /Type /Catalog >>'])))?.family).toBe('pdf');
    expect((await sniffType(await makeDocx()))?.ext).toBe('docx');
    expect(await sniffType(new TextEncoder().encode('just some words'))).toBeUndefined();
  });
  it('recognises disk images, OneNote and HTML that file-type does not know', async () => {
    const iso = Buffer.alloc(0x8800);
    iso.write('CD001', 0x8001, 'latin1');
    expect(await sniffType(iso)).toMatchObject({ ext: 'iso', family: 'disk-image' });
    const vhd = Buffer.alloc(1024);
    vhd.write('conectix', 512, 'latin1'); // the footer sits in the last 512 bytes
    expect(await sniffType(vhd)).toMatchObject({ ext: 'vhd', family: 'disk-image' });
    const one = Buffer.from('e4525c7b8cd8a74daeb15378d02996d3000000', 'hex');
    expect(await sniffType(one)).toMatchObject({ ext: 'one', family: 'onenote' });
    expect(await sniffType(Buffer.from('\ufeff  <!DOCTYPE html><html><body>x'))).toMatchObject({
      ext: 'html',
    });
  });
  it('does not mistake text mentioning tags for HTML', () => {
    expect(looksLikeHtml(Buffer.from('Dear customer, use <b> for bold'))).toBe(false);
    expect(looksLikeHtml(Buffer.from('<!-- note --><script>x()</script>'))).toBe(true);
  });
});

describe('observeTypeMismatch', () => {
  const exe = { ext: 'exe', mime: 'application/x-msdownload', family: 'program' as const };
  it('flags a program named as a PDF, and says it is a program', () => {
    const obs = observeTypeMismatch(exe, 'invoice.pdf', 'application/pdf');
    expect(obs.map((o) => o.code)).toEqual(['type-mismatch', 'executable-content']);
    expect(obs[0].evidence).toMatchObject({
      claimed: 'pdf',
      actual: 'exe',
      actualDescription: 'a Windows program',
    });
  });
  it('flags a declared type that lies when the name does not', () => {
    const obs = observeTypeMismatch(exe, 'tool.exe', 'image/png');
    expect(obs.map((o) => o.code)).toEqual(['declared-type-mismatch', 'executable-content']);
  });
  it('accepts other names for the same family', () => {
    const jpeg = { ext: 'jpg', mime: 'image/jpeg', family: 'image' as const };
    expect(observeTypeMismatch(jpeg, 'photo.png', 'image/png')).toEqual([]);
    const docx = { ext: 'docx', mime: 'x', family: 'zip' as const };
    expect(observeTypeMismatch(docx, 'letter.zip', 'application/octet-stream')).toEqual([]);
    const html = { ext: 'html', mime: 'text/html', family: 'html' as const };
    expect(observeTypeMismatch(html, 'page.txt', 'text/plain')).toEqual([]);
  });
  it('says nothing without a detected type or a known claim', () => {
    expect(observeTypeMismatch(undefined, 'a.pdf', 'application/pdf')).toEqual([]);
    const pdf = { ext: 'pdf', mime: 'application/pdf', family: 'pdf' as const };
    expect(observeTypeMismatch(pdf, 'a.weird', 'application/octet-stream')).toEqual([]);
  });
});
