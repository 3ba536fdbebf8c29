// Expected values were checked independently with libyal's evtxexport (Debian libevtx-utils):
// `evtxexport -f xml FILE` lists the same records, EventIDs and EventRecordIDs.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderXml } from '../../../src/exchange/evtx/binxml.js';
import { crc32 } from '../../../src/exchange/evtx/crc32.js';
import { parseFileHeader, readEvtxEvents, readEvtxRecords } from '../../../src/exchange/evtx/reader.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const dir = path.resolve(repoRoot, '../shared/exchange/evtx');
const sample = (name: string) => path.join(dir, name);

async function events(file: string) {
  const out = [];
  const problems: string[] = [];
  for await (const e of readEvtxEvents(file, { onProblem: (p) => problems.push(p) })) out.push(e);
  return { out, problems };
}

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.from('1234'), Buffer.from('56789'))).toBe(0xcbf43926);
  });
});

describe.skipIf(!existsSync(dir))('EVTX reader on ../shared/exchange/evtx', () => {
  it('reads the file header and verifies its checksum', () => {
    const h = parseFileHeader(readFileSync(sample('privexchange_dirkjan.evtx')).subarray(0, 4096))!;
    expect(h).toMatchObject({
      majorVersion: 3,
      minorVersion: 1,
      chunkCount: 1,
      checksumOk: true,
      nextRecordId: 9,
    });
  });

  it.each([
    ['LM_typical_IIS_webshell_sysmon_1_10_traces.evtx', { 1: 3, 10: 1 }, [1044, 1047]],
    ['Runas_4624_4648_Webshell_CreateProcessAsUserA.evtx', { 1102: 1, 4624: 1, 4648: 1 }, [161471, 161473]],
    ['exec_sysmon_webshell_w3wp_enum.evtx', { 1: 6, 7: 3 }, [3408, 3416]],
    ['privexchange_dirkjan.evtx', { 4624: 3, 4662: 1, 4776: 2, 5136: 2 }, [65966, 65973]],
  ])('%s: event ids and record ids as evtxexport shows them', async (name, ids, [first, last]) => {
    const { out, problems } = await events(sample(name));
    expect(problems).toEqual([]);
    const counts: Record<number, number> = {};
    for (const e of out) counts[e.eventId!] = (counts[e.eventId!] ?? 0) + 1;
    expect(counts).toEqual(ids);
    expect(out.length).toBe(Object.values(ids).reduce((a, b) => a + b, 0));
    // EventRecordID from <System> (exported logs renumber the record headers, not the XML).
    const xmlIds: number[] = [];
    for await (const rec of readEvtxRecords(sample(name))) {
      const m = /<EventRecordID>(\d+)<\/EventRecordID>/.exec(renderXml(rec.xml[0]));
      xmlIds.push(Number(m?.[1]));
    }
    expect(xmlIds[0]).toBe(first);
    expect(xmlIds[xmlIds.length - 1]).toBe(last);
  });

  it('decodes substitution values: strings, SIDs, GUIDs, times, hex', async () => {
    const { out } = await events(sample('LM_typical_IIS_webshell_sysmon_1_10_traces.evtx'));
    const first = out[0];
    expect(first).toMatchObject({
      provider: 'Microsoft-Windows-Sysmon',
      eventId: 1,
      level: 4,
      computer: 'IEWIN7',
    });
    expect(first.timeCreated).toBe('2019-05-24T01:33:53.1124866Z');
    const data = Object.fromEntries(first.data.map((d) => [d.name, d.value]));
    expect(data.Image).toBe('C:\\Windows\\System32\\cmd.exe');
    expect(data.CommandLine).toBe('"c:\\windows\\system32\\cmd.exe" /c net user');
    expect(data.ParentImage).toBe('C:\\Windows\\System32\\inetsrv\\w3wp.exe');
    expect(data.ProcessGuid).toBe('{365ABB72-4A01-5CE7-0000-0010EE9DAC00}');
    expect(data.LogonId).toBe('0x00000000009cf992');
    expect(data.User).toBe('IIS APPPOOL\\DefaultAppPool');
    const xml = renderXml(
      (await readEvtxRecords(sample('LM_typical_IIS_webshell_sysmon_1_10_traces.evtx')).next()).value!.xml[0],
    );
    expect(xml).toContain('<Security UserID="S-1-5-18"/>');
  });

  it('reads UserData events (log cleared, 1102)', async () => {
    const { out } = await events(sample('Runas_4624_4648_Webshell_CreateProcessAsUserA.evtx'));
    const cleared = out.find((e) => e.eventId === 1102)!;
    expect(cleared.channel).toBe('Security');
    expect(cleared.data).toContainEqual({ name: 'SubjectUserName', value: 'IEUser' });
  });

  it('reports and skips a corrupt chunk, never throws', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'evtx-'));
    const file = path.join(tmp, 'bad.evtx');
    copyFileSync(sample('privexchange_dirkjan.evtx'), file);
    const b = readFileSync(file);
    b[4096 + 1000] ^= 0xff; // inside the record data: the data checksum no longer matches
    writeFileSync(file, b);
    const { out, problems } = await events(file);
    expect(out).toEqual([]);
    expect(problems).toEqual(['chunk 0: record data checksum mismatch; skipped']);
  });

  it('without checksum checks, a corrupt record is reported and the others still read', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'evtx-'));
    const file = path.join(tmp, 'bad.evtx');
    const b = readFileSync(sample('privexchange_dirkjan.evtx'));
    // Break the size copy at the end of the last record: the reader must stop that chunk cleanly.
    const free = b.readUInt32LE(4096 + 48);
    b.writeUInt32LE(0xdeadbeef, 4096 + free - 4);
    writeFileSync(file, b);
    const got = [];
    const problems: string[] = [];
    for await (const e of readEvtxEvents(file, {
      verifyChecksums: false,
      onProblem: (p) => problems.push(p),
    }))
      got.push(e);
    expect(got).toHaveLength(7);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/invalid size/);
  });

  it('random corruption with checksums off never throws or hangs (problems are reported instead)', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'evtx-'));
    const original = readFileSync(sample('exec_sysmon_webshell_w3wp_enum.evtx'));
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const free = original.readUInt32LE(4096 + 48);
    for (let round = 0; round < 60; round++) {
      const b = Buffer.from(original);
      for (let k = 0; k < 1 + rand(8); k++) b[4096 + 512 + rand(free - 512)] = rand(256);
      const file = path.join(tmp, `f${round}.evtx`);
      writeFileSync(file, b);
      let n = 0;
      for await (const _ of readEvtxEvents(file, { verifyChecksums: false, onProblem: () => {} })) n++;
      expect(n).toBeLessThanOrEqual(9);
    }
  });

  it('a truncated file and a non-EVTX file are reported', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'evtx-'));
    const cut = path.join(tmp, 'cut.evtx');
    writeFileSync(cut, readFileSync(sample('privexchange_dirkjan.evtx')).subarray(0, 4096 + 30000));
    expect((await events(cut)).problems).toEqual(['chunk 0: truncated (30000 of 65536 bytes); skipped']);
    const junk = path.join(tmp, 'junk.evtx');
    writeFileSync(junk, 'not an event log');
    expect((await events(junk)).problems).toEqual(['not an EVTX file (no ElfFile signature)']);
  });
});
