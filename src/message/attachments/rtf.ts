// RTF documents: embedded OLE objects (\object … \objdata), the carrier of the Equation Editor
// exploits (CVE-2017-11882, CVE-2018-0802) and of packaged programs, and links in HYPERLINK fields.

import type { AttachmentObservation } from '../../types.js';
import { MAX_LINKS_PER_FILE } from './limits.js';

/** Characters of an RTF scanned; object data sits anywhere, but RTF droppers are small. */
const MAX_RTF_SCAN_CHARS = 8 * 1024 * 1024;

export interface RtfFindings {
  observations: AttachmentObservation[];
  urls: string[];
}

export function inspectRtf(content: Uint8Array): RtfFindings {
  const text = Buffer.from(
    content.buffer,
    content.byteOffset,
    Math.min(content.byteLength, MAX_RTF_SCAN_CHARS),
  ).toString('latin1');
  const result: RtfFindings = { observations: [], urls: [] };
  const objects = (text.match(/\\objdata\b/g) ?? []).length;
  if (objects > 0) {
    // The class name (\objclass Equation.3, Package, Word.Document.8...) says what the object is.
    const classes = [...text.matchAll(/\\objclass\s+([^}\\\s]+)/g)].map((m) => m[1]);
    const equation = classes.some((c) => /^Equation\./i.test(c)) || /4571756174696f6e2e33/i.test(text); // "Equation.3" in hex
    result.observations.push({
      code: 'rtf-embedded-object',
      detail: equation
        ? 'The document embeds an Equation Editor object, the part of Office that old exploits attack'
        : 'The document embeds another file or program as an object',
      evidence: { objects, classes: [...new Set(classes)].slice(0, 10), equationEditor: equation },
    });
  }
  for (const m of text.matchAll(/HYPERLINK\s+"([^"]+)"/g)) {
    if (result.urls.length >= MAX_LINKS_PER_FILE) break;
    result.urls.push(m[1]);
  }
  return result;
}
