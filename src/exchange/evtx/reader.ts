// Streaming reader of Windows XML Event Log (.evtx) files, from the published format: a 4 KiB file
// header ("ElfFile\0", CRC-32 over its first 120 bytes), then 64 KiB chunks ("ElfChnk\0", a header
// CRC over bytes 0-120 and 128-512, a CRC over the record data), each holding event records
// ("**\0\0", size, record id, written time, BinXml, size again). One chunk is in memory at a time.
// Corrupt chunks and records are reported through `onProblem` and skipped; nothing in a file can make
// the reader throw except an I/O error or an abort.

import { open } from 'node:fs/promises';
import { BinXmlParser, child, textOf, type XmlElement, type XmlNode } from './binxml.js';
import { crc32 } from './crc32.js';
import { filetimeToIso } from './values.js';

export const FILE_HEADER_BYTES = 4096;
export const CHUNK_BYTES = 65536;
const CHUNK_HEADER_BYTES = 512;
const RECORD_HEADER_BYTES = 24;
const RECORD_SIGNATURE = 0x00002a2a;
const FILE_SIGNATURE = Buffer.from('ElfFile\0', 'latin1');
const CHUNK_SIGNATURE = Buffer.from('ElfChnk\0', 'latin1');

export interface EvtxRecord {
  recordId: number;
  /** Time the record was written (from the record header). */
  written: string;
  /** Chunk index in the file (0-based). */
  chunk: number;
  /** Root nodes of the decoded BinXml (normally one <Event>). */
  xml: XmlNode[];
}

export interface EvtxEventData {
  name?: string;
  value: string;
}

/** The fields of <Event><System> and the data items that rules look at. */
export interface EvtxEvent {
  recordId: number;
  provider?: string;
  eventId?: number;
  level?: number;
  timeCreated?: string;
  channel?: string;
  computer?: string;
  data: EvtxEventData[];
}

export interface EvtxReadOptions {
  onProblem?: (problem: string) => void;
  /** Called with bytes read so far. */
  onBytes?: (bytes: number) => void;
  signal?: AbortSignal;
  /** Verify CRC-32 checksums (default true); a mismatch skips the chunk. */
  verifyChecksums?: boolean;
}

export interface EvtxFileHeader {
  firstChunk: number;
  lastChunk: number;
  nextRecordId: number;
  chunkCount: number;
  majorVersion: number;
  minorVersion: number;
  flags: number;
  checksumOk: boolean;
}

export function parseFileHeader(b: Buffer): EvtxFileHeader | undefined {
  if (b.length < 128 || !b.subarray(0, 8).equals(FILE_SIGNATURE)) return undefined;
  return {
    firstChunk: Number(b.readBigUInt64LE(8)),
    lastChunk: Number(b.readBigUInt64LE(16)),
    nextRecordId: Number(b.readBigUInt64LE(24)),
    minorVersion: b.readUInt16LE(36),
    majorVersion: b.readUInt16LE(38),
    chunkCount: b.readUInt16LE(42),
    flags: b.readUInt32LE(120),
    checksumOk: crc32(b.subarray(0, 120)) === b.readUInt32LE(124),
  };
}

/** Reads every event record of an .evtx file in file order. */
export async function* readEvtxRecords(path: string, opts: EvtxReadOptions = {}): AsyncGenerator<EvtxRecord> {
  const problem = opts.onProblem ?? (() => {});
  const verify = opts.verifyChecksums !== false;
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(FILE_HEADER_BYTES);
    const { bytesRead } = await fh.read(head, 0, FILE_HEADER_BYTES, 0);
    const header = parseFileHeader(head.subarray(0, bytesRead));
    if (!header) {
      problem('not an EVTX file (no ElfFile signature)');
      return;
    }
    if (verify && !header.checksumOk)
      problem('file header checksum mismatch (header ignored; chunks read anyway)');
    const chunk = Buffer.alloc(CHUNK_BYTES);
    let bytes = bytesRead;
    // Walk every chunk present in the file rather than trusting the header's count: a file copied
    // while in use ("dirty") often has more chunks than the header says.
    for (let index = 0; ; index++) {
      opts.signal?.throwIfAborted();
      const { bytesRead: n } = await fh.read(chunk, 0, CHUNK_BYTES, FILE_HEADER_BYTES + index * CHUNK_BYTES);
      bytes += n;
      opts.onBytes?.(bytes);
      if (n === 0) break;
      if (n < CHUNK_BYTES) {
        problem(`chunk ${index}: truncated (${n} of ${CHUNK_BYTES} bytes); skipped`);
        break;
      }
      if (!chunk.subarray(0, 8).equals(CHUNK_SIGNATURE)) {
        if (chunk.some((x) => x !== 0)) problem(`chunk ${index}: no ElfChnk signature; skipped`);
        continue; // all-zero chunks are unused space
      }
      yield* readChunk(chunk, index, verify, problem);
    }
  } finally {
    await fh.close();
  }
}

