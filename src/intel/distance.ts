// String distances for typosquat detection: Damerau–Levenshtein (optimal string alignment) with an
// early exit, and QWERTY key adjacency for "fat finger" substitutions.

/** Longest strings compared by the DP; longer ones are cut (bounds work on hostile input). */
export const MAX_EDIT_INPUT = 256;

// Reused rows: the DP runs millions of times in a bulk check, allocation dominated its cost.
let rowA = new Int32Array(MAX_EDIT_INPUT + 1);
let rowB = new Int32Array(MAX_EDIT_INPUT + 1);
let rowC = new Int32Array(MAX_EDIT_INPUT + 1);

/** True when a and b are at most one substitution, insertion, deletion or adjacent swap apart. */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === la && i === lb) return true;
  // Compare the tails after skipping one character in a and/or b, without allocating.
  const tailsEqual = (ia: number, ib: number) => {
    if (la - ia !== lb - ib) return false;
    for (; ia < la; ia++, ib++) if (a.charCodeAt(ia) !== b.charCodeAt(ib)) return false;
    return true;
  };
  if (la === lb) {
    if (tailsEqual(i + 1, i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && tailsEqual(i + 2, i + 2); // adjacent swap
  }
  return la > lb ? tailsEqual(i + 1, i) : tailsEqual(i, i + 1);
}

/** OSA distance between a and b, or `max + 1` as soon as it must exceed `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (max === 1) return withinOneEdit(a, b) ? 1 : 2;
  if (a.length > MAX_EDIT_INPUT) a = a.slice(0, MAX_EDIT_INPUT);
  if (b.length > MAX_EDIT_INPUT) b = b.slice(0, MAX_EDIT_INPUT);
  const n = b.length;
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj)
        v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  rowA = prev2;
  rowB = prev;
  rowC = cur;
  return prev[n];
}

const QWERTY_ROWS = ['1234567890-', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

const KEY_POS = new Map<string, [number, number]>();
QWERTY_ROWS.forEach((row, r) => {
  for (let c = 0; c < row.length; c++) KEY_POS.set(row[c], [r, c + r * 0.5]);
});

/** True when two keys touch on a QWERTY keyboard (same row ±1, or diagonal neighbours). */
export function keysAdjacent(a: string, b: string): boolean {
  const pa = KEY_POS.get(a);
  const pb = KEY_POS.get(b);
  if (!pa || !pb || a === b) return false;
  const dr = Math.abs(pa[0] - pb[0]);
  const dc = Math.abs(pa[1] - pb[1]);
  return (dr === 0 && dc === 1) || (dr === 1 && dc <= 1);
}

/**
 * When a and b have the same length and differ in exactly one position by adjacent keys, or
 * b has one extra key next to one of its neighbours in a (double strike), returns true.
 */
export function isKeyboardTypo(a: string, b: string): boolean {
  if (a.length === b.length) {
    let diff = -1;
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) {
        if (diff >= 0) return false;
        diff = i;
      }
    }
    return diff >= 0 && keysAdjacent(a[diff], b[diff]);
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (long.length !== short.length + 1) return false;
  for (let i = 0; i < long.length; i++) {
    if (long.slice(0, i) + long.slice(i + 1) === short) {
      const extra = long[i];
      const near = (k: string | undefined) => k !== undefined && (k === extra || keysAdjacent(extra, k));
      if (near(long[i - 1]) || near(long[i + 1])) return true;
    }
  }
  return false;
}
