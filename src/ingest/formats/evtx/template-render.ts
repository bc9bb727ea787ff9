/**
 * Renders a templated EVTX record as XML from the nodes `@ts-evtx/core` parsed: the record's
 * template instance, the chunk's template definition and the substitution values.
 *
 * The library's own `renderXml()` pretty-prints as it goes, and in doing so indents every line
 * of multi-line values (PowerShell script blocks, SID lists), drops character references and
 * control characters, and reads SYSTEMTIME values in the local time zone; it is also slow,
 * re-splitting nested content at each level. This renderer writes the document as Windows
 * stores it, with values intact, in one pass.
 */
import type { ChunkHeader, Record as EvtxRecord } from '@ts-evtx/core';
import { BXmlParser } from '@ts-evtx/core/dist/src/evtx/BXmlParser.js';
import { escapeXml } from '../windows/xml-text.js';
import { renderPlainBxml } from './bxml-plain.js';

/** Thrown when a record has no template to render (template-less records are decoded elsewhere). */
export class NoTemplateError extends Error {}

// The library's node classes are not exported; they are told apart by class name, as it does itself.
interface BxNode {
  constructor: { name: string };
  children: BxNode[];
  name?: string;
  data?: unknown;
  substitution_id?: number;
  value_type?: number;
  entity?: number;
}
interface ActualTemplate {
  rootElement: BxNode | null;
}
interface RootLike {
  substitutions: unknown[];
  /** Length of the record's binary XML before its substitution array (the library's field). */
  _parsedBxmlChildrenLength?: number;
  templateInstance(): { getActualTemplate(): ActualTemplate | null } | null;
}

const VT = {
  Null: 0x00, WString: 0x01, String: 0x02, Binary: 0x0e, Size: 0x10, Guid: 0x0f, FileTime: 0x11, SystemTime: 0x12,
  Sid: 0x13, Hex32: 0x14, Hex64: 0x15, BXml: 0x21, WStringArray: 0x81,
} as const;

/** `buf` is the whole file the record lies in (for FILETIME values at full precision). */
export function renderTemplatedRecord(record: EvtxRecord, chunk: ChunkHeader, buf?: Uint8Array): string {
  const root = record.root() as unknown as RootLike;
  const instance = root.templateInstance();
  if (!instance) throw new NoTemplateError('record has no template instance');
  const template = instance.getActualTemplate();
  if (!template?.rootElement) throw new Error('the record refers to a template the chunk does not hold');
  const subs = buf ? withPreciseFileTimes(root, record, buf) : root.substitutions;
  const out: string[] = [];
  renderElement(template.rootElement, subs, chunk, out);
  return out.join('');
}

const FILETIME_UNIX_EPOCH = 116444736000000000n;

/** A FILETIME value rendered with all seven fraction digits, as Windows shows TimeCreated. */
class PreciseFileTime {
  constructor(readonly iso: string) {}
}

/**
 * The library turns FILETIME substitutions into Dates, keeping milliseconds. The substitution
 * array follows the record's binary XML: a count, (size, type) descriptors, then the values;
 * FILETIMEs are read again from there at 100-ns precision, and used only when they agree with
 * the library's Date to the millisecond.
 */
function withPreciseFileTimes(root: RootLike, record: EvtxRecord, buf: Uint8Array): unknown[] {
  const subs = root.substitutions;
  if (!subs.some((v) => v instanceof Date) || typeof root._parsedBxmlChildrenLength !== 'number') return subs;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const end = record.offset + record.size();
  let p = record.offset + 0x18 + root._parsedBxmlChildrenLength - 1;
  if (p + 4 > end || view.getUint32(p, true) !== subs.length) return subs;
  p += 4;
  const decls: Array<{ size: number; type: number }> = [];
  for (let i = 0; i < subs.length; i++, p += 4) decls.push({ size: view.getUint16(p, true), type: view.getUint8(p + 2) });
  const out = [...subs];
  for (let i = 0; i < decls.length; p += decls[i]!.size, i++) {
    const value = subs[i];
    if (decls[i]!.type !== VT.FileTime || decls[i]!.size !== 8 || !(value instanceof Date) || p + 8 > end) continue;
    const ticks = view.getBigUint64(p, true);
    const unixTicks = ticks - FILETIME_UNIX_EPOCH;
    if (unixTicks < 0n || Number(unixTicks / 10_000n) !== value.getTime()) continue;
    const fraction = (unixTicks % 10_000_000n).toString().padStart(7, '0');
    out[i] = new PreciseFileTime(`${value.toISOString().slice(0, 19)}.${fraction}Z`);
  }
  return out;
}

/**
 * A template's element tree, compiled once: names resolved, literal text escaped, substitutions
 * reduced to (index, type, optional). Rendering a record is then a walk over plain objects.
 */
type Piece = { kind: 'text'; xml: string } | { kind: 'sub'; id: number; type: number; optional: boolean };
interface Compiled {
  name: string;
  attrs: Array<{ name: string; value: Piece | undefined }>;
  content: Array<Compiled | Piece>;
}

const compiledTemplates = new WeakMap<BxNode, Compiled>();

