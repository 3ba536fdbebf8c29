// MS-OVBA: the compression of VBA project streams and the `dir` stream listing the modules.
// Small and exact enough to recover macro source for keyword checks; no library implements it in JS.

/** Decompress an MS-OVBA CompressedContainer (§2.4.1), producing at most `maxOut` bytes. Throws on a bad signature. */
export function decompressOvba(data: Uint8Array, start = 0, maxOut = Number.POSITIVE_INFINITY): Uint8Array {
  if (data[start] !== 0x01) throw new Error('not an MS-OVBA compressed container');
  const out: number[] = [];
  let pos = start + 1;
  while (pos + 2 <= data.length && out.length < maxOut) {
    const header = data[pos] | (data[pos + 1] << 8);
    const chunkSize = (header & 0x0fff) + 3;
    const compressed = (header & 0x8000) !== 0;
    const chunkEnd = Math.min(pos + chunkSize, data.length);
    pos += 2;
    const chunkStart = out.length;
    if (!compressed) {
      // Raw chunk: exactly 4096 bytes follow (fewer only if the stream was cut short).
      const end = Math.min(pos + 4096, data.length);
      for (let i = pos; i < end && out.length < maxOut; i++) out.push(data[i]);
      pos = end;
      continue;
    }
    while (pos < chunkEnd && out.length < maxOut) {
      const flags = data[pos++];
      for (let bit = 0; bit < 8 && pos < chunkEnd; bit++) {
        if ((flags & (1 << bit)) === 0) {
          out.push(data[pos++]);
          continue;
        }
        if (pos + 2 > chunkEnd) {
          pos = chunkEnd;
          break;
        }
        const token = data[pos] | (data[pos + 1] << 8);
        pos += 2;
        const difference = out.length - chunkStart;
        const bitCount = Math.max(Math.ceil(Math.log2(Math.max(difference, 1))), 4);
        const lengthMask = 0xffff >> bitCount;
        const length = (token & lengthMask) + 3;
        const offset = (token >> (16 - bitCount)) + 1;
        const from = out.length - offset;
        // A copy token pointing before the chunk start is corrupt data; stop instead of inventing bytes.
        if (from < chunkStart) throw new Error('corrupt MS-OVBA copy token');
        for (let i = 0; i < length && out.length < maxOut; i++) out.push(out[from + i]);
      }
    }
    pos = chunkEnd;
  }
  return Uint8Array.from(out);
}

export interface VbaModuleRef {
  /** Stream name of the module inside the VBA storage. */
  stream: string;
  /** Offset of the compressed source within that stream. */
  textOffset: number;
}

/** Module stream names and source offsets from a decompressed `dir` stream (§2.3.4.2). */
export function parseVbaDir(dir: Uint8Array): VbaModuleRef[] {
  const modules: VbaModuleRef[] = [];
  const view = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
  let pos = 0;
  let stream: string | undefined;
  let offset: number | undefined;
  while (pos + 6 <= dir.length) {
    const id = view.getUint16(pos, true);
    let size = view.getUint32(pos + 2, true);
    pos += 6;
    // PROJECTVERSION's size field says 4 but 6 bytes follow (MajorVersion u32 + MinorVersion u16).
    if (id === 0x0009) size = 6;
    if (pos + size > dir.length) break;
    const body = dir.subarray(pos, pos + size);
    if (id === 0x001a) stream = new TextDecoder('latin1').decode(body);
    else if (id === 0x0032 && size > 0) stream = new TextDecoder('utf-16le').decode(body);
    else if (id === 0x0031 && size === 4) offset = view.getUint32(pos, true);
    else if (id === 0x002b) {
      if (stream !== undefined && offset !== undefined) modules.push({ stream, textOffset: offset });
      stream = undefined;
      offset = undefined;
    }
    pos += size;
  }
  return modules;
}
