// The message and the known scam it matches, side by side, with the passages they share marked, so
// a person can see for themselves that "this is the scam doing the rounds". Shared passages are runs
// of words covered by a shingle (SHINGLE_WORDS normalised words) that occurs in both texts.

import type { Finding, Message } from '../types.js';
import { messageText } from './message-text.js';
import { SHINGLE_WORDS } from './minhash.js';
import { splitNormalised, tokenise } from './normalise.js';

/** Text shown per side; the match is decided on the whole text, this only bounds the view. */
export const MAX_DISPLAY_CHARS = 6_000;
/** Lines per column in the terminal view. */
export const MAX_TERMINAL_LINES = 80;

export interface Segment {
  text: string;
  shared: boolean;
}

export interface ScamSide {
  id?: number;
  title: string;
  /** The stored normalised text. */
  excerpt: string;
  firstSeen?: string;
  similarity?: number;
}

export interface SharedPassages {
  /** The message text cut into shared and unshared segments (concatenated, they give the text back). */
  message: Segment[];
  /** The same for the scam's normalised text. */
  scam: Segment[];
  /** Fraction of the message's words inside a shared passage. */
  messageCoverage: number;
}

function shingleKeys(norms: readonly string[]): string[] {
  if (norms.length < SHINGLE_WORDS) return norms.length ? [norms.join(' ')] : [];
  const keys: string[] = [];
  for (let i = 0; i + SHINGLE_WORDS <= norms.length; i++)
    keys.push(norms.slice(i, i + SHINGLE_WORDS).join(' '));
  return keys;
}

/** Marks each word covered by a shingle that the other side contains too. */
function markShared(norms: readonly string[], other: Set<string>): boolean[] {
  const marked = new Array<boolean>(norms.length).fill(false);
  const keys = shingleKeys(norms);
  keys.forEach((key, i) => {
    if (!other.has(key)) return;
    const width = Math.min(SHINGLE_WORDS, norms.length);
    for (let j = i; j < i + width; j++) marked[j] = true;
  });
  return marked;
}

/** Cuts `text` into segments, given the [start, end) spans of its words and which words are shared. */
function segmentsOf(text: string, spans: { start: number; end: number }[], marked: boolean[]): Segment[] {
  const out: Segment[] = [];
  const push = (s: string, shared: boolean) => {
    if (!s) return;
    const last = out[out.length - 1];
    if (last && last.shared === shared) last.text += s;
    else out.push({ text: s, shared });
  };
  let pos = 0;
  for (let i = 0; i < spans.length; i++) {
    if (!marked[i]) continue;
    let j = i;
    while (j + 1 < spans.length && marked[j + 1]) j++;
    push(text.slice(pos, spans[i].start), false);
    push(text.slice(spans[i].start, spans[j].end), true);
    pos = spans[j].end;
    i = j;
  }
  push(text.slice(pos), false);
  return out;
}

/** Finds the passages the message text and the scam's normalised text have in common. */
export function sharedPassages(messageText: string, scamExcerpt: string): SharedPassages {
  const text = messageText.slice(0, MAX_DISPLAY_CHARS);
  const msgTokens = tokenise(text);
  const msgNorms = msgTokens.map((t) => t.norm);
  const scamNorms = splitNormalised(scamExcerpt);
  const msgMarked = markShared(msgNorms, new Set(shingleKeys(scamNorms)));
  const scamMarked = markShared(scamNorms, new Set(shingleKeys(msgNorms)));
  const scamSpans: { start: number; end: number }[] = [];
  let pos = 0;
  for (const n of scamNorms) {
    scamSpans.push({ start: pos, end: pos + n.length });
    pos += n.length + 1;
  }
  const scamText = scamNorms.join(' ');
  const shown = scamText.slice(0, MAX_DISPLAY_CHARS);
  const inView = scamSpans.filter((s) => s.end <= shown.length);
  return {
    message: segmentsOf(text, msgTokens, msgMarked),
    scam: segmentsOf(shown, inView, scamMarked),
    messageCoverage: msgMarked.length ? msgMarked.filter(Boolean).length / msgMarked.length : 0,
  };
}

function percent(x: number | undefined): string {
  return x === undefined ? '' : `${Math.round(x * 100)}%`;
}

function scamHeading(scam: ScamSide): string {
  const id = scam.id !== undefined ? ` #${scam.id}` : '';
  const seen = scam.firstSeen ? `, first seen ${scam.firstSeen}` : '';
  return `Known scam${id}: ${scam.title}${seen}`;
}

// ───────────────────────────── terminal ─────────────────────────────

interface Word {
  text: string;
  shared: boolean;
}

/** Words and line breaks of the segments; in plain mode shared runs are bracketed «like this». */
function wordsOf(segments: Segment[], color: boolean): (Word | '\n')[] {
  const out: (Word | '\n')[] = [];
  let glued = false;
  for (const seg of segments) {
    const pieces = seg.text.split(/(\n)/);
    const runStart = out.length;
    for (const piece of pieces) {
      if (piece === '\n') {
        out.push('\n');
        glued = false;
        continue;
      }
      const parts = piece.split(/[ \t\r\f\v\u00a0]+/);
      parts.forEach((w, k) => {
        if (!w) return;
        const prev = out[out.length - 1];
        // A word cut by a segment boundary ("ignore" + ".") stays one word on screen.
        if (k === 0 && prev && prev !== '\n' && glued) prev.text += w;
        else out.push({ text: w, shared: seg.shared });
      });
      glued = /\S$/.test(piece);
    }
    if (seg.shared && !color) {
      const words = out.slice(runStart).filter((w): w is Word => w !== '\n');
      if (words.length) {
        words[0].text = `«${words[0].text}`;
        words[words.length - 1].text = `${words[words.length - 1].text}»`;
      }
    }
  }
  return out;
}

