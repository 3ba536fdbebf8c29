// Office Open XML documents (docx/xlsx/pptx and their macro-enabled forms): macro projects
// (vbaProject.bin), relationships to outside resources (remote templates, external OLE objects —
// the template-injection and Follina tricks), hyperlinks, and DDE fields.

import type { AttachmentObservation } from '../../types.js';
import type { ZipMember } from './zip.js';

/** Members worth unpacking from an OOXML container; the rest is layout and styling. */
export function ooxmlWants(name: string): boolean {
  return (
    /(^|\/)_rels\/[^/]*\.rels$/i.test(name) ||
    /(^|\/)vbaProject\.bin$/i.test(name) ||
    /^word\/document\.xml$/i.test(name) ||
    isEmbedding(name)
  );
}

/** Embedded files (OLE objects, packages): analysed as attachments of their own. */
export function isEmbedding(name: string): boolean {
  return /^(word|xl|ppt)\/embeddings\/[^/]+$/i.test(name);
}

export function isOoxml(entryNames: string[]): boolean {
  return entryNames.includes('[Content_Types].xml');
}

export interface OoxmlRelationship {
  part: string;
  id?: string;
  type: string;
  target: string;
  external: boolean;
}

export interface OoxmlFindings {
  observations: AttachmentObservation[];
  /** External targets (hyperlinks, templates, objects) as written. */
  links: { url: string; kind: string }[];
  /** vbaProject.bin contents, for the OLE inspector. */
  vbaProjects: Uint8Array[];
}

const RELATIONSHIP = /<(?:\w+:)?Relationship\b([^>]*)>/g;
const ATTRIBUTE = /([\w:]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

/** Relationship types that make Office fetch something from outside when the document opens. */
const FETCHED_ON_OPEN = /\/(attachedTemplate|oleObject|frame|subDocument|externalLinkPath)$/;

export function parseRelationships(part: string, xml: string): OoxmlRelationship[] {
  const out: OoxmlRelationship[] = [];
  for (const m of xml.matchAll(RELATIONSHIP)) {
    const attrs: Record<string, string> = {};
    for (const a of m[1].matchAll(ATTRIBUTE)) attrs[a[1]] = decodeXmlEntities(a[3] ?? a[4] ?? '');
    if (!attrs.Target) continue;
    out.push({
      part,
      id: attrs.Id,
      type: attrs.Type ?? '',
      target: attrs.Target,
      external: (attrs.TargetMode ?? '').toLowerCase() === 'external',
    });
  }
  return out;
}

function decodeXmlEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    const k = e.toLowerCase();
    if (k === 'amp') return '&';
    if (k === 'lt') return '<';
    if (k === 'gt') return '>';
    if (k === 'quot') return '"';
    if (k === 'apos') return "'";
    const code = k.startsWith('#x') ? Number.parseInt(k.slice(2), 16) : Number.parseInt(k.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

export function inspectOoxml(members: ZipMember[], entryNames: string[] = []): OoxmlFindings {
  const result: OoxmlFindings = { observations: [], links: [], vbaProjects: [] };
  const macroSheets = entryNames.filter((n) => /^xl\/macrosheets\/[^/]+\.xml$/i.test(n));
  if (macroSheets.length > 0) {
    result.observations.push({
      code: 'xlm-macro',
      detail: 'The workbook contains Excel 4.0 macro sheets',
      evidence: { sheets: macroSheets.length },
    });
  }
  const decoder = new TextDecoder('utf-8');
  const fetched: OoxmlRelationship[] = [];
  for (const m of members) {
    const name = m.entry.name;
    if (/vbaProject\.bin$/i.test(name)) {
      result.vbaProjects.push(m.content);
      continue;
    }
    if (/\.rels$/i.test(name)) {
      for (const rel of parseRelationships(name, decoder.decode(m.content))) {
        if (!rel.external) continue;
        const kind = rel.type.slice(rel.type.lastIndexOf('/') + 1) || 'external';
        result.links.push({ url: rel.target, kind });
        if (FETCHED_ON_OPEN.test(rel.type)) fetched.push(rel);
      }
      continue;
    }
    if (/^word\/document\.xml$/i.test(name)) {
      const xml = decoder.decode(m.content);
      // DDE fields run a command line when the document updates its fields.
      const dde =
        /<w:instrText[^>]*>\s*(DDEAUTO|DDE)\b([^<]{0,200})/i.exec(xml) ??
        /<w:fldSimple[^>]*w:instr="\s*(DDEAUTO|DDE)\b([^"]{0,200})/i.exec(xml);
      if (dde) {
        result.observations.push({
          code: 'office-dde',
          detail: 'The document contains a DDE field, which can run a program when the document is opened',
          evidence: { field: `${dde[1]}${dde[2]}`.trim() },
        });
      }
    }
  }
  if (fetched.length > 0) {
    const follina = fetched.filter((r) => /^mhtml:|!x-usc:|ms-msdt:/i.test(r.target));
    result.observations.push({
      code: 'office-external-object',
      detail:
        follina.length > 0
          ? 'The document loads a remote object the way the Follina attack (CVE-2022-30190) does'
          : `The document loads a template or object from ${fetched[0].target} when it is opened`,
      evidence: {
        relationships: fetched.map((r) => ({
          part: r.part,
          type: r.type.slice(r.type.lastIndexOf('/') + 1),
          target: r.target,
        })),
        follina: follina.length > 0,
      },
    });
  }
  return result;
}
