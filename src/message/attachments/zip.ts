// Zip archives (and the zip containers of Office, OpenDocument, Java...): list every entry with its
// encrypted flag, and unpack the members asked for, within a shared byte budget.

import yauzl from 'yauzl';
import type { ArchiveEntry } from '../../types.js';
import { MAX_ARCHIVE_ENTRIES, MAX_COMPRESSION_RATIO } from './limits.js';

/** Bytes left to decompress for the whole message; shared by every archive and container. */
export interface ByteBudget {
  remaining: number;
}

export interface ZipMember {
  entry: ArchiveEntry;
  /** Position in the listing (0-based); names may repeat in a zip, positions do not. */
  index: number;
  content: Uint8Array;
}

export interface ZipListing {
  entries: ArchiveEntry[];
  /** Members read, in archive order. */
  members: ZipMember[];
  encrypted: boolean;
  /** True when more entries exist than were listed. */
  truncated: boolean;
  /** Entry names that climb out of the extraction folder ('../', absolute paths). */
  unsafePaths: string[];
  /** Members that were not unpacked and why (budget, bomb ratio, unreadable). */
  skipped: { name: string; reason: string }[];
  /** Set when the archive could not be read (fully). */
  error?: string;
}

export interface ZipReadOptions {
  budget: ByteBudget;
  /** Which listed members to unpack. Directories and encrypted members are never unpacked. */
  wants: (entry: ArchiveEntry, index: number) => boolean;
  maxEntries?: number;
}

const ZIP_MAGIC = [0x50, 0x4b];

export function looksLikeZip(buf: Uint8Array): boolean {
  return buf[0] === ZIP_MAGIC[0] && buf[1] === ZIP_MAGIC[1];
}

// yauzl types omit these two exports.
const { getFileNameLowLevel, validateFileName } = yauzl as unknown as {
  getFileNameLowLevel(flags: number, name: Buffer, extra: unknown[], strict: boolean): string;
  validateFileName(name: string): string | null;
};

/** List a zip held in memory and unpack the wanted members. Never rejects: errors land in `error`. */
export function readZip(content: Uint8Array, opts: ZipReadOptions): Promise<ZipListing> {
  const maxEntries = opts.maxEntries ?? MAX_ARCHIVE_ENTRIES;
  const listing: ZipListing = {
    entries: [],
    members: [],
    encrypted: false,
    truncated: false,
    unsafePaths: [],
    skipped: [],
  };
  const buf = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (error?: string, zip?: yauzl.ZipFile): void => {
      if (settled) return;
      settled = true;
      if (error) listing.error = error;
      try {
        zip?.close();
      } catch {
        // already closed
      }
      resolve(listing);
    };
    try {
      // decodeStrings: false so a hostile name ('../x', 'C:\\x') is reported instead of aborting the listing;
      // validateEntrySizes: false because readMember enforces sizes itself, with the byte budget.
      yauzl.fromBuffer(
        buf,
        { lazyEntries: true, decodeStrings: false, validateEntrySizes: false, autoClose: false },
        (err, zip) => {
          if (err || !zip)
            return finish(`the zip archive could not be read (${err?.message ?? 'unknown error'})`);
          zip.on('error', (e: Error) => finish(`the zip archive is damaged (${e.message})`, zip));
          zip.on('end', () => finish(undefined, zip));
          zip.on('entry', (raw: yauzl.Entry) => {
            if (listing.entries.length >= maxEntries) {
              listing.truncated = true;
              return finish(undefined, zip);
            }
            const entry = describeEntry(raw);
            const index = listing.entries.length;
            listing.entries.push(entry);
            if (entry.encrypted) listing.encrypted = true;
            const unsafe = validateFileName(entry.name);
            if (unsafe) listing.unsafePaths.push(entry.name);
            if (entry.isDirectory || entry.encrypted || !opts.wants(entry, index)) return zip.readEntry();
            const refusal = refuseToInflate(raw, opts.budget);
            if (refusal) {
              listing.skipped.push({ name: entry.name, reason: refusal });
              return zip.readEntry();
            }
            readMember(zip, raw, opts.budget).then(
              (bytes) => {
                listing.members.push({ entry, index, content: bytes });
                zip.readEntry();
              },
              (e: Error) => {
                listing.skipped.push({ name: entry.name, reason: e.message });
                zip.readEntry();
              },
            );
          });
          zip.readEntry();
        },
      );
    } catch (e) {
      finish(`the zip archive could not be read (${(e as Error).message})`);
    }
  });
}

function describeEntry(raw: yauzl.Entry): ArchiveEntry {
  const nameBytes = raw.fileName as unknown as Buffer;
  let name: string;
  try {
    name = getFileNameLowLevel(raw.generalPurposeBitFlag, nameBytes, raw.extraFields, false);
  } catch {
    name = nameBytes.toString('latin1');
  }
  return {
    name,
    size: raw.uncompressedSize,
    compressedSize: raw.compressedSize,
    encrypted: (raw.generalPurposeBitFlag & 0x1) !== 0,
    isDirectory: name.endsWith('/'),
  };
}

/** Why a member must not be inflated, from its header alone (before spending any CPU). */
function refuseToInflate(raw: yauzl.Entry, budget: ByteBudget): string | undefined {
  if (raw.uncompressedSize > budget.remaining) return 'too large for what is left of the unpacking budget';
  const ratio = raw.uncompressedSize / Math.max(raw.compressedSize, 1);
  // Small members may compress absurdly well (a page of blanks); only big ones can be bombs.
  if (ratio > MAX_COMPRESSION_RATIO && raw.uncompressedSize > 1024 * 1024)
    return `compressed ${Math.round(ratio)} to 1, like a zip bomb`;
  if (raw.compressionMethod !== 0 && raw.compressionMethod !== 8)
    return `unsupported compression method ${raw.compressionMethod}`;
  return undefined;
}

/** Inflate one member, stopping as soon as it produces more than its header declared or the budget allows. */
function readMember(zip: yauzl.ZipFile, raw: yauzl.Entry, budget: ByteBudget): Promise<Uint8Array> {
  const cap = Math.min(raw.uncompressedSize, budget.remaining);
  return new Promise((resolve, reject) => {
    zip.openReadStream(raw, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error('unreadable'));
      const chunks: Buffer[] = [];
      let total = 0;
      let done = false;
      stream.on('data', (chunk: Buffer) => {
        if (done) return;
        total += chunk.length;
        if (total > cap) {
          done = true;
          stream.destroy();
          budget.remaining -= total - chunk.length;
          return reject(new Error('it inflates to more than its header says'));
        }
        chunks.push(chunk);
      });
      stream.on('error', (e: Error) => {
        if (done) return;
        done = true;
        reject(e);
      });
      stream.on('end', () => {
        if (done) return;
        done = true;
        budget.remaining -= total;
        resolve(Buffer.concat(chunks, total));
      });
    });
  });
}
