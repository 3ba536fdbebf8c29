// Explode a message's attachments recursively: every file (nested ones included) gets its true type,
// hashes and observations; archives are listed and unpacked; documents, PDFs, HTML pages and images
// give up the links inside them; forwarded messages are handed back to be parsed in turn.
// Never throws on hostile content: what cannot be read is reported in `problems`.

import type {
  Attachment,
  AttachmentObservation,
  ExplodedAttachments,
  LinkSource,
  MimePart,
} from '../../types.js';
import { convertMsg, looksLikeOutlookMessage } from '../input/msg.js';
import { gunzip, looksLikeGzip } from './gzip.js';
import { hashFile } from './hashes.js';
import { inspectHtml } from './html.js';
import {
  type ExplodeLimits,
  MAX_FILES,
  MAX_IMAGES_SCANNED,
  MAX_LINKS_PER_FILE,
  MAX_MEMBERS_EXPLODED,
  MAX_QR_PIXELS_PER_MESSAGE,
  resolveLimits,
} from './limits.js';
import { extensionOf, observeName, riskCategory } from './names.js';
import { inspectOle, looksLikeOle } from './ole.js';
import { oneNoteFiles } from './onenote.js';
import { inspectOoxml, isEmbedding, isOoxml, ooxmlWants } from './ooxml.js';
import { inspectPdf, looksLikePdf } from './pdf.js';
import { decodeQr, imageKind } from './qr.js';
import { inspectRtf } from './rtf.js';
import { type DetectedType, familyOfExt, familyOfMime, observeTypeMismatch, sniffType } from './sniff.js';
import { looksLikeTar, readTar } from './tar.js';
import { internetShortcutTarget, linksInText, looksLikeText } from './text.js';
import { type ByteBudget, looksLikeZip, readZip } from './zip.js';

export { MAX_DEPTH, MAX_TOTAL_BYTES } from './limits.js';

export interface ExplodeOptions {
  /** How deep archives and containers are unpacked (0 = list top-level archives only). Capped at MAX_DEPTH. */
  maxDepth?: number;
  /** Bytes that may be unpacked out of archives and containers in total. Capped at MAX_TOTAL_BYTES. */
  maxTotalBytes?: number;
  /** Prefix of attachment ids, default 'att:'. Nested messages use their own prefix to stay unique. */
  idPrefix?: string;
}

interface FileJob {
  content: Uint8Array;
  filename?: string;
  declaredType?: string;
  disposition?: string;
  id: string;
  depth: number;
  parentId?: string;
  path: string;
}

const HTML_EXTS = new Set(['html', 'htm', 'xhtml', 'shtml', 'hta', 'svg', 'mht', 'mhtml']);
const UNLISTABLE_ARCHIVES = new Set([
  'rar',
  '7z',
  'bz2',
  'xz',
  'cab',
  'arj',
  'ace',
  'lzh',
  'zst',
  'lz',
  'lz4',
  'cpio',
]);

/** Explode the parts of one message. Async so that bad options reject instead of throwing synchronously. */
export async function explodeAttachments(
  parts: MimePart[],
  opts?: ExplodeOptions,
): Promise<ExplodedAttachments> {
  const exploder = new Exploder(
    resolveLimits(opts),
    typeof opts?.idPrefix === 'string' ? opts.idPrefix : 'att:',
  );
  let n = 0;
  for (const part of parts ?? []) {
    n++;
    if (!part || !(part.content instanceof Uint8Array)) {
      exploder.out.problems.push(`attachment ${n} has no content`);
      continue;
    }
    const name = part.filename || `attachment ${n}`;
    await exploder.explode({
      content: part.content,
      filename: part.filename,
      declaredType: part.mimeType,
      disposition: part.disposition,
      id: `${exploder.prefix}${n}`,
      depth: 0,
      path: name,
    });
  }
  return exploder.out;
}

class Exploder {
  readonly out: ExplodedAttachments = { attachments: [], links: [], messages: [], problems: [] };
  private readonly budget: ByteBudget;
  private files = 0;
  private imagesScanned = 0;
  private qrPixelsLeft = MAX_QR_PIXELS_PER_MESSAGE;
  private fileLimitReported = false;

  constructor(
    private readonly limits: ExplodeLimits,
    readonly prefix: string,
  ) {
    this.budget = { remaining: limits.maxTotalBytes };
  }

