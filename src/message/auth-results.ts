// Parser for Authentication-Results (RFC 8601) and ARC-Authentication-Results (RFC 8617) header values.
// Tolerant: a malformed method is skipped, never thrown; comments (…) are dropped.

import type { AuthMethodResult, AuthResultsHeader } from '../types.js';

/** Header values longer than this are cut: a hostile message could make tokenising quadratic otherwise. */
const MAX_AUTH_RESULTS_LENGTH = 16 * 1024;

/** Removes RFC 5322 comments, which may nest; quoted strings are kept intact. */
export function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      out += c;
      if (c === '\\' && i + 1 < value.length) out += value[++i];
      else if (c === '"') quoted = false;
      continue;
    }
    if (depth > 0) {
      if (c === '\\') i++;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
      continue;
    }
    if (c === '(') depth++;
    else if (c === '"') {
      quoted = true;
      out += c;
    } else out += c;
  }
  return out;
}

/** Splits on `sep` outside quoted strings. */
function splitOutsideQuotes(value: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

function unquote(v: string): string {
  const t = v.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/\\(.)/g, '$1') : t;
}

function parseMethod(chunk: string): AuthMethodResult | undefined {
  const tokens = chunk
    .trim()
    .split(/\s+(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .filter(Boolean);
  const first = tokens.shift();
  if (!first) return undefined;
  const m = /^([A-Za-z0-9_-]+)(?:\/[0-9]+)?\s*=\s*([A-Za-z0-9_-]+)$/.exec(first);
  if (!m) return undefined;
  const out: AuthMethodResult = { method: m[1].toLowerCase(), result: m[2].toLowerCase(), props: {} };
  for (const tok of tokens) {
    const eq = tok.indexOf('=');
    if (eq <= 0) continue;
    const key = tok.slice(0, eq).trim().toLowerCase();
    const val = unquote(tok.slice(eq + 1));
    if (key === 'reason') out.reason = val;
    else out.props[key] = val;
  }
  return out;
}

/** Parses one header value. `position` is the header's index from the top of the message. */
export function parseAuthResults(
  header: AuthResultsHeader['header'],
  rawValue: string,
  position: number,
): AuthResultsHeader | undefined {
  const value = stripComments(rawValue.slice(0, MAX_AUTH_RESULTS_LENGTH)).replace(/\s+/g, ' ').trim();
  const parts = splitOutsideQuotes(value, ';');
  let head = (parts.shift() ?? '').trim();
  let instance: number | undefined;
  if (header === 'arc-authentication-results') {
    const im = /^i\s*=\s*(\d+)$/i.exec(head);
    if (im) {
      instance = Number(im[1]);
      head = (parts.shift() ?? '').trim();
    }
  }
  // authserv-id may be followed by a version number: "mx.example.org 1"
  const authservId = head.split(/\s+/)[0]?.toLowerCase() ?? '';
  if (!authservId) return undefined;
  const methods: AuthMethodResult[] = [];
  for (const part of parts) {
    if (/^\s*none\s*$/i.test(part)) continue;
    // A method may carry several results separated by spaces only when the sender folded badly;
    // each "x=y" that names a known method starts a new result.
    const sub = part.split(/\s+(?=(?:spf|dkim|dmarc|arc|bimi|compauth|dkim-atps|auth|iprev|x-[a-z-]+)\s*=)/i);
    for (const s of sub) {
      const mr = parseMethod(s);
      if (mr) methods.push(mr);
    }
  }
  return { header, authservId, instance, methods, position };
}
