// The true type of a file, from its content (magic bytes), compared with what its name and its
// declared MIME type claim. file-type knows most formats; the few it does not know and that matter
// for mail attacks (disk images, OneNote, HTML) are recognised here.

import { fileTypeFromBuffer } from 'file-type';
import type { AttachmentObservation } from '../../types.js';
import { extensionOf } from './names.js';

/** Broad kind of file: two names for the same family are not a mismatch (jpg vs jpeg, docx vs zip). */
export type TypeFamily =
  | 'program'
  | 'pdf'
  | 'image'
  | 'ole'
  | 'zip'
  | 'archive'
  | 'rtf'
  | 'disk-image'
  | 'onenote'
  | 'shortcut'
  | 'html'
  | 'text'
  | 'media'
  | 'email';

export interface DetectedType {
  ext: string;
  mime: string;
  family?: TypeFamily;
}

const FAMILY_BY_EXT: Record<string, TypeFamily> = {};
function family(f: TypeFamily, exts: string): void {
  for (const e of exts.split(' ')) FAMILY_BY_EXT[e] = f;
}
family('program', 'exe dll scr com cpl sys elf macho xll ocx drv efi');
family('pdf', 'pdf');
family('image', 'jpg jpeg jfif png apng gif bmp tif tiff webp heic heif ico avif jxl');
family('ole', 'doc dot xls xlt xla ppt pot pps msg msi msp pub vsd mpp cfb');
family(
  'zip',
  'zip docx docm dotx dotm xlsx xlsm xltx xltm xlam pptx pptm potx potm ppsx ppsm odt ods odp odg ott ots otp ' +
    'jar apk epub xpi vsdx xps oxps appx msix 3mf kmz crx',
);
family('archive', 'rar 7z gz tar.gz tgz bz2 xz tar cab arj lzh lha ace zst lz lz4 cpio ar deb rpm z');
family('rtf', 'rtf');
family('disk-image', 'iso img vhd vhdx dmg udf');
family('onenote', 'one onepkg');
family('shortcut', 'lnk');
family('html', 'html htm xhtml shtml mht mhtml hta');
family('text', 'txt csv log json xml ics vcf eml_txt');
family('media', 'mp3 mp4 m4a wav avi mov mkv webm ogg flac mpg mpeg wma wmv 3gp');
family('email', 'eml');

export function familyOfExt(ext: string): TypeFamily | undefined {
  return Object.hasOwn(FAMILY_BY_EXT, ext) ? FAMILY_BY_EXT[ext] : undefined;
}