  async explode(job: FileJob): Promise<void> {
    if (this.files >= MAX_FILES) {
      if (!this.fileLimitReported)
        this.out.problems.push(`more than ${MAX_FILES} files in the attachments; the rest were not checked`);
      this.fileLimitReported = true;
      return;
    }
    this.files++;
    const { sha256, md5 } = hashFile(job.content);
    const detected = await sniffType(job.content);
    const att: Attachment = {
      id: job.id,
      filename: job.filename,
      declaredType: job.declaredType,
      detectedType: detected ? { ext: detected.ext, mime: detected.mime } : undefined,
      disposition: job.disposition,
      size: job.content.byteLength,
      sha256,
      md5,
      depth: job.depth,
      parentId: job.parentId,
      path: job.path,
      observations: [
        ...observeName(job.filename),
        ...observeTypeMismatch(detected, job.filename, job.declaredType),
      ],
      content: job.content,
    };
    for (const key of ['filename', 'declaredType', 'detectedType', 'disposition', 'parentId'] as const) {
      if (att[key] === undefined) delete att[key];
    }
    const risky = riskyContent(detected);
    if (risky) att.observations.push(risky);
    this.out.attachments.push(att);
    try {
      await this.inspect(job, att, detected);
    } catch (e) {
      // A bug or an unforeseen format quirk must cost one file's analysis, not the message's.
      this.out.problems.push(`${job.path} could not be fully read (${(e as Error).message})`);
    }
  }

  private async inspect(job: FileJob, att: Attachment, detected: DetectedType | undefined): Promise<void> {
    const { content } = job;
    const ext = extensionOf(job.filename);
    const declared = (job.declaredType ?? '').toLowerCase();
    if (declared.startsWith('message/rfc822') || (ext === 'eml' && !detected)) {
      this.out.messages.push({ raw: content, attachmentId: att.id });
      return;
    }
    if (detected?.family === 'zip' || (!detected && looksLikeZip(content))) return this.inspectZip(job, att);
    if (looksLikeOle(content)) {
      if (looksLikeOutlookMessage(content)) return this.unwrapOutlookMessage(job, att);
      return this.inspectOleFile(job, att, content);
    }
    if (detected?.ext === 'pdf' || (!detected && looksLikePdf(content))) {
      const pdf = inspectPdf(content);
      this.absorb(job, att, 'attachment-pdf', { ...pdf, urls: pdf.uris });
      return;
    }
    const htmlClaimed =
      HTML_EXTS.has(ext) || familyOfMime(declared) === 'html' || declared.startsWith('image/svg');
    if (
      detected?.family === 'html' ||
      ((!detected || detected.ext === 'xml') && htmlClaimed && looksLikeText(content))
    ) {
      this.absorb(job, att, 'attachment-html', inspectHtml(content));
      return;
    }
    if (detected?.ext === 'one') return this.inspectOneNote(job, att);
    if (detected && imageKind(content)) return this.scanQr(job, att);
    if (detected?.ext === 'rtf') {
      this.absorb(job, att, 'attachment-office', inspectRtf(content));
      return;
    }
    if (detected?.mime === 'application/gzip' || (!detected && looksLikeGzip(content)))
      return this.inspectGzip(job, att);
    if (detected?.ext === 'tar' || (!detected && looksLikeTar(content))) return this.inspectTar(job, att);
    if (detected && UNLISTABLE_ARCHIVES.has(detected.ext)) {
      att.observations.push({
        code: 'archive-unlistable',
        detail: `The ${detected.ext.toUpperCase()} archive cannot be opened here, so what is inside is unknown`,
        evidence: { format: detected.ext },
      });
      return;
    }
    // Calendar invitations and contact cards carry links too (calendar-invite phishing).
    if (detected?.family === 'text' && (detected.ext === 'ics' || detected.ext === 'vcf')) {
      this.addLinks(
        linksInText(content).map((url) => ({ url })),
        'attachment-text',
        job.path,
      );
      return;
    }
    if (!detected && looksLikeText(content)) {
      const shortcut = ext === 'url' ? internetShortcutTarget(content) : undefined;
      if (shortcut) {
        // file:// and \\server targets open a file from another machine: how .url files deliver malware.
        const remoteFile = /^(file:|\\\\|smb:|\/\/)/i.test(shortcut.trim());
        att.observations.push({
          code: 'internet-shortcut',
          detail: `The shortcut opens ${shortcut}`,
          evidence: { target: shortcut, remoteFile },
        });
        this.addLinks([{ url: shortcut }], 'attachment-text', job.path);
      } else if (familyOfExt(ext) === 'text' || declared.startsWith('text/plain') || ext === '')
        this.addLinks(
          linksInText(content).map((url) => ({ url })),
          'attachment-text',
          job.path,
        );
    }
  }

