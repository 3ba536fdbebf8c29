// A small evaluator for the subset of YARA that the signature-base Exchange rules use, so they run
// without a native module: text strings (ascii, wide, nocase, fullword), hex strings (??, jumps,
// alternatives), regular expressions, and conditions with and/or/not, comparisons, filesize with
// KB/MB, uint8/16/32(at), "N of (set)" / "all of them" / "any of ($a*)", "$s at N", "$s in (a..b)",
// and #count. Each string compiles to a JavaScript RegExp run over the file as latin1 text (one
// character per byte, so offsets are byte offsets). A rule that uses anything else fails to compile
// and is reported, never silently skipped.

export class YaraSyntaxError extends Error {}

export interface YaraRule {
  name: string;
  tags: string[];
  meta: Record<string, string>;
  strings: Map<string, RegExp>;
  condition: Cond;
}

type Cond =
  | { k: 'bool'; v: boolean }
  | { k: 'num'; v: number }
  | { k: 'filesize' }
  | { k: 'uint'; bits: 8 | 16 | 32; be: boolean; at: Cond }
  | { k: 'str'; id: string }
  | { k: 'count'; id: string }
  | { k: 'at'; id: string; at: Cond }
  | { k: 'in'; id: string; from: Cond; to: Cond }
  | { k: 'of'; quant: 'all' | 'any' | 'none' | number; ids: string[] }
  | { k: 'not'; a: Cond }
  | { k: 'and' | 'or'; a: Cond; b: Cond }
  | { k: 'cmp'; op: string; a: Cond; b: Cond };

/** Matches recorded per string; enough for any count condition in the rules, bounded for hostile files. */
export const MAX_MATCHES_PER_STRING = 1000;

// ───────────── tokenizer ─────────────

interface Tok {
  t: 'id' | 'var' | 'cnt' | 'num' | 'str' | 'hex' | 're' | 'op' | 'eof';
  v: string;
  flags?: string;
}

function stripComments(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '"') {
      const start = i++;
      while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
      out += src.slice(start, ++i);
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
      out += ' ';
    } else if (c === '/' && /[=\s(]$/.test(out.trimEnd().slice(-1) || '=') && out.trimEnd().endsWith('=')) {
      // a regex string: copy verbatim up to the closing unescaped slash
      const start = i++;
      while (i < src.length && src[i] !== '/') i += src[i] === '\\' ? 2 : 1;
      out += src.slice(start, ++i);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < n && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      toks.push({ t: 'str', v: src.slice(i + 1, j) });
      i = j + 1;
    } else if (c === '{' && toks.length > 0 && toks[toks.length - 1].v === '=') {
      const j = src.indexOf('}', i);
      if (j < 0) throw new YaraSyntaxError('unterminated hex string');
      toks.push({ t: 'hex', v: src.slice(i + 1, j) });
      i = j + 1;
    } else if (c === '/' && toks.length > 0 && toks[toks.length - 1].v === '=') {
      let j = i + 1;
      while (j < n && src[j] !== '/') j += src[j] === '\\' ? 2 : 1;
      const body = src.slice(i + 1, j);
      let k = j + 1;
      while (k < n && /[is]/.test(src[k])) k++;
      toks.push({ t: 're', v: body, flags: src.slice(j + 1, k) });
      i = k;
    } else if (c === '$' || c === '#') {
      let j = i + 1;
      while (j < n && /[\w*]/.test(src[j])) j++;
      toks.push({ t: c === '$' ? 'var' : 'cnt', v: src.slice(i + 1, j) });
      i = j;
    } else if (/[0-9]/.test(c)) {
      const m = /^(0x[0-9a-fA-F]+|\d+)(KB|MB)?/.exec(src.slice(i, i + 24))!;
      let v = Number(m[1]);
      if (m[2] === 'KB') v *= 1024;
      if (m[2] === 'MB') v *= 1024 * 1024;
      toks.push({ t: 'num', v: String(v) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /\w/.test(src[j])) j++;
      toks.push({ t: 'id', v: src.slice(i, j) });
      i = j;
    } else {
      const two = src.slice(i, i + 2);
      if (['==', '!=', '<=', '>=', '..'].includes(two)) {
        toks.push({ t: 'op', v: two });
        i += 2;
      } else {
        toks.push({ t: 'op', v: c });
        i++;
      }
    }
  }
  toks.push({ t: 'eof', v: '' });
  return toks;
}

// ───────────── string compilation ─────────────

