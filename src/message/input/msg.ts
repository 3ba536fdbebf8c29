// Outlook .msg (MS-OXMSG, an OLE compound file of MAPI properties) → synthetic RFC 5322 message.
//
// Why convert instead of modelling .msg separately: every later stage (MIME parser, link and
// attachment extraction, engines) then handles one format. The conversion keeps what analysis
// needs and says in `notes` what it had to make up:
// - headers: PidTagTransportMessageHeaders (the headers as received, incl. Received and
//   Authentication-Results) when present, minus its MIME headers; otherwise From/To/Cc/Subject/
//   Date/Message-ID built from properties (a note says so: authentication cannot be judged then);
// - bodies: PidTagBody as text/plain; HTML from PidTagHtml or, usually, de-encapsulated from the
//   compressed RTF body (see rtf-html.ts);
// - attachments as base64 parts with their name and MIME type; embedded messages (attach method 5)
//   converted recursively into message/rfc822 parts, so forwarded-as-attachment mail is analysed.
// Strings: PT_UNICODE as UTF-16LE; PT_STRING8 (ANSI .msg from old Outlook) in the message's
// codepage (PidTagMessageCodepage, else PidTagInternetCodepage, else the parent's, else 1252).
// The file passes cfb-guard.ts first because msgreader itself loops forever on cyclic files.

import { TextDecoder } from 'node:util';
import MsgReaderModule, { type FieldsData } from '@kenjiuno/msgreader';
import { checkCompoundFile, rootEntryNames } from './cfb-guard.js';
import { decodeCharset, decodeCodepage } from './codepage.js';
import {
  base64Body,
  cleanHeaderValue,
  encodeHeaderText,
  formatMailbox,
  type MimeLeaf,
  type MimeNode,
  mimeParam,
  serialiseMime,
  textLeaf,
} from './mime-writer.js';
import { rtfToBody } from './rtf-html.js';

/** Embedded messages nest one .msg inside another; a crafted chain of them would multiply work
 *  and output. Outlook users rarely forward deeper than a few levels. */
export const MAX_EMBEDDED_MSG_DEPTH = 10;

/** Attachments per message kept in the conversion; more is a resource attack, not real mail. */
export const MAX_MSG_ATTACHMENTS = 500;

// The package is CommonJS with `exports.default`; under Node ESM the default import is the whole
// exports object, under bundlers/tsx it may already be the class.
type MsgReaderClass = typeof MsgReaderModule.default;
const MsgReader: MsgReaderClass =
  (MsgReaderModule as unknown as { default?: MsgReaderClass }).default ??
  (MsgReaderModule as unknown as MsgReaderClass);

export class NotOutlookMessageError extends Error {}

export interface MsgConversion {
  raw: Uint8Array;
  notes: string[];
}

// Property ids (MS-OXPROPS).
const PID = {
  subject: 0x0037,
  sentRepresentingName: 0x0042,
  sentRepresentingEmail: 0x0065,
  transportHeaders: 0x007d,
  senderName: 0x0c1a,
  senderAddrType: 0x0c1e,
  senderEmail: 0x0c1f,
  displayTo: 0x0e04,
  body: 0x1000,
  rtfCompressed: 0x1009,
  html: 0x1013,
  internetMessageId: 0x1035,
  references: 0x1039,
  inReplyTo: 0x1042,
  displayName: 0x3001,
  addrType: 0x3002,
  emailAddress: 0x3003,
  attachExtension: 0x3703,
  attachFilename: 0x3704,
  attachLongFilename: 0x3707,
  attachMimeTag: 0x370e,
  attachContentId: 0x3712,
  smtpAddress: 0x39fe,
  internetCodepage: 0x3fde,
  messageCodepage: 0x3ffd,
  senderSmtp: 0x5d01,
  sentRepresentingSmtp: 0x5d02,
  clientSubmitTime: 0x0039,
  deliveryTime: 0x0e06,
  creationTime: 0x3007,
  recipientType: 0x0c15,
} as const;

const PT_STRING8 = '001e';
const PT_UNICODE = '001f';
const PT_BINARY = '0102';

type RawProp = NonNullable<FieldsData['rawProps']>[number];