  /** An Outlook item attached to the mail (a forward as .msg): converted to RFC 5322 and handed back. */
  private unwrapOutlookMessage(job: FileJob, att: Attachment): void {
    try {
      this.out.messages.push({ raw: convertMsg(job.content).raw, attachmentId: att.id });
    } catch (e) {
      this.out.problems.push(`${job.path}: ${(e as Error).message}`);
    }
  }

  private inspectOleFile(job: FileJob, att: Attachment, content: Uint8Array): void {
    this.absorb(job, att, 'attachment-office', inspectOle(content));
  }

  private async scanQr(job: FileJob, att: Attachment): Promise<void> {
    if (this.imagesScanned >= MAX_IMAGES_SCANNED) return;
    this.imagesScanned++;
    const qr = await decodeQr(job.content, this.qrPixelsLeft, att.sha256);
    this.qrPixelsLeft -= qr.pixels;
    if (qr.status === 'refused') {
      this.out.problems.push(`${job.path}: ${qr.reason}`);
      return;
    }
    if (qr.status !== 'found') return;
    att.observations.push({
      code: 'qr-code',
      detail: `The image contains a QR code that leads to ${qr.texts[0]}`,
      evidence: { texts: qr.texts },
    });
    // A QR code may hold any text; only what looks like an address becomes a link.
    const links = qr.texts.filter((t) => /^[a-z][a-z0-9+.-]*:|^www\./i.test(t.trim()));
    this.addLinks(
      links.map((url) => ({ url, displayText: 'QR code' })),
      'qr-code',
      job.path,
    );
  }

  private async inspectZip(job: FileJob, att: Attachment): Promise<void> {
    // First pass lists the central directory only; what to unpack depends on what the archive is.
    const listing = await readZip(job.content, { budget: this.budget, wants: () => false });
    const names = listing.entries.map((e) => e.name);
    const ooxml = isOoxml(names);
    const canDescend = job.depth < this.limits.maxDepth;
    if (listing.error) this.out.problems.push(`${job.path}: ${listing.error}`);
    if (ooxml) return this.inspectOoxmlFile(job, att, canDescend);
    if (names.includes('mimetype') && names.some((n) => n.startsWith('META-INF/')))
      return this.inspectOdf(att, names);

    att.archive = { entries: listing.entries, encrypted: listing.encrypted, truncated: listing.truncated };
    this.observeArchive(att, listing.entries, listing.truncated, listing.unsafePaths);
    if (!canDescend) {
      if (listing.entries.some((e) => !e.isDirectory)) this.noteTooDeep(job, att);
      return;
    }
    let unpacked = 0;
    const second = await readZip(job.content, {
      budget: this.budget,
      wants: (e) => !e.isDirectory && unpacked++ < MAX_MEMBERS_EXPLODED,
    });
    if (unpacked > MAX_MEMBERS_EXPLODED)
      this.out.problems.push(`${job.path}: only the first ${MAX_MEMBERS_EXPLODED} files inside were checked`);
    this.observeSkipped(job, att, second.skipped);
    for (const member of second.members) {
      await this.explode({
        content: member.content,
        filename: baseName(member.entry.name),
        id: `${job.id}/${member.index + 1}`,
        depth: job.depth + 1,
        parentId: att.id,
        path: `${job.path} › ${member.entry.name}`,
      });
    }
  }

  private async inspectOoxmlFile(job: FileJob, att: Attachment, canDescend: boolean): Promise<void> {
    const listing = await readZip(job.content, { budget: this.budget, wants: (e) => ooxmlWants(e.name) });
    const office = inspectOoxml(
      listing.members,
      listing.entries.map((e) => e.name),
    );
    this.absorb(job, att, 'attachment-office', office);
    for (const vba of office.vbaProjects) this.inspectOleFile(job, att, vba);
    this.observeSkipped(job, att, listing.skipped);
    const embedded = listing.members.filter((m) => isEmbedding(m.entry.name));
    if (embedded.length > 0 && !canDescend) return this.noteTooDeep(job, att);
    for (const member of embedded) {
      await this.explode({
        content: member.content,
        filename: baseName(member.entry.name),
        id: `${job.id}/${member.index + 1}`,
        depth: job.depth + 1,
        parentId: att.id,
        path: `${job.path} › ${member.entry.name}`,
      });
    }
  }

