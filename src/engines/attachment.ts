// Attachment risk: turns what the exploder noticed about each file (src/message/attachments/) into
// findings with plain-language messages. One finding per kind of risk; no scoring here — the status
// is this engine's own call for the panel's "N of M engines flagged", weights live in the verdict.

import type {
  Attachment,
  AttachmentObservation,
  Engine,
  EngineOutcome,
  EngineStatus,
  Finding,
  Severity,
  Target,
} from '../types.js';

const ENGINE = 'attachment';

/** What each risk category of a name or content is called, for people. */
const CATEGORY_WORDS: Record<
  string,
  { code: string; what: string; severity: Severity; status: EngineStatus }
> = {
  program: { code: 'executable', what: 'a Windows program', severity: 'critical', status: 'malicious' },
  installer: { code: 'executable', what: 'a Windows installer', severity: 'critical', status: 'malicious' },
  script: {
    code: 'script',
    what: 'a script that runs on Windows when opened',
    severity: 'critical',
    status: 'malicious',
  },
  shortcut: {
    code: 'shortcut',
    what: 'a Windows shortcut that can start a program',
    severity: 'high',
    status: 'malicious',
  },
  'disk-image': {
    code: 'disk_image',
    what: 'a disk image, a common way to slip programs past mail filters',
    severity: 'high',
    status: 'suspicious',
  },
  onenote: {
    code: 'onenote',
    what: 'a OneNote notebook, a common way to hide programs behind a fake button',
    severity: 'medium',
    status: 'suspicious',
  },
  'internet-shortcut': {
    code: 'internet_shortcut',
    what: 'an Internet shortcut (a link to an address, opened by double-clicking)',
    severity: 'low',
    status: 'clean',
  },
  'macro-document': {
    code: 'macro_document',
    what: 'an Office document type meant to carry macros',
    severity: 'low',
    status: 'clean',
  },
};

/** Programs that are not Windows programs. */
const PROGRAM_WORDS: Record<string, string> = {
  jar: 'a Java program',
  elf: 'a Linux program',
  macho: 'a macOS program',
};

/** Words for a decoy extension: "disguised as a PDF". */
const DECOY_WORDS: Record<string, string> = {
  pdf: 'a PDF',
  doc: 'a Word document',
  docx: 'a Word document',
  xls: 'an Excel workbook',
  xlsx: 'an Excel workbook',
  ppt: 'a presentation',
  pptx: 'a presentation',
  txt: 'a text file',
  rtf: 'a document',
  csv: 'a spreadsheet',
  jpg: 'a photo',
  jpeg: 'a photo',
  png: 'a picture',
  gif: 'a picture',
  mp3: 'a sound file',
  mp4: 'a video',
  htm: 'a web page',
  html: 'a web page',
  zip: 'a zip archive',
};

const STATUS_RANK: Record<EngineStatus, number> = {
  skipped: 0,
  unknown: 1,
  clean: 2,
  error: 3,
  suspicious: 4,
  malicious: 5,
};

interface Draft {
  code: string;
  severity: Severity;
  status: EngineStatus;
  message: string;
  evidence: Record<string, unknown>;
}

function has(obs: AttachmentObservation[], code: string): AttachmentObservation | undefined {
  return obs.find((o) => o.code === code);
}

function ev(o: AttachmentObservation | undefined): Record<string, unknown> {
  return o?.evidence ?? {};
}

