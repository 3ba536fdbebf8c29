// Tar archives (plain, or inside a .tgz): 512-byte headers followed by each file's data.

import type { ArchiveEntry } from '../../types.js';
import { MAX_ARCHIVE_ENTRIES } from './limits.js';

export interface TarListing {
  entries: ArchiveEntry[];
  members: { entry: ArchiveEntry; content: Uint8Array }[];
  truncated: boolean;
  error?: string;
}

export function looksLikeTar(buf: Uint8Array): boolean {
  return buf.length >= 512 && Buffer.from(buf.subarray(257, 262)).toString('latin1') === 'ustar';
}

function field(block: Uint8Array, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return Buffer.from(end < 0 ? raw : raw.subarray(0, end)).toString('utf8');
}

/**
 * List a tar held in memory. Member contents are views into `content` (no copy), so reading them
 * costs no budget beyond what the tar itself already took.
 */
export function readTar(content: Uint8Array, maxEntries = MAX_ARCHIVE_ENTRIES): TarListing {
  const listing: TarListing = { entries: [], members: [], truncated: false };
  let pos = 0;
  let longName: string | undefined;
  while (pos + 512 <= content.length) {
    const header = content.subarray(pos, pos + 512);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) {
      listing.error = 'the tar archive is damaged (bad size field)';
      break;
    }
    const type = String.fromCharCode(header[156] || 0x30);
    const dataStart = pos + 512;
    const dataEnd = dataStart + size;
    pos = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      // GNU long name: the next entry's name is this entry's data.
      longName = field(content.subarray(dataStart, Math.min(dataEnd, content.length)), 0, size);
      continue;
    }
    if (type === 'x' || type === 'g') continue; // pax headers
    if (listing.entries.length >= maxEntries) {
      listing.truncated = true;
      break;
    }
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    const entry: ArchiveEntry = {
      name,
      size,
      encrypted: false,
      isDirectory: type === '5' || name.endsWith('/'),
    };
    listing.entries.push(entry);
    if ((type === '0' || type === '\0' || type === '7') && !entry.isDirectory) {
      listing.members.push({
        entry,
        content: content.subarray(dataStart, Math.min(dataEnd, content.length)),
      });
    }
    if (dataEnd > content.length) {
      listing.error = 'the tar archive is cut short';
      break;
    }
  }
  return listing;
}
