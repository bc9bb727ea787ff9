/**
 * STIX 2.1 patterning language (OASIS STIX 2.1, part 9) parsed into a syntax tree. The whole
 * grammar is read — observation expressions joined by AND / OR / FOLLOWEDBY, qualifiers
 * (WITHIN, REPEATS, START … STOP), comparisons with every operator and literal kind — so that a
 * pattern Quarry cannot map to indicator rows is refused for a stated reason (observables.ts),
 * never misread. Malformed text throws StixPatternError with the character position.
 */

export class StixPatternError extends Error {
  constructor(message: string, readonly position?: number) {
    super(position === undefined ? message : `${message} (at character ${position + 1})`);
    this.name = 'StixPatternError';
  }
}

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'int' | 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'timestamp' | 'hex' | 'binary'; value: string };

/** `file:hashes.'SHA-256'`: the object type and the property path (names, or list indexes / `*`). */
export interface ObjectPath {
  objectType: string;
  steps: Array<{ name: string; quoted: boolean } | { index: number | '*' }>;
  /** The path as Sentinel's ObservableKey writes it: `file:hashes.'SHA-256'`, `ipv4-addr:value`. */
  text: string;
}

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'IN' | 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET';

export type Comparison =
  | { kind: 'compare'; path: ObjectPath; op: ComparisonOp; negated: boolean; value: Literal | Literal[] }
  | { kind: 'exists'; path: ObjectPath }
  | { kind: 'and'; items: Comparison[] }
  | { kind: 'or'; items: Comparison[] };

export type Qualifier =
  | { kind: 'within'; seconds: number }
  | { kind: 'repeats'; times: number }
  | { kind: 'startstop'; start: string; stop: string };

export type Observation =
  | { kind: 'observation'; comparison: Comparison; qualifiers: Qualifier[] }
  | { kind: 'and' | 'or' | 'followedby'; items: Observation[]; qualifiers: Qualifier[] };

