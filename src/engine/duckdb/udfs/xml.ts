/**
 * parse_xml: XML text to JSON as the parse_xml docs lay it out: attributes as "@name", text
 * next to attributes or elements as "#text", repeated child elements as arrays, an empty
 * element as null. Only elements, attributes and text (CDATA included) are kept; the XML
 * declaration, comments, processing instructions and doctype are skipped. Invalid XML is null.
 */

type Json = string | null | Json[] | { [key: string]: Json };

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9A-Fa-f]+|#\d+|[a-z]+);/g, (whole, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    const named = ENTITIES[e];
    if (named === undefined) throw new Error(`unknown entity ${whole}`);
    return named;
  });
}

class XmlReader {
  private i = 0;
  constructor(private readonly s: string) {}

  /** Skips declarations, comments, processing instructions and doctype; true when any was skipped. */
  private skipMisc(): boolean {
    const s = this.s;
    if (s.startsWith('<?', this.i)) this.i = this.after('?>');
    else if (s.startsWith('<!--', this.i)) this.i = this.after('-->');
    else if (s.startsWith('<!DOCTYPE', this.i)) this.i = this.after('>');
    else return false;
    return true;
  }

  private after(end: string): number {
    const at = this.s.indexOf(end, this.i);
    if (at < 0) throw new Error(`unterminated ${end}`);
    return at + end.length;
  }

  document(): Json {
    for (;;) {
      this.skipSpace();
      if (!this.skipMisc()) break;
    }
    const [name, value] = this.element();
    for (;;) {
      this.skipSpace();
      if (!this.skipMisc()) break;
    }
    if (this.i !== this.s.length) throw new Error('content after the root element');
    return { [name]: value };
  }

  private skipSpace(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  private name(): string {
    const m = /^[A-Za-z_:][\w:.-]*/.exec(this.s.slice(this.i, this.i + 256));
    if (!m) throw new Error('expected a name');
    this.i += m[0].length;
    return m[0];
  }

  private element(): [string, Json] {
    if (this.s[this.i] !== '<') throw new Error('expected an element');
    this.i++;
    const name = this.name();
    const bag: Record<string, Json> = {};
    for (;;) {
      this.skipSpace();
      if (this.s.startsWith('/>', this.i)) {
        this.i += 2;
        return [name, Object.keys(bag).length ? bag : null];
      }
      if (this.s[this.i] === '>') {
        this.i++;
        break;
      }
      const attr = this.name();
      this.skipSpace();
      if (this.s[this.i] !== '=') throw new Error('expected =');
      this.i++;
      this.skipSpace();
      const quote = this.s[this.i];
      if (quote !== '"' && quote !== "'") throw new Error('expected a quoted value');
      const end = this.s.indexOf(quote, this.i + 1);
      if (end < 0) throw new Error('unterminated attribute');
      bag[`@${attr}`] = decodeEntities(this.s.slice(this.i + 1, end));
      this.i = end + 1;
    }
    let text = '';
    let hasChildren = false;
    for (;;) {
      if (this.i >= this.s.length) throw new Error(`unclosed <${name}>`);
      if (this.s.startsWith('</', this.i)) {
        this.i += 2;
        if (this.name() !== name) throw new Error('mismatched closing tag');
        this.skipSpace();
        if (this.s[this.i] !== '>') throw new Error('expected >');
        this.i++;
        break;
      }
      if (this.s.startsWith('<![CDATA[', this.i)) {
        const end = this.s.indexOf(']]>', this.i);
        if (end < 0) throw new Error('unterminated CDATA');
        text += this.s.slice(this.i + 9, end);
        this.i = end + 3;
      } else if (this.skipMisc()) {
        continue;
      } else if (this.s[this.i] === '<') {
        const [child, value] = this.element();
        hasChildren = true;
        const existing = bag[child];
        if (existing === undefined) bag[child] = value;
        else if (Array.isArray(existing)) existing.push(value);
        else bag[child] = [existing, value];
      } else {
        const next = this.s.indexOf('<', this.i);
        const end = next < 0 ? this.s.length : next;
        text += decodeEntities(this.s.slice(this.i, end));
        this.i = end;
      }
    }
    // Whitespace between child elements is formatting, not text.
    const meaningful = hasChildren ? text.trim() : text;
    if (!hasChildren && Object.keys(bag).length === 0) return [name, text === '' ? null : text];
    if (meaningful !== '') bag['#text'] = meaningful;
    return [name, bag];
  }
}

/** parse_xml: JSON text of the document, null when the XML is invalid or over 1 MB. */
export function parseXml(xml: string): string | null {
  if (Buffer.byteLength(xml, 'utf8') > 1_048_576) return null;
  try {
    return JSON.stringify(new XmlReader(xml.trim()).document());
  } catch {
    return null;
  }
}
