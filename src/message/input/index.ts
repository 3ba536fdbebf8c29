// Turns what the user names on the command line into raw RFC 5322 messages, one item per message.
//
// How it reads (notes for maintainers; there is no separate doc):
// - Arguments are taken in order. `-` is stdin. A folder is walked recursively, entries sorted by
//   name (code-unit order, so runs are reproducible), following symbolic links but never the same
//   real directory twice (no symlink loops, no duplicates). AppleDouble `._*` and `.DS_Store`
//   files are skipped; dot-folders are walked (Maildir++ keeps subfolders in `.Sent` etc.).
// - The format comes from content (detect.ts): OLE → Outlook .msg (msg.ts converts it), "From "
//   → mbox (mbox.ts streams it), header fields → .eml, "<n>\n"+headers → .emlx.
// - Something that is not mail: a file named on the command line, or in a folder under a mail
//   extension (.eml, .msg, .mbox…), yields an `{error}` item saying what it looks like; any other
//   file in a folder is skipped silently (images, PDFs, Office files, notes next to the mail).
//   Unknown text under a mail extension is passed on with a `note` (the parser then reports what
//   it could not read) rather than dropped.
// - Errors (missing file, permission denied, damaged .msg, a message over the size cap) become
//   `{error}` items and reading goes on; this generator does not throw for bad input.
// - Memory: an mbox is streamed chunk by chunk and holds one message at a time; .eml, .emlx and
//   .msg are read whole, up to `maxMessageBytes`; stdin is treated like a file.
// - Sources: `kind` is 'eml' | 'msg' | 'mbox' by detected format ('stdin' for a plain message on
//   stdin), `file` the path as given or joined from the folder ('-' for stdin), `index` the
//   0-based position inside an mbox that holds more than one message.
// - Text named on the command line with no mail headers (.txt or none) is an error; under a mail
//   extension it is passed on with a note.

import type { Dirent } from 'node:fs';
import { type FileHandle, open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MessageSource } from '../../types.js';
import { emlxMessage, hasMailExtension, SNIFF_BYTES, type Sniffed, sniff } from './detect.js';
import { MboxSplitter } from './mbox.js';
import { convertMsg, NotOutlookMessageError } from './msg.js';

export type InputItem =
  | { source: MessageSource; raw: Uint8Array; note?: string }
  | { source: MessageSource; error: string };

export interface ReadInputsOptions {
  /** Stream read for `-` (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Largest single message (or .msg file) read; bigger ones yield an error item. */
  maxMessageBytes?: number;
  /** Called as files are read (after each chunk of an mbox, once per other file). */
  onProgress?: (info: { file: string; bytesDone: number; bytesTotal: number; messages: number }) => void;
}

/** Default per-message cap. Mail servers refuse far smaller messages (Gmail 25 MB, most ISPs
 *  10–35 MB, Exchange Online 150 MB only when raised by an admin), and parsing holds several copies
 *  of a message (raw, decoded parts, exploded attachments): without a cap one crafted 2 GB "message"
 *  in an mbox or on stdin would exhaust memory. 50 MB keeps every real mail and bounds the cost. */
export const DEFAULT_MAX_MESSAGE_BYTES = 50 * 1024 * 1024;

/** Folder nesting walked at most. Real mail trees are a few levels deep; this stops a crafted or
 *  bind-mounted tree from recursing without end. */
export const MAX_FOLDER_DEPTH = 64;

/** Read size for files; big enough for throughput, small enough to keep memory flat. */
const CHUNK_BYTES = 256 * 1024;

const MB = 1024 * 1024;

const OTHER_OLE_EXTENSIONS = /\.(doc|dot|xls|xlt|ppt|pps|pot|msi|msp|pub|vsd|mpp|db)$/i;

interface Context {
  maxMessageBytes: number;
  stdin?: NodeJS.ReadableStream;
  stdinUsed: boolean;
  onProgress?: ReadInputsOptions['onProgress'];
}

/** Accepts only a positive finite number: a 0, NaN or string from a config file must not switch
 *  the cap off. */
function validCap(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? Math.floor(value)
    : DEFAULT_MAX_MESSAGE_BYTES;
}

