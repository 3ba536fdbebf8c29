// Builders for attachment fixtures, generated in the tests so every byte of them is explained here.

import CFB from 'cfb';
import QRCode from 'qrcode';
import yazl from 'yazl';
import type { MimePart } from '../../../src/types.js';

export interface ZipInput {
  name: string;
  data: string | Uint8Array;
  /** Store without compression (default: deflate). */
  store?: boolean;
}

/** A zip built with yazl (the sibling of the yauzl reader under test). */
export function makeZip(entries: ZipInput[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data) : Buffer.from(e.data);
    if (e.name.endsWith('/')) zip.addEmptyDirectory(e.name);
    else zip.addBuffer(data, e.name, { compress: !e.store });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/**
 * Mark every entry of a zip as encrypted (general purpose bit 0), as a password-protected archive
 * has it. The data stays readable to us, but a reader must treat it as encrypted.
 */
export function markZipEncrypted(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  for (let i = 0; i + 4 <= out.length; i++) {
    if (out[i] !== 0x50 || out[i + 1] !== 0x4b) continue;
    if (out[i + 2] === 0x03 && out[i + 3] === 0x04) out[i + 6] |= 0x01;
    if (out[i + 2] === 0x01 && out[i + 3] === 0x02) out[i + 8] |= 0x01;
  }
  return out;
}

/** MS-OVBA container holding `data` as literal tokens only (valid, just not smaller). Up to 3640 bytes. */
export function ovbaLiteral(data: Uint8Array): Uint8Array {
  if (data.length > 3640) throw new Error('ovbaLiteral: one chunk only');
  const body: number[] = [];
  for (let i = 0; i < data.length; i += 8) {
    body.push(0x00);
    for (let j = i; j < Math.min(i + 8, data.length); j++) body.push(data[j]);
  }
  const header = 0xb000 | (body.length - 1); // compressed flag, signature 0b011, size - 3 (+2 header)
  return Uint8Array.from([0x01, header & 0xff, header >> 8, ...body]);
}

function record(id: number, body: Uint8Array, sizeField = body.length): number[] {
  return [
    id & 0xff,
    id >> 8,
    sizeField & 0xff,
    (sizeField >> 8) & 0xff,
    (sizeField >> 16) & 0xff,
    sizeField >>> 24,
    ...body,
  ];
}

/** A VBA `dir` stream (decompressed) listing modules whose source starts at offset 0 of their stream. */
export function vbaDir(modules: string[]): Uint8Array {
  const bytes: number[] = [
    ...record(0x0001, Uint8Array.from([1, 0, 0, 0])), // PROJECTSYSKIND: win32
    ...record(0x0009, Uint8Array.from([0xb5, 0, 0, 0, 6, 0]), 4), // PROJECTVERSION: size says 4, 6 follow
  ];
  for (const m of modules) {
    const name = Buffer.from(m, 'latin1');
    const uname = Buffer.from(m, 'utf16le');
    bytes.push(...record(0x0019, name)); // MODULENAME
    bytes.push(...record(0x001a, name), ...record(0x0032, uname)); // MODULESTREAMNAME + unicode
    bytes.push(...record(0x0031, Uint8Array.from([0, 0, 0, 0]))); // MODULEOFFSET = 0
    bytes.push(...record(0x002b, new Uint8Array(0))); // MODULE terminator
  }
  bytes.push(...record(0x0010, new Uint8Array(0))); // dir terminator
  return Uint8Array.from(bytes);
}

/** An OLE compound file with a VBA project at `storage` (e.g. 'Macros/VBA/' for Word, 'VBA/' for vbaProject.bin). */
export function makeVbaOle(modules: Record<string, string>, storage = 'Macros/VBA/'): Buffer {
  const cfb = CFB.utils.cfb_new();
  CFB.utils.cfb_add(cfb, `/${storage}_VBA_PROJECT`, Buffer.from([0xcc, 0x61, 0xff, 0xff, 0x00, 0x00, 0x00]));
  CFB.utils.cfb_add(cfb, `/${storage}dir`, Buffer.from(ovbaLiteral(vbaDir(Object.keys(modules)))));
  for (const [name, source] of Object.entries(modules)) {
    CFB.utils.cfb_add(cfb, `/${storage}${name}`, Buffer.from(ovbaLiteral(Buffer.from(source, 'latin1'))));
  }
  if (storage.startsWith('Macros/')) CFB.utils.cfb_add(cfb, '/WordDocument', Buffer.alloc(512));
  return Buffer.from(CFB.write(cfb, { type: 'buffer' }) as Uint8Array);
}

export const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';

const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export function rels(items: { id: string; type: string; target: string; external?: boolean }[]): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    items
      .map(
        (r) =>
          `<Relationship Id="${r.id}" Type="${REL_NS}/${r.type}" Target="${r.target}"${r.external ? ' TargetMode="External"' : ''}/>`,
      )
      .join('') +
    '</Relationships>'
  );
}

/** A minimal Word document; `extra` adds parts (vbaProject.bin, relationships, embeddings). */
export function makeDocx(
  extra: ZipInput[] = [],
  body = '<w:p><w:r><w:t>Hello</w:t></w:r></w:p>',
): Promise<Buffer> {
  return makeZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    {
      name: '_rels/.rels',
      data: rels([{ id: 'rId1', type: 'officeDocument', target: 'word/document.xml' }]),
    },
    {
      name: 'word/document.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
    },
    ...extra,
  ]);
}

/** A PDF written by hand: objects as given, with a valid-enough xref for readers that need one. */
export function makePdf(objects: string[]): Buffer {
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A PNG picture of a QR code holding `text`. */
export function qrPng(text: string, scale = 4): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', scale, margin: 4 });
}

/** RGBA pixels of a QR code holding `text`, `scale` pixels per module, with a quiet zone. */
export function qrPixels(text: string, scale = 4): { width: number; height: number; data: Buffer } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const margin = 4;
  const side = (n + 2 * margin) * scale;
  const data = Buffer.alloc(side * side * 4, 0xff);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - margin;
      const my = Math.floor(y / scale) - margin;
      const dark = mx >= 0 && my >= 0 && mx < n && my < n && qr.modules.get(my, mx);
      if (dark) data.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
    }
  }
  return { width: side, height: side, data };
}

export function part(
  filename: string | undefined,
  content: Uint8Array | string,
  mimeType?: string,
): MimePart {
  return {
    filename,
    mimeType,
    disposition: 'attachment',
    content: typeof content === 'string' ? new Uint8Array(Buffer.from(content)) : content,
  };
}

/** A few bytes of a Windows program: enough of the MZ/PE headers for file-type to call it 'exe'. */
export function tinyExe(): Buffer {
  const buf = Buffer.alloc(512);
  buf.write('MZ', 0, 'latin1');
  buf.writeUInt32LE(0x80, 0x3c);
  buf.write('PE\0\0', 0x80, 'latin1');
  return buf;
}

/** A ustar archive: one 512-byte header per entry, data padded to 512 bytes, two zero blocks at the end. */
export function makeTar(entries: { name: string; data: string | Uint8Array }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(typeof e.data === 'string' ? Buffer.from(e.data) : e.data);
    const header = Buffer.alloc(512);
    header.write(e.name, 0, 100, 'utf8');
    header.write('0000644\0', 100, 'latin1');
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
    header.write('00000000000\0', 136, 'latin1');
    header.write(e.name.endsWith('/') ? '5' : '0', 156, 'latin1');
    header.write('ustar\u000000', 257, 'latin1');
    header.fill(0x20, 148, 156); // checksum is computed with its own field as blanks
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
