import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inspectPdf, looksLikePdf, readLiteralString } from '../../../src/message/attachments/pdf.js';
import { makePdf } from './helpers.js';

const codes = (pdf: Buffer) => inspectPdf(pdf).observations.map((o) => o.code);

describe('inspectPdf', () => {
  it('finds open-action JavaScript, launch actions and URIs', () => {
    const pdf = makePdf([
      '<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>',
      '<< /Type /Pages /Kids [] /Count 0 >>',
      '<< /S /JavaScript /JS (this.exportDataObject\\({cName: "a.exe", nLaunch: 2}\\)) >>',
      '<< /Type /Annot /Subtype /Link /A << /S /URI /URI (https://pay.example/login?id=\\(7\\)) >> >>',
      '<< /Type /Action /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>',
    ]);
    const r = inspectPdf(pdf);
    expect(r.observations.map((o) => o.code)).toEqual(['pdf-javascript', 'pdf-auto-action', 'pdf-launch']);
    expect(r.observations[0].evidence).toMatchObject({ autoRun: true });
    expect(r.observations[2].evidence).toMatchObject({ targets: ['cmd.exe'] });
    expect(r.uris).toEqual(['https://pay.example/login?id=(7)']);
  });
  it('reads addresses out of inline JavaScript', () => {
    const pdf = makePdf([
      '<< /OpenAction << /S /JavaScript /JS (app.launchURL\\("https://js.example/go", true\\);) >> >>',
    ]);
    expect(inspectPdf(pdf).uris).toEqual(['https://js.example/go']);
  });
  it('is not fooled by #xx escapes in names', () => {
    expect(
      codes(makePdf(['<< /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >> >>'])),
    ).toEqual(['pdf-javascript', 'pdf-auto-action']);
  });
  it('does not match longer names (/JSON is not /JS, /AAPL is not /AA)', () => {
    expect(codes(makePdf(['<< /Type /Catalog /JSON 1 /AAPL 2 >>']))).toEqual([]);
  });
  it('looks inside compressed object streams', () => {
    const inner = Buffer.from(
      '4 0 << /S /URI /URI (https://hidden.example/x) >> << /EmbeddedFiles 6 0 R /JavaScript 7 0 R >>',
    );
    const z = deflateSync(inner);
    const stream = `<< /Type /ObjStm /N 2 /First 4 /Filter /FlateDecode /Length ${z.length} >>\nstream\n${z.toString('latin1')}\nendstream`;
    const r = inspectPdf(makePdf(['<< /Type /Catalog >>', stream]));
    expect(r.observations.map((o) => o.code)).toEqual(['pdf-javascript', 'pdf-embedded-file']);
    expect(r.uris).toEqual(['https://hidden.example/x']);
  });
  it('reads hex and UTF-16 URI strings', () => {
    const hex = Buffer.from('https://hex.example/').toString('hex');
    const utf16 = Buffer.concat([
      Buffer.from([0xfe, 0xff]),
      Buffer.from('https://u16.example/', 'utf16le').swap16(),
    ]);
    const pdf = makePdf([`<< /URI <${hex}> >>`, `<< /URI <${utf16.toString('hex')}> >>`]);
    expect(inspectPdf(pdf).uris).toEqual(['https://hex.example/', 'https://u16.example/']);
  });
  it('stops an object-stream inflation bomb at the byte cap', () => {
    const bomb = deflateSync(Buffer.alloc(40 * 1024 * 1024));
    const stream = `<< /Type /ObjStm /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n${bomb.toString('latin1')}\nendstream`;
    const started = Date.now();
    const r = inspectPdf(makePdf([stream]));
    expect(r.problems.join(' ')).toMatch(/decompression bomb/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
  it('does not read links out of an encrypted PDF, and says why', () => {
    const pdf = Buffer.from(
      makePdf(['<< /Type /Catalog >>', '<< /URI (\u00a3\u00f0garbled) >>', '<< /Filter /Standard /V 2 >>'])
        .toString('latin1')
        .replace('/Root 1 0 R', '/Root 1 0 R /Encrypt 3 0 R'),
      'latin1',
    );
    const r = inspectPdf(pdf);
    expect(r.uris).toEqual([]);
    expect(r.observations.map((o) => o.code)).toEqual(['pdf-encrypted']);
    expect(r.problems.join(' ')).toMatch(/encrypted/);
  });
  it('finds the header within the first kilobyte', () => {
    expect(looksLikePdf(Buffer.from(`${' '.repeat(500)}%PDF-1.4`))).toBe(true);
    expect(looksLikePdf(Buffer.from('hello'))).toBe(false);
  });
});

describe('readLiteralString', () => {
  it('handles nesting and escapes', () => {
    expect(readLiteralString('(a(b)c\\)d\\101\\n)', 0)).toBe('a(b)c)dA\n');
    expect(readLiteralString('(unterminated', 0)).toBeUndefined();
  });
});
