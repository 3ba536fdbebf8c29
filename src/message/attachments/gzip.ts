// Gzip: one compressed file (often a .tar). Inflated within the message's byte budget.

import { gunzipSync } from 'node:zlib';
import type { ByteBudget } from './zip.js';

export function looksLikeGzip(buf: Uint8Array): boolean {
  return buf[0] === 0x1f && buf[1] === 0x8b && buf[2] === 0x08;
}

export type GunzipOutcome = { content: Uint8Array; name?: string } | { error: string; bomb?: boolean };

/** The name stored in the gzip header (FNAME), when there is one. */
function storedName(buf: Uint8Array): string | undefined {
  const flags = buf[3];
  if (!(flags & 0x08)) return undefined;
  let pos = 10;
  if (flags & 0x04) pos += 2 + (buf[10] | (buf[11] << 8)); // FEXTRA
  const end = buf.indexOf(0, pos);
  if (end < 0 || end - pos > 255) return undefined;
  return Buffer.from(buf.subarray(pos, end)).toString('latin1');
}

export function gunzip(content: Uint8Array, budget: ByteBudget): GunzipOutcome {
  if (budget.remaining <= 0) return { error: 'the unpacking budget is spent' };
  try {
    const out = gunzipSync(content, { maxOutputLength: budget.remaining });
    budget.remaining -= out.length;
    return { content: out, name: storedName(content) };
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === 'ERR_BUFFER_TOO_LARGE')
      return { error: 'it inflates beyond what is left of the unpacking budget', bomb: true };
    return { error: `the gzip data is damaged (${err.message})` };
  }
}
