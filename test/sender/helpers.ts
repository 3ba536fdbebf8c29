// Test helpers: messages built from raw text through the real parser, and throwaway DNS caches.

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PostalMime from 'postal-mime';
import { parseAuthResults } from '../../src/message/auth-results.js';
import { flattenAddresses } from '../../src/message/headers.js';
import { parseMessage } from '../../src/message/parse.js';
import { parseReceived } from '../../src/message/received.js';
import type { AuthResultsHeader, Message, ReceivedHop } from '../../src/types.js';

/**
 * A Message with the header fields the sender checks read, built with postal-mime and the project's
 * Received / Authentication-Results parsers (kept independent of the full pipeline, which also explodes
 * attachments and finds links).
 */
export async function messageOf(raw: string | Buffer): Promise<Message> {
  const bytes = typeof raw === 'string' ? new TextEncoder().encode(raw) : new Uint8Array(raw);
  const email = await PostalMime.parse(bytes);
  const headers = email.headers.map((h) => ({ key: h.key, value: h.value }));
  const authResults: AuthResultsHeader[] = [];
  const received: ReceivedHop[] = [];
  headers.forEach((h, i) => {
    if (h.key === 'authentication-results' || h.key === 'arc-authentication-results') {
      const ar = parseAuthResults(h.key, h.value, i);
      if (ar) authResults.push(ar);
    } else if (h.key === 'received') received.push(parseReceived(h.value, received.length));
  });
  return {
    id: 'test',
    source: { kind: 'eml', file: 'test.eml' },
    raw: bytes,
    headers,
    subject: email.subject,
    from: flattenAddresses(email.from)[0],
    sender: flattenAddresses(email.sender)[0],
    replyTo: flattenAddresses(email.replyTo),
    to: flattenAddresses(email.to),
    cc: flattenAddresses(email.cc),
    returnPath: email.returnPath,
    messageId: email.messageId,
    inReplyTo: email.inReplyTo,
    references: (email.references ?? '').split(/\s+/).filter(Boolean),
    date: email.date,
    text: email.text,
    html: email.html,
    bodyText: email.text ?? '',
    authResults,
    received,
    links: [],
    attachments: [],
    embedded: [],
    problems: [],
  };
}

/** Joins header/body lines with CRLF, as on the wire. */
export function crlf(lines: string[]): string {
  return lines.join('\r\n');
}

export interface TestKey {
  privateKey: string;
  /** The p= value for a DKIM TXT record. */
  publicKeyB64: string;
}

export function rsaKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyB64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

export function ed25519Key(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    // RFC 8463: the raw 32-byte key, not the SPKI wrapper.
    publicKeyB64: der.subarray(der.length - 32).toString('base64'),
  };
}

export function writeDnsCache(cache: Record<string, Record<string, unknown>>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'suspect-dns-'));
  const file = path.join(dir, 'dns.json');
  writeFileSync(file, JSON.stringify(cache, null, 2));
  return file;
}

/** A one-part HTML message from `from`, through the whole parser (links and all). */
export async function htmlMessage(from: string, html: string): Promise<Message> {
  const raw = `From: ${from}\r\nTo: dana@home.example\r\nSubject: s\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n${html}\r\n`;
  return parseMessage(new TextEncoder().encode(raw), { kind: 'eml', file: 't.eml' });
}