type Token =
  | { t: 'punct'; v: string; at: number }
  | { t: 'word'; v: string; at: number }
  | { t: 'lit'; v: Literal; at: number }
  | { t: 'end'; at: number };

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'FOLLOWEDBY', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET', 'IN', 'EXISTS', 'START', 'STOP', 'WITHIN', 'REPEATS', 'TIMES', 'SECONDS', 'true', 'false']);

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const quoted = (start: number): string => {
    // After the opening quote: `\'` and `\\` are the only escapes (STIX 2.1 §9.3).
    let s = '';
    for (let j = start; j < text.length; j++) {
      const c = text[j]!;
      if (c === '\\') {
        const n = text[j + 1];
        if (n !== "'" && n !== '\\') throw new StixPatternError(`unknown escape \\${n ?? ''} in a string (only \\' and \\\\ are allowed)`, j);
        s += n;
        j++;
      } else if (c === "'") {
        i = j + 1;
        return s;
      } else s += c;
    }
    throw new StixPatternError('unterminated string', start - 1);
  };
  while (i < text.length) {
    const c = text[i]!;
    const at = i;
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") { out.push({ t: 'lit', v: { kind: 'string', value: quoted(i + 1) }, at }); continue; }
    if ((c === 't' || c === 'h' || c === 'b') && text[i + 1] === "'") {
      const value = quoted(i + 2);
      if (c === 't') {
        if (!isTimestamp(value)) throw new StixPatternError(`t'${value}' is not an RFC 3339 UTC timestamp`, at);
        out.push({ t: 'lit', v: { kind: 'timestamp', value }, at });
      } else if (c === 'h') {
        if (!/^([0-9a-fA-F]{2})*$/.test(value)) throw new StixPatternError(`h'${value}' is not hexadecimal octets`, at);
        out.push({ t: 'lit', v: { kind: 'hex', value }, at });
      } else {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) throw new StixPatternError(`b'${value}' is not base64`, at);
        out.push({ t: 'lit', v: { kind: 'binary', value }, at });
      }
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=' || two === '<>' || two === '==') {
      // The grammar spells equality `=` or `==`, inequality `!=` or `<>`.
      out.push({ t: 'punct', v: two === '<>' ? '!=' : two === '==' ? '=' : two, at });
      i += 2;
      continue;
    }
    if ('[]():=<>,.*'.includes(c)) {
      // A '.' or digit run is a number when it starts one ("1.5"); otherwise a path separator.
      if (c === '.' && /[0-9]/.test(text[i + 1] ?? '') && !/[A-Za-z0-9_\-']/.test(text[i - 1] ?? '')) {
        // fall through to the number reader
      } else {
        out.push({ t: 'punct', v: c, at });
        i++;
        continue;
      }
    }
    const num = /^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (num && (c === '-' || c === '+' || c === '.' || /\d/.test(c))) {
      const s = num[0];
      // Inside a path (after '[') an integer is an index; the parser decides, the token is a number.
      const isFloat = /[.eE]/.test(s);
      out.push({ t: 'lit', v: { kind: isFloat ? 'float' : 'int', value: Number(s) }, at });
      i += s.length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_\-]*/.exec(text.slice(i));
    if (word) {
      out.push({ t: 'word', v: word[0], at });
      i += word[0].length;
      continue;
    }
    throw new StixPatternError(`unexpected character ${JSON.stringify(c)}`, i);
  }
  out.push({ t: 'end', at: text.length });
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token { return this.tokens[this.i]!; }
  private next(): Token { return this.tokens[this.i++]!; }
  private isWord(v: string): boolean { const t = this.peek(); return t.t === 'word' && t.v === v; }
  private isPunct(v: string): boolean { const t = this.peek(); return t.t === 'punct' && t.v === v; }
  private expectPunct(v: string, what: string): void {
    const t = this.peek();
    if (t.t !== 'punct' || t.v !== v) throw new StixPatternError(`expected '${v}' ${what}, found ${describe(t)}`, t.at);
    this.i++;
  }
  private expectWord(v: string, what: string): void {
    if (!this.isWord(v)) throw new StixPatternError(`expected ${v} ${what}, found ${describe(this.peek())}`, this.peek().at);
    this.i++;
  }

  pattern(): Observation {
    const o = this.observations();
    const t = this.peek();
    if (t.t !== 'end') throw new StixPatternError(`unexpected ${describe(t)} after the pattern`, t.at);
    return o;
  }

  private observations(): Observation {
    return this.binaryObs('followedby', 'FOLLOWEDBY', () => this.binaryObs('or', 'OR', () => this.binaryObs('and', 'AND', () => this.observation())));
  }

  private binaryObs(kind: 'and' | 'or' | 'followedby', word: string, inner: () => Observation): Observation {
    const items = [inner()];
    while (this.isWord(word)) {
      this.i++;
      items.push(inner());
    }
    if (items.length === 1) return items[0]!;
    return { kind, items, qualifiers: this.qualifiers(false) };
  }

  private observation(): Observation {
    const t = this.peek();
    if (this.isPunct('[')) {
      this.i++;
      const comparison = this.comparisonOr();
      this.expectPunct(']', 'to close the observation expression');
      return { kind: 'observation', comparison, qualifiers: this.qualifiers(true) };
    }
    if (this.isPunct('(')) {
      this.i++;
      const inner = this.observations();
      this.expectPunct(')', 'to close the parenthesised observation expressions');
      const qualifiers = this.qualifiers(false);
      return qualifiers.length ? { ...inner, qualifiers: [...inner.qualifiers, ...qualifiers] } : inner;
    }
    throw new StixPatternError(`expected an observation expression '[ … ]', found ${describe(t)}`, t.at);
  }

  /** Qualifiers after an observation; `[…]` takes one of each kind, a parenthesised group any (as the reference grammar). */
  private qualifiers(oncePerKind: boolean): Qualifier[] {
    const out: Qualifier[] = [];
    for (;;) {
      const t = this.peek();
      if (oncePerKind && t.t === 'word' && ['WITHIN', 'REPEATS', 'START'].includes(t.v)) {
        const kind = t.v === 'START' ? 'startstop' : t.v.toLowerCase();
        if (out.some((q) => q.kind === kind)) throw new StixPatternError(`duplicate ${t.v === 'START' ? 'START … STOP' : t.v} qualifier`, t.at);
      }
      if (this.isWord('WITHIN')) {
        this.i++;
        const n = this.number('after WITHIN');
        this.expectWord('SECONDS', 'after the WITHIN count');
        out.push({ kind: 'within', seconds: n });
      } else if (this.isWord('REPEATS')) {
        this.i++;
        const n = this.number('after REPEATS');
        this.expectWord('TIMES', 'after the REPEATS count');
        out.push({ kind: 'repeats', times: n });
      } else if (this.isWord('START')) {
        this.i++;
        const start = this.timestamp('after START');
        this.expectWord('STOP', 'after the START time');
        out.push({ kind: 'startstop', start, stop: this.timestamp('after STOP') });
      } else return out;
    }
  }

  private number(what: string): number {
    const t = this.next();
    if (t.t !== 'lit' || (t.v.kind !== 'int' && t.v.kind !== 'float') || t.v.value <= 0) throw new StixPatternError(`expected a positive number ${what}, found ${describe(t)}`, t.at);
    return t.v.value;
  }

  private timestamp(what: string): string {
    const t = this.next();
    if (t.t !== 'lit' || t.v.kind !== 'timestamp') throw new StixPatternError(`expected a t'…' timestamp ${what}, found ${describe(t)}`, t.at);
    return t.v.value;
  }

  private comparisonOr(): Comparison {
    const items = [this.comparisonAnd()];
    while (this.isWord('OR')) { this.i++; items.push(this.comparisonAnd()); }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private comparisonAnd(): Comparison {
    const items = [this.propTest()];
    while (this.isWord('AND')) { this.i++; items.push(this.propTest()); }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private propTest(): Comparison {
    if (this.isPunct('(')) {
      this.i++;
      const inner = this.comparisonOr();
      this.expectPunct(')', 'to close the parenthesised comparison');
      return inner;
    }
    if (this.isWord('EXISTS')) {
      this.i++;
      return { kind: 'exists', path: this.objectPath() };
    }
    const path = this.objectPath();
    let negated = false;
    if (this.isWord('NOT')) { this.i++; negated = true; }
    const t = this.next();
    let op: ComparisonOp;
    if (t.t === 'punct' && ['=', '!=', '<', '<=', '>', '>='].includes(t.v)) op = t.v as ComparisonOp;
    else if (t.t === 'word' && ['IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'].includes(t.v)) op = t.v as ComparisonOp;
    else throw new StixPatternError(`expected a comparison operator after ${path.text}, found ${describe(t)}`, t.at);
    if (op === 'IN') {
      this.expectPunct('(', 'to open the IN list');
      const values = [this.literal()];
      while (this.isPunct(',')) { this.i++; values.push(this.literal()); }
      this.expectPunct(')', 'to close the IN list');
      return { kind: 'compare', path, op, negated, value: values };
    }
    const value = this.literal();
    if ((op === 'LIKE' || op === 'MATCHES' || op === 'ISSUBSET' || op === 'ISSUPERSET') && value.kind !== 'string') {
      throw new StixPatternError(`${op} needs a string, found a ${value.kind}`, t.at);
    }
    return { kind: 'compare', path, op, negated, value };
  }

  private literal(): Literal {
    const t = this.next();
    if (t.t === 'lit') return t.v;
    if (t.t === 'word' && (t.v === 'true' || t.v === 'false')) return { kind: 'bool', value: t.v === 'true' };
    throw new StixPatternError(`expected a value, found ${describe(t)}`, t.at);
  }

  private objectPath(): ObjectPath {
    const t = this.next();
    if (t.t !== 'word' || KEYWORDS.has(t.v)) throw new StixPatternError(`expected an object path such as ipv4-addr:value, found ${describe(t)}`, t.at);
    const objectType = t.v;
    this.expectPunct(':', `after the object type ${objectType}`);
    const steps: ObjectPath['steps'] = [this.pathName()];
    for (;;) {
      if (this.isPunct('.')) {
        this.i++;
        steps.push(this.pathName());
      } else if (this.isPunct('[')) {
        // `[` also opens an observation, but only after an operator or AND/OR, never after a path.
        this.i++;
        const idx = this.next();
        if (idx.t === 'punct' && idx.v === '*') steps.push({ index: '*' });
        else if (idx.t === 'lit' && idx.v.kind === 'int' && idx.v.value >= 0) steps.push({ index: idx.v.value });
        else throw new StixPatternError(`expected a list index or * in the object path, found ${describe(idx)}`, idx.at);
        this.expectPunct(']', 'to close the list index');
      } else break;
    }
    return { objectType, steps, text: pathText(objectType, steps) };
  }

  private pathName(): { name: string; quoted: boolean } {
    const t = this.next();
    if (t.t === 'word') return { name: t.v, quoted: false };
    if (t.t === 'lit' && t.v.kind === 'string') return { name: t.v.value, quoted: true };
    throw new StixPatternError(`expected a property name, found ${describe(t)}`, t.at);
  }
}

function pathText(objectType: string, steps: ObjectPath['steps']): string {
  let s = `${objectType}:`;
  steps.forEach((step, i) => {
    if ('index' in step) s += `[${step.index}]`;
    else s += `${i === 0 ? '' : '.'}${step.quoted ? `'${step.name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : step.name}`;
  });
  return s;
}

/** RFC 3339 in UTC (`Z`), and a real date and time (no 2457-73-22T32:81:84Z). */
function isTimestamp(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/.exec(text);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return mo >= 1 && mo <= 12 && h <= 23 && mi <= 59 && s <= 60 && date.getUTCDate() === d;
}

function describe(t: Token): string {
  if (t.t === 'end') return 'the end of the pattern';
  if (t.t === 'lit') return t.v.kind === 'string' ? `'${t.v.value}'` : `${t.v.kind} ${String(t.v.value)}`;
  return `'${t.v}'`;
}

/** Parses a STIX 2.1 pattern. Throws StixPatternError for text that is not a valid pattern. */
export function parseStixPattern(text: string): Observation {
  if (text.trim() === '') throw new StixPatternError('the pattern is empty');
  return new Parser(tokenize(text)).pattern();
}
