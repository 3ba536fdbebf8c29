// Header helpers: decoding, address flattening, lookups.

import type { Address as PmAddress } from 'postal-mime';
import { decodeWords } from 'postal-mime';
import type { Address, HeaderField } from '../types.js';

export function decodeHeaderValue(value: string): string {
  // Without "=?" there is no RFC 2047 encoded word and decodeWords returns the value as it is; most
  // fields (Received, DKIM-Signature, ...) have none, and decoding them was a visible share of allocation.
  if (!value.includes('=?')) return value;
  try {
    return decodeWords(value);
  } catch {
    return value;
  }
}

/** Flattens postal-mime addresses (groups included) into mailboxes. */
export function flattenAddresses(list: PmAddress[] | PmAddress | undefined): Address[] {
  if (!list) return [];
  const arr = Array.isArray(list) ? list : [list];
  const out: Address[] = [];
  for (const a of arr) {
    if (a.group) for (const m of a.group) out.push({ name: m.name ?? '', address: (m.address ?? '').trim() });
    else out.push({ name: a.name ?? '', address: (a.address ?? '').trim() });
  }
  return out;
}

export function firstHeader(headers: HeaderField[], key: string): string | undefined {
  const k = key.toLowerCase();
  return headers.find((h) => h.key === k)?.value;
}
