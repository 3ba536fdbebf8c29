// postal-mime's `parse` reads the message a line at a time and awaits `processLine` for every line,
// although only a boundary line or the last line can need to wait (they finalise MIME nodes). The
// await, the promise of the async `processLine` and the `{ bytes, done }` object `readLine` returns
// cost about a fifth of postal-mime's time on ordinary mail. This loop finds the same lines (split
// at LF, trailing CRs dropped, as `readLine` does) and feeds ordinary lines to the current node
// directly, which is all `processLine` does with them; every other line still goes through
// `processLine`. It replaces `parse` only when postal-mime's `parse`, `processLine` and `readLine`
// are the exact code it was written against (checked by a hash of their source), so an upgrade
// falls back to postal-mime's own loop.

import PostalMime from 'postal-mime';
import { methodsMatch } from './source-hash.js';

/** sha256 (first 16 hex digits) of the source of the postal-mime 4.0.0 methods this loop stands in for. */
const EXPECTED_SOURCE: Record<'parse' | 'processLine' | 'readLine', string> = {
  parse: 'a42832461677309d',
  processLine: 'cd757231d3b0602a',
  readLine: 'f9a96d51a8b12d5f',
};

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;

/** The fields of postal-mime's parser that its own `parse` uses. */
interface ParserState {
  started: boolean;
  buf: ArrayBuffer;
  av: Uint8Array;
  readPos: number;
  boundaries: unknown[];
  currentNode: { feed(line: Uint8Array): void };
  options: { forceRfc822Attachments?: boolean };
  forceRfc822Attachments: boolean;
  resolveInput(buf: unknown): Promise<ArrayBuffer>;
  processLine(line: Uint8Array, isFinal: boolean): Promise<void>;
  hasReportParts(): boolean;
  collectNode(node: unknown, a: boolean, b: boolean): Promise<void>;
  renderTextContent(): void;
  buildMessage(): unknown;
  encodeAttachments(): void;
  root: unknown;
}

/** True when postal-mime's methods are the ones this loop was checked against. */
export function parseLoopMatchesLibrary(proto: Record<string, unknown>): boolean {
  return methodsMatch(proto, EXPECTED_SOURCE);
}

/** Same steps and same results as postal-mime 4.0.0's `parse`, without an await per ordinary line. */
async function parse(this: ParserState, input: unknown): Promise<unknown> {
  if (this.started) {
    throw new Error('Can not reuse parser, create a new PostalMime object');
  }
  this.started = true;
  this.buf = await this.resolveInput(input);
  const av = new Uint8Array(this.buf);
  this.av = av;
  const length = av.length;
  this.readPos = 0;
  while (this.readPos < length) {
    const start = this.readPos;
    const lf = av.indexOf(LF, start);
    let end = lf === -1 ? length : lf;
    while (end > start && av[end - 1] === CR) end--;
    this.readPos = lf === -1 ? length : lf + 1;
    const line = new Uint8Array(this.buf, start, end - start);
    const done = this.readPos >= length;
    // processLine only looks for a boundary in lines starting "--" while a boundary is open.
    const mayBeBoundary =
      this.boundaries.length > 0 && line.length > 2 && line[0] === DASH && line[1] === DASH;
    if (done || mayBeBoundary) await this.processLine(line, done);
    else this.currentNode.feed(line);
  }
  this.forceRfc822Attachments = Boolean(this.options.forceRfc822Attachments) || this.hasReportParts();
  await this.collectNode(this.root, false, false);
  this.renderTextContent();
  const message = this.buildMessage();
  this.encodeAttachments();
  return message;
}

let installed: boolean | undefined;

/** Puts the loop into postal-mime once per process; returns whether it is in use. */
export function installParseLoop(): boolean {
  if (installed === undefined) {
    const proto = PostalMime.prototype as unknown as Record<string, unknown>;
    installed = parseLoopMatchesLibrary(proto);
    if (installed) proto.parse = parse;
  }
  return installed;
}