export async function* readInputs(paths: string[], opts: ReadInputsOptions = {}): AsyncGenerator<InputItem> {
  const ctx: Context = {
    maxMessageBytes: validCap(opts.maxMessageBytes),
    stdin: opts.stdin,
    stdinUsed: false,
    onProgress: opts.onProgress,
  };
  for (const p of paths) {
    if (p === '-') {
      yield* readStdin(ctx);
      continue;
    }
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(p);
    } catch (err) {
      yield { source: { kind: guessKind(p), file: p }, error: describeFsError(err) };
      continue;
    }
    if (info.isDirectory()) {
      yield* walkFolder(p, ctx, new Set(), 0);
    } else {
      // Regular files, and FIFOs/devices named explicitly (e.g. `<(zcat inbox.gz)`).
      yield* readFile(p, info.isFile() ? info.size : 0, ctx, true);
    }
  }
}

function guessKind(file: string): 'eml' | 'msg' | 'mbox' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.msg') return 'msg';
  if (ext === '.mbox' || ext === '.mbx') return 'mbox';
  return 'eml';
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    case 'ELOOP':
      return 'too many levels of symbolic links (a loop?)';
    default:
      return `cannot be read (${(err as Error).message})`;
  }
}

const SKIPPED_NAMES = (name: string): boolean => name.startsWith('._') || name === '.DS_Store';

async function* walkFolder(
  dir: string,
  ctx: Context,
  visited: Set<string>,
  depth: number,
): AsyncGenerator<InputItem> {
  let real: string;
  let entries: Dirent[];
  try {
    real = await realpath(dir);
    if (visited.has(real)) return; // a symlink loop or a second link to a folder already read
    visited.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    yield { source: { kind: 'eml', file: dir }, error: describeFsError(err) };
    return;
  }
  if (depth >= MAX_FOLDER_DEPTH) {
    yield {
      source: { kind: 'eml', file: dir },
      error: `folders nested deeper than ${MAX_FOLDER_DEPTH} levels`,
    };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (SKIPPED_NAMES(entry.name)) continue;
    const full = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    let size = 0;
    if (entry.isSymbolicLink() || isFile) {
      try {
        const info = await stat(full);
        isDir = info.isDirectory();
        isFile = info.isFile();
        size = info.size;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ELOOP') continue; // a link that points at itself: a loop, skipped
        const error =
          code === 'ENOENT' && entry.isSymbolicLink() ? 'broken symbolic link' : describeFsError(err);
        yield { source: { kind: guessKind(full), file: full }, error };
        continue;
      }
    }
    if (isDir) yield* walkFolder(full, ctx, visited, depth + 1);
    else if (isFile) yield* readFile(full, size, ctx, false);
    // Sockets, FIFOs and devices inside a folder are not mail and reading them could block.
  }
}

async function* readFile(
  file: string,
  size: number,
  ctx: Context,
  named: boolean,
): AsyncGenerator<InputItem> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    yield { source: { kind: guessKind(file), file }, error: describeFsError(err) };
    return;
  }
  yield* readSource(new FileChunks(handle, size), { file, size, named, fromStdin: false }, ctx);
}

async function* readStdin(ctx: Context): AsyncGenerator<InputItem> {
  if (ctx.stdinUsed) {
    yield { source: { kind: 'stdin', file: '-' }, error: '-: standard input was already read' };
    return;
  }
  ctx.stdinUsed = true;
  const stdin = new StreamChunks(ctx.stdin ?? process.stdin);
  yield* readSource(stdin, { file: '-', size: 0, named: true, fromStdin: true }, ctx);
}

interface SourceInfo {
  file: string;
  size: number;
  named: boolean;
  fromStdin: boolean;
}