function unescapeText(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      const e = s[++i];
      if (e === 'x') {
        out.push(parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
      } else out.push(e === 'n' ? 10 : e === 't' ? 9 : e === 'r' ? 13 : e.charCodeAt(0));
    } else {
      const code = s.charCodeAt(i);
      if (code < 0x80) out.push(code);
      else for (const b of Buffer.from(s[i], 'utf8')) out.push(b);
    }
  }
  return out;
}

function reByte(b: number): string {
  return '\\x' + b.toString(16).padStart(2, '0');
}

function hexToRegex(hex: string): string {
  const toks = hex.replace(/\/\/[^\n]*/g, '').match(/\[[^\]]*\]|\?\?|[0-9a-fA-F?]{2}|[()|]/g) ?? [];
  let out = '';
  for (const t of toks) {
    if (t === '??') out += '[\\s\\S]';
    else if (t === '(') out += '(?:';
    else if (t === ')' || t === '|') out += t;
    else if (t.startsWith('[')) {
      const m = /^\[\s*(\d*)\s*(-?)\s*(\d*)\s*\]$/.exec(t);
      if (!m) throw new YaraSyntaxError(`bad jump ${t}`);
      if (!m[2]) out += `[\\s\\S]{${m[1]}}`;
      else out += `[\\s\\S]{${m[1] || 0},${m[3]}}` + (m[3] ? '' : '?');
    } else if (t.includes('?')) {
      const opts: string[] = [];
      for (let v = 0; v < 16; v++) {
        const h = t[0] === '?' ? v.toString(16) + t[1] : t[0] + v.toString(16);
        opts.push(reByte(parseInt(h, 16)));
      }
      out += `[${opts.join('')}]`;
    } else out += reByte(parseInt(t, 16));
  }
  return out;
}

function compileString(tok: Tok, mods: Set<string>): RegExp {
  const nocase = mods.has('nocase');
  const fullword = mods.has('fullword');
  let alts: string[];
  if (tok.t === 'str') {
    const bytes = unescapeText(tok.v);
    const ascii = bytes.map(reByte).join('');
    const wide = bytes.map((b) => reByte(b) + '\\x00').join('');
    alts = [];
    if (mods.has('ascii') || !mods.has('wide')) alts.push(ascii);
    if (mods.has('wide')) alts.push(wide);
  } else if (tok.t === 'hex') {
    alts = [hexToRegex(tok.v)];
  } else {
    // YARA regex syntax is close to JavaScript's; '{,n}' needs an explicit lower bound.
    alts = [tok.v.replace(/\{,(\d+)\}/g, '{0,$1}')];
    if (tok.flags?.includes('i')) mods.add('nocase');
  }
  let src = alts.length === 1 ? alts[0] : `(?:${alts.join('|')})`;
  if (fullword) src = `(?<![A-Za-z0-9])(?:${src})(?![A-Za-z0-9])`;
  const flags = 'g' + (nocase || mods.has('nocase') ? 'i' : '') + (tok.flags?.includes('s') ? 's' : '');
  try {
    return new RegExp(src, flags);
  } catch (e) {
    throw new YaraSyntaxError(`string does not compile: ${(e as Error).message}`);
  }
}

// ───────────── rule parsing ─────────────

class Parser {
  i = 0;
  constructor(readonly toks: Tok[]) {}
  peek(): Tok {
    return this.toks[this.i];
  }
  next(): Tok {
    return this.toks[this.i++];
  }
  eat(v: string): boolean {
    if (this.peek().v === v && this.peek().t !== 'str') {
      this.i++;
      return true;
    }
    return false;
  }
  expect(v: string): void {
    if (!this.eat(v)) throw new YaraSyntaxError(`expected "${v}" but found "${this.peek().v}"`);
  }
}

export interface ParsedRules {
  rules: YaraRule[];
  errors: { rule: string; error: string }[];
}

/** Parses a .yar source. Rules that use unsupported syntax are returned in `errors`. */
export function parseYara(src: string): ParsedRules {
  const rules: YaraRule[] = [];
  const errors: { rule: string; error: string }[] = [];
  // Split into rule bodies first so one bad rule does not take the file down.
  const text = stripComments(src);
  const re = /\b(?:private\s+|global\s+)*rule\s+(\w+)\s*(?::([^{]*))?\{/g;
  const starts: { name: string; tags: string; at: number; body: number }[] = [];
  for (let m = re.exec(text); m; m = re.exec(text))
    starts.push({ name: m[1], tags: m[2] ?? '', at: m.index, body: re.lastIndex });
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k];
    const end = k + 1 < starts.length ? starts[k + 1].at : text.length;
    const body = text.slice(s.body, text.lastIndexOf('}', end));
    try {
      rules.push(parseRuleBody(s.name, s.tags.trim().split(/\s+/).filter(Boolean), body));
    } catch (e) {
      errors.push({ rule: s.name, error: (e as Error).message });
    }
  }
  return { rules, errors };
}

