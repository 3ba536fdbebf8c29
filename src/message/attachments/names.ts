// What a file name says: its extension, whether it hides one extension behind another (double
// extensions, right-to-left override) and whether the extension runs code when opened on Windows.

import type { AttachmentObservation } from '../../types.js';

/** Why an extension is risky; the attachment engine words and weighs each category. */
export type RiskCategory =
  | 'internet-shortcut'
  | 'program'
  | 'script'
  | 'shortcut'
  | 'installer'
  | 'disk-image'
  | 'onenote'
  | 'macro-document';

/** Extensions that run code (or mount something that does) when double-clicked on Windows. */
export const RISKY_EXTENSIONS: Readonly<Record<string, RiskCategory>> = {
  exe: 'program',
  scr: 'program',
  com: 'program',
  pif: 'program',
  cpl: 'program',
  dll: 'program',
  sys: 'program',
  xll: 'program',
  jar: 'program',
  appx: 'installer',
  appxbundle: 'installer',
  msix: 'installer',
  msi: 'installer',
  msp: 'installer',
  application: 'installer',
  js: 'script',
  jse: 'script',
  vbs: 'script',
  vbe: 'script',
  wsf: 'script',
  wsh: 'script',
  wsc: 'script',
  hta: 'script',
  bat: 'script',
  cmd: 'script',
  ps1: 'script',
  psm1: 'script',
  reg: 'script',
  sct: 'script',
  inf: 'script',
  msc: 'script',
  chm: 'script',
  lnk: 'shortcut',
  url: 'internet-shortcut',
  scf: 'shortcut',
  library_ms: 'shortcut',
  searchconnector_ms: 'shortcut',
  settingcontent_ms: 'shortcut',
  iso: 'disk-image',
  img: 'disk-image',
  vhd: 'disk-image',
  vhdx: 'disk-image',
  one: 'onenote',
  onepkg: 'onenote',
  docm: 'macro-document',
  dotm: 'macro-document',
  xlsm: 'macro-document',
  xltm: 'macro-document',
  xlam: 'macro-document',
  pptm: 'macro-document',
  potm: 'macro-document',
  ppsm: 'macro-document',
  ppam: 'macro-document',
  sldm: 'macro-document',
};

/** Extensions people trust, which a double extension pretends the file has. */
const DECOY_EXTENSIONS = new Set([
  'pdf',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'ppt',
  'pptx',
  'rtf',
  'txt',
  'csv',
  'odt',
  'ods',
  'jpg',
  'jpeg',
  'png',
  'gif',
  'bmp',
  'tif',
  'tiff',
  'heic',
  'webp',
  'mp3',
  'mp4',
  'wav',
  'avi',
  'mov',
  'htm',
  'html',
  'eml',
  'msg',
  'zip',
]);

/**
 * Bidirectional control characters: U+202E (right-to-left override) makes "invoice‮fdp.exe" display
 * as "invoiceexe.pdf". The others (embeddings, isolates) can reorder a name the same way.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
const HAS_BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

/** Runs of blanks pushing the real extension out of view: "invoice.pdf          .exe". */
const PADDING_BEFORE_EXTENSION = /(\s{4,}|[\u2000-\u200b\u3000\u00a0]{2,})\.[a-z0-9_]+$/i;

/** Lower-cased extension of a name ('' when none); '.library-ms' style names keep their dash as '_'. */
export function extensionOf(name: string | undefined): string {
  if (!name) return '';
  const base = name
    .replace(BIDI_CONTROLS, '')
    .trim()
    .replace(/[.\s]+$/, '');
  const dot = base.lastIndexOf('.');
  if (dot <= 0 && !base.startsWith('.')) return '';
  const ext = base.slice(dot + 1).toLowerCase();
  return /^[a-z0-9_-]{1,20}$/.test(ext) ? ext.replace(/-/g, '_') : '';
}

export function riskCategory(ext: string): RiskCategory | undefined {
  return Object.hasOwn(RISKY_EXTENSIONS, ext) ? RISKY_EXTENSIONS[ext] : undefined;
}

/** How a name would look on screen, bidi controls shown as ⟨RLO⟩ etc. so people can see the trick. */
export function visibleName(name: string): string {
  return name.replace(
    BIDI_CONTROLS,
    (c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`,
  );
}

/** Observations about a file name alone. */
export function observeName(name: string | undefined): AttachmentObservation[] {
  if (!name) return [];
  const out: AttachmentObservation[] = [];
  const ext = extensionOf(name);
  const category = riskCategory(ext);
  if (category) {
    out.push({
      code: 'risky-extension',
      detail: `The name ends in .${ext}, which Windows ${category === 'disk-image' ? 'mounts as a drive' : 'runs or opens with code'} when opened`,
      evidence: { ext, category },
    });
  }
  if (HAS_BIDI_CONTROL.test(name)) {
    out.push({
      code: 'bidi-name',
      detail: 'The name contains an invisible character that reverses how it is displayed',
      evidence: { name: visibleName(name), realExtension: ext },
    });
  }
  const clean = name.replace(BIDI_CONTROLS, '').trim();
  const parts = clean.toLowerCase().split('.');
  if (parts.length >= 3 && category) {
    const decoy = parts[parts.length - 2].trim();
    if (DECOY_EXTENSIONS.has(decoy)) {
      out.push({
        code: 'double-extension',
        detail: `The name pretends to be .${decoy} but really ends in .${ext}`,
        evidence: { decoy, ext },
      });
    }
  }
  if (PADDING_BEFORE_EXTENSION.test(clean)) {
    out.push({
      code: 'padded-extension',
      detail: 'Blank space in the name pushes the real extension out of view',
      evidence: { ext },
    });
  }
  return out;
}
