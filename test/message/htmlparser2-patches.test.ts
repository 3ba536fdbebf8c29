// The tokenizer's fast paths against its own states: the originals are captured before the patch is
// installed (each test file runs in its own module graph), then both parse the same HTML.

import fc from 'fast-check';
import { Parser, type ParserOptions, Tokenizer } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { installHtmlParserPatches, tokenizerMatchesLibrary } from '../../src/message/htmlparser2-patches.js';

const proto = Tokenizer.prototype as unknown as Record<string, unknown>;
const own = { stateText: proto.stateText, handleInAttributeValue: proto.handleInAttributeValue };
const matchedBefore = tokenizerMatchesLibrary(proto);
const installed = installHtmlParserPatches();
const patched = { stateText: proto.stateText, handleInAttributeValue: proto.handleInAttributeValue };

/** Every event the parser reports, in order, for HTML written in the given chunks. */
function events(chunks: string[], options: ParserOptions): unknown[] {
  const out: unknown[] = [];
  const parser = new Parser(
    {
      onopentag: (name, attribs) => out.push(['open', name, attribs]),
      onclosetag: (name, implied) => out.push(['close', name, implied]),
      ontext: (text) => out.push(['text', text]),
      oncomment: (text) => out.push(['comment', text]),
      onprocessinginstruction: (name, data) => out.push(['pi', name, data]),
      oncdatastart: () => out.push(['cdata']),
    },
    options,
  );
  for (const c of chunks) parser.write(c);
  parser.end();
  return out;
}

function ownEvents(chunks: string[], options: ParserOptions): unknown[] {
  Object.assign(proto, own);
  try {
    return events(chunks, options);
  } finally {
    Object.assign(proto, patched);
  }
}

const piece = fc.constantFrom(
  '<',
  '>',
  '</',
  '/>',
  '&',
  '&amp;',
  '&#x41;',
  '&#65',
  '&nbsp',
  '&notin;',
  '"',
  "'",
  '=',
  ' ',
  '\n',
  'a',
  'text ',
  'é',
  '<a href="',
  '<img alt=',
  "<p style='",
  '<div class=x ',
  '<script>',
  '</script>',
  '<title>',
  '</title>',
  '<style>',
  '<!--',
  '-->',
  '<![CDATA[',
  '<!DOCTYPE html>',
  '<?xml ?>',
);
const html = fc.array(piece, { maxLength: 60 }).map((p) => p.join(''));
/** The HTML and where to cut it into chunks (the tokenizer keeps an offset across writes). */
const chunked = fc.tuple(html, fc.array(fc.nat(), { maxLength: 3 })).map(([s, cuts]) => {
  const at = [...new Set(cuts.map((c) => c % (s.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((from, i) => s.slice(from, [...at, s.length][i]));
});

describe('htmlparser2 tokenizer fast paths', () => {
  it('are installed for the htmlparser2 version they were written against', () => {
    expect(matchedBefore).toBe(true);
    expect(installed).toBe(true);
    expect(patched.stateText).not.toBe(own.stateText);
    expect(patched.handleInAttributeValue).not.toBe(own.handleInAttributeValue);
  });

  it('report the same events as the tokenizer’s own states, in one write or several', () => {
    for (const options of [
      { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
      { decodeEntities: false },
      { decodeEntities: true, xmlMode: true },
    ])
      fc.assert(
        fc.property(chunked, (chunks) => {
          expect(events(chunks, options)).toEqual(ownEvents(chunks, options));
        }),
        { numRuns: 400 },
      );
  });

  it('keep text, entities and long attribute values whole', () => {
    const long = `<p title="${'x'.repeat(500)}&amp;y">${'word '.repeat(200)}&lt;b&gt;</p>`;
    const options = { decodeEntities: true };
    expect(events([long], options)).toEqual(ownEvents([long], options));
    expect(events([long], options)[0]).toEqual(['open', 'p', { title: `${'x'.repeat(500)}&y` }]);
  });

  it('are left out for tokenizer code they were not written against', () => {
    expect(tokenizerMatchesLibrary({ ...own, parse: proto.parse })).toBe(true);
    expect(tokenizerMatchesLibrary({ ...own, parse: () => undefined })).toBe(false);
  });
});
