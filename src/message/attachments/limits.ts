// Limits on exploding attachments. Every attachment is attacker-supplied: each limit below stops one
// way a small message could make the analysis use unbounded time or memory.

/**
 * How deep archives, documents and forwarded messages may nest (top-level attachment = depth 0).
 * Stops recursive "zip quines" and archive-in-archive bombs (42.zip nests 5 levels of 16 archives).
 */
export const MAX_DEPTH = 6;

/**
 * Total bytes decompressed out of archives and containers for one message. Stops compression bombs:
 * a 10 KB zip can inflate to gigabytes. Counts bytes unpacked; the parser's own parts are already in memory.
 */
export const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

/** Entries listed per archive. Stops archives with millions of tiny entries (CPU and memory). */
export const MAX_ARCHIVE_ENTRIES = 1000;

/** Archive members unpacked and analysed per archive (the rest are listed only). */
export const MAX_MEMBERS_EXPLODED = 100;

/** Files produced in total for one message (attachments + nested members). Stops fan-out bombs. */
export const MAX_FILES = 500;

/**
 * Declared uncompressed size over compressed size beyond which a zip member is a bomb and is not
 * inflated. Real documents compress well under 100:1; bombs use ~1000:1 and more.
 */
export const MAX_COMPRESSION_RATIO = 200;

/** Image pixels decoded when looking for QR codes. A 1 KB PNG can claim 65535×65535 pixels (16 GB RGBA). */
export const MAX_IMAGE_PIXELS = 4_000_000;

/** Images decoded for QR codes per message: decoding is the costliest step, newsletters carry dozens. */
export const MAX_IMAGES_SCANNED = 12;

/**
 * Pixels decoded for QR codes per message, all images together. Decoding costs about 10 ms per
 * megapixel in pure JS; a message of many large photos must not stall the pipeline.
 */
export const MAX_QR_PIXELS_PER_MESSAGE = 8_000_000;

/** Bytes of a PDF scanned for actions. Stops slow scans over huge PDFs; actions sit near objects anyway. */
export const MAX_PDF_SCAN_BYTES = 8 * 1024 * 1024;

/** Bytes inflated out of PDF streams in total per PDF. Stops FlateDecode bombs. */
export const MAX_PDF_INFLATE_BYTES = 16 * 1024 * 1024;

/** Streams inflated per PDF. Stops PDFs with hundreds of thousands of tiny streams. */
export const MAX_PDF_STREAMS = 2000;

/** Characters of an HTML attachment parsed. Stops multi-megabyte HTML from dominating the budget. */
export const MAX_HTML_CHARS = 4 * 1024 * 1024;

/** Links kept per attachment. Stops a generated HTML/PDF with a million links from bloating the report. */
export const MAX_LINKS_PER_FILE = 500;

/** Bytes of decompressed VBA source kept per module (keywords are found near the top of macros). */
export const MAX_VBA_SOURCE_BYTES = 1024 * 1024;

export interface ExplodeLimits {
  maxDepth: number;
  maxTotalBytes: number;
}

/**
 * Resolve caller options into limits. A 0, negative, NaN or non-number never switches a limit off:
 * callers may forward request-supplied options, so anything invalid falls back to the default.
 */
export function resolveLimits(opts?: { maxDepth?: unknown; maxTotalBytes?: unknown }): ExplodeLimits {
  return {
    maxDepth: positiveInt(opts?.maxDepth, MAX_DEPTH, true),
    maxTotalBytes: positiveInt(opts?.maxTotalBytes, MAX_TOTAL_BYTES, false),
  };
}

function positiveInt(value: unknown, fallback: number, allowZero: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  const n = Math.floor(value);
  if (n < 0 || (n === 0 && !allowZero)) return fallback;
  // An option may tighten a limit but never loosen it beyond the default.
  return Math.min(n, fallback);
}
