/**
 * Decoder for EVTX records whose binary XML carries no template: the element tree is written
 * out token by token, with element and attribute names inline (or referring back to a name
 * written earlier in the same chunk) and every value as a literal string token.
 *
 * Windows writes such records when events are exported or forwarded (Defender, PowerShell,
 * Firewall and WinRM logs saved from another machine, for instance). Their start-element tokens
 * also omit the 2-byte dependency identifier that template definitions carry, which is what
 * makes common readers (and `@ts-evtx/core`, which then renders `<Event/>`) fail on them.
 * Layout: [MS-EVEN6] BinXml, and Joachim Metz's libevtx format notes.
 */

export class BxmlError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} (at file offset 0x${offset.toString(16)})`);
    this.name = 'BxmlError';
  }
}

import { escapeXml } from '../windows/xml-text.js';

const TOKEN = {
  eof: 0x00,
  openStart: 0x01,
  closeStart: 0x02,
  closeEmpty: 0x03,
  end: 0x04,
  value: 0x05,
  attribute: 0x06,
  cdata: 0x07,
  charRef: 0x08,
  entityRef: 0x09,
  piTarget: 0x0a,
  piData: 0x0b,
  templateInstance: 0x0c,
  normalSubst: 0x0d,
  optionalSubst: 0x0e,
  fragmentHeader: 0x0f,
} as const;

/** The "more follows" / "has attributes" flag carried in the high bits of a token byte. */
const MORE_FLAG = 0x40;

const utf16 = new TextDecoder('utf-16le');

/**
 * Renders the template-less binary XML of one record as XML text.
 * `buf` is the whole file, `chunkOffset` where the record's chunk starts (names are
 * chunk-relative), `start`/`end` the record's binary XML (after the 24-byte record header).
 */
export function renderPlainBxml(buf: Uint8Array, chunkOffset: number, start: number, end: number): string {
  return new PlainDecoder(buf, chunkOffset, end).render(start);
}

class PlainDecoder {
  private readonly view: DataView;
  private pos = 0;
  private out: string[] = [];
  /** Whether start-element tokens carry the 2-byte dependency identifier (decided on the first). */
  private hasDependencyId: boolean | undefined;

  constructor(
    private readonly buf: Uint8Array,
    private readonly chunkOffset: number,
    private readonly end: number,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  render(start: number): string {
    this.pos = start;
    const stack: string[] = [];
    let openTagPending = false; // after `<name attrs` until CloseStart/CloseEmpty
    while (this.pos < this.end) {
      const at = this.pos;
      const byte = this.u8();
      const token = byte & ~MORE_FLAG;
      switch (token) {
        case TOKEN.eof:
          if (stack.length) throw new BxmlError(`binary XML ends inside <${stack[stack.length - 1]}>`, at);
          return this.out.join('');
        case TOKEN.fragmentHeader:
          this.pos += 3; // major, minor, flags
          break;
        case TOKEN.openStart: {
          const name = this.openStart(at, (byte & MORE_FLAG) !== 0);
          stack.push(name);
          this.out.push('<', name);
          openTagPending = true;
          break;
        }
        case TOKEN.attribute: {
          if (!openTagPending) throw new BxmlError('attribute outside a start tag', at);
          const name = this.name(this.u32());
          this.out.push(' ', name, '="', escapeXml(this.attributeValue(), true), '"');
          break;
        }
        case TOKEN.closeStart:
          this.out.push('>');
          openTagPending = false;
          break;
        case TOKEN.closeEmpty:
          stack.pop();
          this.out.push('/>');
          openTagPending = false;
          break;
        case TOKEN.end: {
          const name = stack.pop();
          if (name === undefined) throw new BxmlError('end tag without a start tag', at);
          this.out.push('</', name, '>');
          break;
        }
        case TOKEN.value:
          this.out.push(escapeXml(this.valueText(at), false));
          break;
        case TOKEN.cdata:
          this.out.push('<![CDATA[', this.utf16String(this.u16()), ']]>');
          break;
        case TOKEN.charRef:
          this.out.push(`&#${this.u16()};`);
          break;
        case TOKEN.entityRef:
          this.out.push('&', this.name(this.u32()), ';');
          break;
        case TOKEN.piTarget:
          this.out.push('<?', this.name(this.u32()));
          break;
        case TOKEN.piData:
          this.out.push(' ', this.utf16String(this.u16()), '?>');
          break;
        case TOKEN.templateInstance:
        case TOKEN.normalSubst:
        case TOKEN.optionalSubst:
          throw new BxmlError(`template token 0x${byte.toString(16)} in a record without a template`, at);
        default:
          throw new BxmlError(`unknown binary XML token 0x${byte.toString(16)}`, at);
      }
    }
    if (stack.length) throw new BxmlError(`record ends inside <${stack[stack.length - 1]}>`, this.pos);
    return this.out.join('');
  }

  /** OpenStartElement: [dependency id u16] data size u32, name offset u32, [attribute list size u32]. */
  private openStart(at: number, hasAttributes: boolean): string {
    if (this.hasDependencyId === undefined) this.hasDependencyId = !this.plausibleName(at + 5, at + 9);
    if (this.hasDependencyId) this.pos += 2;
    this.pos += 4; // data size
    const name = this.name(this.u32());
    if (hasAttributes) this.pos += 4; // attribute list size
    return name;
  }

  /** Whether the u32 at `field` names a string that starts at `inlineAt` or earlier in the chunk. */
  private plausibleName(field: number, inlineAt: number): boolean {
    if (field + 4 > this.end) return false;
    const offset = this.view.getUint32(field, true);
    return offset === inlineAt - this.chunkOffset || (offset >= 0x200 && offset < field - this.chunkOffset);
  }

  /**
   * A name: chunk-relative offset of a (next u32, hash u16, length u16, UTF-16 chars, NUL) string.
   * When it points at the current position the string is inline and is skipped over.
   */
  private name(offset: number): string {
    const abs = this.chunkOffset + offset;
    if (abs + 8 > this.buf.length) throw new BxmlError(`name offset 0x${offset.toString(16)} outside the chunk`, this.pos);
    const length = this.view.getUint16(abs + 6, true);
    const text = utf16.decode(this.buf.subarray(abs + 8, abs + 8 + length * 2));
    if (abs === this.pos) this.pos += 8 + length * 2 + 2;
    return text;
  }

  /** The value of an attribute: value-text tokens up to the next non-value token. */
  private attributeValue(): string {
    let text = '';
    while (this.pos < this.end) {
      const token = this.buf[this.pos]! & ~MORE_FLAG;
      if (token === TOKEN.value) {
        const at = this.pos++;
        text += this.valueText(at);
      } else if (token === TOKEN.charRef) {
        this.pos++;
        text += String.fromCharCode(this.u16());
      } else break;
    }
    return text;
  }

  /** Value-text token body: type u8, then a length-prefixed UTF-16 string (the only type written here). */
  private valueText(at: number): string {
    const type = this.u8();
    if (type !== 0x01) throw new BxmlError(`value of type 0x${type.toString(16)} where a string was expected`, at);
    return this.utf16String(this.u16());
  }

  private utf16String(chars: number): string {
    const startAt = this.pos;
    this.pos += chars * 2;
    if (this.pos > this.end) throw new BxmlError('string runs past the end of the record', startAt);
    return utf16.decode(this.buf.subarray(startAt, this.pos));
  }

  private u8(): number {
    if (this.pos >= this.end) throw new BxmlError('record ends inside a token', this.pos);
    return this.buf[this.pos++]!;
  }
  private u16(): number {
    if (this.pos + 2 > this.end) throw new BxmlError('record ends inside a token', this.pos);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  private u32(): number {
    if (this.pos + 4 > this.end) throw new BxmlError('record ends inside a token', this.pos);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
}
