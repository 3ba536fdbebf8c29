// One pass over an HTML body: every link with the text it was shown under, and the visible text.

import { Parser } from 'htmlparser2';
import type { LinkSource, RawLink } from '../../types.js';
import { MAX_HTML_CHARS, rememberHtmlText, VisibleText } from '../html-text.js';
import { collapseToParagraphs } from '../whitespace.js';
import { extractTextLinks, MAX_LINKS_PER_PART } from './extract-text.js';

/** HTML beyond this is not parsed: bounded cost on hostile input (a real body is far smaller). */
const MAX_HTML_SCAN = 8 * 1024 * 1024;
/** Anchor text is cut here: enough to compare with the target, bounded on hostile input. */
const MAX_DISPLAY_TEXT = 500;

const CSS_URL = /url\(\s*(['"]?)([^'")\s]+)\1\s*\)/gi;
const BLOCK_TAGS = new Set([
  'p',
  'div',
  'br',
  'tr',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'section',
  'article',
  'header',
  'footer',
  'blockquote',
  'hr',
  'td',
  'th',
]);
const SKIP_TEXT_TAGS = new Set(['script', 'style', 'head', 'title', 'noscript', 'template']);

export interface HtmlScan {
  links: RawLink[];
  /** Visible text, blocks separated by newlines (joined when first read: most callers never read it). */
  readonly text: string;
}

export interface HtmlScanOptions {
  /** Source given to bare URLs found in the text outside links. */
  textSource?: LinkSource;
  /**
   * Look for bare URLs in the text outside links (default true). A caller that takes those from a
   * plain-text part instead turns this off: the search (linkify) is a good share of the scan.
   */
  bareUrls?: boolean;
}

/** A link worth keeping: absolute (or protocol-relative, or www.), not an in-page anchor or inline image. */
function keepHref(href: string | undefined): href is string {
  if (!href) return false;
  const h = href.trim();
  if (!h || h.startsWith('#') || /^cid:/i.test(h)) return false;
  if (/^[a-z][a-z0-9+.-]*:/i.test(h)) return true;
  return h.startsWith('//') || /^www\./i.test(h);
}

export function scanHtml(html: string, location: string, options: HtmlScanOptions = {}): HtmlScan {
  const { textSource = 'text', bareUrls = true } = options;
  const input = html.length > MAX_HTML_SCAN ? html.slice(0, MAX_HTML_SCAN) : html;
  const links: RawLink[] = [];
  const textParts: string[] = [];
  const outsideAnchorText: string[] = [];
  let skipDepth = 0;
  let base: string | undefined;
  const anchors: { href: string; source: LinkSource; text: string[] }[] = [];
  // The readers' visible text (scam match, text model) from this same pass, so the body is parsed once.
  const visible = html.length <= MAX_HTML_CHARS ? new VisibleText() : undefined;

  const add = (raw: string | undefined, source: LinkSource, displayText?: string) => {
    if (links.length >= MAX_LINKS_PER_PART || !keepHref(raw)) return;
    let r = raw.trim();
    if (base && r.startsWith('//')) r = new URL(r, base).href;
    const link: RawLink = { raw: r, source, location };
    if (displayText !== undefined) link.displayText = displayText;
    links.push(link);
  };
  const addCss = (css: string) => {
    for (const m of css.matchAll(CSS_URL)) add(m[2], 'html-css');
  };

  const parser = new Parser(
    {
      onopentag(name, a) {
        visible?.open(name);
        if (SKIP_TEXT_TAGS.has(name)) skipDepth++;
        if (BLOCK_TAGS.has(name)) textParts.push('\n');
        if (a.style) addCss(a.style);
        if (a.background) add(a.background, 'html-other');
        switch (name) {
          case 'base':
            if (a.href && /^https?:/i.test(a.href)) base = a.href;
            break;
          case 'a':
          case 'area':
            if (keepHref(a.href)) {
              if (name === 'area') add(a.href, 'html-area', a.alt ?? a.title);
              else anchors.push({ href: a.href, source: 'html-a', text: [] });
            }
            break;
          case 'form':
            add(a.action, 'html-form');
            break;
          case 'meta': {
            if ((a['http-equiv'] ?? '').toLowerCase() === 'refresh' && a.content) {
              const m = /url\s*=\s*['"]?([^'"]+)/i.exec(a.content);
              if (m) add(m[1], 'html-meta-refresh');
            }
            break;
          }
          case 'img':
            if (a.alt && anchors.length) anchors[anchors.length - 1].text.push(a.alt);
            add(a.src, 'html-img', a.alt);
            break;
          case 'iframe':
          case 'frame':
          case 'embed':
            add(a.src, 'html-iframe');
            break;
          case 'object':
            add(a.data, 'html-iframe');
            break;
          case 'script':
            add(a.src, 'html-other');
            break;
          case 'link':
            add(a.href, 'html-other');
            break;
        }
      },
      ontext(t) {
        visible?.text(t);
        if (skipDepth > 0) {
          return;
        }
        textParts.push(t);
        if (anchors.length) anchors[anchors.length - 1].text.push(t);
        else if (bareUrls) outsideAnchorText.push(t);
      },
      onclosetag(name) {
        visible?.close(name);
        if (SKIP_TEXT_TAGS.has(name) && skipDepth > 0) skipDepth--;
        if (name === 'a' && anchors.length) {
          const a = anchors.pop()!;
          const text = decodeText(a.text.join('')).replace(/\s+/g, ' ').trim().slice(0, MAX_DISPLAY_TEXT);
          add(a.href, a.source, text);
        }
        if (BLOCK_TAGS.has(name)) textParts.push('\n');
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  // <style> blocks: css urls. htmlparser2 gives style content through ontext, which we skip; catch it here.
  for (const m of input.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)) addCss(m[1]);
  parser.write(input);
  parser.end();
  if (visible) rememberHtmlText(html, visible);
  // Anchors left open at the end of a truncated body still count.
  for (const a of anchors) add(a.href, a.source, decodeText(a.text.join('')).replace(/\s+/g, ' ').trim());

  if (bareUrls) {
    for (const l of extractTextLinks(outsideAnchorText.join(' '), textSource, location)) {
      if (links.length < MAX_LINKS_PER_PART) links.push(l);
    }
  }
  let text: string | undefined;
  return {
    links,
    get text() {
      text ??= collapseToParagraphs(textParts.join(''));
      return text;
    },
  };
}

function decodeText(s: string): string {
  return s.replace(/\u200b|\u200c|\u200d|\ufeff/g, '');
}