function* readChunk(
  chunk: Buffer,
  index: number,
  verify: boolean,
  problem: (p: string) => void,
): Generator<EvtxRecord> {
  const freeSpace = chunk.readUInt32LE(48);
  if (verify) {
    const headerCrc = crc32(chunk.subarray(0, 120), chunk.subarray(128, CHUNK_HEADER_BYTES));
    if (headerCrc !== chunk.readUInt32LE(124)) {
      problem(`chunk ${index}: header checksum mismatch; skipped`);
      return;
    }
    if (freeSpace < CHUNK_HEADER_BYTES || freeSpace > CHUNK_BYTES) {
      problem(`chunk ${index}: free-space offset ${freeSpace} out of range; skipped`);
      return;
    }
    if (crc32(chunk.subarray(CHUNK_HEADER_BYTES, freeSpace)) !== chunk.readUInt32LE(52)) {
      problem(`chunk ${index}: record data checksum mismatch; skipped`);
      return;
    }
  }
  const end = Math.min(Math.max(freeSpace, CHUNK_HEADER_BYTES), CHUNK_BYTES);
  const parser = new BinXmlParser(chunk);
  let pos = CHUNK_HEADER_BYTES;
  while (pos + RECORD_HEADER_BYTES + 4 <= end) {
    if (chunk.readUInt32LE(pos) !== RECORD_SIGNATURE) {
      // Slack after the last record is normal only when it is zeros.
      if (chunk.subarray(pos, end).some((x) => x !== 0))
        problem(`chunk ${index}: no record signature at offset ${pos}; rest of chunk skipped`);
      return;
    }
    const size = chunk.readUInt32LE(pos + 4);
    if (
      size < RECORD_HEADER_BYTES + 4 ||
      pos + size > CHUNK_BYTES ||
      chunk.readUInt32LE(pos + size - 4) !== size
    ) {
      problem(`chunk ${index}: record at offset ${pos} has an invalid size (${size}); rest of chunk skipped`);
      return;
    }
    const recordId = Number(chunk.readBigUInt64LE(pos + 8));
    const written = filetimeToIso(chunk.readUInt32LE(pos + 16), chunk.readUInt32LE(pos + 20));
    try {
      const xml = parser.parseDocument(pos + RECORD_HEADER_BYTES, pos + size - 4);
      yield { recordId, written, chunk: index, xml };
    } catch (e) {
      problem(`record ${recordId}: ${(e as Error).message}; skipped`);
    }
    pos += size;
  }
}

/** Extracts the System fields and data items from a decoded record. */
export function toEvent(rec: EvtxRecord): EvtxEvent {
  const root = rec.xml.find((n): n is XmlElement => typeof n !== 'string');
  const sys = child(root, 'System');
  const num = (s: string | undefined) => {
    if (s === undefined || s.trim() === '') return undefined;
    const n = Number(s);
    return Number.isFinite(n) ? n : undefined;
  };
  const ev: EvtxEvent = {
    recordId: rec.recordId,
    provider: child(sys, 'Provider')?.attrs.Name,
    eventId: num(textOf(child(sys, 'EventID')?.children ?? [])),
    level: num(textOf(child(sys, 'Level')?.children ?? [])),
    timeCreated: child(sys, 'TimeCreated')?.attrs.SystemTime || rec.written,
    channel: textOf(child(sys, 'Channel')?.children ?? []) || undefined,
    computer: textOf(child(sys, 'Computer')?.children ?? []) || undefined,
    data: [],
  };
  for (const section of root?.children ?? []) {
    if (typeof section === 'string' || section.name === 'System') continue;
    collectData(section, ev.data, 0);
  }
  return ev;
}

/** EventData/Data (named or not), Binary, and UserData leaves, flattened. */
function collectData(el: XmlElement, out: EvtxEventData[], depth: number): void {
  if (depth > 16) return;
  const elements = el.children.filter((c): c is XmlElement => typeof c !== 'string');
  if (elements.length === 0) {
    const value = textOf(el.children);
    if (value !== '' || el.attrs.Name)
      out.push({ name: el.attrs.Name ?? (el.name === 'Data' ? undefined : el.name), value });
    return;
  }
  for (const c of elements) collectData(c, out, depth + 1);
}

/** Reads the events of a file, with their System fields and data. */
export async function* readEvtxEvents(path: string, opts: EvtxReadOptions = {}): AsyncGenerator<EvtxEvent> {
  for await (const rec of readEvtxRecords(path, opts)) yield toEvent(rec);
}
