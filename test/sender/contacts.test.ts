import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ContactBook,
  contactBookFor,
  knownThreadIds,
  learnFromMessages,
  listContacts,
  nameKey,
  parseCsv,
  parseVcard,
  readContactsFile,
  rememberReceivedMessage,
  saveContacts,
  threadCount,
} from '../../src/sender/contacts.js';
import { openDb } from '../../src/store/db.js';
import { FIXTURES, fixture, NOW } from './engine-helpers.js';
import { messageOf } from './helpers.js';

describe('nameKey', () => {
  it('matches names across case, accents, order and titles', () => {
    expect(nameKey('Jane Smith')).toBe('jane smith');
    expect(nameKey('SMITH, Jane')).toBe('jane smith');
    expect(nameKey('Dr. Jane Smith')).toBe('jane smith');
    expect(nameKey('"María García"')).toBe('maria garcia');
    expect(nameKey('Jane Smith (Finance)')).toBe('jane smith');
  });
  it('refuses names too weak to identify anyone', () => {
    expect(nameKey('Admin')).toBe('');
    expect(nameKey('john')).toBe('');
    expect(nameKey('')).toBe('');
    expect(nameKey('jane@x.example')).toBe('');
  });
});

describe('contact files', () => {
  it('reads vCard 3.0/4.0 with folded lines, item prefixes and N fallback', () => {
    const list = parseVcard(fixture('contacts.vcf'));
    expect(list).toEqual([
      { address: 'jane@yourcompany.example', name: 'Jane Smith', source: 'vcard' },
      { address: 'bob@partnerfirm.example', name: 'Bob Jones', source: 'vcard' },
      { address: 'bob.jones@gmail.com', name: 'Bob Jones', source: 'vcard' },
      { address: 'chidi.okafor@acmesupplies.com', name: 'Chidi Okafor', source: 'vcard' },
    ]);
  });

  it('reads CSV exports by their header, and plain name,address rows', () => {
    expect(parseCsv(fixture('contacts.csv'))).toEqual([
      { address: 'maria@clinic-example.org', name: 'Maria García López', source: 'csv' },
      { address: 'support@acmesupplies.com', name: 'Support Acme', source: 'csv' },
      { address: 'billing@acmesupplies.com', name: 'Support Acme', source: 'csv' },
    ]);
    expect(parseCsv('Jane Smith,jane@x.example\n"Doe, John",john@y.example\n')).toEqual([
      { address: 'jane@x.example', name: 'Jane Smith', source: 'csv' },
      { address: 'john@y.example', name: 'Doe, John', source: 'csv' },
    ]);
    expect(parseCsv('name;email\r\nJane Smith;jane@x.example\r\n')).toEqual([
      { address: 'jane@x.example', name: 'Jane Smith', source: 'csv' },
    ]);
  });

  it('skips rows without a valid address and survives garbage', () => {
    expect(parseCsv('name,address\nNobody,not-an-address\n,,\n')).toEqual([]);
    expect(parseVcard('BEGIN:VCARD\nEMAIL:nope\nEND:VCARD\n\u0000\u0001')).toEqual([]);
    expect(parseCsv('"unterminated, quote\n')).toEqual([]);
  });

  it('picks the format by extension or content', () => {
    expect(readContactsFile(path.join(FIXTURES, 'contacts.vcf'))).toHaveLength(4);
    expect(readContactsFile(path.join(FIXTURES, 'contacts.csv'))).toHaveLength(3);
  });
});

describe('the store', () => {
  it('saves, merges and lists contacts; self is never demoted', () => {
    const db = openDb(':memory:');
    saveContacts(db, [{ address: 'Me@Home.example', name: 'Me Myself', source: 'self' }], NOW);
    saveContacts(
      db,
      [
        { address: 'me@home.example', source: 'csv' },
        { address: 'x@y.example', name: 'X Y', source: 'csv' },
      ],
      NOW,
    );
    expect(listContacts(db)).toEqual([
      { address: 'me@home.example', name: 'Me Myself', source: 'self', messages: 1 },
      { address: 'x@y.example', name: 'X Y', source: 'csv', messages: 0 },
    ]);
  });

  it('learns the user, the people written to and the thread ids from sent mail', async () => {
    const db = openDb(':memory:');
    const r = learnFromMessages(db, [await messageOf(fixture('sent-1.eml'))], NOW);
    expect(r).toMatchObject({ messages: 1, contacts: 3, selfAddresses: ['alex@yourcompany.example'] });
    expect(threadCount(db)).toBe(1);
    expect(knownThreadIds(db, ['<thread-1@yourcompany.example>', '<other@x>'])).toEqual([
      '<thread-1@yourcompany.example>',
    ]);
    const book = contactBookFor(db, [path.join(FIXTURES, 'contacts.vcf')]);
    expect(book.self.map((c) => c.address)).toEqual(['alex@yourcompany.example']);
    expect(book.selfOrgs()).toEqual(['yourcompany.example']);
    expect(
      book
        .withName('Bob Jones')
        .map((c) => c.address)
        .sort(),
    ).toEqual(['bob.jones@gmail.com', 'bob@partnerfirm.example']);
  });

  it('keeps free-mail providers out of the organisation domains', () => {
    const book = new ContactBook([
      { address: 'a@gmail.com', name: 'A B', source: 'csv' },
      { address: 'c@firm.example', name: 'C D', source: 'csv' },
    ]);
    expect([...book.orgDomains.keys()]).toEqual(['firm.example']);
  });
});

describe('contactBookFor', () => {
  it('names a missing --contacts file in its error', () => {
    expect(() => contactBookFor(undefined, ['/nonexistent/contacts.vcf'])).toThrow(
      /contacts file \/nonexistent\/contacts.vcf cannot be read \(ENOENT\)/,
    );
  });

  it('reuses the book for the same options object until the store changes', () => {
    const db = openDb(':memory:');
    const key = {};
    const a = contactBookFor(db, [], key);
    expect(contactBookFor(db, [], key)).toBe(a);
    saveContacts(
      db,
      [{ address: 'n@new.example', name: 'New Person', source: 'csv' }],
      new Date('2030-01-01'),
    );
    const b = contactBookFor(db, [], key);
    expect(b).not.toBe(a);
    expect(b.has('n@new.example')).toBe(true);
  });
});

describe('rememberReceivedMessage', () => {
  it('makes a later reply to a received message a known thread', () => {
    const db = openDb(':memory:');
    rememberReceivedMessage(db, { messageId: '<Abc@Host.example>' });
    expect(knownThreadIds(db, ['<abc@host.example>'])).toEqual(['<abc@host.example>']);
    rememberReceivedMessage(db, {});
    expect(threadCount(db)).toBe(1);
  });
});