/** Wraps words into lines of at most `width` visible characters. */
function wrap(words: (Word | '\n')[], width: number): Word[][] {
  const lines: Word[][] = [[]];
  let used = 0;
  for (const w of words) {
    if (w === '\n') {
      if (lines[lines.length - 1].length) lines.push([]);
      used = 0;
      continue;
    }
    let text = w.text;
    while (text.length > 0) {
      const line = lines[lines.length - 1];
      const need = (line.length ? 1 : 0) + Math.min(text.length, width);
      if (line.length && used + need > width) {
        lines.push([]);
        used = 0;
        continue;
      }
      const piece = text.slice(0, width);
      line.push({ text: piece, shared: w.shared });
      used += need;
      text = text.slice(piece.length);
      if (text) {
        lines.push([]);
        used = 0;
      }
    }
  }
  if (!lines[lines.length - 1].length) lines.pop();
  return lines;
}

function renderLine(line: Word[], width: number, color: boolean): string {
  const visible = line.map((w) => w.text).join(' ').length;
  const body = line.map((w) => (color && w.shared ? `\x1b[1;33m${w.text}\x1b[0m` : w.text)).join(' ');
  return body + ' '.repeat(Math.max(0, width - visible));
}

export interface TerminalOptions {
  /** Total width in characters (default 100). */
  width?: number;
  /** ANSI highlighting instead of «brackets». */
  color?: boolean;
}

/** Two columns for the terminal: the message on the left, the known scam on the right. */
export function sideBySideText(messageText: string, scam: ScamSide, options: TerminalOptions = {}): string {
  const width = Math.max(40, options.width ?? 100);
  const color = options.color ?? false;
  const gutter = ' │ ';
  const col = Math.floor((width - gutter.length) / 2);
  const shared = sharedPassages(messageText, scam.excerpt);
  const left = wrap(wordsOf(shared.message, color), col);
  const right = wrap(wordsOf(shared.scam, color), col);
  const head = [
    `${percent(scam.similarity) || 'Compared'} similar: ${scamHeading(scam)}`,
    color ? 'Shared passages are highlighted.' : 'Shared passages are marked «like this».',
    '',
    renderLine([{ text: 'This message', shared: false }], col, false) + gutter + 'Known scam (normalised)',
    '─'.repeat(col) + '─┼─' + '─'.repeat(col),
  ];
  const rows = Math.min(MAX_TERMINAL_LINES, Math.max(left.length, right.length));
  const body: string[] = [];
  for (let i = 0; i < rows; i++) {
    body.push(
      (renderLine(left[i] ?? [], col, color) + gutter + renderLine(right[i] ?? [], col, color)).trimEnd(),
    );
  }
  if (Math.max(left.length, right.length) > rows)
    body.push(`… (${Math.max(left.length, right.length) - rows} more lines)`);
  return [...head, ...body].join('\n') + '\n';
}

// ───────────────────────────── HTML ─────────────────────────────

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function segmentsHtml(segments: Segment[]): string {
  return segments.map((s) => (s.shared ? `<mark>${escapeHtml(s.text)}</mark>` : escapeHtml(s.text))).join('');
}

/** An HTML fragment for the report: two columns, shared passages in <mark>. Every text is escaped. */
export function sideBySideHtml(messageText: string, scam: ScamSide): string {
  const shared = sharedPassages(messageText, scam.excerpt);
  const pre = 'style="white-space:pre-wrap;word-break:break-word;margin:0"';
  return [
    '<div class="suspect-scam-compare">',
    `<p class="suspect-scam-compare-summary">${escapeHtml(`${percent(scam.similarity) || 'Compared'} similar: ${scamHeading(scam)}`)}</p>`,
    '<div class="suspect-scam-compare-columns" style="display:grid;grid-template-columns:1fr 1fr;gap:1em">',
    `<section><h4>This message</h4><pre ${pre}>${segmentsHtml(shared.message)}</pre></section>`,
    `<section><h4>${escapeHtml(scamHeading(scam))}</h4><pre ${pre}>${segmentsHtml(shared.scam)}</pre></section>`,
    '</div>',
    '</div>',
  ].join('\n');
}

// ───────────────────────────── from a finding ─────────────────────────────

/**
 * The side-by-side views for a `scam.known_match` finding of the 'scam-match' engine, or undefined
 * for any other finding. The finding's evidence carries the scam's text, so a stored report can be
 * rendered again without the scam store.
 */
export function scamComparison(
  message: Pick<Message, 'subject' | 'text' | 'html'>,
  finding: Pick<Finding, 'code' | 'evidence'>,
  options: TerminalOptions = {},
): { text: string; html: string } | undefined {
  const ev = finding.evidence;
  if (finding.code !== 'scam.known_match' || typeof ev.scamExcerpt !== 'string') return undefined;
  const scam: ScamSide = {
    id: typeof ev.scamId === 'number' ? ev.scamId : undefined,
    title: typeof ev.title === 'string' ? ev.title : 'known scam',
    excerpt: ev.scamExcerpt,
    firstSeen: typeof ev.firstSeen === 'string' ? ev.firstSeen : undefined,
    similarity: typeof ev.similarity === 'number' ? ev.similarity : undefined,
  };
  const text = messageText(message);
  return { text: sideBySideText(text, scam, options), html: sideBySideHtml(text, scam) };
}