  private async inspectOneNote(job: FileJob, att: Attachment): Promise<void> {
    const { files, truncated } = oneNoteFiles(job.content);
    if (files.length === 0) return;
    att.observations.push({
      code: 'onenote-embedded-file',
      detail: `The OneNote file carries ${files.length} embedded file${files.length > 1 ? 's' : ''}`,
      evidence: { count: files.length, truncated },
    });
    if (job.depth >= this.limits.maxDepth) return this.noteTooDeep(job, att);
    let n = 0;
    for (const f of files) {
      n++;
      await this.explode({
        content: f.content,
        id: `${job.id}/${n}`,
        depth: job.depth + 1,
        parentId: att.id,
        path: `${job.path} › embedded file ${n}`,
      });
    }
  }

  private async inspectGzip(job: FileJob, att: Attachment): Promise<void> {
    const innerName =
      job.filename && /\.t?gz$/i.test(job.filename)
        ? job.filename.replace(/\.tgz$/i, '.tar').replace(/\.gz$/i, '')
        : undefined;
    if (job.depth >= this.limits.maxDepth) return this.noteTooDeep(job, att);
    const out = gunzip(job.content, this.budget);
    if ('error' in out) {
      if (out.bomb)
        this.observeSkipped(job, att, [
          { name: innerName ?? 'contents', reason: 'compressed like a zip bomb' },
        ]);
      else this.out.problems.push(`${job.path}: ${out.error}`);
      return;
    }
    const name = out.name ?? innerName ?? 'contents';
    const entry = { name, size: out.content.byteLength, encrypted: false, isDirectory: false };
    att.archive = { entries: [entry], encrypted: false, truncated: false };
    this.observeArchive(att, [entry], false, []);
    await this.explode({
      content: out.content,
      filename: baseName(name),
      id: `${job.id}/1`,
      depth: job.depth + 1,
      parentId: att.id,
      path: `${job.path} › ${name}`,
    });
  }

  private async inspectTar(job: FileJob, att: Attachment): Promise<void> {
    const tar = readTar(job.content);
    if (tar.error) this.out.problems.push(`${job.path}: ${tar.error}`);
    att.archive = { entries: tar.entries, encrypted: false, truncated: tar.truncated };
    this.observeArchive(att, tar.entries, tar.truncated, []);
    if (tar.members.length === 0) return;
    if (job.depth >= this.limits.maxDepth) return this.noteTooDeep(job, att);
    if (tar.members.length > MAX_MEMBERS_EXPLODED)
      this.out.problems.push(`${job.path}: only the first ${MAX_MEMBERS_EXPLODED} files inside were checked`);
    for (const member of tar.members.slice(0, MAX_MEMBERS_EXPLODED)) {
      await this.explode({
        content: member.content,
        filename: baseName(member.entry.name),
        id: `${job.id}/${tar.entries.indexOf(member.entry) + 1}`,
        depth: job.depth + 1,
        parentId: att.id,
        path: `${job.path} › ${member.entry.name}`,
      });
    }
  }

  /** OpenDocument (and EPUB): a document, not an archive to unpack; Basic/ and Scripts/ hold macros. */
  private inspectOdf(att: Attachment, names: string[]): void {
    const macros = names.filter((n) => /^(Basic|Scripts)\/.+/.test(n) && !n.endsWith('/'));
    if (macros.length === 0) return;
    att.observations.push({
      code: 'vba-macro',
      detail: 'The document contains macros (programs that run inside the office suite)',
      evidence: { modules: macros.slice(0, 20), format: 'opendocument' },
    });
  }

