// Text normalisation for known-scam matching: the same scam sent to two people must normalise to the
// same tokens, so everything that varies per recipient or per send (addresses, names in greetings,
// links, numbers, amounts, dates) becomes a placeholder. Tokens keep their offsets in the original
// text so that the side-by-side view can mark shared passages in the text the person actually saw.

/** Only the first this-many characters are read: scams are short, and a crafted 50 MB body must not cost 50 MB of tokens. */
export const MAX_INPUT_CHARS = 200_000;
/** Hard cap on tokens per text, for the same reason (bounded time and memory per message). */
export const MAX_TOKENS = 20_000;
/** A greeting name longer than this is more likely the start of a sentence than a name. */
const MAX_GREETING_NAME_WORDS = 4;

/** Placeholders are upper case; every real word is lower-cased, so the two can never collide. */
export const PLACEHOLDER = {
  url: 'URL',
  email: 'EMAIL',
  number: 'NUM',
  amount: 'AMOUNT',
  name: 'NAME',
  date: 'DATE',
} as const;

export interface Token {
  /** Normalised form: a lower-case word or a PLACEHOLDER. */
  norm: string;
  /** Offsets of the token in the original text (UTF-16 code units, end exclusive). */
  start: number;
  end: number;
}

export interface NormaliseOptions {
  /** Words that identify the recipient (display-name words, mailbox local part); replaced by NAME. */
  recipientWords?: string[];
}

const CURRENCY_WORDS =
  'usd|eur|gbp|btc|eth|usdt|ltc|xmr|dollars?|euros?|pounds?|bitcoins?|naira|rupees?|inr|cad|aud|chf|yen';
/** Longest local part of an address, in code points (RFC 5321: 64 octets). */
const LOCAL_PART_MAX = 64;

function tokenRegExp(addressPattern: string): RegExp {
  return new RegExp(
    [
      // Links, including defanged schemes; a link's path carries per-recipient tokens. Capture groups are
      // numbered, not named: named groups make every match build a `groups` object (1: url, 2: email, 3: amount).
      String.raw`((?:https?|hxxps?|ftp):\/\/[^\s<>"]+|www\.[^\s<>"]+)`,
      `(${addressPattern})`,
      // Amounts; the digit run is bounded: unbounded, "1.1.1.1…" would cost quadratic time.
      String.raw`((?:[$€£¥₹₿]|\b(?:${CURRENCY_WORDS}))\s?\d[\d.,]{0,24}|\d[\d.,]{0,24}\s?(?:[$€£¥₹₿]|(?:${CURRENCY_WORDS})\b))`,
      // Words; zero-width characters inside words are a common filter-evasion trick, so they belong to the word.
      String.raw`([\p{L}\p{M}\p{N}_'’\u200B-\u200D\u2060\uFEFF]+)`,
    ].join('|'),
    'giu',
  );
}

// RFC 5322 atext in the local part; a dotless domain too (phishing_pot's anonymised "phishing@pot").
// Bounded (a local part has at most 64 characters): unbounded, "a.a.a.a…" would cost quadratic time.
const TOKEN_RE = tokenRegExp(
  String.raw`[\p{L}\p{N}!#$%&'*+/=?^_\x60{|}~.-]{1,${LOCAL_PART_MAX}}@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*`,
);
/**
 * TOKEN_RE whose address alternative matches nothing. An address can only start in the run of
 * local-part characters just before an "@"; elsewhere this finds the same token as TOKEN_RE, without
 * trying the address alternative at every letter (about 40% of the pattern's time on the corpus).
 */
const TOKEN_NO_ADDRESS_RE = tokenRegExp(String.raw`[^\s\S]`);
/** Code units an address can start before its "@": LOCAL_PART_MAX code points of up to two units each. */
const ADDRESS_REACH = 2 * LOCAL_PART_MAX;

/** The token TOKEN_RE finds from `pos`; `at` is the first "@" at or after `pos` (-1 if none). */
export function nextToken(input: string, pos: number, at: number): RegExpExecArray | null {
  if (at === -1 || pos < at - ADDRESS_REACH) {
    TOKEN_NO_ADDRESS_RE.lastIndex = pos;
    const m = TOKEN_NO_ADDRESS_RE.exec(input);
    // Before the window of the next "@", no address can start, so no token that TOKEN_RE would prefer.
    if (at === -1 || (m !== null && m.index < at - ADDRESS_REACH)) return m;
  }
  TOKEN_RE.lastIndex = pos;
  return TOKEN_RE.exec(input);
}

