// Public types of Suspect's message side: the Message model, engines, findings and the report.
// Every module exchanges these shapes; wording for people is rendered from them in src/report/.

import type { Database } from 'better-sqlite3';

// ───────────────────────────── Message model ─────────────────────────────

export interface Address {
  name: string;
  address: string;
}

/** One header field, key lower-cased, value decoded (RFC 2047) and unfolded. */
export interface HeaderField {
  key: string;
  value: string;
}

/** One method result inside an Authentication-Results / ARC-Authentication-Results header. */
export interface AuthMethodResult {
  method: string; // spf, dkim, dmarc, arc, compauth, ...
  result: string; // pass, fail, softfail, neutral, none, temperror, permerror, ...
  reason?: string;
  /** ptype.property → value, e.g. { 'header.d': 'example.com', 'smtp.mailfrom': 'a@b' } */
  props: Record<string, string>;
}

export interface AuthResultsHeader {
  header: 'authentication-results' | 'arc-authentication-results';
  authservId: string;
  /** ARC instance (i=) for ARC-Authentication-Results. */
  instance?: number;
  methods: AuthMethodResult[];
  /** Index of the header in the message, 0 = topmost (most recent). */
  position: number;
}

export interface ReceivedHop {
  raw: string;
  from?: string;
  by?: string;
  ip?: string;
  date?: string;
  position: number; // 0 = topmost
}

export type LinkSource =
  | 'text'
  | 'html-a'
  | 'html-area'
  | 'html-form'
  | 'html-meta-refresh'
  | 'html-img'
  | 'html-iframe'
  | 'html-css'
  | 'html-other'
  | 'attachment-pdf'
  | 'attachment-html'
  | 'attachment-office'
  | 'attachment-text'
  | 'qr-code'
  | 'user'; // given directly by the user (`suspect url`)

export interface LinkWrapper {
  /** e.g. 'safelinks', 'proofpoint-v2', 'google-redirect', 'open-redirect' */
  kind: string;
  url: string;
}

export interface Link {
  /** Stable id within the message, e.g. 'link:3'. */
  id: string;
  /** The real target: refanged, unwrapped, normalised. */
  url: string;
  /** The string as it stood in the message. */
  raw: string;
  /** Text the link was displayed under (anchor text, alt text), when any. */
  displayText?: string;
  source: LinkSource;
  /** Where it was found, for people: 'HTML body', 'attachment invoice.pdf', ... */
  location: string;
  /** Wrappers peeled off to reach `url`, outermost first. */
  wrappers: LinkWrapper[];
  /** True when the raw form was defanged (hxxp, [.]) and had to be refanged. */
  defanged: boolean;
  scheme: string; // 'https', 'http', 'mailto', 'data', 'javascript', ...
  /** Host as Unicode and as punycode (ASCII). Absent for schemes without a host. */
  hostUnicode?: string;
  hostAscii?: string;
}

/** A link as found, before refanging, unwrapping and normalising (src/message/links/ does those). */
export interface RawLink {
  raw: string;
  displayText?: string;
  source: LinkSource;
  location: string;
}

/** One MIME part handed to the attachment exploder. */
export interface MimePart {
  filename?: string;
  mimeType?: string;
  disposition?: string;
  content: Uint8Array;
}

/** What exploding a message's attachments yields. */
export interface ExplodedAttachments {
  /** Every file, nested ones included (flat list; parentId links them). */
  attachments: Attachment[];
  /** Links found inside attachments (PDF URIs, HTML, Office, QR codes...). */
  links: RawLink[];
  /** message/rfc822 parts (forwarded messages), to be parsed and analysed in turn. */
  messages: { raw: Uint8Array; attachmentId: string }[];
  /** What could not be read, in plain words. */
  problems: string[];
}

export interface ArchiveEntry {
  name: string;
  size: number;
  compressedSize?: number;
  encrypted: boolean;
  isDirectory: boolean;
}

/** A fact about an attachment noticed while exploding it; the attachment engine judges them. */
export interface AttachmentObservation {
  /** Machine code, e.g. 'type-mismatch', 'double-extension', 'executable', 'vba-macro', 'pdf-javascript'. */
  code: string;
  detail: string;
  evidence?: Record<string, unknown>;
}

export interface Attachment {
  /** Path in the explosion tree, e.g. 'att:1', 'att:1/2' (member 2 of archive 1). */
  id: string;
  filename?: string;
  declaredType?: string;
  /** True type found from the content (magic bytes). */
  detectedType?: { ext: string; mime: string };
  disposition?: string;
  size: number;
  sha256: string;
  md5: string;
  depth: number;
  parentId?: string;
  /** Where it sits, for people: 'invoice.zip › invoice.pdf.exe'. */
  path: string;
  observations: AttachmentObservation[];
  archive?: { entries: ArchiveEntry[]; encrypted: boolean; truncated: boolean };
  /** Content bytes; not serialised into reports. */
  content?: Uint8Array;
}

export type InputKind = 'eml' | 'msg' | 'mbox' | 'stdin' | 'rfc822-attachment' | 'url';

