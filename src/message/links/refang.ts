// Turns defanged indicators (hxxp://, example[.]com, [:]//) back into links.

const DEFANG_PATTERNS: [RegExp, string][] = [
  [/\bh(?:xx|XX|\*\*|\[x\]\[x\]|\[xx\])p(s?)(\[:\]|:)/g, 'http$1:'],
  [/\bfxp(s?):/gi, 'ftp$1:'],
  [/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)/gi, '.'],
  [/\[:\]/g, ':'],
  [/\[\/\]/g, '/'],
  [/\[@\]|\[at\]/gi, '@'],
];

/** True when the string carries a defanging mark. */
export function isDefanged(s: string): boolean {
  return DEFANG_PATTERNS.some(([re]) => {
    re.lastIndex = 0;
    return re.test(s);
  });
}

export function refang(s: string): string {
  let out = s;
  for (const [re, rep] of DEFANG_PATTERNS) {
    re.lastIndex = 0;
    out = out.replace(re, rep);
  }
  return out;
}