/** ASCII bytes that no token can start with while no address can: all but letters, digits, $ _ '. */
function neverStartsToken(c: number): boolean {
  if (c >= 0x61) return c > 0x7a;
  if (c >= 0x41) return c > 0x5a && c !== 0x5f;
  if (c >= 0x30) return c > 0x39;
  return c !== 0x24 && c !== 0x27;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/** Lower-case letter runs that start a link when followed by ':' ("http://") or '.' ("www."). */
const LINK_STARTS = new Set(['http', 'https', 'hxxp', 'hxxps', 'ftp']);

/**
 * Where the token TOKEN_RE finds from `pos` starts, when it is a word of ASCII letters only (most
 * tokens; it runs to the end of the letters), found without the regular expression. -1 when
 * anything else could be the token there (a link, an address, an amount, a word with digits,
 * apostrophes or other scripts): the caller then asks the regular expression. `at` as in nextToken.
 */
export function asciiWordAt(input: string, pos: number, at: number): number {
  const n = input.length;
  let i = pos;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c >= 0x80) return -1;
    if (!neverStartsToken(c)) break;
    i++;
  }
  // Skipped punctuation may begin an address near an "@", and the word itself may be its local part.
  if (i >= n || (at !== -1 && i >= at - ADDRESS_REACH)) return -1;
  if (!isAsciiLetter(input.charCodeAt(i))) return -1;
  let j = i + 1;
  while (j < n && isAsciiLetter(input.charCodeAt(j))) j++;
  if (j < n) {
    const next = input.charCodeAt(j);
    // The word goes on (digits, _, apostrophes, other scripts): not an ASCII-only word.
    if (next >= 0x80 || (next >= 0x30 && next <= 0x39) || next === 0x5f || next === 0x27) return -1;
    // "usd 100": the amount alternative may start here.
    if ((next === 0x20 || (next >= 0x09 && next <= 0x0d)) && j + 1 < n) {
      const after = input.charCodeAt(j + 1);
      if (after >= 0x30 && after <= 0x39) return -1;
    }
    if (next === 0x3a && j - i <= 5 && LINK_STARTS.has(input.slice(i, j).toLowerCase())) return -1;
    if (next === 0x2e && j - i === 3 && input.slice(i, j).toLowerCase() === 'www') return -1;
  }
  return i;
}

const GREETINGS = new Set([
  'dear',
  'hello',
  'hi',
  'hey',
  'greetings',
  'attention',
  'attn',
  'good',
  'bonjour',
  'hallo',
]);
const GREETING_SECOND = new Set(['morning', 'afternoon', 'evening', 'day']);
const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'sir', 'madam', 'prof']);
const DATE_WORDS = new Set(
  (
    'january february march april may june july august september october november december ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec ' +
    'monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun'
  ).split(' '),
);
// 'may', 'mar', 'sun' and 'sat' are also ordinary words; only treat them as dates beside a number.
const AMBIGUOUS_DATE_WORDS = new Set(['may', 'mar', 'sun', 'sat', 'wed', 'jan', 'dec']);
/** Punctuation or a line break between two words ends a greeting name ("Dear John Smith,"). */
const NAME_BREAK_RE = /[,:;!?\n\r]|\.\s/;

/**
 * Cyrillic and Greek letters that look like Latin ones. Scammers swap a few into Latin words
 * ("pаyment" with a Cyrillic а) so that filters keyed on the text miss a known scam. Only words
 * that mix Latin with these scripts are mapped, so Russian or Greek text is left alone.
 */
const LATIN_LOOKALIKES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ӏ: 'l',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ϲ: 'c',
};
const MIXED_SCRIPT_RE = /^(?=.*\p{Script=Latin})(?=.*[\p{Script=Cyrillic}\p{Script=Greek}])/u;

/** Lower-case, fold compatibility forms, accents and Latin lookalikes, drop zero-width characters and apostrophes. */
export function normaliseWord(word: string): string {
  let w = word
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\p{M}\u200B-\u200D\u2060\uFEFF'’]/gu, '');
  if (MIXED_SCRIPT_RE.test(w)) w = Array.from(w, (ch) => LATIN_LOOKALIKES[ch] ?? ch).join('');
  return w;
}

/**
 * Words remembered by `wordToken`: the same words recur within a message and across messages.
 * Bounded so a stream of unique words cannot grow memory; the table is cleared when full.
 */
const MAX_MEMO_WORDS = 20_000;
/**
 * Longer words are not remembered. Most words are shorter, and V8 keeps a longer match as a slice
 * that holds the whole text it came from: a remembered slice would keep a message's text alive.
 */
const MAX_MEMO_WORD_CHARS = 12;
const tokenMemo = new Map<string, string>();
const DIGIT_RE = /\p{N}/u;

/** A word's token before the recipient's name is masked: its normal form, NUM, or '' (nothing left). */
function wordToken(word: string): string {
  // ASCII words (most of them) need none of the Unicode folding: lower case, no apostrophes.
  let ascii = true;
  let digit = false;
  let apostrophe = false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 0x80) {
      ascii = false;
      break;
    }
    if (c >= 0x30 && c <= 0x39) digit = true;
    else if (c === 0x27) apostrophe = true;
  }
  if (ascii) {
    const lower = word.toLowerCase();
    const norm = apostrophe ? lower.replaceAll("'", '') : lower;
    return digit ? PLACEHOLDER.number : norm;
  }
  let norm = tokenMemo.get(word);
  if (norm === undefined) {
    norm = normaliseWord(word);
    // Order numbers, tracking codes and phone numbers change with every send.
    if (DIGIT_RE.test(norm)) norm = PLACEHOLDER.number;
    if (word.length <= MAX_MEMO_WORD_CHARS) {
      if (tokenMemo.size >= MAX_MEMO_WORDS) tokenMemo.clear();
      tokenMemo.set(word, norm);
    }
  }
  return norm;
}

