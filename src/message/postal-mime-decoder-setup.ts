// postal-mime makes a content decoder for every MIME part. Its quoted-printable decoder allocates a
// zero-filled 100 KB buffer up front, however short the part, and its base64 decoder makes a new
// TextDecoder each time: per message that was a few hundred KB of memory to clear and collect,
// which weighs most when workers run side by side. The patched setup gives the base64 decoder one
// shared TextDecoder (it decodes whole lines without streaming, so it keeps no state between calls;
// postal-mime's constructor takes it as an option) and starts the quoted-printable decoder with a
// small buffer (its own code flushes the buffer into a new chunk when full; chunks are joined into
// the same bytes). Applied only to the exact code it was written against (source hashes).

import { methodsMatch } from './source-hash.js';

/** Source hashes (postal-mime 4.0.0) of the setup method replaced and the two classes it builds differently. */
const EXPECTED_SETUP = { setupContentDecoder: '6f04924d9befe5d7' };
const EXPECTED_CLASSES = { qp: '64e1ba8ce1e93f28', base64: '08a579246609af55' };

/** First buffer of a quoted-printable decoder: most parts fit; longer ones go on in further chunks. */
export const QP_INITIAL_BUFFER = 8 * 1024;
/** postal-mime's own chunk size (kept on the decoder as its constructor sets it). */
const QP_MAX_CHUNK = 100 * 1024;

export type DecoderClass = new (opts?: { decoder?: InstanceType<typeof TextDecoder> }) => object;

export interface DecoderClasses {
  passThrough: DecoderClass;
  base64: DecoderClass;
  qp: DecoderClass;
}

/** A quoted-printable decoder as postal-mime's constructor makes it, with a smaller first buffer. */
export function smallQpDecoder(QP: DecoderClass): object {
  const d = Object.create(QP.prototype) as Record<string, unknown>;
  d.maxChunkSize = QP_MAX_CHUNK;
  d.buffer = new Uint8Array(QP_INITIAL_BUFFER);
  d.bufferPos = 0;
  d.chunks = [];
  return d;
}

/** True when MimeNode's setup and the decoder classes are the code this patch was written against. */
export function decoderSetupMatchesLibrary(
  mimeNodeProto: Record<string, unknown>,
  classes: DecoderClasses,
): boolean {
  return methodsMatch(mimeNodeProto, EXPECTED_SETUP) && methodsMatch({ ...classes }, EXPECTED_CLASSES);
}

/** Replaces MimeNode's decoder setup; returns whether it did. */
export function installDecoderSetup(
  mimeNodeProto: Record<string, unknown>,
  classes: DecoderClasses,
): boolean {
  if (!decoderSetupMatchesLibrary(mimeNodeProto, classes)) return false;
  const sharedDecoder = new TextDecoder();
  const { passThrough: PassThrough, base64: Base64, qp: QP } = classes;
  mimeNodeProto.setupContentDecoder = function (this: { contentDecoder: object }, transferEncoding: string) {
    if (/base64/i.test(transferEncoding)) this.contentDecoder = new Base64({ decoder: sharedDecoder });
    else if (/quoted-printable/i.test(transferEncoding)) this.contentDecoder = smallQpDecoder(QP);
    else this.contentDecoder = new PassThrough();
  };
  return true;
}
