// Raw RFC 5322 bytes → Message. Parses once (postal-mime), then finds links, explodes attachments and
// parses forwarded messages. Never throws on bad input: what cannot be read goes into `problems`.

import type { Email } from 'postal-mime';
import PostalMime from 'postal-mime';
import type { AuthResultsHeader, HeaderField, Message, MessageSource, MimePart, RawLink } from '../types.js';
import { explodeAttachments } from './attachments/index.js';
import { parseAuthResults } from './auth-results.js';
import { sha256Hex } from './hash.js';
import { decodeHeaderValue, firstHeader, flattenAddresses } from './headers.js';
import { collectLinks, extractTextLinks, scanHtml } from './links/index.js';
import { installPostalMimePatches } from './postal-mime-patches.js';
import { parseReceived } from './received.js';

/** Forwarded-in-forwarded chains deeper than this are not unwrapped (a crafted message could nest without end). */
export const MAX_EMBEDDED_DEPTH = 4;
/** Header fields beyond this count are ignored: bounded work on a header flood. */
const MAX_HEADER_FIELDS = 2000;

export interface ParseOptions {
  /** Depth of this message inside forwarded messages; 0 for the top. */
  depth?: number;
  /** Skip attachment explosion (used by callers that only need headers and text). */
  skipAttachments?: boolean;
}

/** Share of control bytes (NUL and C0 other than tab/CR/LF) above which input counts as binary, not mail. */
const MAX_CONTROL_SHARE = 0.1;

function looksBinary(raw: Uint8Array): boolean {
  const n = Math.min(raw.length, 4096);
  if (n === 0) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = raw[i];
    if ((b < 32 && b !== 9 && b !== 10 && b !== 13) || b === 127) control++;
  }
  return control / n > MAX_CONTROL_SHARE;
}

function toBytes(content: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof content === 'string') return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

export async function parseMessage(
  raw: Uint8Array,
  source: MessageSource,
  opts: ParseOptions = {},
): Promise<Message> {
  const depth = opts.depth ?? 0;
  const id = sha256Hex(raw);
  const problems: string[] = [];
  if (raw.length === 0) problems.push('The input is empty.');
  else if (looksBinary(raw))
    problems.push('The input looks like binary data, not an email; it was read as far as possible.');

  let email: Email | undefined;
  await installPostalMimePatches();
  try {
    email = await PostalMime.parse(raw, { forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer' });
  } catch (err) {
    problems.push(
      `The MIME structure could not be parsed (${(err as Error).message}); only the raw text was analysed.`,
    );
  }

  const headers: HeaderField[] = (email?.headers ?? [])
    .slice(0, MAX_HEADER_FIELDS)
    .map((h) => ({ key: h.key, value: decodeHeaderValue(h.value) }));
  if (raw.length > 0 && headers.length === 0)
    problems.push('No header fields were found: this may not be an email.');

  const authResults: AuthResultsHeader[] = [];
  const received = [];
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i];
    if (h.key === 'authentication-results' || h.key === 'arc-authentication-results') {
      const ar = parseAuthResults(h.key, h.value, i);
      if (ar) authResults.push(ar);
    } else if (h.key === 'received') {
      received.push(parseReceived(h.value, received.length));
    }
  }

  const text = email?.text ?? (email ? undefined : new TextDecoder('latin1').decode(raw));
  const html = email?.html;
  const rawLinks: RawLink[] = [];
  let bodyText = text ?? '';
  if (text) rawLinks.push(...extractTextLinks(text, 'text', 'text body'));
  if (html) {
    // Bare URLs in the HTML's text duplicate the text part's when both exist: not searched for then.
    const scan = scanHtml(html, 'HTML body', { bareUrls: !text });
    rawLinks.push(...scan.links);
    if (!text) bodyText = scan.text;
  }

  const message: Message = {
    id,
    source,
    raw,
    headers,
    subject: email?.subject ?? firstHeader(headers, 'subject'),
    from: flattenAddresses(email?.from)[0],
    sender: flattenAddresses(email?.sender)[0],
    replyTo: flattenAddresses(email?.replyTo),
    to: flattenAddresses(email?.to),
    cc: flattenAddresses(email?.cc),
    returnPath: email?.returnPath,
    messageId: email?.messageId,
    inReplyTo: email?.inReplyTo,
    references: (email?.references ?? '').split(/\s+/).filter(Boolean),
    date: email?.date,
    text,
    html,
    bodyText,
    authResults,
    received,
    links: [],
    attachments: [],
    embedded: [],
    problems,
  };

  const parts: MimePart[] = (email?.attachments ?? []).map((a) => ({
    filename: a.filename ?? undefined,
    mimeType: a.mimeType,
    disposition: a.disposition ?? undefined,
    content: toBytes(a.content),
  }));
  if (parts.length > 0 && !opts.skipAttachments) {
    try {
      // Forwarded messages get their own id space so that their attachments never share an id with ours.
      const exploded = await explodeAttachments(parts, depth > 0 ? { idPrefix: `fwd${depth}-att:` } : {});
      message.attachments = exploded.attachments;
      rawLinks.push(...exploded.links);
      problems.push(...exploded.problems);
      for (const m of exploded.messages) {
        if (depth >= MAX_EMBEDDED_DEPTH) {
          problems.push(
            `A forwarded message nested deeper than ${MAX_EMBEDDED_DEPTH} levels was not unwrapped.`,
          );
          break;
        }
        const inner = await parseMessage(
          m.raw,
          { kind: 'rfc822-attachment', file: source.file, index: source.index, parentId: id },
          { depth: depth + 1 },
        );
        message.embedded.push(inner);
      }
    } catch (err) {
      problems.push(`The attachments could not be fully examined (${(err as Error).message}).`);
    }
  }

  message.links = collectLinks(rawLinks);
  return message;
}
