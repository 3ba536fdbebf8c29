// Decides what a file (or stdin) holds from its first bytes, not its name: people save mail as
// .txt, mboxes have no extension (Thunderbird "Inbox"), Maildir names end in ":2,S".
//   OLE magic              → compound file (an Outlook .msg, or another Office file: msg.ts tells)
//   "From " first line     → mbox
//   "<digits>\n" + headers → Apple Mail .emlx
//   header fields          → RFC 5322 message
//   known binary magic/NUL → not mail (named in plain words: "a PNG image")
//   other text             → unknown text (the caller decides by extension and how it was named)

import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { isCompoundFile } from './cfb-guard.js';

/** Bytes looked at to decide. Headers of real mail can run long (DKIM, ARC, Received), but the
 *  first header field and a known mail header show up well inside this. */
export const SNIFF_BYTES = 16 * 1024;

export type Sniffed =
  | { format: 'empty' }
  | { format: 'cfb' }
  | { format: 'mbox' }
  | { format: 'emlx' }
  | { format: 'eml' }
  | { format: 'not-mail'; what: string }
  | { format: 'text' };

/** Extensions under which a file is meant to be mail: unreadable content there is an error, not
 *  something to skip. */
const MAIL_EXTENSIONS = new Set(['.eml', '.emlx', '.msg', '.mbox', '.mbx', '.mbs', '.mail', '.rfc822']);

export function hasMailExtension(file: string): boolean {
  return MAIL_EXTENSIONS.has(path.extname(file).toLowerCase());
}

/** Header names that show a block of fields is an email and not, say, "Note: buy milk". */
const MAIL_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'subject',
  'date',
  'received',
  'return-path',
  'message-id',
  'mime-version',
  'content-type',
  'delivered-to',
  'reply-to',
  'sender',
  'in-reply-to',
  'references',
  'dkim-signature',
  'authentication-results',
  'arc-seal',
  'x-mailer',
  'envelope-to',
  'thread-topic',
  'x-original-to',
  'x-received',
  'x-mozilla-status',
]);

const HEADER_LINE = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:/;
const MAX_HEADER_LINES_LOOKED_AT = 200;

function textOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Leading UTF-8 BOM and blank lines that editors and exporters add. */
function trimLead(text: string): string {
  return text.replace(/^\uFEFF|^\xEF\xBB\xBF/, '').replace(/^[\r\n]+/, '');
}

/** True when the text starts with an RFC 5322 header block containing a known mail header. */
export function looksLikeHeaders(text: string): boolean {
  const lines = trimLead(text).split(/\r?\n/, MAX_HEADER_LINES_LOOKED_AT);
  // Outlook's "save as" of internet headers writes this line first.
  if (/^Microsoft Mail Internet Headers Version/i.test(lines[0] ?? '')) return true;
  if (!HEADER_LINE.test(lines[0] ?? '')) return false;
  for (const line of lines) {
    if (line === '' || line === '\r') break;
    const field = HEADER_LINE.exec(line);
    if (field && (MAIL_HEADERS.has(field[1].toLowerCase()) || /^(x-|arc-|list-)/i.test(field[1])))
      return true;
  }
  return false;
}

export async function sniff(head: Uint8Array): Promise<Sniffed> {
  if (head.length === 0) return { format: 'empty' };
  if (isCompoundFile(head)) return { format: 'cfb' };
  const text = textOf(head.subarray(0, SNIFF_BYTES));
  const lead = trimLead(text);
  if (lead.length === 0) return { format: 'empty' };
  if (lead.startsWith('From ')) return { format: 'mbox' };
  const emlx = /^(\d{1,12})[ \t]*\r?\n/.exec(lead);
  if (emlx && looksLikeHeaders(lead.slice(emlx[0].length))) return { format: 'emlx' };
  if (looksLikeHeaders(lead)) return { format: 'eml' };
  let type: { ext: string; mime: string } | undefined;
  try {
    type = await fileTypeFromBuffer(head);
  } catch {
    type = undefined;
  }
  if (type) return { format: 'not-mail', what: describeType(type) };
  if (text.includes('\0')) return { format: 'not-mail', what: 'a binary file' };
  return { format: 'text' };
}

function describeType(type: { ext: string; mime: string }): string {
  if (type.mime.startsWith('image/')) return `an image (${type.ext.toUpperCase()})`;
  if (type.mime.startsWith('audio/') || type.mime.startsWith('video/')) return `a media file (${type.ext})`;
  if (type.ext === 'pdf') return 'a PDF document';
  if (['zip', 'gz', '7z', 'rar', 'tar', 'bz2', 'xz', 'zst'].includes(type.ext))
    return `an archive (${type.ext})`;
  return `a ${type.ext} file (${type.mime})`;
}

/** Apple Mail .emlx: "<byte count>\n", the message, then an XML property list. */
export function emlxMessage(bytes: Uint8Array): Uint8Array {
  const text = textOf(bytes.subarray(0, 64));
  const match = /^(?:\xEF\xBB\xBF)?[\r\n]*(\d{1,12})[ \t]*\r?\n/.exec(text);
  if (!match) return bytes;
  const start = match[0].length;
  const length = Number(match[1]);
  return bytes.subarray(start, Math.min(bytes.length, start + length));
}
