import { describe, expect, it } from 'vitest';
import {
  extensionOf,
  observeName,
  riskCategory,
  visibleName,
} from '../../../src/message/attachments/names.js';

const codes = (name: string) => observeName(name).map((o) => o.code);

describe('extensionOf', () => {
  it('lower-cases and ignores trailing dots and blanks', () => {
    expect(extensionOf('Invoice.PDF')).toBe('pdf');
    expect(extensionOf('setup.exe. ')).toBe('exe');
    expect(extensionOf('noext')).toBe('');
    expect(extensionOf(undefined)).toBe('');
    expect(extensionOf('.bashrc')).toBe('bashrc');
  });
  it('reads the real extension behind a right-to-left override', () => {
    // "invoice\u202Efdp.exe" shows as "invoiceexe.pdf"
    expect(extensionOf('invoice\u202efdp.exe')).toBe('exe');
  });
});

describe('observeName', () => {
  it('flags programs and scripts by extension', () => {
    for (const ext of [
      'exe',
      'scr',
      'js',
      'jse',
      'vbs',
      'vbe',
      'hta',
      'lnk',
      'msi',
      'bat',
      'cmd',
      'ps1',
      'jar',
      'wsf',
      'cpl',
    ]) {
      expect(codes(`file.${ext}`), ext).toContain('risky-extension');
    }
    expect(riskCategory('iso')).toBe('disk-image');
    expect(riskCategory('img')).toBe('disk-image');
    expect(riskCategory('vhd')).toBe('disk-image');
    expect(riskCategory('one')).toBe('onenote');
    expect(riskCategory('lnk')).toBe('shortcut');
  });
  it('leaves ordinary documents alone', () => {
    for (const n of [
      'report.pdf',
      'photo.jpeg',
      'budget.xlsx',
      'notes.txt',
      'archive.tar.gz',
      'v1.2.3.pdf',
    ]) {
      expect(codes(n), n).toEqual([]);
    }
  });
  it('catches double extensions that end in something that runs', () => {
    expect(codes('invoice.pdf.exe')).toEqual(['risky-extension', 'double-extension']);
    expect(codes('scan.JPG.scr')).toContain('double-extension');
    // A harmless second extension is not a disguise.
    expect(codes('backup.tar.gz')).not.toContain('double-extension');
    expect(codes('setup.v2.exe')).not.toContain('double-extension');
  });
  it('catches bidi control characters and shows them', () => {
    const name = 'invoice\u202efdp.exe';
    const obs = observeName(name);
    expect(obs.map((o) => o.code)).toContain('bidi-name');
    expect(visibleName(name)).toBe('invoice⟨U+202E⟩fdp.exe');
  });
  it('catches blank padding that pushes the extension out of view', () => {
    expect(codes('invoice.pdf                    .exe')).toContain('padded-extension');
    expect(codes('my   file.pdf')).not.toContain('padded-extension');
  });
  it('does not treat inherited object keys as extensions', () => {
    expect(codes('x.constructor')).toEqual([]);
    expect(codes('x.__proto__')).toEqual([]);
  });
});