/** Splits text into normalised tokens with their offsets in the original text. */
export function tokenise(text: string, options: NormaliseOptions = {}): Token[] {
  const input = text.length > MAX_INPUT_CHARS ? text.slice(0, MAX_INPUT_CHARS) : text;
  const recipient = new Set((options.recipientWords ?? []).map(normaliseWord).filter((w) => w.length > 1));
  const raw: Token[] = [];
  let at = input.indexOf('@');
  for (let pos = 0; raw.length < MAX_TOKENS; ) {
    if (at !== -1 && at < pos) at = input.indexOf('@', pos);
    const wordStart = asciiWordAt(input, pos, at);
    if (wordStart !== -1) {
      // Same token as the regular expression's word alternative, through wordToken's ASCII path.
      let wordEnd = wordStart + 1;
      while (isAsciiLetter(input.charCodeAt(wordEnd))) wordEnd++;
      pos = wordEnd;
      let norm = input.slice(wordStart, wordEnd).toLowerCase();
      if (recipient.size > 0 && recipient.has(norm)) norm = PLACEHOLDER.name;
      raw.push({ norm, start: wordStart, end: wordEnd });
      continue;
    }
    const m = nextToken(input, pos, at);
    if (m === null) break;
    const start = m.index;
    const end = start + m[0].length;
    pos = end;
    let norm: string;
    if (m[1]) norm = PLACEHOLDER.url;
    else if (m[2]) norm = PLACEHOLDER.email;
    else if (m[3]) norm = PLACEHOLDER.amount;
    else {
      norm = wordToken(m[0]);
      if (!norm) continue;
      if (recipient.size > 0 && recipient.has(norm)) norm = PLACEHOLDER.name;
    }
    raw.push({ norm, start, end });
  }
  replaceGreetingNames(raw, input);
  markDates(raw);
  return collapsePlaceholders(raw);
}

/** The normalised text: tokens joined by single spaces (what is stored and shingled). */
export function normaliseText(text: string, options: NormaliseOptions = {}): string {
  return tokenise(text, options)
    .map((t) => t.norm)
    .join(' ');
}

/** Splits a stored normalised text back into its tokens (no offsets). */
export function splitNormalised(normalised: string): string[] {
  return normalised.split(' ').filter((t) => t.length > 0);
}

function isPlaceholder(norm: string): boolean {
  return norm.length > 0 && norm === norm.toUpperCase() && norm !== norm.toLowerCase();
}

function replaceGreetingNames(tokens: Token[], text: string): void {
  for (let i = 0; i < tokens.length; i++) {
    if (!GREETINGS.has(tokens[i].norm)) continue;
    let first = i + 1;
    if (tokens[i].norm === 'good') {
      if (!GREETING_SECOND.has(tokens[first]?.norm ?? '')) continue;
      first++;
    }
    // The name runs from `first` until the next break; only a short run counts as a name.
    let last = -1;
    for (let j = first; j < tokens.length && j < first + MAX_GREETING_NAME_WORDS; j++) {
      if (isNameBreak(text.slice(tokens[j - 1].end, tokens[j].start), tokens[j - 1])) break;
      const next = tokens[j + 1];
      if (!next || isNameBreak(text.slice(tokens[j].end, next.start), tokens[j])) {
        last = j;
        break;
      }
    }
    if (last < first) continue;
    for (let j = first; j <= last; j++) tokens[j].norm = PLACEHOLDER.name;
    i = last;
  }
}

/** "Mr. Smith": the full stop after an honorific does not end the name. */
function isNameBreak(gap: string, before: Token): boolean {
  if (!NAME_BREAK_RE.test(gap)) return false;
  return !(HONORIFICS.has(before.norm) && /^\.\s*$/.test(gap));
}

function markDates(tokens: Token[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const n = tokens[i].norm;
    if (!DATE_WORDS.has(n)) continue;
    if (AMBIGUOUS_DATE_WORDS.has(n)) {
      const beside = tokens[i - 1]?.norm === PLACEHOLDER.number || tokens[i + 1]?.norm === PLACEHOLDER.number;
      if (!beside) continue;
    }
    tokens[i].norm = PLACEHOLDER.date;
  }
}

/** "+1 (555) 010-2030" or "John Smith" become one placeholder, not one per piece. */
function collapsePlaceholders(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const prev = out[out.length - 1];
    if (prev && prev.norm === t.norm && isPlaceholder(t.norm)) prev.end = t.end;
    else out.push(t);
  }
  return out;
}
