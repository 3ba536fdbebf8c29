// Decoding of BinXml value types (the 'value type' byte of Value tokens and substitution descriptors),
// following the published EVTX format (libyal's "Windows XML Event Log (EVTX)" and MS-EVEN6 §2.2.x).

export const VT = {
  NULL: 0x00,
  STRING: 0x01,
  ANSI_STRING: 0x02,
  INT8: 0x03,
  UINT8: 0x04,
  INT16: 0x05,
  UINT16: 0x06,
  INT32: 0x07,
  UINT32: 0x08,
  INT64: 0x09,
  UINT64: 0x0a,
  REAL32: 0x0b,
  REAL64: 0x0c,
  BOOL: 0x0d,
  BINARY: 0x0e,
  GUID: 0x0f,
  SIZE_T: 0x10,
  FILETIME: 0x11,
  SYSTEMTIME: 0x12,
  SID: 0x13,
  HEX_INT32: 0x14,
  HEX_INT64: 0x15,
  BINXML: 0x21,
  ARRAY: 0x80,
} as const;

/** 100-ns intervals between 1601-01-01 and 1970-01-01. */
const FILETIME_EPOCH_OFFSET = 116444736000000000n;

export function filetimeToIso(lo: number, hi: number): string {
  const ft = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  if (ft === 0n) return '';
  const ms = Number((ft - FILETIME_EPOCH_OFFSET) / 10000n);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '';
  // Keep the 100-ns precision Windows shows (7 fractional digits).
  const frac = (((ft - FILETIME_EPOCH_OFFSET) % 10000000n) + 10000000n) % 10000000n;
  return d.toISOString().slice(0, 19) + '.' + frac.toString().padStart(7, '0') + 'Z';
}

function hex(n: bigint | number, width: number): string {
  return '0x' + n.toString(16).padStart(width, '0');
}

function guid(b: Buffer, o: number): string {
  const h = (s: number, e: number) => b.subarray(o + s, o + e).toString('hex');
  const d1 = b.readUInt32LE(o).toString(16).padStart(8, '0');
  const d2 = b
    .readUInt16LE(o + 4)
    .toString(16)
    .padStart(4, '0');
  const d3 = b
    .readUInt16LE(o + 6)
    .toString(16)
    .padStart(4, '0');
  return `{${d1}-${d2}-${d3}-${h(8, 10)}-${h(10, 16)}}`.toUpperCase();
}

function sid(b: Buffer, o: number, size: number): string {
  if (size < 8) return '';
  const rev = b[o];
  const count = b[o + 1];
  let auth = 0;
  for (let i = 0; i < 6; i++) auth = auth * 256 + b[o + 2 + i];
  let s = `S-${rev}-${auth}`;
  for (let i = 0; i < count && 8 + 4 * i + 4 <= size; i++) s += `-${b.readUInt32LE(o + 8 + 4 * i)}`;
  return s;
}

function utf16(b: Buffer, o: number, size: number): string {
  let s = b.toString('utf16le', o, o + (size & ~1));
  const nul = s.indexOf('\u0000');
  if (nul >= 0) s = s.slice(0, nul);
  return s;
}

const FIXED_SIZE: Record<number, number> = {
  [VT.INT8]: 1,
  [VT.UINT8]: 1,
  [VT.INT16]: 2,
  [VT.UINT16]: 2,
  [VT.INT32]: 4,
  [VT.UINT32]: 4,
  [VT.INT64]: 8,
  [VT.UINT64]: 8,
  [VT.REAL32]: 4,
  [VT.REAL64]: 8,
  [VT.BOOL]: 4,
  [VT.GUID]: 16,
  [VT.FILETIME]: 8,
  [VT.SYSTEMTIME]: 16,
  [VT.HEX_INT32]: 4,
  [VT.HEX_INT64]: 8,
};

/** Renders a non-BinXml value of `type` stored in b[o, o+size) as text. */
export function decodeValue(b: Buffer, o: number, size: number, type: number): string {
  if (size <= 0) return '';
  if (type & VT.ARRAY) {
    const base = type & ~VT.ARRAY;
    if (base === VT.STRING) {
      return b
        .toString('utf16le', o, o + (size & ~1))
        .split('\u0000')
        .filter((x) => x !== '')
        .join(', ');
    }
    const each = base === VT.SIZE_T ? 8 : FIXED_SIZE[base];
    if (!each) return b.toString('hex', o, o + size);
    const out: string[] = [];
    for (let p = o; p + each <= o + size; p += each) out.push(decodeValue(b, p, each, base));
    return out.join(', ');
  }
  switch (type) {
    case VT.NULL:
      return '';
    case VT.STRING:
      return utf16(b, o, size);
    case VT.ANSI_STRING: {
      const s = b.toString('latin1', o, o + size);
      const nul = s.indexOf('\u0000');
      return nul >= 0 ? s.slice(0, nul) : s;
    }
    case VT.INT8:
      return String(b.readInt8(o));
    case VT.UINT8:
      return String(b[o]);
    case VT.INT16:
      return String(b.readInt16LE(o));
    case VT.UINT16:
      return String(b.readUInt16LE(o));
    case VT.INT32:
      return String(b.readInt32LE(o));
    case VT.UINT32:
      return String(b.readUInt32LE(o));
    case VT.INT64:
      return b.readBigInt64LE(o).toString();
    case VT.UINT64:
      return b.readBigUInt64LE(o).toString();
    case VT.REAL32:
      return String(b.readFloatLE(o));
    case VT.REAL64:
      return String(b.readDoubleLE(o));
    case VT.BOOL:
      return b.readUInt32LE(o) !== 0 ? 'true' : 'false';
    case VT.BINARY:
      return b.toString('hex', o, o + size).toUpperCase();
    case VT.GUID:
      return size >= 16 ? guid(b, o) : '';
    case VT.SIZE_T:
      return size === 8 ? hex(b.readBigUInt64LE(o), 16) : hex(b.readUInt32LE(o), 8);
    case VT.FILETIME:
      return size >= 8 ? filetimeToIso(b.readUInt32LE(o), b.readUInt32LE(o + 4)) : '';
    case VT.SYSTEMTIME: {
      if (size < 16) return '';
      const [y, mo, , d, h, mi, s, ms] = [0, 2, 4, 6, 8, 10, 12, 14].map((k) => b.readUInt16LE(o + k));
      const p = (n: number, w = 2) => String(n).padStart(w, '0');
      return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}.${p(ms, 3)}Z`;
    }
    case VT.SID:
      return sid(b, o, size);
    case VT.HEX_INT32:
      return hex(b.readUInt32LE(o), 8);
    case VT.HEX_INT64:
      return hex(b.readBigUInt64LE(o), 16);
    default:
      return b.toString('hex', o, o + size);
  }
}