const FAMILY_BY_MIME: [RegExp, TypeFamily][] = [
  [/^application\/pdf$/, 'pdf'],
  [/^image\/(?!svg)/, 'image'],
  [
    /^application\/(msword|vnd\.ms-(excel|powerpoint|outlook|project|publisher)|x-msi|x-ole-storage|vnd\.visio)$/,
    'ole',
  ],
  [
    /^application\/(zip|x-zip-compressed|vnd\.openxmlformats-officedocument\..+|vnd\.oasis\.opendocument\..+|java-archive|epub\+zip|vnd\.ms-.+\.macroenabled\.12)$/,
    'zip',
  ],
  [
    /^application\/(x-msdownload|x-dosexec|x-msdos-program|x-executable|vnd\.microsoft\.portable-executable|x-elf|x-mach-binary)$/,
    'program',
  ],
  [
    /^application\/(x-rar-compressed|vnd\.rar|x-7z-compressed|gzip|x-gzip|x-tar|x-bzip2|x-xz|vnd\.ms-cab-compressed)$/,
    'archive',
  ],
  [/^(application|text)\/rtf$/, 'rtf'],
  [/^application\/(x-iso9660-image|x-cd-image|x-raw-disk-image|x-vhd|x-apple-diskimage)$/, 'disk-image'],
  [/^application\/onenote$/, 'onenote'],
  [/^text\/html$|^application\/xhtml\+xml$/, 'html'],
  [/^text\/(plain|csv|calendar|vcard|xml)$/, 'text'],
  [/^(audio|video)\//, 'media'],
  [/^message\/rfc822$/, 'email'],
];

export function familyOfMime(mime: string | undefined): TypeFamily | undefined {
  if (!mime) return undefined;
  const m = mime.toLowerCase().split(';')[0].trim();
  for (const [re, f] of FAMILY_BY_MIME) if (re.test(m)) return f;
  return undefined;
}

/** Families where one holds the other legitimately: HTML is text; an Outlook .msg is OLE. */
function compatible(claimed: TypeFamily, actual: TypeFamily): boolean {
  if (claimed === actual) return true;
  if (claimed === 'text' && actual === 'html') return true;
  if (claimed === 'html' && actual === 'text') return true;
  if (claimed === 'email' && (actual === 'text' || actual === 'html')) return true;
  return false;
}

const ONENOTE_MAGIC = [
  0xe4, 0x52, 0x5c, 0x7b, 0x8c, 0xd8, 0xa7, 0x4d, 0xae, 0xb1, 0x53, 0x78, 0xd0, 0x29, 0x96, 0xd3,
];

/** Whether `buf` holds the ASCII text `ascii` at `offset` (a magic number or a chunk tag). */
export function bytesAt(buf: Uint8Array, offset: number, ascii: string): boolean {
  if (buf.length < offset + ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (buf[offset + i] !== ascii.charCodeAt(i)) return false;
  return true;
}

/** Formats file-type does not know but mail attacks use (ISO/VHD smuggling, OneNote, HTML). */
function sniffExtra(buf: Uint8Array): DetectedType | undefined {
  if (ONENOTE_MAGIC.every((b, i) => buf[i] === b)) return { ext: 'one', mime: 'application/onenote' };
  for (const off of [0x8001, 0x8801, 0x9001]) {
    if (bytesAt(buf, off, 'CD001')) return { ext: 'iso', mime: 'application/x-iso9660-image' };
    if (bytesAt(buf, off, 'BEA01')) return { ext: 'udf', mime: 'application/x-iso9660-image' };
  }
  if (bytesAt(buf, 0, 'vhdxfile')) return { ext: 'vhdx', mime: 'application/x-vhdx' };
  if (bytesAt(buf, 0, 'conectix') || (buf.length >= 512 && bytesAt(buf, buf.length - 512, 'conectix')))
    return { ext: 'vhd', mime: 'application/x-vhd' };
  if (looksLikeHtml(buf)) return { ext: 'html', mime: 'text/html' };
  return undefined;
}

const HTML_START =
  /^(?:\s|<!--[\s\S]*?-->)*<(?:!doctype\s+html|html|head|body|script|meta|form|iframe|title|div|table|style|svg)[\s>/]/i;

/** HTML by content: the first kilobyte opens with an HTML element (after a BOM and comments). */
export function looksLikeHtml(buf: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(buf.subarray(0, 1024)).replace(/^\ufeff|^ï»¿/, '');
  return HTML_START.test(head);
}

/** True type from content, or undefined when the content has no recognisable signature (plain text). */
export async function sniffType(content: Uint8Array): Promise<DetectedType | undefined> {
  let found: DetectedType | undefined;
  try {
    const ft = await fileTypeFromBuffer(content);
    if (ft) found = { ext: ft.ext, mime: ft.mime };
  } catch {
    // file-type can throw on truncated containers; the extra sniffers still get a go.
  }
  // file-type reads ISO/VHD images as nothing or as their first partition's data; look for ours first.
  const extra = found && found.ext !== 'xml' ? undefined : sniffExtra(content);
  const result = extra ?? found;
  if (result) result.family = familyOfExt(result.ext);
  return result;
}

/** Compare the true type with the name's extension and the declared MIME type. */
export function observeTypeMismatch(
  detected: DetectedType | undefined,
  filename: string | undefined,
  declaredType: string | undefined,
): AttachmentObservation[] {
  const out: AttachmentObservation[] = [];
  if (!detected?.family) return out;
  const actual = detected.family;
  const ext = extensionOf(filename);
  const claimedByName = familyOfExt(ext);
  if (claimedByName && !compatible(claimedByName, actual)) {
    out.push({
      code: 'type-mismatch',
      detail: `The name says .${ext} but the content is really ${describeType(detected)}`,
      evidence: {
        claimed: ext,
        claimedFamily: claimedByName,
        actual: detected.ext,
        actualFamily: actual,
        actualDescription: describeType(detected),
        by: 'name',
      },
    });
  }
  const claimedByMime = familyOfMime(declaredType);
  // When the name already gave the game away, the declared type adds nothing.
  if (claimedByMime && !compatible(claimedByMime, actual) && out.length === 0) {
    out.push({
      code: 'declared-type-mismatch',
      detail: `The message says it is ${declaredType} but the content is really ${describeType(detected)}`,
      evidence: {
        claimed: declaredType,
        claimedFamily: claimedByMime,
        actual: detected.ext,
        actualFamily: actual,
        actualDescription: describeType(detected),
        by: 'declared',
      },
    });
  }
  if (actual === 'program') {
    out.push({
      code: 'executable-content',
      detail: `The content is a ${detected.ext === 'exe' ? 'Windows' : detected.ext === 'elf' ? 'Linux' : 'macOS'} program`,
      evidence: { actual: detected.ext },
    });
  }
  return out;
}

const TYPE_WORDS: Partial<Record<TypeFamily, string>> = {
  program: 'a program',
  pdf: 'a PDF',
  image: 'an image',
  ole: 'an old-style Office file',
  zip: 'a zip archive',
  archive: 'a compressed archive',
  rtf: 'an RTF document',
  'disk-image': 'a disk image',
  onenote: 'a OneNote file',
  shortcut: 'a Windows shortcut',
  html: 'a web page',
};

export function describeType(t: DetectedType): string {
  if (t.ext === 'docx' || t.ext === 'docm') return 'a Word document';
  if (t.ext === 'xlsx' || t.ext === 'xlsm') return 'an Excel workbook';
  if (t.ext === 'pptx' || t.ext === 'pptm') return 'a PowerPoint presentation';
  if (t.ext === 'exe') return 'a Windows program';
  return (t.family && TYPE_WORDS[t.family]) ?? `a .${t.ext} file`;
}
