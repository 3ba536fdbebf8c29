// The cheap pre-filter that runs before any parsing: find the byte offsets in a chunk of log where one
// of a few fixed strings occurs, so only those lines are decoded and parsed (Test-ProxyLogon does the
// same with `Select-String -Quiet "ServerInfo~"` before `Import-Csv`). Strategies, chosen per needle by
// measured cost (bench/RESULTS-exchange.md):
//  - case-insensitive with a rare non-letter byte ('~', '@', '!', '|'): memchr for that byte, then a
//    case-folded compare around it (~3 GB per CPU-second on HttpProxy rows; exact like Select-String);
//  - case-insensitive needles without such a byte, and three or more case-sensitive ones: one shared
//    Wu-Manber pass (shift table over byte pairs with every case variant filled in), which costs about
//    as much as one native pass instead of one pass per needle;
//  - one or two case-sensitive needles, and needles shorter than WM_MIN_LENGTH (they would shrink
//    every shift): native Buffer#indexOf each; a short case-insensitive needle falls back to one
//    RegExp pass over a latin1 view of the chunk.

export interface NeedleSpec {
  text: string;
  /** Match regardless of ASCII case (attacker-controlled URL parts must be matched this way). */
  nocase?: boolean;
}

/** Bytes that are rare in Exchange and IIS log rows, so searching for them first is cheap. */
const ANCHOR_BYTES = [0x7e /* ~ */, 0x40 /* @ */, 0x21 /* ! */, 0x7c /* | */];

interface ExactNeedle {
  kind: 'exact';
  bytes: Buffer;
}
interface AnchorNeedle {
  kind: 'anchor';
  folded: Uint8Array;
  anchor: number;
  anchorAt: number;
}
interface RegexNeedle {
  kind: 'regex';
  re: RegExp;
}
type Compiled = ExactNeedle | AnchorNeedle | RegexNeedle;

function foldByte(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b + 32 : b;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function compile(spec: NeedleSpec): Compiled {
  const bytes = Buffer.from(spec.text, 'latin1');
  if (!spec.nocase || !/[A-Za-z]/.test(spec.text)) return { kind: 'exact', bytes };
  for (const anchor of ANCHOR_BYTES) {
    const at = bytes.indexOf(anchor);
    if (at >= 0) return { kind: 'anchor', folded: bytes.map(foldByte), anchor, anchorAt: at };
  }
  return { kind: 'regex', re: new RegExp(escapeRegExp(spec.text), 'gi') };
}

/** Case-sensitive needles needed before one shared Wu-Manber pass beats one native pass per needle. */
const WM_MIN_NEEDLES = 3;
/** Shortest needle put into the shared pass; the longest shift is this minus one. */
const WM_MIN_LENGTH = 9;

const FOLD = new Uint8Array(256).map((_, i) => foldByte(i));

/** Wu-Manber multi-needle search over case-folded bytes, block size 2. */
class WuManber {
  private readonly m: number;
  private readonly shift: Uint8Array;
  private readonly buckets: ({ folded: Uint8Array; exact?: Buffer }[] | undefined)[];

  constructor(specs: readonly NeedleSpec[]) {
    const pats = specs.map((s) => {
      const bytes = Buffer.from(s.text, 'latin1');
      return { folded: bytes.map(foldByte), exact: s.nocase ? undefined : bytes };
    });
    const m = Math.min(...pats.map((p) => p.folded.length));
    this.m = m;
    // Tables are indexed by the raw byte pair; every case variant of a pair gets the same entry, so
    // the scan loop does no case folding at all.
    this.shift = new Uint8Array(65536).fill(m - 1);
    this.buckets = new Array(65536);
    const variants = (c: number) => (c >= 0x61 && c <= 0x7a ? [c, c - 32] : [c]);
    const pairs = (a: number, b: number) => variants(a).flatMap((x) => variants(b).map((y) => (x << 8) | y));
    for (const p of pats) {
      for (let j = 1; j < m; j++) {
        const s = m - 1 - j;
        for (const bg of pairs(p.folded[j - 1], p.folded[j])) if (s < this.shift[bg]) this.shift[bg] = s;
      }
      for (const bg of pairs(p.folded[m - 2], p.folded[m - 1])) {
        const bucket = this.buckets[bg] ?? [];
        bucket.push(p);
        this.buckets[bg] = bucket;
      }
    }
  }

  positions(b: Buffer, out: number[]): void {
    const { m, shift, buckets } = this;
    const n = b.length;
    let pos = m - 1;
    while (pos < n) {
      const bg = (b[pos - 1] << 8) | b[pos];
      const s = shift[bg];
      if (s !== 0) {
        pos += s;
        continue;
      }
      const start = pos - m + 1;
      for (const p of buckets[bg]!) {
        const len = p.folded.length;
        if (start + len > n) continue;
        let k = 0;
        if (p.exact) while (k < len && b[start + k] === p.exact[k]) k++;
        else while (k < len && FOLD[b[start + k]] === p.folded[k]) k++;
        if (k === len) out.push(start);
      }
      pos++;
    }
  }
}

export class NeedleSet {
  private readonly compiled: Compiled[];
  private readonly shared: WuManber | undefined;
  readonly size: number;

  constructor(specs: readonly NeedleSpec[]) {
    this.size = specs.length;
    const compiled = specs.map((s) => ({ spec: s, c: compile(s) }));
    // Needles that would cost a pass each (RegExp, or several indexOf) share one Wu-Manber pass.
    const pooled = compiled.filter(
      ({ spec, c }) => spec.text.length >= WM_MIN_LENGTH && (c.kind === 'regex' || c.kind === 'exact'),
    );
    const pool = pooled.length >= WM_MIN_NEEDLES || pooled.some(({ c }) => c.kind === 'regex');
    if (pool) this.shared = new WuManber(pooled.map(({ spec }) => spec));
    this.compiled = compiled.filter((x) => !pool || !pooled.includes(x)).map(({ c }) => c);
  }

  /** Pushes to `out` the offsets in `region` where some needle starts (unsorted, may repeat). */
  positions(region: Buffer, out: number[]): void {
    this.shared?.positions(region, out);
    let latin1: string | undefined;
    for (const n of this.compiled) {
      if (n.kind === 'exact') {
        let p = region.indexOf(n.bytes, 0);
        while (p >= 0) {
          out.push(p);
          p = region.indexOf(n.bytes, p + 1);
        }
      } else if (n.kind === 'anchor') {
        const len = n.folded.length;
        let p = region.indexOf(n.anchor, n.anchorAt);
        while (p >= 0) {
          const start = p - n.anchorAt;
          if (start + len <= region.length) {
            let ok = true;
            for (let k = 0; k < len; k++) {
              if (foldByte(region[start + k]) !== n.folded[k]) {
                ok = false;
                break;
              }
            }
            if (ok) out.push(start);
          }
          p = region.indexOf(n.anchor, p + 1);
        }
      } else {
        latin1 ??= region.toString('latin1');
        n.re.lastIndex = 0;
        for (let m = n.re.exec(latin1); m; m = n.re.exec(latin1)) out.push(m.index);
      }
    }
  }
}