  private observeArchive(
    att: Attachment,
    entries: { name: string; encrypted: boolean; isDirectory: boolean }[],
    truncated: boolean,
    unsafePaths: string[],
  ): void {
    const encrypted = entries.filter((e) => e.encrypted);
    if (encrypted.length > 0) {
      att.observations.push({
        code: 'encrypted-archive',
        detail: 'The archive is password-protected, so what is inside cannot be checked',
        evidence: { encryptedEntries: encrypted.map((e) => e.name).slice(0, 20) },
      });
    }
    const risky = entries
      .filter((e) => !e.isDirectory)
      .map((e) => ({ name: e.name, category: riskCategory(extensionOf(baseName(e.name))) }))
      .filter((e) => e.category);
    if (risky.length > 0) {
      att.observations.push({
        code: 'archive-risky-member',
        detail: `The archive contains ${risky[0].name}${risky.length > 1 ? ` and ${risky.length - 1} more risky files` : ''}`,
        evidence: { members: risky.slice(0, 20), count: risky.length },
      });
    }
    const nested = entries.filter((e) => {
      const f = familyOfExt(extensionOf(e.name));
      return f === 'archive' || extensionOf(e.name) === 'zip';
    });
    if (nested.length > 0) {
      att.observations.push({
        code: 'nested-archive',
        detail: 'The archive contains another archive',
        evidence: { members: nested.map((e) => e.name).slice(0, 20) },
      });
    }
    if (truncated) {
      att.observations.push({
        code: 'archive-truncated',
        detail: 'The archive holds so many files that not all were listed',
        evidence: { listed: entries.length },
      });
    }
    if (unsafePaths.length > 0) {
      att.observations.push({
        code: 'archive-path-traversal',
        detail: 'The archive tries to unpack files outside the folder it is opened in',
        evidence: { names: unsafePaths.slice(0, 20) },
      });
    }
  }

  private observeSkipped(job: FileJob, att: Attachment, skipped: { name: string; reason: string }[]): void {
    const bombs = skipped.filter((s) => /zip bomb|more than its header/.test(s.reason));
    if (bombs.length > 0) {
      att.observations.push({
        code: 'archive-bomb',
        detail: 'The archive is built to swell to an enormous size when opened (a "zip bomb")',
        evidence: { members: bombs.slice(0, 20) },
      });
    }
    for (const s of skipped.slice(0, 10))
      this.out.problems.push(`${job.path} › ${s.name} was not unpacked: ${s.reason}`);
  }

  private noteTooDeep(job: FileJob, att: Attachment): void {
    att.observations.push({
      code: 'nesting-too-deep',
      detail: 'Files are nested inside each other too deeply to be checked',
      evidence: { depth: job.depth + 1, maxDepth: this.limits.maxDepth },
    });
    this.out.problems.push(
      `${job.path}: nested more than ${this.limits.maxDepth} levels deep; the inner files were not checked`,
    );
  }

  private addLinks(links: { url: string; displayText?: string }[], source: LinkSource, path: string): void {
    for (const l of links.slice(0, MAX_LINKS_PER_FILE)) {
      this.out.links.push({
        raw: l.url,
        ...(l.displayText ? { displayText: l.displayText } : {}),
        source,
        location: `attachment ${path}`,
      });
    }
  }

  /** Takes what a content inspector found in a file: its observations, its links and its problems. */
  private absorb(
    job: FileJob,
    att: Attachment,
    source: LinkSource,
    found: {
      observations: AttachmentObservation[];
      links?: { url: string; displayText?: string }[];
      urls?: string[];
      problems?: string[];
    },
  ): void {
    att.observations.push(...found.observations);
    this.addLinks(found.links ?? (found.urls ?? []).map((url) => ({ url })), source, job.path);
    if (found.problems) this.addProblems(job.path, found.problems);
  }

  private addProblems(path: string, problems: string[]): void {
    for (const p of problems) this.out.problems.push(`${path}: ${p}`);
  }
}

/** An observation for content that is itself risky whatever its name says (a disk image named .pdf). */
function riskyContent(detected: DetectedType | undefined): AttachmentObservation | undefined {
  const f = detected?.family;
  if (f !== 'disk-image' && f !== 'onenote' && f !== 'shortcut') return undefined;
  return {
    code: 'risky-content',
    detail: `The content is ${f === 'disk-image' ? 'a disk image' : f === 'onenote' ? 'a OneNote notebook' : 'a Windows shortcut'}`,
    evidence: {
      category: f === 'disk-image' ? 'disk-image' : f === 'onenote' ? 'onenote' : 'shortcut',
      actual: detected!.ext,
    },
  };
}

function baseName(name: string): string {
  const parts = name.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? name;
}