function parseRuleBody(name: string, tags: string[], body: string): YaraRule {
  const metaAt = body.search(/\bmeta\s*:/);
  const stringsAt = body.search(/\bstrings\s*:/);
  const condAt = body.search(/\bcondition\s*:/);
  if (condAt < 0) throw new YaraSyntaxError('no condition');
  const meta: Record<string, string> = {};
  if (metaAt >= 0) {
    const metaText = body.slice(metaAt, stringsAt >= 0 ? stringsAt : condAt).replace(/^meta\s*:/, '');
    for (const m of metaText.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))/g))
      meta[m[1]] = m[2] ?? m[3];
  }
  const strings = new Map<string, RegExp>();
  if (stringsAt >= 0) {
    const p = new Parser(tokenize(body.slice(stringsAt, condAt).replace(/^strings\s*:/, '')));
    while (p.peek().t === 'var') {
      const id = p.next().v;
      p.expect('=');
      const value = p.next();
      if (value.t !== 'str' && value.t !== 'hex' && value.t !== 're')
        throw new YaraSyntaxError(`bad string $${id}`);
      const mods = new Set<string>();
      while (p.peek().t === 'id' && ['ascii', 'wide', 'nocase', 'fullword', 'private'].includes(p.peek().v))
        mods.add(p.next().v);
      if (p.peek().t === 'id') throw new YaraSyntaxError(`unsupported string modifier ${p.peek().v}`);
      strings.set(id, compileString(value, mods));
    }
    if (p.peek().t !== 'eof') throw new YaraSyntaxError(`unexpected "${p.peek().v}" in strings`);
  }
  const p = new Parser(tokenize(body.slice(condAt).replace(/^condition\s*:/, '')));
  const condition = parseOr(p, strings);
  if (p.peek().t !== 'eof') throw new YaraSyntaxError(`unexpected "${p.peek().v}" in condition`);
  return { name, tags, meta, strings, condition };
}

function parseOr(p: Parser, s: Map<string, RegExp>): Cond {
  let a = parseAnd(p, s);
  while (p.eat('or')) a = { k: 'or', a, b: parseAnd(p, s) };
  return a;
}
function parseAnd(p: Parser, s: Map<string, RegExp>): Cond {
  let a = parseNot(p, s);
  while (p.eat('and')) a = { k: 'and', a, b: parseNot(p, s) };
  return a;
}
function parseNot(p: Parser, s: Map<string, RegExp>): Cond {
  if (p.eat('not')) return { k: 'not', a: parseNot(p, s) };
  const a = parsePrimary(p, s);
  const op = p.peek();
  if (op.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(op.v)) {
    p.next();
    return { k: 'cmp', op: op.v, a, b: parsePrimary(p, s) };
  }
  return a;
}

function expandSet(p: Parser, s: Map<string, RegExp>): string[] {
  if (p.eat('them')) return [...s.keys()];
  p.expect('(');
  const ids: string[] = [];
  do {
    const t = p.next();
    if (t.t !== 'var') throw new YaraSyntaxError('expected $string in set');
    if (t.v.endsWith('*')) ids.push(...[...s.keys()].filter((k) => k.startsWith(t.v.slice(0, -1))));
    else ids.push(t.v);
  } while (p.eat(','));
  p.expect(')');
  for (const id of ids) if (!s.has(id)) throw new YaraSyntaxError(`undefined string $${id}`);
  return ids;
}

