// HTML attachments: the phishing page that arrives as a file (a login form posting elsewhere) and
// HTML smuggling (a script that assembles a file in the browser and drops it, past the mail filter).

import { Parser } from 'htmlparser2';
import type { AttachmentObservation } from '../../types.js';
import { installHtmlParserPatches } from '../htmlparser2-patches.js';
import { MAX_HTML_CHARS, MAX_LINKS_PER_FILE } from './limits.js';

// The tokenizer's fast paths for text and attribute values (same events, less time).
installHtmlParserPatches();

export interface HtmlLink {
  url: string;
  displayText?: string;
}

export interface HtmlFindings {
  observations: AttachmentObservation[];
  links: HtmlLink[];
  problems: string[];
}

/** How many times encoded HTML inside scripts (atob("..."), unescape('%3C...')) is decoded and re-read. */
const MAX_DECODE_LAYERS = 3;

/** Script text kept for pattern checks, per document. Smuggling payloads are big; the code around them is not. */
const MAX_SCRIPT_CHARS = 512 * 1024;

const SMUGGLING_PATTERNS: [string, RegExp][] = [
  ['msSaveOrOpenBlob', /msSaveOrOpenBlob|msSaveBlob/],
  ['new Blob', /new\s+Blob\s*\(/],
  ['createObjectURL', /createObjectURL\s*\(/],
  ['download attribute', /\.download\s*=|setAttribute\(\s*["']download["']/],
  ['base64 decoding', /\batob\s*\(|base64ToArrayBuffer|Uint8Array\.from\(\s*atob/],
  [
    'data: download',
    /data:application\/(octet-stream|zip|x-zip|x-msdownload|x-iso9660|vnd\.ms-|x-rar|x-7z)/i,
  ],
];

/** What HTA payloads and script droppers call to run programs; a web page in a browser cannot. */
const RUNS_PROGRAMS =
  /ActiveXObject|WScript\.Shell|Shell\.Application|Scripting\.FileSystemObject|\bpowershell\b|\bmshta\b|cmd(\.exe)?\s+\/c\b/gi;

const OBFUSCATION =
  /\beval\s*\(|document\.write\s*\(\s*(unescape|atob|decodeURIComponent)|\bunescape\s*\(|String\.fromCharCode\s*\((\s*\d+\s*,){20}/;
const SCRIPT_REDIRECT =
  /(window\.|document\.|top\.|self\.)?location(\.href)?\s*=|location\.(replace|assign)\s*\(|window\.open\s*\(|getElementById\([^)]*\)\.click\s*\(\s*\)/;
const URL_IN_SCRIPT = /\bhttps?:\/\/[^\s"'`<>\\)]+/g;

interface Collected {
  links: HtmlLink[];
  passwordInputs: number;
  formActions: string[];
  scripts: string[];
  scriptChars: number;
  metaRefresh?: string;
  downloadDataLinks: number;
}

function collect(html: string, into: Collected): void {
  let anchor: { href: string; text: string } | undefined;
  const addLink = (url: string | undefined, displayText?: string): void => {
    const u = url?.trim();
    if (!u || u.startsWith('#') || into.links.length >= MAX_LINKS_PER_FILE) return;
    into.links.push(displayText ? { url: u, displayText } : { url: u });
  };
  let inScript = false;
  let scriptText = '';
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        // Event handlers are script too: <body onload="document.getElementById('go').click()">.
        for (const [key, value] of Object.entries(attrs)) {
          if (key.startsWith('on') && value && into.scriptChars < MAX_SCRIPT_CHARS) {
            into.scripts.push(value);
            into.scriptChars += value.length;
          }
        }
        switch (name) {
          case 'a':
          case 'area':
            if (attrs.href) {
              if (attrs.download !== undefined && /^data:/i.test(attrs.href)) into.downloadDataLinks++;
              if (name === 'a') anchor = { href: attrs.href, text: '' };
              else addLink(attrs.href, attrs.alt);
            }
            break;
          case 'form':
            into.formActions.push(attrs.action ?? '');
            if (attrs.action) addLink(attrs.action);
            break;
          case 'input':
            if ((attrs.type ?? '').toLowerCase() === 'password') into.passwordInputs++;
            break;
          case 'meta':
            if ((attrs['http-equiv'] ?? '').toLowerCase() === 'refresh' && attrs.content) {
              const m = /url\s*=\s*['"]?([^'"]+)/i.exec(attrs.content);
              if (m) {
                into.metaRefresh = m[1].trim();
                addLink(into.metaRefresh);
              }
            }
            break;
          case 'iframe':
          case 'frame':
          case 'embed':
          case 'img':
            addLink(attrs.src);
            break;
          case 'script':
            inScript = true;
            scriptText = '';
            addLink(attrs.src);
            break;
          case 'object':
            addLink(attrs.data);
            break;
        }
      },
      ontext(text) {
        if (inScript) scriptText += text;
        else if (anchor && anchor.text.length < 200) anchor.text += text;
      },
      onclosetag(name) {
        if (name === 'a' && anchor) {
          addLink(anchor.href, anchor.text.replace(/\s+/g, ' ').trim() || undefined);
          anchor = undefined;
        } else if (name === 'script') {
          inScript = false;
          if (into.scriptChars < MAX_SCRIPT_CHARS) {
            const kept = scriptText.slice(0, MAX_SCRIPT_CHARS - into.scriptChars);
            into.scripts.push(kept);
            into.scriptChars += kept.length;
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
}

/** HTML hidden in scripts as base64 or percent-encoding, decoded so its forms and links are seen. */
function decodeEmbeddedHtml(script: string): string[] {
  const out: string[] = [];
  for (const m of script.matchAll(/\batob\s*\(\s*["'`]([A-Za-z0-9+/=\s]{40,})["'`]\s*\)/g)) {
    const text = Buffer.from(m[1].replace(/\s+/g, ''), 'base64').toString('utf8');
    if (/<[a-z!]/i.test(text)) out.push(text);
  }
  for (const m of script.matchAll(
    /\b(?:unescape|decodeURIComponent)\s*\(\s*["'`]((?:%[0-9A-Fa-f]{2}|[^"'`]){40,})["'`]\s*\)/g,
  )) {
    try {
      const text = decodeURIComponent(m[1]);
      if (/<[a-z!]/i.test(text)) out.push(text);
    } catch {
      // malformed escapes: nothing to read
    }
  }
  return out;
}

export function inspectHtml(content: Uint8Array): HtmlFindings {
  const result: HtmlFindings = { observations: [], links: [], problems: [] };
  let html = new TextDecoder('utf-8').decode(content.subarray(0, MAX_HTML_CHARS));
  if (content.byteLength > MAX_HTML_CHARS)
    result.problems.push('the HTML attachment is large; only its first part was read');
  const c: Collected = {
    links: [],
    passwordInputs: 0,
    formActions: [],
    scripts: [],
    scriptChars: 0,
    downloadDataLinks: 0,
  };
  let decodedLayers = 0;
  for (let layer = 0; layer <= MAX_DECODE_LAYERS && html; layer++) {
    const scriptsBefore = c.scripts.length;
    collect(html, c);
    const hidden = c.scripts.slice(scriptsBefore).flatMap(decodeEmbeddedHtml);
    if (hidden.length > 0 && layer < MAX_DECODE_LAYERS) decodedLayers++;
    html = hidden.join('\n').slice(0, MAX_HTML_CHARS);
  }
  const script = c.scripts.join('\n');
  for (const m of script.matchAll(URL_IN_SCRIPT)) {
    if (c.links.length >= MAX_LINKS_PER_FILE) break;
    c.links.push({ url: m[0] });
  }
  result.links = dedupe(c.links);

  if (c.passwordInputs > 0) {
    const remote = c.formActions.filter((a) => /^(https?:)?\/\//i.test(a.trim()));
    result.observations.push({
      code: 'html-credential-form',
      detail:
        remote.length > 0
          ? `The attached page asks for a password and sends it to ${remote[0]}`
          : 'The attached page asks for a password',
      evidence: {
        passwordInputs: c.passwordInputs,
        formActions: c.formActions.slice(0, 10),
        sendsElsewhere: remote.length > 0,
      },
    });
  } else if (c.formActions.some((a) => /^(https?:)?\/\//i.test(a.trim()))) {
    result.observations.push({
      code: 'html-remote-form',
      detail: 'The attached page contains a form that sends what is typed into it to a website',
      evidence: { formActions: c.formActions.slice(0, 10) },
    });
  }
  const smuggling = SMUGGLING_PATTERNS.filter(([, re]) => re.test(script)).map(([name]) => name);
  if (c.downloadDataLinks > 0) smuggling.push('download link with data: URI');
  // One pattern alone is ordinary web code; a blob built in the page and handed over as a download is smuggling.
  const builds =
    smuggling.includes('new Blob') ||
    smuggling.includes('base64 decoding') ||
    smuggling.includes('data: download');
  const drops =
    smuggling.includes('msSaveOrOpenBlob') ||
    smuggling.includes('download attribute') ||
    smuggling.includes('download link with data: URI') ||
    smuggling.includes('createObjectURL');
  if ((builds && drops) || c.downloadDataLinks > 0) {
    result.observations.push({
      code: 'html-smuggling',
      detail:
        'The attached page builds a file inside the browser and saves it, a trick to get past mail filters',
      evidence: { patterns: smuggling },
    });
  }
  const runs = [...new Set([...script.matchAll(RUNS_PROGRAMS)].map((m) => m[0]))];
  if (runs.length > 0) {
    result.observations.push({
      code: 'html-runs-programs',
      detail: `The attached page contains script that starts programs on the computer (${runs.slice(0, 5).join(', ')})`,
      evidence: { calls: runs.slice(0, 20) },
    });
  }
  if (OBFUSCATION.test(script) || decodedLayers > 0) {
    result.observations.push({
      code: 'html-obfuscated-script',
      detail: 'The attached page hides what it does behind encoded script',
      evidence: { decodedLayers },
    });
  }
  if (c.metaRefresh || SCRIPT_REDIRECT.test(script)) {
    result.observations.push({
      code: 'html-redirect',
      detail: c.metaRefresh
        ? `The attached page sends the browser on to ${c.metaRefresh}`
        : 'The attached page sends the browser on to another address',
      evidence: c.metaRefresh ? { target: c.metaRefresh, by: 'meta refresh' } : { by: 'script' },
    });
  }
  return result;
}

function dedupe(links: HtmlLink[]): HtmlLink[] {
  const seen = new Set<string>();
  return links.filter((l) => {
    const k = `${l.url}\u0000${l.displayText ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
