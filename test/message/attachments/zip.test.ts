import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readZip } from '../../../src/message/attachments/zip.js';
import { makeZip, markZipEncrypted } from './helpers.js';

const budget = () => ({ remaining: 10 * 1024 * 1024 });

describe('readZip', () => {
  it('lists entries with sizes and directories, and unpacks what is asked for', async () => {
    const zip = await makeZip([
      { name: 'docs/', data: '' },
      { name: 'docs/a.txt', data: 'hello hello hello hello' },
      { name: 'b.bin', data: new Uint8Array([1, 2, 3]), store: true },
    ]);
    const listing = await readZip(zip, { budget: budget(), wants: (e) => e.name === 'docs/a.txt' });
    expect(listing.error).toBeUndefined();
    expect(listing.entries.map((e) => [e.name, e.size, e.isDirectory, e.encrypted])).toEqual([
      ['docs/', 0, true, false],
      ['docs/a.txt', 23, false, false],
      ['b.bin', 3, false, false],
    ]);
    expect(listing.members.map((m) => Buffer.from(m.content).toString())).toEqual([
      'hello hello hello hello',
    ]);
  });

  it('reports encrypted entries and never tries to unpack them', async () => {
    const zip = markZipEncrypted(await makeZip([{ name: 'invoice.js', data: 'WScript.Echo(1)' }]));
    const listing = await readZip(zip, { budget: budget(), wants: () => true });
    expect(listing.encrypted).toBe(true);
    expect(listing.entries[0]).toMatchObject({ name: 'invoice.js', encrypted: true });
    expect(listing.members).toEqual([]);
  });

  it('lists names that climb out of the folder instead of giving up on the archive', async () => {
    const zip = await makeZip([{ name: 'ok.txt', data: 'x' }]);
    // Rewrite the name in both headers to one of the same length, so no offset moves.
    const hostile = Buffer.from(zip.toString('latin1').replaceAll('ok.txt', '../x.t'), 'latin1');
    const listing = await readZip(hostile, { budget: budget(), wants: () => false });
    expect(listing.entries.map((e) => e.name)).toEqual(['../x.t']);
    expect(listing.unsafePaths).toEqual(['../x.t']);
  });

  it('stops listing at the entry cap and says so', async () => {
    const zip = await makeZip(Array.from({ length: 30 }, (_, i) => ({ name: `f${i}.txt`, data: 'x' })));
    const listing = await readZip(zip, { budget: budget(), wants: () => true, maxEntries: 10 });
    expect(listing.entries).toHaveLength(10);
    expect(listing.truncated).toBe(true);
    expect(listing.members).toHaveLength(10);
  });

  it('refuses a member whose header promises a bomb-like compression ratio', async () => {
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    const zip = await makeZip([{ name: 'zeros.bin', data: zeros }]);
    const b = budget();
    b.remaining = 64 * 1024 * 1024;
    const listing = await readZip(zip, { budget: b, wants: () => true });
    expect(listing.members).toEqual([]);
    expect(listing.skipped[0].reason).toMatch(/zip bomb/);
    expect(b.remaining).toBe(64 * 1024 * 1024);
  });

  it('stops inflating a member that produces more than its header declared', async () => {
    // A stored-size lie: the header says 10 bytes, the deflate stream holds 100 KB.
    const real = Buffer.alloc(100_000, 0x61);
    const zip = await makeZip([{ name: 'liar.txt', data: real }]);
    const deflated = deflateRawSync(real);
    const out = Buffer.from(zip);
    // Patch uncompressed size (local header offset 22, central directory offset 24) to 10.
    for (let i = 0; i + 4 <= out.length; i++) {
      if (out.readUInt32LE(i) === 0x04034b50) out.writeUInt32LE(10, i + 22);
      if (out.readUInt32LE(i) === 0x02014b50) out.writeUInt32LE(10, i + 24);
    }
    expect(deflated.length).toBeLessThan(1000);
    const b = budget();
    const listing = await readZip(out, { budget: b, wants: () => true });
    expect(listing.members).toEqual([]);
    expect(listing.skipped[0].reason).toMatch(/more than its header/);
    expect(b.remaining).toBeGreaterThan(10 * 1024 * 1024 - 200_000);
  });

  it('charges unpacked bytes to the shared budget and skips what does not fit', async () => {
    const zip = await makeZip([
      { name: 'a.txt', data: 'a'.repeat(600) },
      { name: 'b.txt', data: 'b'.repeat(600) },
    ]);
    const b = { remaining: 1000 };
    const listing = await readZip(zip, { budget: b, wants: () => true });
    expect(listing.members.map((m) => m.entry.name)).toEqual(['a.txt']);
    expect(listing.skipped[0]).toMatchObject({ name: 'b.txt' });
    expect(b.remaining).toBe(400);
  });

  it('turns garbage into an error, not an exception', async () => {
    const listing = await readZip(Buffer.from('PK\u0003\u0004 this is not really a zip'), {
      budget: budget(),
      wants: () => true,
    });
    expect(listing.error).toMatch(/could not be read|damaged/);
    expect(listing.entries).toEqual([]);
  });
});