/** Where bytes come from: a file handle or a stream. `close()` releases it when reading stops. */
interface ChunkSource {
  bytesDone: number;
  next(): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

/** Reads a file through its handle: for the many small files of a mail folder this costs about
 *  half of what a ReadStream per file does (no stream machinery, reads sized to the file). */
class FileChunks implements ChunkSource {
  bytesDone = 0;
  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
  ) {}
  async next(): Promise<Buffer | undefined> {
    const left = this.size - this.bytesDone;
    // Files can grow after stat(); past the known size, read on in chunks until end of file.
    const want = left > 0 ? Math.min(left, CHUNK_BYTES) : CHUNK_BYTES;
    const buffer = Buffer.allocUnsafe(want);
    const { bytesRead } = await this.handle.read(buffer, 0, want, null);
    if (bytesRead === 0) return undefined;
    this.bytesDone += bytesRead;
    return bytesRead === want ? buffer : buffer.subarray(0, bytesRead);
  }
  async close(): Promise<void> {
    await this.handle.close().catch(() => {});
  }
}

/** Pulls chunks from a stream (stdin). */
class StreamChunks implements ChunkSource {
  private readonly it: AsyncIterator<unknown>;
  bytesDone = 0;
  constructor(stream: NodeJS.ReadableStream) {
    this.it = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  }
  async next(): Promise<Buffer | undefined> {
    const { value, done } = await this.it.next();
    if (done) return undefined;
    let chunk: Buffer;
    if (Buffer.isBuffer(value)) chunk = value;
    else if (typeof value === 'string') chunk = Buffer.from(value, 'utf8');
    else {
      const bytes = value as Uint8Array;
      chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    this.bytesDone += chunk.length;
    return chunk;
  }
  async close(): Promise<void> {
    try {
      await this.it.return?.();
    } catch {
      // Closing after an error: nothing left to release.
    }
  }
}

async function* readSource(reader: ChunkSource, src: SourceInfo, ctx: Context): AsyncGenerator<InputItem> {
  const kindFor = (format: 'eml' | 'msg' | 'mbox'): MessageSource['kind'] =>
    src.fromStdin && format === 'eml' ? 'stdin' : format;
  const fail = (format: 'eml' | 'msg' | 'mbox', error: string): InputItem => ({
    source: { kind: kindFor(format), file: src.file },
    error,
  });
  try {
    const head: Buffer[] = [];
    let headBytes = 0;
    let ended = false;
    while (headBytes < SNIFF_BYTES) {
      const chunk = await reader.next();
      if (!chunk) {
        ended = true;
        break;
      }
      head.push(chunk);
      headBytes += chunk.length;
    }
    const first = Buffer.concat(head);
    const sniffed = await sniff(first);
    const mailExt = hasMailExtension(src.file);
    const report = src.named || mailExt; // else: a folder's non-mail file, skipped silently

    if (sniffed.format === 'mbox') {
      yield* splitMbox(first, ended, reader, src, ctx);
      return;
    }
    if (sniffed.format === 'empty') {
      if (report)
        yield fail(guessKind(src.file), src.fromStdin ? 'standard input is empty' : 'the file is empty');
      return;
    }
    if (sniffed.format === 'not-mail') {
      if (report) yield fail(guessKind(src.file), `not an email (it looks like ${sniffed.what})`);
      return;
    }
    if (sniffed.format === 'text' && !mailExt) {
      if (src.named) yield fail('eml', 'does not look like an email (no mail headers at the start)');
      return;
    }
    // Office 97-2003 files and Thumbs.db share the .msg container; in a folder, skip them unread.
    if (sniffed.format === 'cfb' && !report && OTHER_OLE_EXTENSIONS.test(src.file)) return;

    const format = sniffed.format === 'cfb' ? 'msg' : 'eml';
    if (src.size > ctx.maxMessageBytes) {
      yield fail(format, tooBig(src.size, ctx.maxMessageBytes));
      return;
    }
    const whole = await readRest(first, ended, reader, ctx.maxMessageBytes);
    ctx.onProgress?.({ file: src.file, bytesDone: reader.bytesDone, bytesTotal: src.size, messages: 1 });
    if (whole === undefined) {
      yield fail(format, tooBig(undefined, ctx.maxMessageBytes));
      return;
    }
    if (format === 'msg') {
      yield* fromMsg(whole, src, report, kindFor('msg'));
      return;
    }
    yield fromText(whole, sniffed, src, kindFor('eml'));
  } catch (err) {
    yield fail(guessKind(src.file), describeFsError(err));
  } finally {
    await reader.close();
  }
}

function tooBig(size: number | undefined, cap: number): string {
  const what = size === undefined ? 'more than' : `${(size / MB).toFixed(1)} MB,`;
  return `message too large (${what} the limit is ${(cap / MB).toFixed(1)} MB); skipped`;
}

/** Reads the rest of a stream; undefined when it passes the cap (reading stops there). */
async function readRest(
  first: Buffer,
  ended: boolean,
  reader: ChunkSource,
  cap: number,
): Promise<Buffer | undefined> {
  const chunks = [first];
  let total = first.length;
  if (total > cap) return undefined;
  if (!ended) {
    for (let chunk = await reader.next(); chunk; chunk = await reader.next()) {
      total += chunk.length;
      if (total > cap) return undefined;
      chunks.push(chunk);
    }
  }
  return chunks.length === 1 ? first : Buffer.concat(chunks, total);
}

function* fromMsg(
  bytes: Buffer,
  src: SourceInfo,
  report: boolean,
  kind: MessageSource['kind'],
): Generator<InputItem> {
  try {
    const { raw, notes } = convertMsg(bytes);
    const note = ['converted from Outlook .msg', ...notes].join('; ');
    yield { source: { kind, file: src.file }, raw, note };
  } catch (err) {
    if (err instanceof NotOutlookMessageError) {
      if (report) yield { source: { kind, file: src.file }, error: `not an email (${err.message})` };
      return;
    }
    yield { source: { kind, file: src.file }, error: (err as Error).message };
  }
}

function fromText(bytes: Buffer, sniffed: Sniffed, src: SourceInfo, kind: MessageSource['kind']): InputItem {
  const source: MessageSource = { kind, file: src.file };
  if (sniffed.format === 'emlx')
    return { source, raw: emlxMessage(bytes), note: 'read from Apple Mail .emlx' };
  if (sniffed.format === 'text') {
    return {
      source,
      raw: bytes,
      note: 'does not start with mail headers; analysed as far as it can be read',
    };
  }
  return { source, raw: bytes };
}

async function* splitMbox(
  first: Buffer,
  ended: boolean,
  reader: ChunkSource,
  src: SourceInfo,
  ctx: Context,
): AsyncGenerator<InputItem> {
  const splitter = new MboxSplitter(ctx.maxMessageBytes);
  let messages = 0;
  const toItem = (piece: ReturnType<MboxSplitter['push']>[number]): InputItem => {
    messages++;
    const source: MessageSource = { kind: 'mbox', file: src.file, index: piece.index };
    if ('raw' in piece) return { source, raw: piece.raw };
    if ('empty' in piece) return { source, error: 'empty message in the mbox' };
    return {
      source,
      error: `message too large (${(piece.oversizedBytes / MB).toFixed(1)} MB, the limit is ${(ctx.maxMessageBytes / MB).toFixed(1)} MB); skipped`,
    };
  };
  const progress = () =>
    ctx.onProgress?.({ file: src.file, bytesDone: reader.bytesDone, bytesTotal: src.size, messages });
  // The first message is held back until a second one shows up: a file holding a single message
  // after a "From " line (SpamAssassin corpus, `formail`, some exporters) is reported without an
  // index, like any one-message file.
  let held: InputItem | undefined;
  let more = false;
  function* emit(pieces: ReturnType<MboxSplitter['push']>): Generator<InputItem> {
    for (const piece of pieces) {
      const item = toItem(piece);
      if (!more && held === undefined) {
        held = item;
        continue;
      }
      if (!more && held) {
        more = true;
        yield held;
        held = undefined;
      }
      yield item;
    }
  }
  yield* emit(splitter.push(first));
  progress();
  if (!ended) {
    for (let chunk = await reader.next(); chunk; chunk = await reader.next()) {
      yield* emit(splitter.push(chunk));
      progress();
    }
  }
  yield* emit(splitter.end());
  if (held) {
    const { index: _index, ...source } = held.source;
    yield { ...held, source };
  }
  progress();
}
