// Windows codepage numbers → WHATWG encoding labels, so that ANSI strings from Outlook .msg files
// (PT_STRING8, PidTagMessageCodepage) and RTF bodies (\ansicpg) decode with Node's built-in
// TextDecoder instead of a transitive iconv dependency. An unknown codepage falls back to
// windows-1252 (what Outlook itself assumes) rather than failing the message.

import { TextDecoder } from 'node:util';

const CODEPAGE_LABELS: Record<number, string> = {
  437: 'ibm866', // no cp437 in WHATWG; 866 is the closest OEM page and never throws
  708: 'iso-8859-6',
  720: 'iso-8859-6',
  866: 'ibm866',
  874: 'windows-874',
  932: 'shift_jis',
  936: 'gbk',
  949: 'euc-kr',
  950: 'big5',
  1200: 'utf-16le',
  1201: 'utf-16be',
  1250: 'windows-1250',
  1251: 'windows-1251',
  1252: 'windows-1252',
  1253: 'windows-1253',
  1254: 'windows-1254',
  1255: 'windows-1255',
  1256: 'windows-1256',
  1257: 'windows-1257',
  1258: 'windows-1258',
  10000: 'macintosh',
  10007: 'x-mac-cyrillic',
  20127: 'us-ascii',
  20866: 'koi8-r',
  21866: 'koi8-u',
  20932: 'euc-jp',
  28591: 'iso-8859-1',
  28592: 'iso-8859-2',
  28593: 'iso-8859-3',
  28594: 'iso-8859-4',
  28595: 'iso-8859-5',
  28596: 'iso-8859-6',
  28597: 'iso-8859-7',
  28598: 'iso-8859-8',
  28599: 'iso-8859-9',
  28603: 'iso-8859-13',
  28605: 'iso-8859-15',
  38598: 'iso-8859-8-i',
  50220: 'iso-2022-jp',
  50221: 'iso-2022-jp',
  50222: 'iso-2022-jp',
  51932: 'euc-jp',
  51936: 'gbk',
  51949: 'euc-kr',
  52936: 'gbk', // hz-gb-2312 is not decodable by WHATWG; GBK keeps the ASCII readable
  54936: 'gb18030',
  65001: 'utf-8',
};

const FALLBACK_LABEL = 'windows-1252';

const decoders = new Map<string, TextDecoder>();

function decoderFor(label: string): TextDecoder {
  let decoder = decoders.get(label);
  if (!decoder) {
    try {
      decoder = new TextDecoder(label);
    } catch {
      // Node built without full ICU lacks some legacy encodings: degrade, do not fail.
      decoder = new TextDecoder(FALLBACK_LABEL);
    }
    decoders.set(label, decoder);
  }
  return decoder;
}

/** WHATWG label for a Windows codepage number (windows-1252 when unknown or absent). */
export function codepageLabel(codepage: number | undefined): string {
  if (codepage === undefined) return FALLBACK_LABEL;
  return CODEPAGE_LABELS[codepage] ?? FALLBACK_LABEL;
}

/** Decodes bytes in a Windows codepage; never throws (invalid sequences become U+FFFD). */
export function decodeCodepage(bytes: Uint8Array, codepage: number | undefined): string {
  return decoderFor(codepageLabel(codepage)).decode(bytes);
}

/** Decodes bytes by a charset/encoding name such as 'cp1252', 'windows-1251' or 'utf-8'. */
export function decodeCharset(bytes: Uint8Array, charset: string): string {
  const cp = /^(?:cp|windows-?|ansi_?)?(\d+)$/i.exec(charset.trim());
  if (cp) return decodeCodepage(bytes, Number(cp[1]));
  return decoderFor(charset.trim().toLowerCase() || FALLBACK_LABEL).decode(bytes);
}
