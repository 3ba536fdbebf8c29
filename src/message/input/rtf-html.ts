// The HTML body of an Outlook .msg usually lives only inside PidTagRtfCompressed: Outlook wraps the
// HTML into RTF (\fromhtml1, MS-OXRTFEX) and compresses it (MS-OXRTFCP). msgreader's `bodyHtml`
// is therefore usually empty (msgreader #25, #57); we decompress with @kenjiuno/decompressrtf and
// de-encapsulate with rtf-stream-parser.

import { decompressRTF } from '@kenjiuno/decompressrtf';
import { deEncapsulateSync } from 'rtf-stream-parser';
import { decodeCharset } from './codepage.js';

/** decompressRTF works on plain JS number arrays (8+ bytes per byte) and trusts the header's size
 *  fields; a forged COMPSIZE makes it run past the input writing zeros. Real RTF bodies are well
 *  under a megabyte, so a bigger one is reported rather than expanded into hundreds of MB. */
export const MAX_COMPRESSED_RTF_BYTES = 8 * 1024 * 1024;

const RTF_HEADER_BYTES = 16;
const COMPRESSED = 0x75465a4c; // 'LZFu'
const UNCOMPRESSED = 0x414c454d; // 'MELA'

export type RtfBody = { kind: 'html' | 'text'; content: string } | { kind: 'none'; problem?: string };

/** Decompresses PidTagRtfCompressed after checking its header against the real input size. */
export function decompressRtfBody(bytes: Uint8Array): Uint8Array {
  if (bytes.length < RTF_HEADER_BYTES) throw new Error('compressed RTF body is truncated');
  if (bytes.length > MAX_COMPRESSED_RTF_BYTES) throw new Error('compressed RTF body is too large to expand');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const compSize = view.getUint32(0, true);
  const rawSize = view.getUint32(4, true);
  const compType = view.getUint32(8, true);
  if (compType === UNCOMPRESSED) {
    // MELA: the raw RTF follows the header verbatim; trust the real length over the field.
    return bytes.subarray(
      RTF_HEADER_BYTES,
      RTF_HEADER_BYTES + Math.min(rawSize, bytes.length - RTF_HEADER_BYTES),
    );
  }
  if (compType !== COMPRESSED) throw new Error('compressed RTF body has an unknown format');
  if (compSize + 4 > bytes.length || compSize < RTF_HEADER_BYTES - 4) {
    throw new Error('compressed RTF body is truncated');
  }
  const out = decompressRTF(bytes.subarray(0, compSize + 4) as unknown as number[]);
  return Uint8Array.from(out);
}

/** Extracts the HTML (or text) that Outlook encapsulated in an RTF body. Never throws. */
export function rtfToBody(compressedRtf: Uint8Array): RtfBody {
  let rtf: Uint8Array;
  try {
    rtf = decompressRtfBody(compressedRtf);
  } catch (err) {
    return { kind: 'none', problem: (err as Error).message };
  }
  try {
    const result = deEncapsulateSync(Buffer.from(rtf.buffer, rtf.byteOffset, rtf.byteLength), {
      decode: (buf: Buffer, enc: string) => decodeCharset(buf, enc),
      mode: 'either',
      warn: () => {},
    });
    const content = typeof result.text === 'string' ? result.text : result.text.toString('utf8');
    return { kind: result.mode, content };
  } catch {
    // Plain RTF (no \fromhtml / \fromtext): written by hand in Outlook's RTF editor. The plain
    // body (PidTagBody) carries its text, so nothing is lost by not rendering RTF here.
    return { kind: 'none' };
  }
}
