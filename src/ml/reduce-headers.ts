// Reduces a raw message to the headers its sender controls, for evaluation: the corpora were received
// by different servers (Microsoft 365 for the phishing, others for the ham), and a detector that reads
// receiver-added headers (Received, Authentication-Results, X-MS-*, spam verdicts) learns the corpus.
// The body is kept byte for byte; every To/Cc becomes one neutral recipient.

/** Headers a sender writes (RFC 5322 originator, identification and MIME fields). */
export const SENDER_HEADERS = new Set([
  'from',
  'sender',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'return-path',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'content-id',
  'content-description',
  'content-language',
]);

/** The one recipient every reduced message carries, so that no feature can read the real one. */
export const NEUTRAL_TO = 'To: recipient@example.invalid';

/** Header sections larger than this are cut (a hostile message could have megabytes of headers). */
export const MAX_HEADER_BYTES = 1024 * 1024;

function headerEnd(raw: Uint8Array): { end: number; sepLen: number } {
  const limit = Math.min(raw.length, MAX_HEADER_BYTES);
  for (let i = 0; i < limit; i++) {
    if (raw[i] === 0x0a) {
      if (raw[i + 1] === 0x0a) return { end: i + 1, sepLen: 1 };
      if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return { end: i + 1, sepLen: 2 };
    }
  }
  return { end: -1, sepLen: 0 };
}

/** The message with only sender-controlled headers and a neutral To; the body unchanged. */
export function reduceToSenderHeaders(raw: Uint8Array): Uint8Array {
  const { end, sepLen } = headerEnd(raw);
  // latin1 keeps every byte as one char, so 8-bit header bytes survive the round trip.
  const head = Buffer.from(raw.subarray(0, end < 0 ? Math.min(raw.length, MAX_HEADER_BYTES) : end)).toString(
    'latin1',
  );
  const body = end < 0 ? new Uint8Array(0) : raw.subarray(end + sepLen);
  const eol = head.includes('\r\n') ? '\r\n' : '\n';
  const lines = head.split(/\r?\n/);
  const kept: string[] = [];
  let keeping = false;
  for (const line of lines) {
    if (line === '') continue;
    if (/^[ \t]/.test(line)) {
      if (keeping) kept.push(line);
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    keeping = SENDER_HEADERS.has(name);
    if (keeping) kept.push(line);
  }
  kept.push(NEUTRAL_TO);
  const newHead = Buffer.from(kept.join(eol) + eol + eol, 'latin1');
  const out = new Uint8Array(newHead.length + body.length);
  out.set(newHead, 0);
  out.set(body, newHead.length);
  return out;
}
