// Test helper: writes Outlook .msg files (MS-OXMSG) with the `cfb` library, since no sample .msg
// may be downloaded. Layout per MS-OXMSG §2: `__properties_version1.0` (fixed-size properties and
// the size of variable ones), one `__substg1.0_TTTTYYYY` stream per variable-size property,
// `__recip_version1.0_#N` / `__attach_version1.0_#N` storages, and an embedded message as the
// `__substg1.0_3701000D` storage of its attachment.

import CFB from 'cfb';

export type PropValue =
  | { type: 'unicode'; value: string }
  | { type: 'string8'; value: Uint8Array }
  | { type: 'binary'; value: Uint8Array }
  | { type: 'long'; value: number }
  | { type: 'time'; value: Date };

export type Props = Record<number, PropValue>;

export interface MsgSpec {
  props: Props;
  recipients?: Props[];
  attachments?: AttachmentSpec[];
}

export interface AttachmentSpec {
  props: Props;
  data?: Uint8Array;
  embedded?: MsgSpec;
  /** Streams of an embedded OLE object (attach method 6), e.g. { WordDocument: bytes }. */
  oleObject?: Record<string, Uint8Array>;
}

const TYPE_CODE = { unicode: 0x001f, string8: 0x001e, binary: 0x0102, long: 0x0003, time: 0x0040 } as const;

export const u = (value: string): PropValue => ({ type: 'unicode', value });
export const s8 = (value: Uint8Array): PropValue => ({ type: 'string8', value });
export const bin = (value: Uint8Array): PropValue => ({ type: 'binary', value });
export const long = (value: number): PropValue => ({ type: 'long', value });
export const time = (value: Date): PropValue => ({ type: 'time', value });

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

function variableBytes(p: PropValue): Buffer | undefined {
  if (p.type === 'unicode') return Buffer.from(`${p.value}\0`, 'utf16le');
  if (p.type === 'string8') return Buffer.concat([Buffer.from(p.value), Buffer.from([0])]);
  if (p.type === 'binary') return Buffer.from(p.value);
  return undefined;
}

function writeProps(
  cfb: CFB.CFB$Container,
  dir: string,
  props: Props,
  headerSize: number,
  header: Buffer = Buffer.alloc(headerSize),
): void {
  const entries: Buffer[] = [header];
  for (const [idText, p] of Object.entries(props)) {
    const id = Number(idText);
    const tag = (id << 16) | TYPE_CODE[p.type];
    const entry = Buffer.alloc(16);
    entry.writeUInt32LE(tag >>> 0, 0);
    entry.writeUInt32LE(6, 4); // readable | writable
    const data = variableBytes(p);
    if (data) {
      entry.writeUInt32LE(data.length, 8);
      CFB.utils.cfb_add(cfb, `${dir}__substg1.0_${hex4(id)}${hex4(TYPE_CODE[p.type])}`, data);
    } else if (p.type === 'long') {
      entry.writeInt32LE(p.value as number, 8);
    } else if (p.type === 'time') {
      const filetime = BigInt((p.value as Date).getTime()) * 10000n + 116444736000000000n;
      entry.writeBigUInt64LE(filetime, 8);
    }
    entries.push(entry);
  }
  CFB.utils.cfb_add(cfb, `${dir}__properties_version1.0`, Buffer.concat(entries));
}

function writeMessage(cfb: CFB.CFB$Container, dir: string, spec: MsgSpec, topLevel: boolean): void {
  const recipients = spec.recipients ?? [];
  const attachments = spec.attachments ?? [];
  const header = Buffer.alloc(topLevel ? 32 : 24);
  header.writeUInt32LE(recipients.length, 8);
  header.writeUInt32LE(attachments.length, 12);
  header.writeUInt32LE(recipients.length, 16);
  header.writeUInt32LE(attachments.length, 20);
  writeProps(cfb, dir, spec.props, header.length, header);
  recipients.forEach((r, i) => {
    writeProps(cfb, `${dir}__recip_version1.0_#${i.toString(16).toUpperCase().padStart(8, '0')}/`, r, 8);
  });
  attachments.forEach((a, i) => {
    const attDir = `${dir}__attach_version1.0_#${i.toString(16).toUpperCase().padStart(8, '0')}/`;
    const props: Props = { ...a.props, 14085: long(a.embedded ? 5 : 1) };
    if (a.data) props[0x3701] = bin(a.data);
    writeProps(cfb, attDir, props, 8);
    if (a.embedded) writeMessage(cfb, `${attDir}__substg1.0_3701000D/`, a.embedded, false);
    for (const [name, data] of Object.entries(a.oleObject ?? {})) {
      CFB.utils.cfb_add(cfb, `${attDir}__substg1.0_3701000D/${name}`, Buffer.from(data));
    }
  });
}

/** Builds a .msg file from a property description. */
export function buildMsg(spec: MsgSpec): Uint8Array {
  const cfb = CFB.utils.cfb_new();
  writeMessage(cfb, '/', spec, true);
  CFB.utils.cfb_del(cfb, '/\u0001Sh33tJ5');
  return new Uint8Array(CFB.write(cfb, { type: 'buffer' }) as Buffer);
}

/** MS-OXRTFCP "uncompressed" (MELA) wrapper: a valid PidTagRtfCompressed value for any RTF. */
export function melaRtf(rtf: string): Uint8Array {
  const body = Buffer.from(rtf, 'latin1');
  const header = Buffer.alloc(16);
  header.writeUInt32LE(body.length + 12, 0);
  header.writeUInt32LE(body.length, 4);
  header.writeUInt32LE(0x414c454d, 8);
  return Buffer.concat([header, body]);
}

/** RTF that encapsulates HTML the way Outlook does (\fromhtml1 with \*\htmltag groups). */
export function encapsulatedHtmlRtf(html: string): string {
  const escaped = html.replace(/[\\{}]/g, (c) => `\\${c}`);
  return `{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl{\\f0\\fswiss Arial;}}{\\*\\htmltag64 ${escaped}}}`;
}
