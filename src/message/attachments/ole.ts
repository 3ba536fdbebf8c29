// OLE compound files (old Word/Excel/PowerPoint, vbaProject.bin inside docm/xlsm): VBA macro
// projects, their source (MS-OVBA), auto-run entry points and the calls droppers make.

import CFB from 'cfb';
import type { AttachmentObservation } from '../../types.js';
import { MAX_VBA_SOURCE_BYTES } from './limits.js';
import { decompressOvba, parseVbaDir } from './ovba.js';

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export function looksLikeOle(buf: Uint8Array): boolean {
  return OLE_MAGIC.every((b, i) => buf[i] === b);
}

/** Procedures Office runs by itself when a document is opened or closed. */
const AUTOEXEC =
  /\b(Auto_?Open|Auto_?Close|Auto_?Exec|Auto_?Exit|AutoNew|Document_(Open|Close|New|ContentControlOnEnter)|DocumentOpen|Workbook_(Open|Activate|BeforeClose|Deactivate)|Presentation_Open|\w+_(Painted|Layout|Resize|GotFocus|MouseMove))\b/gi;

/** Calls that download, run or hide code: what macro droppers are made of. */
const SUSPICIOUS_CALLS =
  /\b(Shell(Execute)?|CreateObject|GetObject|WScript\.Shell|Wscript\.Run|URLDownloadToFile\w*|MSXML2\.(Server)?XMLHTTP|WinHttp\.WinHttpRequest|ADODB\.Stream|SaveToFile|powershell|cmd\.exe|mshta|certutil|regsvr32|rundll32|bitsadmin|CallByName|ExecuteExcel4Macro|Environ|Lib\s+"kernel32"|VirtualAlloc|RtlMoveMemory|CreateThread|StrReverse|Chr[BW]?\$?\s*\()/gi;

const URL_IN_SOURCE = /\bhttps?:\/\/[^\s"'<>)]+/gi;

export interface VbaModule {
  name: string;
  source: string;
}

export interface OleFindings {
  observations: AttachmentObservation[];
  /** URLs spelled out in macro source. */
  urls: string[];
  /** Problems reading it, in plain words. */
  problems: string[];
}

/** Inspect an OLE compound file. Never throws. */
export function inspectOle(content: Uint8Array): OleFindings {
  const result: OleFindings = { observations: [], urls: [], problems: [] };
  let cfb: CFB.CFB$Container;
  try {
    cfb = CFB.read(content, { type: 'buffer' });
  } catch (e) {
    result.problems.push(`the Office file could not be opened (${(e as Error).message})`);
    return result;
  }
  const paths = cfb.FullPaths.map((p) => p.toLowerCase());
  if (paths.some((p) => p.endsWith('/encryptedpackage'))) {
    result.observations.push({
      code: 'encrypted-document',
      detail: 'The Office document is password-protected, so its content cannot be checked',
    });
  }
  const workbook = CFB.find(cfb, 'Workbook') ?? CFB.find(cfb, 'Book');
  const xlm = workbook?.content ? excel4MacroSheets(toBytes(workbook.content)) : [];
  if (xlm.length > 0) {
    result.observations.push({
      code: 'xlm-macro',
      detail: `The workbook contains Excel 4.0 macro sheets${xlm.some((x) => x.hidden) ? ', hidden from view' : ''}`,
      evidence: { sheets: xlm.length, hidden: xlm.filter((x) => x.hidden).length },
    });
  }
  // A VBA project is a storage holding `_VBA_PROJECT` and `dir` streams (under Macros/VBA, _VBA_PROJECT_CUR/VBA or VBA).
  const projects = paths.filter((p) => p.endsWith('/vba/dir')).map((p) => p.slice(0, -'dir'.length));
  const hasVbaStream = paths.some((p) => p.endsWith('/_vba_project'));
  if (projects.length === 0 && !hasVbaStream) return result;

  const modules: VbaModule[] = [];
  for (const storage of projects) {
    try {
      modules.push(...readModules(cfb, storage));
    } catch (e) {
      result.problems.push(`the macro source could not be decompressed (${(e as Error).message})`);
    }
  }
  const autoexec = new Set<string>();
  const calls = new Set<string>();
  for (const m of modules) {
    for (const match of m.source.matchAll(AUTOEXEC)) autoexec.add(match[1]);
    for (const match of m.source.matchAll(SUSPICIOUS_CALLS)) calls.add(match[1].replace(/\s+/g, ' '));
    for (const match of m.source.matchAll(URL_IN_SOURCE)) result.urls.push(match[0]);
  }
  result.observations.push({
    code: 'vba-macro',
    detail: `The document contains macros (programs that run inside Office)${modules.length ? `: ${modules.map((m) => m.name).join(', ')}` : ''}`,
    evidence: { modules: modules.map((m) => m.name), sourceRecovered: modules.length > 0 },
  });
  if (autoexec.size > 0) {
    result.observations.push({
      code: 'macro-autoexec',
      detail: `The macros start by themselves when the document is opened (${[...autoexec].join(', ')})`,
      evidence: { triggers: [...autoexec] },
    });
  }
  if (calls.size > 0) {
    result.observations.push({
      code: 'macro-suspicious-calls',
      detail: `The macros can download or run other programs (${[...calls].slice(0, 8).join(', ')})`,
      evidence: { calls: [...calls] },
    });
  }
  return result;
}

function readModules(cfb: CFB.CFB$Container, storage: string): VbaModule[] {
  const dirEntry = CFB.find(cfb, `${storage}dir`);
  if (!dirEntry?.content) return [];
  const dir = decompressOvba(toBytes(dirEntry.content), 0, MAX_VBA_SOURCE_BYTES);
  const modules: VbaModule[] = [];
  for (const ref of parseVbaDir(dir)) {
    const entry = CFB.find(cfb, storage + ref.stream);
    if (!entry?.content) continue;
    const data = toBytes(entry.content);
    if (ref.textOffset >= data.length) continue;
    const bytes = decompressOvba(data, ref.textOffset, MAX_VBA_SOURCE_BYTES);
    modules.push({ name: ref.stream, source: new TextDecoder('latin1').decode(bytes) });
  }
  return modules;
}

/** Records scanned in a Workbook stream when looking for sheet declarations (they come first). */
const MAX_BIFF_RECORDS = 20_000;

/**
 * Excel 4.0 (XLM) macro sheets declared in a BIFF8 Workbook stream: BOUNDSHEET records (0x0085) whose
 * sheet type is 1. XLM macros need no VBA project, which is why droppers used them to dodge scanners.
 */
export function excel4MacroSheets(stream: Uint8Array): { hidden: boolean }[] {
  const out: { hidden: boolean }[] = [];
  let pos = 0;
  for (let n = 0; n < MAX_BIFF_RECORDS && pos + 4 <= stream.length; n++) {
    const id = stream[pos] | (stream[pos + 1] << 8);
    const len = stream[pos + 2] | (stream[pos + 3] << 8);
    if (id === 0x0085 && len >= 6 && pos + 10 <= stream.length) {
      const state = stream[pos + 8] & 0x03; // 0 visible, 1 hidden, 2 very hidden
      const type = stream[pos + 9];
      if (type === 0x01) out.push({ hidden: state !== 0 });
    }
    pos += 4 + len;
  }
  return out;
}

function toBytes(content: CFB.CFB$Blob): Uint8Array {
  return content instanceof Uint8Array ? content : Uint8Array.from(content);
}

/** All modules' source of a VBA project, for tests and for people who want to read it. */
export function extractVbaSource(content: Uint8Array): VbaModule[] {
  try {
    const cfb = CFB.read(content, { type: 'buffer' });
    const storages = cfb.FullPaths.filter((p) => p.toLowerCase().endsWith('/vba/dir')).map((p) =>
      p.slice(0, -3),
    );
    return storages.flatMap((s) => readModules(cfb, s));
  } catch {
    return [];
  }
}
