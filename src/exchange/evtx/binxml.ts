// Binary XML (BinXml) of EVTX event records, decoded into a small element tree.
// Written from the published format (libyal "Windows XML Event Log (EVTX) format", MS-EVEN6 BinXml):
// tokens for elements, attributes, values, substitutions and template instances; names and template
// definitions live in the chunk and are referenced by chunk-relative offsets, defined inline at first use.

import { decodeValue, VT } from './values.js';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export class BinXmlError extends Error {}

const TOK = {
  EOF: 0x00,
  OPEN_START: 0x01,
  CLOSE_START: 0x02,
  CLOSE_EMPTY: 0x03,
  END_ELEMENT: 0x04,
  VALUE: 0x05,
  ATTRIBUTE: 0x06,
  CDATA: 0x07,
  CHAR_REF: 0x08,
  ENTITY_REF: 0x09,
  PI_TARGET: 0x0a,
  PI_DATA: 0x0b,
  TEMPLATE_INSTANCE: 0x0c,
  NORMAL_SUBST: 0x0d,
  OPTIONAL_SUBST: 0x0e,
  FRAGMENT_HEADER: 0x0f,
} as const;
/** Flag bit on OPEN_START (has attributes), VALUE, ATTRIBUTE (more follow) tokens. */
const MORE = 0x40;

/** Nesting limit across elements, templates and embedded BinXml: crafted data must not recurse forever. */
export const MAX_BINXML_DEPTH = 64;
/** Substitution values per template instance; a corrupt count must not allocate millions of descriptors. */
export const MAX_SUBSTITUTIONS = 4096;
/** Elements and values decoded per record: templates can reference templates, so a crafted 64 KiB
 * chunk could otherwise expand to millions of nodes. Real events have a few dozen. */
export const MAX_NODES_PER_RECORD = 50_000;

interface Value {
  type: number;
  offset: number;
  size: number;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Parser over one chunk (names and templates are chunk-relative). */
export class BinXmlParser {
  private readonly names = new Map<number, string>();
  private nodes = 0;

  constructor(private readonly chunk: Buffer) {}

  private count(): void {
    if (++this.nodes > MAX_NODES_PER_RECORD)
      throw new BinXmlError(`more than ${MAX_NODES_PER_RECORD} nodes in one record`);
  }

  /** Parses the BinXml document of one record at [start, end). Returns the root element(s). */
  parseDocument(start: number, end: number): XmlNode[] {
    this.nodes = 0;
    const out: XmlNode[] = [];
    this.parseFragment({ pos: start }, end, [], out, 0);
    return out;
  }

  private u8(p: number): number {
    if (p >= this.chunk.length) throw new BinXmlError(`read past chunk end at ${p}`);
    return this.chunk[p];
  }
  private u16(p: number): number {
    if (p + 2 > this.chunk.length) throw new BinXmlError(`read past chunk end at ${p}`);
    return this.chunk.readUInt16LE(p);
  }
  private u32(p: number): number {
    if (p + 4 > this.chunk.length) throw new BinXmlError(`read past chunk end at ${p}`);
    return this.chunk.readUInt32LE(p);
  }

  /** Name structure at a chunk offset: next offset (4), hash (2), char count (2), UTF-16 chars, NUL. */
  private nameAt(offset: number): string {
    let n = this.names.get(offset);
    if (n !== undefined) return n;
    const count = this.u16(offset + 6);
    const from = offset + 8;
    if (from + count * 2 > this.chunk.length) throw new BinXmlError(`name at ${offset} runs past chunk`);
    n = this.chunk.toString('utf16le', from, from + count * 2);
    this.names.set(offset, n);
    return n;
  }

  /** Reads a name reference at cur.pos; skips the inline definition when it is defined right here. */
  private readName(cur: { pos: number }): string {
    const offset = this.u32(cur.pos);
    cur.pos += 4;
    const name = this.nameAt(offset);
    if (offset === cur.pos) cur.pos += 8 + name.length * 2 + 2;
    return name;
  }

