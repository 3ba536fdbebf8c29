// PowerShell's `-like` operator, which Test-ProxyLogon uses for its AnchorMailbox conditions.
// Case-insensitive; `*` = any run, `?` = one character, `[..]` = a character class.
// Patterns without a class are matched with the linear two-pointer wildcard algorithm rather than a
// RegExp: a pattern with several `*` compiled to a RegExp backtracks polynomially on a long crafted
// value (an attacker chooses the AnchorMailbox text).

const cache = new Map<string, RegExp>();

/** Compiles a -like pattern to an anchored, case-insensitive RegExp (cached: patterns are constants). */
export function likeToRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) return re;
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') src += '[\\s\\S]*';
    else if (c === '?') src += '[\\s\\S]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close > i + 1) {
        src += '[' + pattern.slice(i + 1, close).replace(/[\\^]/g, '\\$&') + ']';
        i = close;
      } else src += '\\[';
    } else src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  re = new RegExp('^' + src + '$', 'i');
  cache.set(pattern, re);
  return re;
}

/** Wildcard match with `*` and `?` in O(value × pattern) time, case-insensitive. */
function globMatch(value: string, pattern: string): boolean {
  const v = value.toLowerCase();
  const p = pattern.toLowerCase();
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (i < v.length) {
    if (j < p.length && (p[j] === '?' || p[j] === v[i])) {
      i++;
      j++;
    } else if (j < p.length && p[j] === '*') {
      star = j++;
      mark = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++mark;
    } else return false;
  }
  while (j < p.length && p[j] === '*') j++;
  return j === p.length;
}

export function like(value: string | undefined, pattern: string): boolean {
  if (pattern.includes('[')) return likeToRegExp(pattern).test(value ?? '');
  return globMatch(value ?? '', pattern);
}
