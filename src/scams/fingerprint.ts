// From text to what the index compares: normalised tokens, their shingles and the MinHash signature.

import { MIN_SHINGLES, type Signature, shingles, signature } from './minhash.js';
import { type NormaliseOptions, splitNormalised, tokenise } from './normalise.js';

export interface Fingerprint {
  /** Normalised tokens joined by spaces. */
  normalised: string;
  shingles: Uint32Array;
  signature: Signature;
  /** False when the text is too short to compare meaningfully (fewer than MIN_SHINGLES shingles). */
  usable: boolean;
}

export function fingerprintTokens(tokens: readonly string[]): Fingerprint {
  const sh = shingles(tokens);
  return {
    normalised: tokens.join(' '),
    shingles: sh,
    signature: signature(sh),
    usable: sh.length >= MIN_SHINGLES,
  };
}

/** Fingerprint of raw text (a message's subject and body). */
export function fingerprintText(text: string, options: NormaliseOptions = {}): Fingerprint {
  return fingerprintTokens(tokenise(text, options).map((t) => t.norm));
}

/** Fingerprint of text that is already normalised (as stored). */
export function fingerprintNormalised(normalised: string): Fingerprint {
  return fingerprintTokens(splitNormalised(normalised));
}