  /** A fragment or a sequence of top-level tokens until EOF/end. */
  private parseFragment(
    cur: { pos: number },
    end: number,
    values: Value[],
    out: XmlNode[],
    depth: number,
  ): void {
    if (depth > MAX_BINXML_DEPTH) throw new BinXmlError('BinXml nested too deeply');
    while (cur.pos < end) {
      const tok = this.u8(cur.pos);
      const base = tok & 0x0f;
      if (tok === TOK.EOF) {
        cur.pos++;
        return;
      }
      if (tok === TOK.FRAGMENT_HEADER) {
        cur.pos += 4; // token, major, minor, flags
      } else if (base === TOK.OPEN_START) {
        out.push(this.parseElement(cur, end, values, depth + 1));
      } else if (tok === TOK.TEMPLATE_INSTANCE) {
        this.parseTemplateInstance(cur, end, out, depth + 1);
      } else if (base === TOK.VALUE || tok === TOK.NORMAL_SUBST || tok === TOK.OPTIONAL_SUBST) {
        this.parseContentToken(cur, end, values, out, depth);
      } else if (base === TOK.PI_TARGET || base === TOK.PI_DATA) {
        this.skipPi(cur);
      } else {
        throw new BinXmlError(`unexpected token 0x${tok.toString(16)} at ${cur.pos}`);
      }
    }
  }

  private skipPi(cur: { pos: number }): void {
    const tok = this.u8(cur.pos) & 0x0f;
    cur.pos++;
    if (tok === TOK.PI_TARGET) this.readName(cur);
    else {
      const count = this.u16(cur.pos);
      cur.pos += 2 + count * 2;
    }
  }

  private parseElement(cur: { pos: number }, end: number, values: Value[], depth: number): XmlElement {
    if (depth > MAX_BINXML_DEPTH) throw new BinXmlError('BinXml nested too deeply');
    this.count();
    const tok = this.u8(cur.pos);
    cur.pos += 1 + 2 + 4; // token, dependency id, data size
    const el: XmlElement = { name: this.readName(cur), attrs: {}, children: [] };
    if (tok & MORE) {
      cur.pos += 4; // attribute list size
      for (;;) {
        const a = this.u8(cur.pos);
        if ((a & 0x0f) !== TOK.ATTRIBUTE) break;
        cur.pos++;
        const name = this.readName(cur);
        const parts: XmlNode[] = [];
        let present = true;
        // An attribute's value is a run of value, substitution and reference tokens.
        for (;;) {
          const t = this.u8(cur.pos);
          const b = t & 0x0f;
          if (
            b !== TOK.VALUE &&
            t !== TOK.NORMAL_SUBST &&
            t !== TOK.OPTIONAL_SUBST &&
            b !== TOK.CHAR_REF &&
            b !== TOK.ENTITY_REF
          )
            break;
          const before = parts.length;
          this.parseContentToken(cur, end, values, parts, depth);
          if (t === TOK.OPTIONAL_SUBST && parts.length === before) present = false;
        }
        if (present || parts.length > 0) el.attrs[name] = textOf(parts);
      }
    }
    const close = this.u8(cur.pos);
    cur.pos++;
    if (close === TOK.CLOSE_EMPTY) return el;
    if (close !== TOK.CLOSE_START)
      throw new BinXmlError(`expected close of <${el.name}> at ${cur.pos - 1}, got 0x${close.toString(16)}`);
    while (cur.pos < end) {
      const t = this.u8(cur.pos);
      const b = t & 0x0f;
      if (t === TOK.END_ELEMENT) {
        cur.pos++;
        return el;
      }
      if (b === TOK.OPEN_START) el.children.push(this.parseElement(cur, end, values, depth + 1));
      else if (t === TOK.TEMPLATE_INSTANCE) this.parseTemplateInstance(cur, end, el.children, depth + 1);
      else if (b === TOK.PI_TARGET || b === TOK.PI_DATA) this.skipPi(cur);
      else if (t === TOK.EOF) throw new BinXmlError(`document ended inside <${el.name}>`);
      else this.parseContentToken(cur, end, values, el.children, depth);
    }
    throw new BinXmlError(`element <${el.name}> not closed`);
  }

