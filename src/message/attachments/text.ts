// Plain-text attachments and Internet shortcuts (.url): the links written in them.

import { MAX_LINKS_PER_FILE } from './limits.js';

/** Bytes of a text attachment searched for links. Stops multi-megabyte logs from costing time. */
const MAX_TEXT_SCAN_BYTES = 1024 * 1024;

const URL_IN_TEXT =
  /\b(?:https?|hxxps?|ftp):\/\/[^\s"'<>()[\]{}]+|\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s"'<>()[\]{}]*/gi;

/** Links in a plain-text file, as written (refanging and normalising happen downstream). */
export function linksInText(content: Uint8Array): string[] {
  const text = new TextDecoder('utf-8').decode(content.subarray(0, MAX_TEXT_SCAN_BYTES));
  const out = new Set<string>();
  for (const m of text.matchAll(URL_IN_TEXT)) {
    if (out.size >= MAX_LINKS_PER_FILE) break;
    out.add(m[0].replace(/[.,;:!?]+$/, ''));
  }
  return [...out];
}

/** The target of a Windows Internet shortcut ([InternetShortcut] URL=...). */
export function internetShortcutTarget(content: Uint8Array): string | undefined {
  const text = new TextDecoder('utf-8').decode(content.subarray(0, 64 * 1024));
  if (!/\[InternetShortcut\]/i.test(text)) return undefined;
  return /^\s*URL\s*=\s*(.+?)\s*$/im.exec(text)?.[1];
}

/** Whether content looks like text rather than binary: no NUL bytes in the first kilobytes. */
export function looksLikeText(content: Uint8Array): boolean {
  const head = content.subarray(0, 4096);
  return !head.includes(0);
}
