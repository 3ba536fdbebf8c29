// Writes the synthetic RFC 5322 / MIME message that an Outlook .msg is converted into, so the rest
// of the pipeline only ever parses one format. Everything we write is 7-bit (encoded words,
// base64 parts) except transport headers copied verbatim from the .msg (RFC 6532 UTF-8 at worst).
// Property values come from an untrusted file: CR, LF and NUL are stripped from every header value
// so a crafted subject cannot inject headers or a body.

const CRLF = '\r\n';
const BASE64_LINE = 76;
/** Bytes of UTF-8 per encoded word: 45 bytes → 60 base64 chars, keeping each word under 75. */
const ENCODED_WORD_BYTES = 45;

/** One header line's value with line breaks and NULs removed (header injection). */
export function cleanHeaderValue(value: string): string {
  return value.replace(/[\r\n\0]+/g, ' ').trim();
}

const PLAIN_HEADER_TEXT = /^[\x20-\x7e]*$/;

/** RFC 2047 encoded words (UTF-8, base64) when the value is not plain printable ASCII. */
export function encodeHeaderText(value: string): string {
  const clean = cleanHeaderValue(value);
  if (PLAIN_HEADER_TEXT.test(clean) && !/=\?/.test(clean)) return clean;
  const words: string[] = [];
  let chunk = '';
  let chunkBytes = 0;
  for (const char of clean) {
    const size = Buffer.byteLength(char, 'utf8');
    if (chunkBytes + size > ENCODED_WORD_BYTES && chunk) {
      words.push(chunk);
      chunk = '';
      chunkBytes = 0;
    }
    chunk += char;
    chunkBytes += size;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

/** A mailbox for From/To/Cc: `"Name" <addr>`, `=?UTF-8?B?..?= <addr>` or just `addr`. */
export function formatMailbox(name: string | undefined, address: string | undefined): string | undefined {
  const addr = cleanHeaderValue(address ?? '').replace(/[<>\s,;"]/g, '');
  const display = cleanHeaderValue(name ?? '');
  if (!addr && !display) return undefined;
  if (!display || display === addr) return addr ? `<${addr}>` : undefined;
  const phrase = PLAIN_HEADER_TEXT.test(display)
    ? `"${display.replace(/["\\]/g, (c) => `\\${c}`)}"`
    : encodeHeaderText(display);
  // A name without an address stays visible as a group-less phrase (RFC 5322 obs form is parsed).
  return addr ? `${phrase} <${addr}>` : `${phrase} <>`;
}

export function base64Body(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += BASE64_LINE) lines.push(b64.slice(i, i + BASE64_LINE));
  return lines.join(CRLF);
}

/** A quoted MIME parameter, or RFC 2231 `name*=UTF-8''…` when the value is not plain ASCII. */
export function mimeParam(name: string, value: string): string {
  const clean = cleanHeaderValue(value);
  if (PLAIN_HEADER_TEXT.test(clean)) return `${name}="${clean.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  const encoded = encodeURIComponent(clean).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${name}*=UTF-8''${encoded}`;
}

export interface MimeLeaf {
  headers: string[];
  body: string;
}

export type MimeNode = MimeLeaf | { multipart: string; parts: MimeNode[]; headers?: string[] };

/** Serialises a MIME tree; boundaries are deterministic (same .msg → same bytes → same report id)
 *  and checked against the content, so verbatim text copied from the file cannot fake one. */
export function serialiseMime(node: MimeNode, topHeaders: string[]): string {
  let counter = 0;
  const render = (n: MimeNode, extraHeaders: string[]): string => {
    if (!('multipart' in n)) return [...extraHeaders, ...n.headers].join(CRLF) + CRLF + CRLF + n.body;
    const inner = n.parts.map((p) => render(p, []));
    counter++;
    let boundary = `=_suspect_${counter}=`;
    for (let k = 0; inner.some((p) => p.includes(boundary)); k++) boundary = `=_suspect_${counter}_${k}=`;
    const head = [
      ...extraHeaders,
      ...(n.headers ?? []),
      `Content-Type: multipart/${n.multipart}; boundary="${boundary}"`,
    ];
    const body = inner.map((p) => `--${boundary}${CRLF}${p}${CRLF}`).join('') + `--${boundary}--${CRLF}`;
    return head.join(CRLF) + CRLF + CRLF + body;
  };
  return render(node, topHeaders);
}

export function textLeaf(subtype: 'plain' | 'html', text: string): MimeLeaf {
  return {
    headers: [`Content-Type: text/${subtype}; charset=utf-8`, 'Content-Transfer-Encoding: base64'],
    body: base64Body(Buffer.from(text, 'utf8')),
  };
}
