// Each case below makes @kenjiuno/msgreader loop forever or allocate gigabytes if it reaches it;
// the guard must refuse them quickly with a plain-words reason.
import { describe, expect, it } from 'vitest';
import { checkCompoundFile, rootEntryNames } from '../../../src/message/input/cfb-guard.js';
import { convertMsg } from '../../../src/message/input/msg.js';
import { buildMsg, u } from './msg-builder.js';

const SECTOR = 512;

function sample(): Buffer {
  return Buffer.from(
    buildMsg({
      props: { 55: u('guard me'), 4096: u('x'.repeat(5000)) }, // one stream above the mini cutoff
      attachments: [{ props: { 14087: u('a.bin') }, data: Buffer.alloc(100, 7) }],
    }),
  );
}

const dirStart = (b: Buffer) => b.readInt32LE(0x30);
const fatSector = (b: Buffer) => b.readInt32LE(0x4c);
const fatEntryOffset = (b: Buffer, sector: number) => (fatSector(b) + 1) * SECTOR + 4 * sector;
const dirEntryOffset = (b: Buffer, index: number) => (dirStart(b) + 1) * SECTOR + 128 * index;

function findEntry(b: Buffer, name: string): number {
  for (let i = 0; i < 64; i++) {
    const at = dirEntryOffset(b, i);
    const len = b.readUInt16LE(at + 0x40);
    if (b.toString('utf16le', at, at + Math.max(0, len - 2)) === name) return i;
  }
  throw new Error(`no entry ${name}`);
}

describe('checkCompoundFile', () => {
  it('accepts a sound .msg and lists its root entries', () => {
    const b = sample();
    expect(checkCompoundFile(b)).toBeUndefined();
    expect(rootEntryNames(b)).toContain('__properties_version1.0');
  });

  it('refuses a FAT cycle in the directory chain', () => {
    const b = sample();
    b.writeInt32LE(dirStart(b), fatEntryOffset(b, dirStart(b)));
    expect(checkCompoundFile(b)).toMatch(/directory chain loops/);
    expect(() => convertMsg(b)).toThrow(/damaged Outlook \.msg file: .*loops/);
  });

  it('refuses a directory tree that points back at itself', () => {
    const b = sample();
    const child = b.readInt32LE(dirEntryOffset(b, 0) + 0x4c);
    b.writeInt32LE(child, dirEntryOffset(b, child) + 0x44); // left sibling = itself
    expect(checkCompoundFile(b)).toMatch(/directory tree loops/);
  });

  it('refuses a directory index outside the directory', () => {
    const b = sample();
    b.writeInt32LE(100_000, dirEntryOffset(b, 0) + 0x4c);
    expect(checkCompoundFile(b)).toMatch(/points outside/);
  });

  it('refuses a stream that claims a size larger than the file', () => {
    const b = sample();
    const body = findEntry(b, '__substg1.0_1000001F');
    b.writeInt32LE(0x7fffffff, dirEntryOffset(b, body) + 0x78);
    expect(checkCompoundFile(b)).toMatch(/impossible size/);
  });

  it('refuses a big stream whose FAT chain loops', () => {
    const b = sample();
    const body = findEntry(b, '__substg1.0_1000001F');
    const start = b.readInt32LE(dirEntryOffset(b, body) + 0x74);
    b.writeInt32LE(start, fatEntryOffset(b, start));
    expect(checkCompoundFile(b)).toMatch(/loops|truncated/);
  });

  it('refuses truncated files and non-OLE data', () => {
    expect(checkCompoundFile(sample().subarray(0, 300))).toMatch(/truncated/);
    expect(checkCompoundFile(Buffer.from('From: a@b\r\n\r\n'))).toMatch(/not an OLE compound file/);
  });
});
