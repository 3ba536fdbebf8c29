// A light PDF scanner: not a renderer, just the keys that make a PDF act on its own (JavaScript,
// open actions, launching programs, embedded files, form submission) and the URIs it links to.
// Object streams (/ObjStm) are inflated so that keys hidden in compressed objects are seen too.

import { constants, inflateSync } from 'node:zlib';
import type { AttachmentObservation } from '../../types.js';
import { MAX_LINKS_PER_FILE, MAX_PDF_INFLATE_BYTES, MAX_PDF_SCAN_BYTES, MAX_PDF_STREAMS } from './limits.js';

export function looksLikePdf(buf: Uint8Array): boolean {
  // Readers accept the header anywhere in the first kilobyte; so must we.
  const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.byteLength, 1024)).toString('latin1');
  return head.includes('%PDF-');
}

export interface PdfFindings {
  observations: AttachmentObservation[];
  uris: string[];
  problems: string[];
}

/** Names delimited as PDF does: followed by a delimiter or whitespace, so /JS does not match /JSON. */
const key = (name: string): RegExp => new RegExp(`/${name}(?=[\\s/<>\\[\\]()%]|$)`, 'g');

const KEYS = {
  javascript: key('JavaScript'),
  js: key('JS'),
  openAction: key('OpenAction'),
  aa: key('AA'),
  launch: key('Launch'),
  embeddedFile: key('EmbeddedFiles?'),
  submitForm: key('SubmitForm'),
  importData: key('ImportData'),
  goToR: key('GoToR'),
  goToE: key('GoToE'),
  richMedia: key('RichMedia'),
  xfa: key('XFA'),
  encrypt: key('Encrypt'),
  objStm: key('ObjStm'),
};

/** `#xx` escapes in names (/J#61vaScript) are legal and used to hide keys from naive scanners. */
function normaliseNames(text: string): string {
  return text.replace(/\/[^\s/<>[\]()%{}]*#[0-9A-Fa-f]{2}[^\s/<>[\]()%{}]*/g, (name) =>
    name.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
  );
}

function count(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text) !== null) n++;
  return n;
}

