// htmlparser2's tokenizer reads a character at a time through its state switch. With entity decoding
// on (as we parse), it does so even in text and quoted attribute values, where every character but
// '<' (text), the closing quote (attribute) and '&' (an entity) only moves it one place on. Long
// texts and long href/style values made this about a quarter of its time. The patched states skip
// straight to the next character that matters; what the tokenizer reports is the same (tested
// against its own states on random HTML). Applied only to the exact tokenizer code it was written
// against (htmlparser2 10.1.0, checked by source hashes); otherwise htmlparser2 runs as shipped.

import { Tokenizer } from 'htmlparser2';
import { methodsMatch } from './source-hash.js';

/** Source hashes of the methods patched, and of `parse`, whose loop moves one place after each state call. */
const EXPECTED_SOURCE = {
  parse: '51453f64551b9b3c',
  stateText: '880826a44d7d7de3',
  handleInAttributeValue: 'e7176bdfffa4cdab',
};

const LT = 0x3c;
const AMP = 0x26;

interface TokenizerState {
  buffer: string;
  index: number;
  offset: number;
  decodeEntities: boolean;
}

type StateText = (this: TokenizerState, c: number) => void;
type AttributeValue = (this: TokenizerState, c: number, quote: number) => void;

/**
 * Moves the tokenizer to just before the next `a` or `b` (or the end of the buffer): `parse` then
 * steps onto it, as it would have after visiting every character in between.
 */
function skipTo(t: TokenizerState, a: number, b: number): void {
  const buf = t.buffer;
  const n = buf.length;
  let i = t.index + 1 - t.offset;
  while (i < n) {
    const ch = buf.charCodeAt(i);
    if (ch === a || ch === b) break;
    i++;
  }
  t.index = i - 1 + t.offset;
}

/** True when htmlparser2's tokenizer is the code these patches were written against. */
export function tokenizerMatchesLibrary(proto: Record<string, unknown>): boolean {
  return methodsMatch(proto, EXPECTED_SOURCE);
}

let installed: boolean | undefined;

/** Patches the tokenizer once per process; returns whether the patch is in use. */
export function installHtmlParserPatches(): boolean {
  if (installed === undefined) {
    const proto = Tokenizer.prototype as unknown as Record<string, unknown>;
    installed = tokenizerMatchesLibrary(proto);
    if (installed) {
      const ownText = proto.stateText as StateText;
      const ownValue = proto.handleInAttributeValue as AttributeValue;
      proto.stateText = function (this: TokenizerState, c: number) {
        if (this.decodeEntities && c !== LT && c !== AMP) skipTo(this, LT, AMP);
        else ownText.call(this, c);
      } satisfies StateText;
      proto.handleInAttributeValue = function (this: TokenizerState, c: number, quote: number) {
        if (this.decodeEntities && c !== quote && c !== AMP) skipTo(this, quote, AMP);
        else ownValue.call(this, c, quote);
      } satisfies AttributeValue;
    }
  }
  return installed;
}
