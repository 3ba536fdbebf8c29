// Streaming mbox splitter (RFC 4155; mboxo and mboxrd). Chunks go in, whole messages come out;
// at most one message plus one partial line is held, so memory stays flat over any mbox size.
//
// Separator: a line starting with "From " that looks like a postmark ("From sender <asctime>":
// a month name and an hh:mm time), or the very first "From " line of the file. Requiring the
// date keeps an unescaped "From the desk of…" body line (mboxo writers that do not quote) from
// splitting a message in two. mboxcl Content-Length headers are not trusted (they lie after edits).
// Unescaping: mboxrd quotes body lines /^>*From / with one more ">", so one ">" is removed from
// every /^>+From / line (for mboxo this also restores the usual ">From " quoting to "From ").
// The blank line the writer adds before each separator is removed from the message.

/** A postmark longer than this is not a postmark; longer lines are body content. Bounds the
 *  partial line held between chunks when a line does not end (e.g. a 50 MB base64 line). */
export const MAX_POSTMARK_LINE = 1000;

export type MboxPiece =
  | { index: number; raw: Uint8Array }
  | { index: number; oversizedBytes: number }
  | { index: number; empty: true };

const LF = 0x0a;
const CR = 0x0d;
const GT = 0x3e;
const F = 0x46;
const FROM_ = Buffer.from('From ', 'latin1');
const POSTMARK = /^From \S*.*\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b.*\b\d{1,2}:\d{2}/;

type LineKind = 'separator' | 'escaped' | 'content' | 'undecided';

export class MboxSplitter {
  private carry: Buffer | undefined;
  private atLineStart = true;
  private seenSeparator = false;
  private parts: Buffer[] = [];
  private size = 0;
  private oversized = false;
  private index = 0;
  private started = false;
  private out: MboxPiece[] = [];

  constructor(private readonly maxMessageBytes: number) {}

  /** Feeds a chunk; returns the messages completed by it. */
  push(chunk: Uint8Array): MboxPiece[] {
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.carry) {
      buf = Buffer.concat([this.carry, buf]);
      this.carry = undefined;
    }
    if (!this.started) {
      this.started = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    let segStart = 0;
    let pos = 0;
    while (pos < buf.length) {
      const nl = buf.indexOf(LF, pos);
      const end = nl === -1 ? buf.length : nl + 1;
      const kind = this.atLineStart ? this.classify(buf, pos, end, nl !== -1) : 'content';
      if (kind === 'undecided') {
        this.append(buf.subarray(segStart, pos));
        this.carry = Buffer.from(buf.subarray(pos)); // copy: do not pin the whole chunk
        return this.drain();
      }
      if (kind === 'separator') {
        this.append(buf.subarray(segStart, pos));
        this.finish();
        this.seenSeparator = true;
        segStart = end;
      } else if (kind === 'escaped') {
        this.append(buf.subarray(segStart, pos));
        this.append(buf.subarray(pos + 1, end));
        segStart = end;
      }
      this.atLineStart = nl !== -1;
      pos = end;
    }
    this.append(buf.subarray(segStart, buf.length));
    return this.drain();
  }

  /** Flushes the last message at end of input. */
  end(): MboxPiece[] {
    if (this.carry) {
      const rest = this.carry;
      this.carry = undefined;
      const kind = this.atLineStart ? this.classify(rest, 0, rest.length, true) : 'content';
      if (kind === 'separator') {
        this.finish();
        this.seenSeparator = true;
      } else if (kind === 'escaped') this.append(rest.subarray(1));
      else this.append(rest);
    }
    this.finish();
    return this.drain();
  }

  private drain(): MboxPiece[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private classify(buf: Buffer, start: number, end: number, complete: boolean): LineKind {
    const first = buf[start];
    if (first !== F && first !== GT) return 'content';
    const length = end - start;
    if (first === F) {
      const prefix = Math.min(length, FROM_.length);
      if (buf.compare(FROM_, 0, prefix, start, start + prefix) !== 0) return 'content';
      if (length < FROM_.length) return complete ? 'content' : 'undecided';
      if (length > MAX_POSTMARK_LINE) return 'content';
      if (!complete) return 'undecided';
      if (!this.seenSeparator) return 'separator'; // the detector saw this file start with it
      return POSTMARK.test(buf.toString('latin1', start, end)) ? 'separator' : 'content';
    }
    let i = start;
    while (i < end && buf[i] === GT && i - start < MAX_POSTMARK_LINE) i++;
    if (i - start >= MAX_POSTMARK_LINE) return 'content';
    const rest = end - i;
    const prefix = Math.min(rest, FROM_.length);
    if (buf.compare(FROM_, 0, prefix, i, i + prefix) !== 0) return 'content';
    if (rest < FROM_.length) return complete ? 'content' : 'undecided';
    return 'escaped';
  }

  private append(segment: Buffer): void {
    if (segment.length === 0) return;
    this.size += segment.length;
    if (this.oversized) return;
    if (this.size > this.maxMessageBytes) {
      this.oversized = true;
      this.parts = [];
      return;
    }
    this.parts.push(segment);
  }

  private finish(): void {
    const hadSeparator = this.seenSeparator;
    if (this.oversized) {
      this.out.push({ index: this.index++, oversizedBytes: this.size });
    } else {
      let raw: Buffer = this.parts.length === 1 ? Buffer.from(this.parts[0]) : Buffer.concat(this.parts);
      raw = stripSeparatorBlankLine(raw);
      if (!hadSeparator && isBlank(raw)) {
        // Blank lines before the first separator are not a message.
      } else if (isBlank(raw)) {
        this.out.push({ index: this.index++, empty: true });
      } else {
        this.out.push({ index: this.index++, raw });
      }
    }
    this.parts = [];
    this.size = 0;
    this.oversized = false;
  }
}

function isBlank(raw: Buffer): boolean {
  for (const byte of raw) if (byte !== LF && byte !== CR && byte !== 0x20 && byte !== 0x09) return false;
  return true;
}

function stripSeparatorBlankLine(raw: Buffer): Buffer {
  const n = raw.length;
  if (n >= 4 && raw[n - 1] === LF && raw[n - 2] === CR && raw[n - 3] === LF && raw[n - 4] === CR) {
    return raw.subarray(0, n - 2);
  }
  if (n >= 2 && raw[n - 1] === LF && raw[n - 2] === LF) return raw.subarray(0, n - 1);
  return raw;
}
