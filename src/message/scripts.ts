// Which alphabets the letters of a word come from: Latin, Cyrillic, Greek and Armenian lend each other
// lookalike letters ("о" and "o"), so a word mixing them reads as one word while matching none.

/** Scripts of a word's characters ('Latin', 'Cyrillic', 'Greek', 'Armenian' or 'Other'); digits and hyphens skipped. */
export function scriptsOf(word: string): Set<string> {
  const s = new Set<string>();
  for (const ch of word) {
    if (/[0-9-]/.test(ch)) continue;
    if (/\p{Script=Latin}/u.test(ch)) s.add('Latin');
    else if (/\p{Script=Cyrillic}/u.test(ch)) s.add('Cyrillic');
    else if (/\p{Script=Greek}/u.test(ch)) s.add('Greek');
    else if (/\p{Script=Armenian}/u.test(ch)) s.add('Armenian');
    else s.add('Other');
  }
  return s;
}

const LOOKALIKE_SCRIPTS = ['Latin', 'Cyrillic', 'Greek', 'Armenian'];

/** The first word of `text` that mixes two alphabets of lookalike letters ("Lоcаl" with Cyrillic о, а). */
export function mixedScriptWord(text: string): { word: string; scripts: string[] } | undefined {
  // Plain ASCII cannot mix alphabets: most subjects and names stop here.
  if (!/[^\x00-\x7f]/.test(text)) return undefined;
  for (const m of text.matchAll(/[\p{L}\p{M}]{2,}/gu)) {
    const s = scriptsOf(m[0]);
    const scripts = LOOKALIKE_SCRIPTS.filter((x) => s.has(x));
    if (scripts.length >= 2) return { word: m[0], scripts };
  }
  return undefined;
}
