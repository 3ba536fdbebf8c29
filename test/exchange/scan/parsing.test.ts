import { describe, expect, it } from 'vitest';
import { parseCsvLine } from '../../../src/exchange/scan/csv.js';
import { like } from '../../../src/exchange/scan/like.js';
import { LogRecordReader } from '../../../src/exchange/scan/log-record.js';
import { isOabFolderPath } from '../../../src/exchange/scan/rules/oab-generator.js';
import { daysBetween, leadingTimestamp } from '../../../src/exchange/scan/timestamps.js';

describe('PowerShell -like', () => {
  it('is case-insensitive with * ? and classes, anchored at both ends', () => {
    expect(like('SERVERINFO~a]@x:444/mapi/?#', 'ServerInfo~*/*')).toBe(true);
    expect(like('ServerInfo~x', 'ServerInfo~*/*')).toBe(false);
    expect(like('xServerInfo~a/b', 'ServerInfo~*/*')).toBe(false);
    expect(
      like('ServerInfo~a]@h/ecp/?schema=ResetOABVirtualDirectory#', 'ServerInfo~*/*Reset*VirtualDirectory#'),
    ).toBe(true);
    expect(
      like('ServerInfo~a]@h/ecp/?schema=ResetOABVirtualDirectory#x', 'ServerInfo~*/*Reset*VirtualDirectory#'),
    ).toBe(false);
    expect(like('ab', 'a?')).toBe(true);
    expect(like('a.b', 'a[.]b')).toBe(true);
    expect(like(undefined, '*')).toBe(true);
  });
});

describe('CSV lines', () => {
  it('splits quoted fields with doubled quotes and embedded commas', () => {
    expect(parseCsvLine('a,"b,c","d ""e""",,f')).toEqual({
      fields: ['a', 'b,c', 'd "e"', '', 'f'],
      unterminated: false,
    });
  });
  it('flags an unterminated quote', () => {
    expect(parseCsvLine('a,"b,c').unterminated).toBe(true);
  });
  it('caps the number of fields', () => {
    expect(parseCsvLine(','.repeat(100_000)).fields.length).toBe(512);
  });
});

describe('LogRecordReader', () => {
  it('bare CSV header row followed by #Fields', () => {
    const r = new LogRecordReader();
    expect(r.feed('DateTime,AnchorMailbox,HttpStatus', 1)).toBeUndefined();
    expect(r.feed('#Fields: DateTime,AnchorMailbox,HttpStatus', 2)).toBeUndefined();
    expect(r.feed('2021-03-03T06:49:42.162Z,ServerInfo~a/b,200', 3)?.get('anchormailbox')).toBe(
      'ServerInfo~a/b',
    );
  });
  it('W3C layout is space-separated', () => {
    const r = new LogRecordReader();
    r.feed('#Fields: date time c-ip sc-status', 1);
    const rec = r.feed('2021-03-05 01:00:00 203.0.113.1 200', 2)!;
    expect([rec.get('c-ip'), rec.get('sc-status'), r.layout]).toEqual(['203.0.113.1', '200', 'w3c']);
  });
});

describe('timestamps', () => {
  it('reads Exchange and IIS leading times, and counts days up', () => {
    expect(leadingTimestamp('2021-03-03T06:49:42.162Z,x')).toBe('2021-03-03T06:49:42.162Z');
    expect(leadingTimestamp('2021-03-05 03:06:27 x')).toBe('2021-03-05T03:06:27Z');
    expect(leadingTimestamp('#Date: 2021-03-05')).toBeUndefined();
    expect(leadingTimestamp('2021-13-45T00:00:00Z')).toBeUndefined();
    expect(daysBetween('2021-03-01T00:00:00Z', '2021-03-31T12:00:00Z')).toBe(31);
    expect(daysBetween('2021-03-01T00:00:00Z', '2021-03-01T01:00:00Z')).toBe(1);
  });
});

describe('OAB folder check', () => {
  it('accepts the OAB folder of any install location, or exactly the given one', () => {
    expect(
      isOabFolderPath("'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\t\\a.tmp'"),
    ).toBe(true);
    expect(isOabFolderPath("'C:\\inetpub\\wwwroot\\aspnet_client\\a.aspx'")).toBe(false);
    expect(isOabFolderPath("'C:\\x\\V15\\ClientAccess\\OAB\\..\\..\\a.aspx'")).toBe(false);
    expect(
      isOabFolderPath(
        "'D:\\Ex\\V15\\ClientAccess\\OAB\\a.tmp'",
        'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\',
      ),
    ).toBe(false);
    expect(
      isOabFolderPath(
        "'c:\\program files\\microsoft\\exchange server\\v15\\ClientAccess\\OAB\\a.tmp'",
        'C:\\Program Files\\Microsoft\\Exchange Server\\V15',
      ),
    ).toBe(true);
  });
});

describe('hostile input stays fast', () => {
  it('-like on a long crafted AnchorMailbox value does not backtrack', () => {
    const value = 'ServerInfo~' + '/Reset'.repeat(20_000) + 'x';
    const t = performance.now();
    expect(like(value, 'ServerInfo~*/*Reset*VirtualDirectory#')).toBe(false);
    expect(like(value + 'VirtualDirectory#', 'ServerInfo~*/*Reset*VirtualDirectory#')).toBe(true);
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
