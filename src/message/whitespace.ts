// Whitespace clean-up of text taken out of HTML, in one pass. The two readers used chains of regular
// expressions (`[ \t\u00a0]+` to one space, then `\s*\n\s*` or `\n\s*\n+`, then trim); on an
// ordinary body that cost more than the rest of building the text. These give the same strings
// (property-tested against the regular expressions).

/** JavaScript's `\s` (and what `trim` removes). */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Space, tab or no-break space: what `[ \t\u00a0]+` collapses. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 0xa0;
}

/** `s.slice(from, to)` (all whitespace) with every run of blanks made one space. */
function collapsed(s: string, from: number, to: number): string {
  if (to - from === 1) return isBlank(s.charCodeAt(from)) ? ' ' : s[from];
  let out = '';
  for (let i = from; i < to; ) {
    if (isBlank(s.charCodeAt(i))) {
      while (i < to && isBlank(s.charCodeAt(i))) i++;
      out += ' ';
    } else {
      out += s[i];
      i++;
    }
  }
  return out;
}

const NEWLINE = 0x0a;

/**
 * Rewrites every maximal run of whitespace with `run(s, from, to, firstNewline, lastNewline)`
 * (newline positions -1 when none), then trims. A lone space, the usual run, is kept as it is.
 */
function rewriteRuns(
  s: string,
  run: (s: string, from: number, to: number, firstNl: number, lastNl: number) => string,
): string {
  let out = '';
  let kept = 0;
  const n = s.length;
  for (let i = 0; i < n; ) {
    const c = s.charCodeAt(i);
    if (!isSpace(c)) {
      i++;
      continue;
    }
    let j = i;
    let firstNl = -1;
    let lastNl = -1;
    for (; j < n; j++) {
      const d = s.charCodeAt(j);
      if (!isSpace(d)) break;
      if (d === NEWLINE) {
        if (firstNl < 0) firstNl = j;
        lastNl = j;
      }
    }
    if (!(c === 32 && j === i + 1)) {
      out += s.slice(kept, i) + run(s, i, j, firstNl, lastNl);
      kept = j;
    }
    i = j;
  }
  return (kept === 0 ? s : out + s.slice(kept)).trim();
}

/**
 * Same as `s.replace(/[ \t\u00a0]+/g, ' ')`, then every match of `\s*\n\s*` (global) replaced by
 * '\n', then `trim()`: any whitespace holding a line break becomes one line break.
 */
export function collapseToLines(s: string): string {
  return rewriteRuns(s, (t, from, to, firstNl) => (firstNl < 0 ? collapsed(t, from, to) : '\n'));
}

/**
 * Same as `s.replace(/[ \t\u00a0]+/g, ' ').replace(/\n\s*\n+/g, '\n\n').trim()`: two or more line
 * breaks (with whitespace between them) become one blank line, whitespace around them stays.
 */
export function collapseToParagraphs(s: string): string {
  return rewriteRuns(s, (t, from, to, firstNl, lastNl) =>
    firstNl === lastNl
      ? collapsed(t, from, to)
      : `${collapsed(t, from, firstNl)}\n\n${collapsed(t, lastNl + 1, to)}`,
  );
}
