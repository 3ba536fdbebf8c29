// postal-mime joins each MIME part's decoded chunks with `new Blob(chunks).arrayBuffer()`. In Node that
// copies every line into a Blob and reads it back through an async stream: about a fifth of the parse
// cost on ordinary mail. The three content decoders are patched once to join the chunks in one
// synchronous copy instead; the bytes that come out are the same (strings are UTF-8 encoded, as Blob
// does). Its base64 decoder also decodes each run of base64 characters with Node's native decoder
// instead of a JavaScript loop, and reads the lines of a part a chunk at a time instead of one by one
// (same bytes, tested against postal-mime's own). If a later postal-mime moves these files, the patch
// is skipped and the original path stays. Its parse loop, which awaits every line, is replaced in
// postal-mime-parse-loop.ts, and the way it makes decoders in postal-mime-decoder-setup.ts (both
// installed from here).

import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type DecoderClass, installDecoderSetup } from './postal-mime-decoder-setup.js';
import { installParseLoop } from './postal-mime-parse-loop.js';

/** postal-mime's content decoders, each with a `chunks` array and a Blob-based `finalize`. */
const DECODER_FILES = ['pass-through-decoder.js', 'base64-decoder.js', 'qp-decoder.js'] as const;

type Chunk = string | ArrayBuffer | ArrayBufferView;
interface DecoderProto {
  chunks: Chunk[];
  finalize(): Promise<ArrayBuffer>;
  flushRemainder?: () => void;
  flushBuffer?: () => void;
  pushChunk?: (base64: string) => void;
  update?: (line: Uint8Array) => void;
}

/** postal-mime's base64 decoder state, with the lines the patched `update` has not handed on yet. */
interface Base64State extends DecoderProto {
  maxChunkSize: number;
  pendingLines?: Uint8Array[];
  pendingLength?: number;
}

/**
 * Bytes of a run of base64 characters without padding (what postal-mime's decoder hands its
 * `pushChunk`), as its own decodeBase64 gives them: a trailing lone character carries no byte.
 */
export function decodeBase64Run(base64: string): Buffer {
  return Buffer.from(base64, 'base64');
}

const NEWLINE = 0x0a;

/**
 * One ArrayBuffer holding the chunks back to back, exactly as `new Blob(chunks).arrayBuffer()` would
 * (strings as UTF-8, lone surrogates as U+FFFD). Written in place: the pass-through decoder pushes a
 * '\n' string after every line, and encoding each one into its own array was ~2% of the pipeline.
 */
export function concatChunks(chunks: Chunk[]): ArrayBuffer {
  let length = 0;
  for (const c of chunks)
    length += typeof c === 'string' ? (c === '\n' ? 1 : Buffer.byteLength(c, 'utf8')) : c.byteLength;
  const out = Buffer.from(new ArrayBuffer(length));
  let at = 0;
  for (const c of chunks) {
    if (typeof c === 'string') {
      if (c === '\n') out[at++] = NEWLINE;
      else at += out.write(c, at, 'utf8');
    } else {
      const bytes =
        c instanceof ArrayBuffer ? new Uint8Array(c) : new Uint8Array(c.buffer, c.byteOffset, c.byteLength);
      out.set(bytes, at);
      at += bytes.length;
    }
  }
  return out.buffer as ArrayBuffer;
}

let installed: Promise<boolean> | undefined;

/** Patches postal-mime's decoders once per process; resolves to whether all three were patched. */
export function installPostalMimePatches(): Promise<boolean> {
  installed ??= install().catch(() => false);
  return installed;
}

async function install(): Promise<boolean> {
  installParseLoop();
  // The decoders are not exported; they sit next to the ESM entry that `import 'postal-mime'` loads,
  // so importing them by URL yields the very classes postal-mime uses.
  const cjsEntry = createRequire(import.meta.url).resolve('postal-mime');
  const esmDir = path.join(path.dirname(cjsEntry), '..', 'esm');
  const load = async <T>(file: string) =>
    ((await import(pathToFileURL(path.join(esmDir, file)).href)) as { default?: T }).default;
  const classes: (DecoderClass & { prototype: DecoderProto })[] = [];
  for (const file of DECODER_FILES) {
    const cls = await load<DecoderClass & { prototype: DecoderProto }>(file);
    if (!cls?.prototype || typeof cls.prototype.finalize !== 'function') return false;
    classes.push(cls);
  }
  const mimeNode = await load<{ prototype: Record<string, unknown> }>('mime-node.js');
  if (mimeNode?.prototype)
    installDecoderSetup(mimeNode.prototype, { passThrough: classes[0], base64: classes[1], qp: classes[2] });
  const [passThrough, base64, qp] = classes.map((c) => c.prototype);
  if (
    typeof base64.flushRemainder !== 'function' ||
    typeof base64.pushChunk !== 'function' ||
    typeof base64.update !== 'function' ||
    typeof qp.flushBuffer !== 'function'
  )
    return false;
  // postal-mime's `update` turns each line into a string, strips what is not base64, and splits it at
  // padding. None of that depends on where the lines break (stripped characters go wherever they are,
  // and a run of "=" ends a unit either way), so the lines are kept as bytes and handed to its own
  // `update` joined, a chunk at a time, instead of one call per 76-character line.
  const ownUpdate = base64.update;
  const ownFlush = base64.flushRemainder;
  const settle = (state: Base64State) => {
    if (!state.pendingLines?.length) return;
    const joined =
      state.pendingLines.length === 1 ? state.pendingLines[0] : Buffer.concat(state.pendingLines);
    state.pendingLines = [];
    state.pendingLength = 0;
    ownUpdate.call(state, joined);
  };
  base64.update = function (this: Base64State, line: Uint8Array) {
    if (!this.pendingLines) this.pendingLines = [];
    this.pendingLines.push(line);
    this.pendingLength = (this.pendingLength ?? 0) + line.length;
    if (this.pendingLength >= this.maxChunkSize) settle(this);
  };
  base64.flushRemainder = function (this: Base64State) {
    settle(this);
    ownFlush.call(this);
  };
  base64.pushChunk = function (this: DecoderProto, base64Str: string) {
    if (base64Str.length) this.chunks.push(decodeBase64Run(base64Str));
  };
  passThrough.finalize = function (this: DecoderProto) {
    return Promise.resolve(concatChunks(this.chunks));
  };
  base64.finalize = function (this: DecoderProto) {
    this.flushRemainder?.();
    return Promise.resolve(concatChunks(this.chunks));
  };
  qp.finalize = function (this: DecoderProto) {
    this.flushBuffer?.();
    return Promise.resolve(concatChunks(this.chunks));
  };
  return true;
}