/** A message, recipient or attachment's properties by lower-case 8-hex-digit tag. */
class PropertyBag {
  private readonly byTag = new Map<string, unknown>();
  constructor(
    fields: FieldsData,
    readonly codepage: number | undefined,
  ) {
    for (const prop of (fields.rawProps ?? []) as RawProp[]) {
      if (prop.propertyTag) this.byTag.set(prop.propertyTag.toLowerCase(), prop.value);
    }
  }
  value(id: number, type: string): unknown {
    return this.get(id, type);
  }
  private get(id: number, type: string): unknown {
    return this.byTag.get(id.toString(16).padStart(4, '0') + type);
  }
  string(id: number): string | undefined {
    const unicode = this.get(id, PT_UNICODE);
    if (typeof unicode === 'string') return unicode;
    const ansi = this.get(id, PT_STRING8);
    // msgreader decodes PT_STRING8 byte-for-byte into U+0000..U+00FF when given no encoding,
    // so latin1 gives the original bytes back to decode in the message's codepage.
    if (typeof ansi === 'string') return decodeCodepage(Buffer.from(ansi, 'latin1'), this.codepage);
    return undefined;
  }
  binary(id: number): Uint8Array | undefined {
    const value = this.get(id, PT_BINARY);
    return value instanceof Uint8Array ? value : undefined;
  }
  integer(id: number): number | undefined {
    const value = this.get(id, '0003');
    return typeof value === 'number' ? value : undefined;
  }
  time(id: number): string | undefined {
    const value = this.get(id, '0040');
    if (typeof value !== 'string') return undefined;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date.toUTCString().replace('GMT', '+0000');
  }
}

function codepageOf(fields: FieldsData, inherited: number | undefined): number | undefined {
  // Read before building the bag: the codepage decides how the bag's ANSI strings decode.
  for (const prop of (fields.rawProps ?? []) as RawProp[]) {
    const tag = prop.propertyTag?.toLowerCase();
    if (tag === '3ffd0003' && typeof prop.value === 'number' && prop.value > 0) return prop.value;
  }
  for (const prop of (fields.rawProps ?? []) as RawProp[]) {
    const tag = prop.propertyTag?.toLowerCase();
    if (tag === '3fde0003' && typeof prop.value === 'number' && prop.value > 0) return prop.value;
  }
  return inherited;
}

/** MIME headers of the original transport headers describe a body we do not reproduce. */
const DROPPED_TRANSPORT_HEADERS = /^(content-[a-z-]*|mime-version)$/i;
const HEADER_FIELD = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:/;

/** Transport headers as stored: unfold-safe, CRLF, stopping at the first blank line (anything
 *  after it is not a header and would otherwise become our body). Non-header lines are dropped. */
function transportHeaderLines(text: string): string[] {
  const out: string[] = [];
  let keep = false;
  for (const line of text.replace(/\0/g, '').split(/\r?\n|\r/)) {
    if (line.trim() === '') {
      if (out.length > 0) break;
      continue;
    }
    if (/^[ \t]/.test(line)) {
      if (keep && out.length > 0) out.push(line);
      continue;
    }
    const field = HEADER_FIELD.exec(line);
    keep = field !== null && !DROPPED_TRANSPORT_HEADERS.test(field[1]);
    if (keep) out.push(line);
  }
  return out;
}

function smtpOf(...candidates: (string | undefined)[]): string | undefined {
  return candidates.find((c) => c && /@/.test(c) && !/^\/o=/i.test(c));
}

interface Converter {
  reader: InstanceType<MsgReaderClass>;
  notes: string[];
}

function recipientLines(fields: FieldsData, codepage: number | undefined): string[] {
  const byType: Record<string, string[]> = { to: [], cc: [] };
  for (const recip of fields.recipients ?? []) {
    const bag = new PropertyBag(recip, codepage);
    // msgreader turns PidTagRecipientType into 'to' | 'cc' | 'bcc'; older versions left the number.
    const type = bag.value(PID.recipientType, '0003');
    const kind = type === 2 || type === 'cc' ? 'cc' : type === 3 || type === 'bcc' ? undefined : 'to';
    if (!kind) continue; // Bcc is not shown to recipients
    const name = bag.string(PID.displayName);
    const bareAddress = name && /^[^\s@<>]+@[^\s@<>]+$/.test(name.trim()) ? name.trim() : undefined;
    const address = smtpOf(bag.string(PID.smtpAddress), bag.string(PID.emailAddress), bareAddress);
    const mailbox = formatMailbox(name, address);
    if (mailbox) byType[kind].push(mailbox);
  }
  const lines: string[] = [];
  if (byType.to.length) lines.push(`To: ${byType.to.join(`,\r\n `)}`);
  if (byType.cc.length) lines.push(`Cc: ${byType.cc.join(`,\r\n `)}`);
  return lines;
}

