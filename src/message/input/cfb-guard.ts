// Structural check of an OLE compound file (MS-CFB) before it is handed to @kenjiuno/msgreader.
//
// Why: msgreader follows sector chains and the directory red-black tree with plain `while` loops
// and no cycle detection, and allocates `new Uint8Array(size)` from a size field it trusts. A
// crafted or corrupted .msg with a FAT cycle, a directory entry pointing at itself or a 2 GB size
// hangs the process or exhausts memory. This guard reads the same fields the same way msgreader
// does (header DIFAT + XBAT, signed int32 sector numbers, 4096-byte mini-stream cutoff) and proves
// every walk msgreader will do terminates and stays inside the file; it returns a plain-words
// problem otherwise. It is not a full CFB validator: only what keeps msgreader safe.

export const CFB_MAGIC = Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1);

/** Directories nest one level per embedded message; real .msg files stay far below this. Stops
 *  stack exhaustion from a deeply nested crafted directory tree. */
export const MAX_CFB_DIRECTORY_DEPTH = 64;

/** The streams of a sound file fit inside it; declared sizes adding up to more than this multiple
 *  of the file size mean overlapping or forged entries, each of which msgreader would allocate. */
const MAX_DECLARED_SIZE_RATIO = 2;

const END_OF_CHAIN = -2;
const NO_INDEX = -1;
const HEADER_BAT_SLOTS = 109;
const DIR_ENTRY_SIZE = 128;
const MINI_SECTOR_SIZE = 64;
const MINI_STREAM_CUTOFF = 4096;
const TYPE_STORAGE = 1;
const TYPE_STREAM = 2;

export function isCompoundFile(bytes: Uint8Array): boolean {
  if (bytes.length < CFB_MAGIC.length) return false;
  for (let i = 0; i < CFB_MAGIC.length; i++) if (bytes[i] !== CFB_MAGIC[i]) return false;
  return true;
}

class CfbProblem extends Error {}

interface DirEntry {
  type: number;
  name: string;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
}

/** Returns undefined when msgreader can read the file safely, else what is wrong with it. */
export function checkCompoundFile(bytes: Uint8Array): string | undefined {
  try {
    walkCompoundFile(bytes);
    return undefined;
  } catch (err) {
    if (err instanceof CfbProblem) return err.message;
    return `damaged compound file (${(err as Error).message})`;
  }
}

/** Names of the entries directly under the root storage (after checkCompoundFile passed). */
export function rootEntryNames(bytes: Uint8Array): string[] {
  return walkCompoundFile(bytes);
}