export interface MessageSource {
  kind: InputKind;
  file?: string;
  /** Index inside an mbox, 0-based. */
  index?: number;
  /** Id of the enclosing message when this one was forwarded as an attachment. */
  parentId?: string;
}

export interface Message {
  /** sha256 of the raw bytes. */
  id: string;
  source: MessageSource;
  raw: Uint8Array;
  headers: HeaderField[];
  subject?: string;
  from?: Address;
  sender?: Address;
  replyTo: Address[];
  to: Address[];
  cc: Address[];
  returnPath?: string;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  date?: string;
  text?: string;
  html?: string;
  /** What a reader sees: the text part, or the HTML part's visible text when there is no text part. */
  bodyText: string;
  authResults: AuthResultsHeader[];
  received: ReceivedHop[];
  links: Link[];
  attachments: Attachment[];
  /** Messages forwarded as message/rfc822 attachments, parsed in turn. */
  embedded: Message[];
  /** What could not be read, in plain words. Analysis continues past these. */
  problems: string[];
}

// ───────────────────────────── Engines ─────────────────────────────

export type TargetKind = 'message' | 'link' | 'attachment';

export type Target =
  | { kind: 'message'; id: string; message: Message }
  | { kind: 'link'; id: string; link: Link; message?: Message }
  | { kind: 'attachment'; id: string; attachment: Attachment; message?: Message };

export type EngineStatus = 'clean' | 'suspicious' | 'malicious' | 'unknown' | 'error' | 'skipped';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export interface Finding {
  /** Symbol, stable across versions: '<engine>.<what>', e.g. 'link.display_mismatch'. Weights key on it. */
  code: string;
  engine: string;
  targetId: string;
  severity: Severity;
  /** 0..1, how strongly this instance shows the code (e.g. a similarity). Defaults to 1. */
  strength?: number;
  /** One sentence for a general audience, with the concrete evidence in it. */
  message: string;
  evidence: Record<string, unknown>;
}

/** What an engine returns for one target. */
export interface EngineOutcome {
  status: EngineStatus;
  findings: Finding[];
  /** Why the status is unknown/error/skipped, or a short note. */
  note?: string;
}

/** Services an engine may use; everything from the outside world is injected. */
export interface EngineContext {
  signal: AbortSignal;
  now: Date;
  /** The SQLite store (intel, contacts, history), when one is open. */
  db?: Database;
  options: AnalysisOptions;
}

export interface Engine {
  name: string;
  version: string;
  kind: 'local' | 'online';
  targets: TargetKind[];
  /** Version of the data the engine uses (intel snapshot, model), stored with each report. */
  dataVersion?(ctx: EngineContext): string | undefined;
  /** Whether this engine applies to this target at all (else 'skipped' is not even reported). */
  applies?(target: Target): boolean;
  analyse(target: Target, ctx: EngineContext): Promise<EngineOutcome> | EngineOutcome;
}

export interface EngineRun {
  engine: string;
  engineVersion: string;
  kind: 'local' | 'online';
  targetId: string;
  status: EngineStatus;
  findings: Finding[];
  note?: string;
  ms: number;
}

export interface AnalysisOptions {
  /** Per-engine time budget in ms. */
  engineTimeoutMs?: number;
  /** Online engines the user opted into, by name. Online engines never run otherwise. */
  online?: string[];
  /** DNS use for sender authentication: 'off' (default), 'cache' (from dnsCacheFile) or 'live' (--dns). */
  dns?: 'off' | 'cache' | 'live';
  dnsCacheFile?: string;
  /** authserv-ids whose Authentication-Results the user trusts. */
  trustAuthservIds?: string[];
  /** Contacts files given on the command line (vCard or CSV). */
  contactsFiles?: string[];
  /** Engines to leave out, by name. */
  disable?: string[];
  [key: string]: unknown;
}

// ───────────────────────────── Verdict and report ─────────────────────────────

export type VerdictLevel = 'safe' | 'suspicious' | 'dangerous';

export interface Reason {
  code: string;
  text: string;
  weight: number;
  targetId: string;
}

export interface TargetCoverage {
  targetId: string;
  kind: TargetKind;
  label: string;
  flagged: number;
  engines: number;
  unknown: number;
}

export interface Report {
  schema: 'suspect.report/1';
  id: string; // message sha256 (or url hash)
  file?: string;
  index?: number;
  source: MessageSource;
  subject?: string;
  from?: Address;
  date?: string;
  messageId?: string;
  verdict: VerdictLevel;
  /** 0..100; the fitted model's probability of a scam, in percent. */
  score: number;
  reasons: Reason[];
  advice: string[];
  /** The "Sender" section in plain words: who it claims to be, what does not fit, authentication. */
  sender?: string;
  /** This message side by side with each known scam it nearly copies (text for terminals, HTML fragment). */
  comparisons?: { title: string; similarity?: number; text: string; html: string }[];
  findings: Finding[];
  runs: EngineRun[];
  coverage: TargetCoverage[];
  links: Link[];
  attachments: Omit<Attachment, 'content'>[];
  problems: string[];
  versions: { suspect: string; engines: Record<string, string>; data: Record<string, string>; model: string };
  embedded: Report[];
  analysedAt: string;
  ms: number;
}