/** Findings for one attachment, from its observations. Exported for tests and for re-scoring stored reports. */
export function judgeAttachment(att: Attachment): Draft[] {
  const obs = att.observations ?? [];
  const name = displayName(att);
  const fileName = att.filename ?? name;
  const drafts: Draft[] = [];

  // Categories of risk from the name (risky-extension) and the content (risky-content, executable-content).
  const categories = new Map<string, { by: string[]; ext?: string }>();
  for (const o of obs) {
    let category: string | undefined;
    if (o.code === 'risky-extension' || o.code === 'risky-content') category = String(ev(o).category);
    if (o.code === 'executable-content') category = 'program';
    if (!category || !CATEGORY_WORDS[category]) continue;
    const entry = categories.get(category) ?? { by: [] };
    entry.by.push(o.code === 'risky-extension' ? 'name' : 'content');
    entry.ext ??= (ev(o).ext ?? ev(o).actual) as string | undefined;
    categories.set(category, entry);
  }
  const double = has(obs, 'double-extension');
  const decoy = double ? String(ev(double).decoy) : undefined;
  const macroFound = has(obs, 'vba-macro');
  for (const [category, { by, ext }] of categories) {
    const w = CATEGORY_WORDS[category];
    if (category === 'macro-document' && macroFound) continue; // the macro finding says it better
    const disguise = decoy && DECOY_WORDS[decoy] ? ` disguised as ${DECOY_WORDS[decoy]}` : '';
    drafts.push({
      code: `attachment.${w.code}`,
      severity: w.severity,
      status: w.status,
      message: `The attachment ${name} is ${(ext && PROGRAM_WORDS[ext]) || w.what}${disguise}.`,
      evidence: { category, ext, foundBy: [...new Set(by)] },
    });
  }
  if (double) {
    drafts.push({
      code: 'attachment.double_extension',
      severity: 'critical',
      status: 'malicious',
      message: `The name ${fileName} pretends to end in .${decoy} but really ends in .${ev(double).ext}.`,
      evidence: ev(double),
    });
  }
  const bidi = has(obs, 'bidi-name');
  if (bidi) {
    drafts.push({
      code: 'attachment.rtlo_name',
      severity: 'critical',
      status: 'malicious',
      message: `The name of ${String(ev(bidi).name)} contains a hidden character that reverses part of it on screen, so its real type (.${ev(bidi).realExtension}) is hidden.`,
      evidence: ev(bidi),
    });
  }
  const padded = has(obs, 'padded-extension');
  if (padded) {
    drafts.push({
      code: 'attachment.padded_extension',
      severity: 'high',
      status: 'malicious',
      message: `The name ${fileName.trim()} uses blank space to push its real ending (.${ev(padded).ext}) out of view.`,
      evidence: ev(padded),
    });
  }
  const mismatch = has(obs, 'type-mismatch') ?? has(obs, 'declared-type-mismatch');
  if (mismatch) {
    const e = ev(mismatch);
    const risky = ['program', 'disk-image', 'shortcut', 'onenote', 'html'].includes(String(e.actualFamily));
    drafts.push({
      code:
        mismatch.code === 'type-mismatch' ? 'attachment.type_mismatch' : 'attachment.declared_type_mismatch',
      severity: risky ? 'high' : mismatch.code === 'type-mismatch' ? 'medium' : 'low',
      status: risky || mismatch.code === 'type-mismatch' ? 'suspicious' : 'clean',
      message:
        mismatch.code === 'type-mismatch'
          ? `The attachment ${name} is really ${e.actualDescription}, not the .${e.claimed} file its name claims.`
          : `The attachment ${name} is really ${e.actualDescription}, although the email labels it ${e.claimed}.`,
      evidence: e,
    });
  }

  const shortcut = has(obs, 'internet-shortcut');
  if (shortcut && ev(shortcut).remoteFile) {
    drafts.push({
      code: 'attachment.shortcut_remote_file',
      severity: 'critical',
      status: 'malicious',
      message: `The shortcut ${name} opens a file on another computer (${ev(shortcut).target}), a known way to run malware while skipping Windows' warnings.`,
      evidence: ev(shortcut),
    });
  }

  // Office macros and remote content.
  const autoexec = has(obs, 'macro-autoexec');
  const calls = has(obs, 'macro-suspicious-calls');
  if (macroFound) {
    drafts.push({
      code: 'attachment.macro',
      severity: 'medium',
      status: 'suspicious',
      message: `The document ${name} contains macros, small programs that can act on the computer when enabled.`,
      evidence: ev(macroFound),
    });
  }
  if (autoexec) {
    drafts.push({
      code: 'attachment.macro_autoexec',
      severity: 'high',
      status: calls ? 'malicious' : 'suspicious',
      message: `The macros in ${name} start by themselves when the document is opened (${(ev(autoexec).triggers as string[]).join(', ')}).`,
      evidence: ev(autoexec),
    });
  }
  if (calls) {
    drafts.push({
      code: 'attachment.macro_suspicious_calls',
      severity: 'high',
      status: autoexec ? 'malicious' : 'suspicious',
      message: `The macros in ${name} can download or start other programs (${(ev(calls).calls as string[]).slice(0, 5).join(', ')}).`,
      evidence: ev(calls),
    });
  }
  simple(
    drafts,
    obs,
    'encrypted-document',
    'attachment.encrypted_document',
    'medium',
    'suspicious',
    `The document ${name} is password-protected, which stops mail filters from checking it.`,
  );
  const remote = has(obs, 'office-external-object');
  if (remote) {
    drafts.push({
      code: 'attachment.office_remote_object',
      severity: ev(remote).follina ? 'critical' : 'high',
      status: ev(remote).follina ? 'malicious' : 'suspicious',
      message: ev(remote).follina
        ? `The document ${name} loads a remote object the way the Follina attack (CVE-2022-30190) does, which runs a program without macros.`
        : `The document ${name} fetches a template or object from ${firstTarget(ev(remote))} when it is opened, a way to load macros from outside.`,
      evidence: ev(remote),
    });
  }
  const xlm = has(obs, 'xlm-macro');
  if (xlm) {
    drafts.push({
      code: 'attachment.xlm_macro',
      severity: 'high',
      status: ev(xlm).hidden ? 'malicious' : 'suspicious',
      message: `The workbook ${name} contains Excel 4.0 macros${ev(xlm).hidden ? ' on hidden sheets' : ''}, an old macro language droppers use to avoid detection.`,
      evidence: ev(xlm),
    });
  }
  const rtfObject = has(obs, 'rtf-embedded-object');
  if (rtfObject) {
    const equation = Boolean(ev(rtfObject).equationEditor);
    drafts.push({
      code: 'attachment.rtf_embedded_object',
      severity: equation ? 'critical' : 'medium',
      status: equation ? 'malicious' : 'suspicious',
      message: equation
        ? `The document ${name} embeds an Equation Editor object, used by well-known exploits to run programs when the document is opened.`
        : `The document ${name} has another file or program embedded in it.`,
      evidence: ev(rtfObject),
    });
  }
  simple(
    drafts,
    obs,
    'office-dde',
    'attachment.office_dde',
    'high',
    'malicious',
    `The document ${name} contains a DDE field that can start a program when it is opened.`,
  );

  // PDF.
  const js = has(obs, 'pdf-javascript');
  if (js) {
    const auto = Boolean(ev(js).autoRun);
    drafts.push({
      code: 'attachment.pdf_javascript',
      severity: auto ? 'high' : 'medium',
      status: 'suspicious',
      message: `The PDF ${name} contains JavaScript${auto ? ' that runs as soon as it is opened' : ''}; ordinary documents do not need it.`,
      evidence: ev(js),
    });
  }
  simple(
    drafts,
    obs,
    'pdf-auto-action',
    'attachment.pdf_auto_action',
    'low',
    'clean',
    `The PDF ${name} performs an action by itself when opened.`,
  );
  const launch = has(obs, 'pdf-launch');
  if (launch) {
    const targets = ev(launch).targets as string[] | undefined;
    drafts.push({
      code: 'attachment.pdf_launch',
      severity: 'critical',
      status: 'malicious',
      message: `The PDF ${name} tries to start a program on the computer${targets?.length ? ` (${targets[0]})` : ''}.`,
      evidence: ev(launch),
    });
  }
  simple(
    drafts,
    obs,
    'pdf-embedded-file',
    'attachment.pdf_embedded_file',
    'medium',
    'suspicious',
    `The PDF ${name} carries another file hidden inside it.`,
  );
  simple(
    drafts,
    obs,
    'pdf-submit-form',
    'attachment.pdf_submit_form',
    'medium',
    'suspicious',
    `The PDF ${name} contains a form that sends what you type into it to somebody.`,
  );
  simple(
    drafts,
    obs,
    'pdf-remote-goto',
    'attachment.pdf_remote_goto',
    'low',
    'clean',
    `The PDF ${name} opens another, remote document.`,
  );
  simple(
    drafts,
    obs,
    'pdf-rich-media',
    'attachment.pdf_rich_media',
    'medium',
    'suspicious',
    `The PDF ${name} contains Flash or XFA content, long used to attack PDF readers.`,
  );

  // HTML attachments.
  const cred = has(obs, 'html-credential-form');
  if (cred) {
    const elsewhere = Boolean(ev(cred).sendsElsewhere);
    drafts.push({
      code: 'attachment.html_credential_form',
      severity: 'critical',
      status: 'malicious',
      message: `The attached page ${name} asks for a password${elsewhere ? ` and sends it to ${(ev(cred).formActions as string[]).find((a) => /^(https?:)?\/\//i.test(a))}` : ''}; a real company never sends a login page as an attachment.`,
      evidence: ev(cred),
    });
  }
  simple(
    drafts,
    obs,
    'html-remote-form',
    'attachment.html_remote_form',
    'medium',
    'suspicious',
    `The attached page ${name} contains a form that sends what you type into it to a website.`,
  );
  simple(
    drafts,
    obs,
    'html-smuggling',
    'attachment.html_smuggling',
    'critical',
    'malicious',
    `The attached page ${name} builds a file inside the browser and saves it to the computer, a trick used to smuggle malware past mail filters.`,
  );
  simple(
    drafts,
    obs,
    'html-obfuscated-script',
    'attachment.html_obfuscated_script',
    'medium',
    'suspicious',
    `The attached page ${name} hides what it does behind encoded script.`,
  );
  const runsPrograms = has(obs, 'html-runs-programs');
  if (runsPrograms) {
    drafts.push({
      code: 'attachment.html_runs_programs',
      severity: 'critical',
      status: 'malicious',
      message: `The attached file ${name} contains script that starts programs on the computer (${(ev(runsPrograms).calls as string[]).slice(0, 3).join(', ')}).`,
      evidence: ev(runsPrograms),
    });
  }
  const redirect = has(obs, 'html-redirect');
  if (redirect) {
    drafts.push({
      code: 'attachment.html_redirect',
      severity: 'medium',
      status: 'suspicious',
      message: `The attached page ${name} ${ev(redirect).target ? `sends the browser on to ${ev(redirect).target}` : 'sends the browser on to a website'} as soon as it is opened.`,
      evidence: ev(redirect),
    });
  }

  // Archives.
  simple(
    drafts,
    obs,
    'encrypted-archive',
    'attachment.encrypted_archive',
    'high',
    'suspicious',
    `The archive ${name} is password-protected, which stops mail filters from checking what is inside.`,
  );
  const member = has(obs, 'archive-risky-member');
  if (member) {
    const members = (ev(member).members as { name: string; category: string }[]) ?? [];
    const runs = members.some((m) => ['program', 'installer', 'script', 'shortcut'].includes(m.category));
    const first = members[0];
    drafts.push({
      code: runs ? 'attachment.archive_executable' : 'attachment.archive_risky_member',
      severity: runs ? 'critical' : 'high',
      status: runs ? 'malicious' : 'suspicious',
      message: `The archive ${name} contains ${first?.name}, which is ${CATEGORY_WORDS[first?.category]?.what ?? 'a risky file'}${members.length > 1 ? ` (and ${members.length - 1} more risky files)` : ''}.`,
      evidence: ev(member),
    });
  }
  simple(
    drafts,
    obs,
    'nested-archive',
    'attachment.nested_archive',
    'low',
    'clean',
    `The archive ${name} contains another archive.`,
  );
  simple(
    drafts,
    obs,
    'archive-truncated',
    'attachment.archive_truncated',
    'low',
    'clean',
    `The archive ${name} holds so many files that not all could be checked.`,
  );
  simple(
    drafts,
    obs,
    'archive-path-traversal',
    'attachment.archive_path_traversal',
    'high',
    'suspicious',
    `The archive ${name} tries to unpack files outside the folder it is opened in.`,
  );
  simple(
    drafts,
    obs,
    'archive-bomb',
    'attachment.archive_bomb',
    'high',
    'suspicious',
    `The archive ${name} is built to swell to an enormous size when opened (a "zip bomb").`,
  );
  const unlistable = has(obs, 'archive-unlistable');
  if (unlistable) {
    drafts.push({
      code: 'attachment.archive_unlistable',
      severity: 'medium',
      status: 'suspicious',
      message: `The ${String(ev(unlistable).format).toUpperCase()} archive ${name} could not be opened to check what is inside; such archives are often used to hide malware.`,
      evidence: ev(unlistable),
    });
  }
  simple(
    drafts,
    obs,
    'nesting-too-deep',
    'attachment.deeply_nested',
    'medium',
    'suspicious',
    `The attachment ${name} hides files inside files too many levels deep to check.`,
  );

  // Images.
  const qr = has(obs, 'qr-code');
  if (qr) {
    drafts.push({
      code: 'attachment.qr_code',
      severity: 'low',
      status: 'clean',
      message: `The image ${name} contains a QR code that leads to ${(ev(qr).texts as string[])[0]}; scanning it with a phone bypasses the protection of your mail.`,
      evidence: ev(qr),
    });
  }
  return drafts;
}

/** 'invoice.exe (inside files.zip)' for nested files, the file name for top-level ones. */
function displayName(att: Attachment): string {
  if (!att.path) return att.filename ?? att.id;
  const cut = att.path.lastIndexOf(' › ');
  const file = att.filename ?? (cut >= 0 ? att.path.slice(cut + 3) : att.path);
  if (!att.depth || cut < 0) return file;
  return `${file} (inside ${att.path.slice(0, cut)})`;
}

function firstTarget(evidence: Record<string, unknown>): string {
  const rels = evidence.relationships as { target: string }[] | undefined;
  return rels?.[0]?.target ?? 'the internet';
}

function simple(
  drafts: Draft[],
  obs: AttachmentObservation[],
  observation: string,
  code: string,
  severity: Severity,
  status: EngineStatus,
  message: string,
): void {
  const o = has(obs, observation);
  if (o) drafts.push({ code, severity, status, message, evidence: ev(o) });
}

export const attachmentEngine: Engine = {
  name: ENGINE,
  version: '1.0.0',
  kind: 'local',
  targets: ['attachment'],
  applies: (target: Target) => target.kind === 'attachment',
  analyse(target: Target): EngineOutcome {
    if (target.kind !== 'attachment') return { status: 'skipped', findings: [], note: 'not an attachment' };
    const att = target.attachment;
    const drafts = judgeAttachment(att);
    let status: EngineStatus = 'clean';
    for (const d of drafts) if (STATUS_RANK[d.status] > STATUS_RANK[status]) status = d.status;
    const findings: Finding[] = drafts.map((d) => ({
      code: d.code,
      engine: ENGINE,
      targetId: target.id,
      severity: d.severity,
      message: d.message,
      evidence: { attachment: att.path, sha256: att.sha256, ...d.evidence },
    }));
    return { status, findings };
  },
};