function builtHeaderLines(fields: FieldsData, bag: PropertyBag): string[] {
  const lines: string[] = [];
  const senderAddress = smtpOf(
    bag.string(PID.senderSmtp),
    bag.string(PID.senderEmail),
    bag.string(PID.sentRepresentingSmtp),
    bag.string(PID.sentRepresentingEmail),
  );
  const from =
    formatMailbox(
      bag.string(PID.sentRepresentingName),
      smtpOf(bag.string(PID.sentRepresentingSmtp), bag.string(PID.sentRepresentingEmail)),
    ) ?? formatMailbox(bag.string(PID.senderName), senderAddress);
  if (from) lines.push(`From: ${from}`);
  const sender = formatMailbox(bag.string(PID.senderName), senderAddress);
  if (sender && from && sender !== from) lines.push(`Sender: ${sender}`);
  lines.push(...recipientLines(fields, bag.codepage));
  const subject = bag.string(PID.subject);
  if (subject !== undefined) lines.push(`Subject: ${encodeHeaderText(subject)}`);
  const date = bag.time(PID.clientSubmitTime) ?? bag.time(PID.deliveryTime) ?? bag.time(PID.creationTime);
  if (date) lines.push(`Date: ${date}`);
  const messageId = bag.string(PID.internetMessageId);
  if (messageId) lines.push(`Message-ID: ${cleanHeaderValue(messageId)}`);
  const inReplyTo = bag.string(PID.inReplyTo);
  if (inReplyTo) lines.push(`In-Reply-To: ${cleanHeaderValue(inReplyTo)}`);
  const references = bag.string(PID.references);
  if (references) lines.push(`References: ${cleanHeaderValue(references)}`);
  return lines;
}

/** PidTagHtml as binary is in the Internet codepage (the charset of the original MIME part); without
 *  one, UTF-8 when the bytes are valid UTF-8, else the message codepage. */
function decodeHtmlBytes(bytes: Uint8Array, bag: PropertyBag): string {
  const cpid = bag.integer(PID.internetCodepage);
  if (cpid) return decodeCharset(bytes, String(cpid));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return decodeCodepage(bytes, bag.codepage);
  }
}

function bodyParts(bag: PropertyBag, conv: Converter, label: string): MimeNode[] {
  const text = bag.string(PID.body);
  let html = bag.string(PID.html);
  const htmlBytes = bag.binary(PID.html);
  if (html === undefined && htmlBytes) html = decodeHtmlBytes(htmlBytes, bag);
  let plain = text;
  const rtf = bag.binary(PID.rtfCompressed);
  if (html === undefined && rtf) {
    const body = rtfToBody(rtf);
    if (body.kind === 'html') html = body.content;
    else if (body.kind === 'text' && plain === undefined) plain = body.content;
    else if (body.kind === 'none' && body.problem)
      conv.notes.push(`${label}: RTF body not read (${body.problem})`);
  }
  const parts: MimeNode[] = [];
  if (plain !== undefined) parts.push(textLeaf('plain', plain));
  if (html !== undefined) parts.push(textLeaf('html', html));
  return parts;
}

function attachmentPart(
  att: FieldsData,
  conv: Converter,
  codepage: number | undefined,
  depth: number,
): MimeNode | undefined {
  const bag = new PropertyBag(att, codepage);
  if (att.innerMsgContent) {
    // msgreader reads an embedded message's property stream at the wrong offset (8 instead of the
    // 24 bytes MS-OXMSG gives it), losing its fixed-size properties such as the codepage; its
    // getAttachment() re-writes the embedded storage as a standalone .msg, which reads correctly.
    let inner: string | undefined;
    let storage: Uint8Array | undefined;
    try {
      storage = conv.reader.getAttachment(att).content;
      inner = convertMessage(storage, conv.notes, codepage, depth + 1, 'embedded message');
    } catch (err) {
      if (err instanceof NotOutlookMessageError && storage) {
        // An embedded OLE object (attach method 6: a Word or Excel document pasted into an RTF
        // mail) shares the storage layout; keep its bytes as a file so macros in it are scanned.
        return fileLeaf(bag, storage, 'embedded-object.bin', 'application/x-ole-storage');
      }
      conv.notes.push(`an embedded message could not be read: ${(err as Error).message}`);
      return undefined;
    }
    if (inner === undefined) return undefined;
    const name = bag.string(PID.displayName);
    return {
      headers: [
        'Content-Type: message/rfc822',
        `Content-Disposition: attachment${name ? `; ${mimeParam('filename', `${name}.eml`)}` : ''}`,
      ],
      body: inner,
    };
  }
  if (typeof att.dataId !== 'number') return undefined; // a reference to a file elsewhere: no bytes
  return fileLeaf(bag, conv.reader.getAttachment(att).content, 'attachment', undefined);
}