function parsePrimary(p: Parser, s: Map<string, RegExp>): Cond {
  const t = p.next();
  if (t.t === 'op' && t.v === '(') {
    const e = parseOr(p, s);
    p.expect(')');
    return e;
  }
  if (t.t === 'num' || (t.t === 'id' && ['all', 'any', 'none'].includes(t.v))) {
    if (p.peek().v === 'of') {
      p.next();
      const quant = t.t === 'num' ? Number(t.v) : (t.v as 'all' | 'any' | 'none');
      return { k: 'of', quant, ids: expandSet(p, s) };
    }
    if (t.t === 'num') return { k: 'num', v: Number(t.v) };
    throw new YaraSyntaxError(`"${t.v}" without "of"`);
  }
  if (t.t === 'id') {
    if (t.v === 'true' || t.v === 'false') return { k: 'bool', v: t.v === 'true' };
    if (t.v === 'filesize') return { k: 'filesize' };
    const m = /^uint(8|16|32)(be)?$/.exec(t.v);
    if (m) {
      p.expect('(');
      const at = parseOr(p, s);
      p.expect(')');
      return { k: 'uint', bits: Number(m[1]) as 8 | 16 | 32, be: !!m[2], at };
    }
    throw new YaraSyntaxError(`unsupported identifier ${t.v}`);
  }
  if (t.t === 'var') {
    if (!s.has(t.v)) throw new YaraSyntaxError(`undefined string $${t.v}`);
    if (p.eat('at')) return { k: 'at', id: t.v, at: parsePrimary(p, s) };
    if (p.eat('in')) {
      p.expect('(');
      const from = parseOr(p, s);
      p.expect('..');
      const to = parseOr(p, s);
      p.expect(')');
      return { k: 'in', id: t.v, from, to };
    }
    return { k: 'str', id: t.v };
  }
  if (t.t === 'cnt') {
    if (!s.has(t.v)) throw new YaraSyntaxError(`undefined string #${t.v}`);
    return { k: 'count', id: t.v };
  }
  throw new YaraSyntaxError(`unexpected "${t.v}" in condition`);
}

// ───────────── evaluation ─────────────

/** One file prepared for matching: bytes plus a latin1 view (one char per byte). */
export class YaraTarget {
  readonly text: string;
  private readonly cache = new Map<RegExp, number[]>();
  constructor(readonly bytes: Buffer) {
    this.text = bytes.toString('latin1');
  }
  offsets(re: RegExp): number[] {
    let o = this.cache.get(re);
    if (o) return o;
    o = [];
    re.lastIndex = 0;
    for (let m = re.exec(this.text); m && o.length < MAX_MATCHES_PER_STRING; m = re.exec(this.text)) {
      o.push(m.index);
      if (m[0].length === 0) re.lastIndex++;
    }
    this.cache.set(re, o);
    return o;
  }
}

function num(c: Cond, r: YaraRule, f: YaraTarget): number {
  const v = evalCond(c, r, f);
  return typeof v === 'number' ? v : v ? 1 : 0;
}

function evalCond(c: Cond, r: YaraRule, f: YaraTarget): number | boolean {
  switch (c.k) {
    case 'bool':
      return c.v;
    case 'num':
      return c.v;
    case 'filesize':
      return f.bytes.length;
    case 'uint': {
      const at = num(c.at, r, f);
      const size = c.bits / 8;
      if (at < 0 || at + size > f.bytes.length) return false; // YARA: undefined → false
      if (c.bits === 8) return f.bytes[at];
      if (c.bits === 16) return c.be ? f.bytes.readUInt16BE(at) : f.bytes.readUInt16LE(at);
      return c.be ? f.bytes.readUInt32BE(at) : f.bytes.readUInt32LE(at);
    }
    case 'str':
      return f.offsets(r.strings.get(c.id)!).length > 0;
    case 'count':
      return f.offsets(r.strings.get(c.id)!).length;
    case 'at': {
      const at = num(c.at, r, f);
      return f.offsets(r.strings.get(c.id)!).includes(at);
    }
    case 'in': {
      const from = num(c.from, r, f);
      const to = num(c.to, r, f);
      return f.offsets(r.strings.get(c.id)!).some((o) => o >= from && o <= to);
    }
    case 'of': {
      let hits = 0;
      for (const id of c.ids) if (f.offsets(r.strings.get(id)!).length > 0) hits++;
      if (c.quant === 'all') return hits === c.ids.length;
      if (c.quant === 'any') return hits > 0;
      if (c.quant === 'none') return hits === 0;
      return hits >= c.quant;
    }
    case 'not':
      return !evalCond(c.a, r, f);
    case 'and':
      return !!evalCond(c.a, r, f) && !!evalCond(c.b, r, f);
    case 'or':
      return !!evalCond(c.a, r, f) || !!evalCond(c.b, r, f);
    case 'cmp': {
      const a = evalCond(c.a, r, f);
      const b = evalCond(c.b, r, f);
      if (a === false && typeof c.a === 'object' && c.a.k === 'uint') return c.op === '!=';
      const x = Number(a);
      const y = Number(b);
      switch (c.op) {
        case '==':
          return x === y;
        case '!=':
          return x !== y;
        case '<':
          return x < y;
        case '<=':
          return x <= y;
        case '>':
          return x > y;
        default:
          return x >= y;
      }
    }
  }
}

export function matchRule(rule: YaraRule, target: YaraTarget): boolean {
  return !!evalCond(rule.condition, rule, target);
}