  /** Value, CDATA, char/entity reference or substitution, appended to `out`. */
  private parseContentToken(
    cur: { pos: number },
    end: number,
    values: Value[],
    out: XmlNode[],
    depth: number,
  ): void {
    this.count();
    const tok = this.u8(cur.pos);
    const b = tok & 0x0f;
    cur.pos++;
    if (b === TOK.VALUE) {
      const type = this.u8(cur.pos);
      cur.pos++;
      if (type !== VT.STRING)
        throw new BinXmlError(`value token of type 0x${type.toString(16)} not supported`);
      const count = this.u16(cur.pos);
      cur.pos += 2;
      out.push(this.chunk.toString('utf16le', cur.pos, cur.pos + count * 2));
      cur.pos += count * 2;
    } else if (b === TOK.CDATA) {
      const count = this.u16(cur.pos);
      cur.pos += 2;
      out.push(this.chunk.toString('utf16le', cur.pos, cur.pos + count * 2));
      cur.pos += count * 2;
    } else if (b === TOK.CHAR_REF) {
      out.push(String.fromCharCode(this.u16(cur.pos)));
      cur.pos += 2;
    } else if (b === TOK.ENTITY_REF) {
      const name = this.readName(cur);
      out.push(ENTITIES[name] ?? `&${name};`);
    } else if (tok === TOK.NORMAL_SUBST || tok === TOK.OPTIONAL_SUBST) {
      const id = this.u16(cur.pos);
      cur.pos += 3; // id, type
      const v = values[id];
      if (!v || v.type === VT.NULL || v.size === 0) return;
      if (v.type === VT.BINXML) this.parseFragment({ pos: v.offset }, v.offset + v.size, [], out, depth + 1);
      else out.push(decodeValue(this.chunk, v.offset, v.size, v.type));
    } else {
      throw new BinXmlError(`unexpected token 0x${tok.toString(16)} at ${cur.pos - 1}`);
    }
    void end;
  }

  /** Template instance: template reference (defined inline at first use) and its substitution values. */
  private parseTemplateInstance(cur: { pos: number }, end: number, out: XmlNode[], depth: number): void {
    if (depth > MAX_BINXML_DEPTH) throw new BinXmlError('BinXml nested too deeply');
    cur.pos += 1 + 1 + 4; // token, unknown, template id
    const defOffset = this.u32(cur.pos);
    cur.pos += 4;
    if (defOffset === cur.pos) {
      const dataSize = this.u32(cur.pos + 4 + 16);
      cur.pos += 4 + 16 + 4 + dataSize; // next template offset, GUID, data size, data
    }
    const count = this.u32(cur.pos);
    cur.pos += 4;
    if (count > MAX_SUBSTITUTIONS) throw new BinXmlError(`${count} substitution values`);
    const values: Value[] = [];
    let data = cur.pos + count * 4;
    for (let i = 0; i < count; i++) {
      const size = this.u16(cur.pos + i * 4);
      const type = this.u8(cur.pos + i * 4 + 2);
      values.push({ type, offset: data, size });
      data += size;
    }
    if (data > this.chunk.length) throw new BinXmlError('substitution values run past chunk');
    cur.pos = data;
    const bodyStart = defOffset + 24;
    const bodySize = this.u32(defOffset + 20);
    const bodyEnd = Math.min(bodyStart + bodySize, this.chunk.length);
    this.parseFragment({ pos: bodyStart }, bodyEnd, values, out, depth + 1);
    void end;
  }
}

export function textOf(nodes: XmlNode[]): string {
  let s = '';
  for (const n of nodes) s += typeof n === 'string' ? n : textOf(n.children);
  return s;
}

/** First child element named `name` (case-sensitive, as XML is). */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;',
  );
}

/** Renders a tree as XML text (for excerpts and tests). */
export function renderXml(node: XmlNode): string {
  if (typeof node === 'string') return esc(node);
  const attrs = Object.entries(node.attrs)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
  if (node.children.length === 0) return `<${node.name}${attrs}/>`;
  return `<${node.name}${attrs}>${node.children.map(renderXml).join('')}</${node.name}>`;
}