function fileLeaf(
  bag: PropertyBag,
  content: Uint8Array,
  defaultName: string,
  defaultType: string | undefined,
): MimeLeaf {
  const filename =
    bag.string(PID.attachLongFilename) ??
    bag.string(PID.attachFilename) ??
    bag.string(PID.displayName) ??
    defaultName;
  const mimeType = cleanHeaderValue(bag.string(PID.attachMimeTag) ?? '').toLowerCase();
  const type = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(mimeType)
    ? mimeType
    : (defaultType ?? 'application/octet-stream');
  const headers = [
    `Content-Type: ${type}; ${mimeParam('name', filename)}`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; ${mimeParam('filename', filename)}`,
  ];
  const cid = bag.string(PID.attachContentId);
  if (cid) headers.push(`Content-ID: <${cleanHeaderValue(cid).replace(/[<>]/g, '')}>`);
  return { headers, body: base64Body(content) };
}

function convertMessage(
  bytes: Uint8Array,
  notes: string[],
  inheritedCodepage: number | undefined,
  depth: number,
  label: string,
): string | undefined {
  if (depth > MAX_EMBEDDED_MSG_DEPTH) {
    notes.push(`embedded messages nested deeper than ${MAX_EMBEDDED_MSG_DEPTH} levels were left out`);
    return undefined;
  }
  const problem = checkCompoundFile(bytes);
  if (problem) throw new Error(`damaged Outlook .msg file: ${problem}`);
  if (!rootEntryNames(bytes).some((n) => n.startsWith('__substg1.0_') || n === '__properties_version1.0')) {
    throw new NotOutlookMessageError(
      'an OLE compound file but not an Outlook message (perhaps a Word, Excel or other Office 97-2003 file)',
    );
  }
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const reader = new MsgReader(copy);
  reader.parserConfig = { includeRawProps: true };
  let fields: FieldsData;
  try {
    fields = reader.getFileData();
  } catch (err) {
    throw new Error(`damaged Outlook .msg file: ${(err as Error).message}`);
  }
  if (fields.error) throw new Error(`damaged Outlook .msg file: ${fields.error}`);
  const conv: Converter = { reader, notes };
  const codepage = codepageOf(fields, inheritedCodepage);
  const bag = new PropertyBag(fields, codepage);

  const transport = bag.string(PID.transportHeaders);
  let headerLines = transport ? transportHeaderLines(transport) : [];
  if (headerLines.length === 0) {
    headerLines = builtHeaderLines(fields, bag);
    notes.push(`${label}: no transport headers in the .msg; headers rebuilt from its properties`);
  }
  headerLines.push('MIME-Version: 1.0');

  const children: MimeNode[] = [];
  const bodies = bodyParts(bag, conv, label);
  if (bodies.length === 1) children.push(bodies[0]);
  else if (bodies.length > 1) children.push({ multipart: 'alternative', parts: bodies });

  const attachments = fields.attachments ?? [];
  if (attachments.length > MAX_MSG_ATTACHMENTS) {
    conv.notes.push(
      `${label}: only the first ${MAX_MSG_ATTACHMENTS} of ${attachments.length} attachments kept`,
    );
  }
  for (const att of attachments.slice(0, MAX_MSG_ATTACHMENTS)) {
    const part = attachmentPart(att, conv, codepage, depth);
    if (part) children.push(part);
  }

  if (children.length === 0) children.push(textLeaf('plain', ''));
  const root: MimeNode = children.length === 1 ? children[0] : { multipart: 'mixed', parts: children };
  return serialiseMime(root, headerLines);
}

/** True when a compound file holds Outlook message properties (not a Word/Excel/other OLE file). */
export function looksLikeOutlookMessage(bytes: Uint8Array): boolean {
  if (checkCompoundFile(bytes) !== undefined) return false;
  return rootEntryNames(bytes).some((n) => n.startsWith('__substg1.0_') || n === '__properties_version1.0');
}

/**
 * Converts an Outlook .msg file to RFC 5322 bytes. Throws NotOutlookMessageError for other OLE
 * files and Error (with a plain-words message) for damaged ones; never hangs (see cfb-guard.ts).
 */
export function convertMsg(bytes: Uint8Array): MsgConversion {
  const notes: string[] = [];
  let text: string | undefined;
  try {
    text = convertMessage(bytes, notes, undefined, 0, 'message');
  } catch (err) {
    if (err instanceof NotOutlookMessageError || /^damaged Outlook/.test((err as Error).message)) throw err;
    throw new Error(`damaged Outlook .msg file: ${(err as Error).message}`);
  }
  return { raw: Buffer.from(text ?? '', 'utf8'), notes };
}