/** Inflate /FlateDecode object streams; returns their text. Bounded in count and in output bytes. */
function inflateObjectStreams(bytes: Buffer, text: string, problems: string[]): string[] {
  const out: string[] = [];
  let budget = MAX_PDF_INFLATE_BYTES;
  let streams = 0;
  const re = /stream\r?\n/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (text.slice(Math.max(0, m.index - 3), m.index) === 'end') continue;
    const dictStart = text.lastIndexOf('obj', m.index);
    const dict = text.slice(
      dictStart < 0 || m.index - dictStart > 4096 ? Math.max(0, m.index - 4096) : dictStart,
      m.index,
    );
    if (!/\/ObjStm\b/.test(dict) || !/\/FlateDecode\b/.test(dict)) continue;
    if (++streams > MAX_PDF_STREAMS || budget <= 0) {
      problems.push('the PDF has too many compressed object streams; not all were read');
      break;
    }
    const start = m.index + m[0].length;
    let end = text.indexOf('endstream', start);
    if (end < 0) end = text.length;
    try {
      // Z_SYNC_FLUSH keeps what inflated before a truncation instead of throwing it away.
      const data = inflateSync(bytes.subarray(start, end), {
        maxOutputLength: budget,
        finishFlush: constants.Z_SYNC_FLUSH,
      });
      budget -= data.length;
      out.push(data.toString('latin1'));
    } catch (e) {
      if ((e as Error & { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        problems.push(
          'a compressed part of the PDF inflates beyond the size limit (a possible decompression bomb)',
        );
        budget = 0;
      }
      // Corrupt streams are common in real PDFs; skip them.
    }
    re.lastIndex = end;
  }
  return out;
}

/** Read a PDF literal string starting at '(' : balanced parentheses and backslash escapes. */
export function readLiteralString(text: string, open: number): string | undefined {
  let depth = 0;
  let out = '';
  for (let i = open; i < text.length && i < open + 8192; i++) {
    const c = text[i];
    if (c === '\\') {
      const n = text[++i];
      if (n === undefined) return undefined;
      const esc: Record<string, string> = {
        n: '\n',
        r: '\r',
        t: '\t',
        b: '\b',
        f: '\f',
        '(': '(',
        ')': ')',
        '\\': '\\',
      };
      if (n in esc) out += esc[n];
      else if (/[0-7]/.test(n)) {
        let oct = n;
        while (oct.length < 3 && /[0-7]/.test(text[i + 1] ?? '')) oct += text[++i];
        out += String.fromCharCode(Number.parseInt(oct, 8) & 0xff);
      } else if (n === '\r' || n === '\n') {
        if (n === '\r' && text[i + 1] === '\n') i++;
      } else out += n;
      continue;
    }
    if (c === '(') {
      if (depth++ > 0) out += c;
      continue;
    }
    if (c === ')') {
      if (--depth === 0) return out;
      out += c;
      continue;
    }
    out += c;
  }
  return undefined;
}

function readHexString(text: string, open: number): string | undefined {
  const close = text.indexOf('>', open);
  if (close < 0 || close - open > 8192) return undefined;
  const hex = text.slice(open + 1, close).replace(/\s+/g, '');
  if (!/^[0-9A-Fa-f]*$/.test(hex)) return undefined;
  const padded = hex.length % 2 ? `${hex}0` : hex;
  return Buffer.from(padded, 'hex').toString('latin1');
}

function extractUris(text: string, into: Set<string>): void {
  const re = /\/URI\s*([(<])/g;
  for (let m = re.exec(text); m !== null && into.size < MAX_LINKS_PER_FILE; m = re.exec(text)) {
    const open = m.index + m[0].length - 1;
    const s = m[1] === '(' ? readLiteralString(text, open) : readHexString(text, open);
    const uri = s ? decodePdfText(s).trim() : '';
    if (uri) into.add(uri);
  }
}

/** Addresses written in inline JavaScript (/JS (...)), e.g. app.launchURL("https://..."). */
function extractScriptUrls(text: string, into: Set<string>): void {
  const re = /\/JS\s*\(/g;
  for (let m = re.exec(text); m !== null && into.size < MAX_LINKS_PER_FILE; m = re.exec(text)) {
    const script = readLiteralString(text, m.index + m[0].length - 1);
    if (!script) continue;
    for (const u of decodePdfText(script).matchAll(/\bhttps?:\/\/[^\s"'`<>\\)]+/g)) into.add(u[0]);
  }
}

/** PDF text strings may be UTF-16BE with a BOM. */
function decodePdfText(s: string): string {
  if (s.charCodeAt(0) === 0xfe && s.charCodeAt(1) === 0xff) {
    return new TextDecoder('utf-16be').decode(Buffer.from(s.slice(2), 'latin1'));
  }
  return s;
}

/** The program a /Launch action starts (/F or /Win << /F >>), when written as a literal string. */
function launchTargets(text: string): string[] {
  const out: string[] = [];
  const re = /\/Launch\b[\s\S]{0,300}?\/F\s*\(/g;
  for (let m = re.exec(text); m !== null && out.length < 5; m = re.exec(text)) {
    const s = readLiteralString(text, m.index + m[0].length - 1);
    if (s) out.push(s);
  }
  return out;
}

export function inspectPdf(content: Uint8Array): PdfFindings {
  const result: PdfFindings = { observations: [], uris: [], problems: [] };
  const bytes = Buffer.from(
    content.buffer,
    content.byteOffset,
    Math.min(content.byteLength, MAX_PDF_SCAN_BYTES),
  );
  if (content.byteLength > MAX_PDF_SCAN_BYTES)
    result.problems.push('the PDF is large; only its first part was scanned');
  const raw = bytes.toString('latin1');
  const texts = [raw, ...inflateObjectStreams(bytes, raw, result.problems)].map(normaliseNames);
  const n = (re: RegExp): number => texts.reduce((sum, t) => sum + count(re, t), 0);

  const encrypted = n(KEYS.encrypt) > 0;
  const js = n(KEYS.javascript) + n(KEYS.js);
  const openAction = n(KEYS.openAction);
  const aa = n(KEYS.aa);
  const launch = n(KEYS.launch);
  const embedded = n(KEYS.embeddedFile);
  const submit = n(KEYS.submitForm) + n(KEYS.importData);
  const remoteGoTo = n(KEYS.goToR) + n(KEYS.goToE);
  const richMedia = n(KEYS.richMedia) + n(KEYS.xfa);

  if (js > 0) {
    result.observations.push({
      code: 'pdf-javascript',
      detail: 'The PDF contains JavaScript, which runs inside the PDF reader',
      evidence: { count: js, autoRun: openAction + aa > 0 },
    });
  }
  if (openAction + aa > 0) {
    result.observations.push({
      code: 'pdf-auto-action',
      detail: 'The PDF does something by itself as soon as it is opened',
      evidence: { openAction, additionalActions: aa },
    });
  }
  if (launch > 0) {
    const targets = texts.flatMap(launchTargets);
    result.observations.push({
      code: 'pdf-launch',
      detail: `The PDF tries to start a program on the computer${targets.length ? ` (${targets[0]})` : ''}`,
      evidence: { count: launch, targets },
    });
  }
  if (embedded > 0) {
    result.observations.push({
      code: 'pdf-embedded-file',
      detail: 'The PDF carries another file inside it',
      evidence: { count: embedded },
    });
  }
  if (submit > 0) {
    result.observations.push({
      code: 'pdf-submit-form',
      detail: 'The PDF contains a form that sends what is typed into it somewhere',
      evidence: { count: submit },
    });
  }
  if (remoteGoTo > 0) {
    result.observations.push({
      code: 'pdf-remote-goto',
      detail: 'The PDF opens another, remote document',
      evidence: { count: remoteGoTo },
    });
  }
  if (richMedia > 0) {
    result.observations.push({
      code: 'pdf-rich-media',
      detail: 'The PDF contains Flash or XFA forms, both long abused to attack PDF readers',
      evidence: { count: richMedia },
    });
  }
  if (encrypted) {
    result.observations.push({
      code: 'pdf-encrypted',
      detail: 'The PDF is encrypted, so its links could not be read',
    });
    result.problems.push('the PDF is encrypted; its links could not be read');
  } else {
    const uris = new Set<string>();
    for (const t of texts) extractUris(t, uris);
    for (const t of texts) extractScriptUrls(t, uris);
    result.uris = [...uris];
  }
  return result;
}