function compile(el: BxNode): Compiled {
  let c = compiledTemplates.get(el);
  if (!c) {
    c = { name: el.name ?? '', attrs: [], content: [] };
    for (const child of el.children) {
      const kind = child.constructor.name;
      if (kind === 'AttributeNode') {
        const valueNode = child.children[0];
        c.attrs.push({ name: child.name ?? '', value: valueNode ? piece(valueNode, true) : undefined });
      } else if (kind === 'OpenStartElementNode') c.content.push(compile(child));
      else if (kind !== 'CloseStartElementNode' && kind !== 'CloseEmptyElementNode' && kind !== 'CloseElementNode') {
        const p = piece(child, false);
        if (p && !(p.kind === 'text' && p.xml === '')) c.content.push(p);
      }
    }
    compiledTemplates.set(el, c);
  }
  return c;
}

function piece(node: BxNode, attribute: boolean): Piece | undefined {
  switch (node.constructor.name) {
    case 'ValueTextNode':
      return { kind: 'text', xml: escapeXml(node.data === undefined || node.data === null ? '' : String(node.data), attribute) };
    case 'NormalSubstitutionNode':
    case 'OptionalSubstitutionNode':
      return { kind: 'sub', id: node.substitution_id ?? 0, type: node.value_type ?? 0, optional: node.constructor.name === 'OptionalSubstitutionNode' };
    case 'CharacterReferenceNode':
      return { kind: 'text', xml: `&#${node.entity ?? 0};` };
    case 'EntityReferenceNode':
      return { kind: 'text', xml: `&${node.name ?? ''};` };
    case 'CDataSectionNode':
      return { kind: 'text', xml: `<![CDATA[${String(node.data ?? '')}]]>` };
    default:
      return undefined;
  }
}

function renderElement(root: BxNode, subs: unknown[], chunk: ChunkHeader, out: string[]): void {
  renderCompiled(compile(root), subs, chunk, out);
}

function renderCompiled(el: Compiled, subs: unknown[], chunk: ChunkHeader, out: string[]): void {
  out.push('<', el.name);
  for (const a of el.attrs) {
    const value = a.value ? pieceText(a.value, subs, chunk, true) : '';
    if (value === undefined) continue; // an optional substitution with no value: the attribute is absent
    out.push(' ', a.name, '="', value, '"');
  }
  const start = out.length;
  out.push('>');
  let hasContent = false;
  for (const c of el.content) {
    if ('name' in c) {
      renderCompiled(c, subs, chunk, out);
      hasContent = true;
    } else {
      const text = pieceText(c, subs, chunk, false);
      if (text) {
        out.push(text);
        hasContent = true;
      }
    }
  }
  if (hasContent) out.push('</', el.name, '>');
  else out[start] = '/>';
}

/** Escaped XML text of a piece; undefined for an optional substitution that has no value. */
function pieceText(p: Piece, subs: unknown[], chunk: ChunkHeader, attribute: boolean): string | undefined {
  if (p.kind === 'text') return p.xml;
  if (p.id >= subs.length) throw new Error(`substitution ${p.id} is missing (the record has ${subs.length})`);
  const value = subs[p.id];
  if (p.optional && (value === null || value === undefined)) return undefined;
  if (p.type === VT.BXml) return attribute ? '' : renderEmbedded(value, chunk);
  return escapeXml(formatValue(value, p.type), attribute);
}

/** A substitution value holding its own binary XML fragment (UserData, for instance). */
function renderEmbedded(value: unknown, chunk: ChunkHeader): string {
  const v = value as { baseOffset?: number; length?: number } | null;
  if (!v || typeof v.baseOffset !== 'number' || !v.length) return '';
  const { actual, substitutions } = BXmlParser.parseEmbeddedActualAtOffset(v.baseOffset, v.length, chunk) as {
    actual: ActualTemplate | null;
    substitutions: unknown[];
  };
  if (!actual?.rootElement) {
    // A fragment written out without a template (CAPI2 does this): decode it token by token.
    const file = (chunk as unknown as { r: { bytesAt(o: number, n: number): Uint8Array; size: number } }).r;
    return renderPlainBxml(file.bytesAt(0, file.size), chunk.offset, v.baseOffset, v.baseOffset + v.length);
  }
  const out: string[] = [];
  renderElement(actual.rootElement, substitutions, chunk, out);
  return out.join('');
}

/** Text of a substitution value as Windows renders it. */
function formatValue(value: unknown, type: number): string {
  if (value === null || value === undefined) return '';
  switch (type) {
    case VT.Hex32:
    case VT.Hex64:
    case VT.Size: // pointers (process ids of the Security log) are shown in hex
      return `0x${(value as number | bigint).toString(16)}`;
    case VT.Binary:
      return value instanceof Uint8Array ? Buffer.from(value).toString('hex').toUpperCase() : String(value);
    case VT.FileTime:
      if (value instanceof PreciseFileTime) return value.iso;
      return value instanceof Date ? isoTime(value) : String(value);
    case VT.SystemTime:
      // The library builds SYSTEMTIME dates with the local-time constructor: read them back as UTC fields.
      return value instanceof Date
        ? isoTime(new Date(Date.UTC(value.getFullYear(), value.getMonth(), value.getDate(), value.getHours(), value.getMinutes(), value.getSeconds(), value.getMilliseconds())))
        : String(value);
    case VT.WStringArray:
      return Array.isArray(value) ? value.join('\n') : String(value);
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

function isoTime(d: Date): string {
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}