function walkCompoundFile(bytes: Uint8Array): string[] {
  if (!isCompoundFile(bytes)) throw new CfbProblem('not an OLE compound file');
  if (bytes.length < 512) throw new CfbProblem('compound file header is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const int32 = (offset: number): number => {
    if (offset < 0 || offset + 4 > bytes.length) throw new CfbProblem('compound file points outside itself');
    return view.getInt32(offset, true);
  };

  // msgreader picks the sector size from byte 30 exactly like this.
  const sectorSize = bytes[30] === 12 ? 4096 : 512;
  const perSector = sectorSize / 4;
  const sectorCount = Math.ceil((bytes.length - sectorSize) / sectorSize);
  if (sectorCount <= 0) throw new CfbProblem('compound file has no sectors');
  const inRange = (sector: number): boolean => sector >= 0 && sector < sectorCount;
  const sectorOffset = (sector: number): number => (sector + 1) * sectorSize;

  const batCount = int32(0x2c);
  if (batCount < 0 || batCount > sectorCount) throw new CfbProblem('compound file FAT count is impossible');
  const bat: number[] = [];
  for (let i = 0; i < Math.min(batCount, HEADER_BAT_SLOTS); i++) bat.push(int32(0x4c + 4 * i));

  const xbatCount = int32(0x48);
  if (xbatCount > 0) {
    if (xbatCount > sectorCount) throw new CfbProblem('compound file DIFAT count is impossible');
    let remaining = batCount - Math.min(batCount, HEADER_BAT_SLOTS);
    let next = int32(0x44);
    const seen = new Set<number>();
    for (let i = 0; i < xbatCount; i++) {
      if (!inRange(next) || seen.has(next)) throw new CfbProblem('compound file DIFAT chain is broken');
      seen.add(next);
      const base = sectorOffset(next);
      const take = Math.min(remaining, perSector - 1);
      for (let j = 0; j < take; j++) {
        const value = int32(base + 4 * j);
        if (value === -1 || value === END_OF_CHAIN) break;
        bat.push(value);
      }
      remaining -= take;
      next = int32(base + 4 * (perSector - 1));
      if (next === -1 || next === END_OF_CHAIN) break;
    }
  }
  for (const sector of bat) if (!inRange(sector)) throw new CfbProblem('compound file FAT is out of range');

  const nextIn =
    (table: number[]) =>
    (sector: number): number => {
      const block = table[Math.floor(sector / perSector)];
      if (block === undefined) return END_OF_CHAIN;
      return int32(sectorOffset(block) + 4 * (sector % perSector));
    };
  const nextBig = nextIn(bat);

  /** Follows a chain; throws on a cycle or a sector outside [0, limit). */
  const chain = (start: number, next: (s: number) => number, limit: number, what: string): number[] => {
    const out: number[] = [];
    const seen = new Set<number>();
    for (let s = start; s !== END_OF_CHAIN; s = next(s)) {
      if (s < 0 || s >= limit) throw new CfbProblem(`compound file ${what} runs outside the file`);
      if (seen.has(s)) throw new CfbProblem(`compound file ${what} loops`);
      seen.add(s);
      out.push(s);
    }
    return out;
  };

  const dirSectors = chain(int32(0x30), nextBig, sectorCount, 'directory chain');
  const entries: DirEntry[] = [];
  for (const sector of dirSectors) {
    for (let i = 0; i < sectorSize / DIR_ENTRY_SIZE; i++) {
      const at = sectorOffset(sector) + i * DIR_ENTRY_SIZE;
      if (at + DIR_ENTRY_SIZE > bytes.length) break;
      const nameBytes = Math.min(view.getUint16(at + 0x40, true), 64);
      let name = '';
      for (let k = 0; k + 1 < nameBytes; k += 2) name += String.fromCharCode(view.getUint16(at + k, true));
      entries.push({
        type: bytes[at + 0x42],
        name: name.split('\0')[0],
        left: int32(at + 0x44),
        right: int32(at + 0x48),
        child: int32(at + 0x4c),
        start: int32(at + 0x74),
        size: int32(at + 0x78),
      });
    }
  }
  const root = entries[0];
  if (!root) throw new CfbProblem('compound file has no root entry');

  // Same rule as msgreader's sbatDataReader (bounded by the count, stops on 0 or end of chain).
  const sbatCount = int32(0x40);
  const sbat: number[] = [];
  const sbatSeen = new Set<number>();
  for (let i = 0, s = int32(0x3c); i < sbatCount && s && s !== END_OF_CHAIN; i++) {
    if (!inRange(s) || sbatSeen.has(s)) throw new CfbProblem('compound file mini FAT chain is broken');
    sbatSeen.add(s);
    sbat.push(s);
    s = nextBig(s);
  }
  const nextSmall = nextIn(sbat);
  const miniStreamSectors = chain(root.start, nextBig, sectorCount, 'mini stream');
  const miniSectorCount = (miniStreamSectors.length * sectorSize) / MINI_SECTOR_SIZE;

  let declared = 0;
  const visited = new Set<number>();
  const rootNames: string[] = [];
  const walkTree = (first: number, depth: number, names?: string[]): void => {
    if (depth > MAX_CFB_DIRECTORY_DEPTH) throw new CfbProblem('compound file directories nest too deeply');
    const stack = [first];
    while (stack.length > 0) {
      const index = stack.pop()!;
      if (index === NO_INDEX) continue;
      const entry = entries[index];
      if (!entry) throw new CfbProblem('compound file directory points outside itself');
      if (visited.has(index)) throw new CfbProblem('compound file directory tree loops');
      visited.add(index);
      names?.push(entry.name);
      if (entry.type === TYPE_STREAM && entry.size !== 0) {
        if (entry.size < 0 || entry.size > bytes.length) {
          throw new CfbProblem(`compound file stream ${entry.name} claims an impossible size`);
        }
        declared += entry.size;
        if (entry.size < MINI_STREAM_CUTOFF) {
          chain(entry.start, nextSmall, miniSectorCount, `stream ${entry.name}`);
        } else {
          const sectors = chain(entry.start, nextBig, sectorCount, `stream ${entry.name}`);
          if (sectors.length * sectorSize < entry.size) {
            throw new CfbProblem(`compound file stream ${entry.name} is truncated`);
          }
        }
      }
      if (entry.type === TYPE_STORAGE && entry.child !== NO_INDEX) walkTree(entry.child, depth + 1);
      stack.push(entry.left, entry.right);
    }
  };
  visited.add(0);
  walkTree(root.child, 1, rootNames);
  if (declared > MAX_DECLARED_SIZE_RATIO * bytes.length) {
    throw new CfbProblem('compound file streams claim more data than the file holds');
  }
  return rootNames;
}
