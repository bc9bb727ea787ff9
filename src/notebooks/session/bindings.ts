import { parseStatements, type StatementInfo } from '../../kql/frontend/kusto-language.js';
import { KqlError, locate, type Diagnostic } from '../../kql/diagnostics.js';

/** A `let` or `declare query_parameters` statement kept from an earlier cell. */
interface Binding {
  names: string[];
  references: string[];
  text: string;
}

/** Where a stretch of the composed query text came from, to map diagnostics back. */
interface Segment {
  start: number;
  end: number;
  /** Offset of the same text in the cell, or undefined for a binding from an earlier cell. */
  cellOffset?: number;
  binding?: string;
}

/** A cell joined with the session's bindings: the text to run and how to commit it. */
export interface ComposedCell {
  /** Bindings (ordered so each follows what it uses) then the cell's other statements. */
  text: string;
  /** Whether the cell has a statement that produces a result. */
  hasQuery: boolean;
  /** Makes the cell's bindings part of the session (call once the cell ran). */
  commit(): void;
  /** Rewrites an error on the composed text so its positions are the cell's. */
  mapError(err: unknown): unknown;
}

/**
 * The let bindings of a notebook session. KQL has no session state: each query is one text, and
 * a name may be declared once in it (KS201). So the session keeps earlier cells' `let` and
 * `declare query_parameters` statements and puts them in front of every cell. A cell that
 * declares a name again replaces the old statement, and bindings are ordered by what they use,
 * so `let b = a * 2` written before a redefinition of `a` sees the new `a` (as if the notebook
 * were one script edited in place).
 */
export class SessionBindings {
  /** In definition order; a redefinition moves a binding to the end. */
  private bindings: Binding[] = [];

  /** Names bound so far, for tools (completion lists them through the composed text). */
  names(): string[] {
    return this.bindings.flatMap((b) => b.names);
  }

  /** Forgets a binding (a stored result table of the same name replaces it). */
  remove(name: string): void {
    this.bindings = this.bindings.filter((b) => !b.names.includes(name));
  }

  /** The bindings' text alone, followed by `suffix` (for completion and inspection). */
  prefixFor(suffix: string): { text: string; offset: number } {
    const prefix = this.ordered(this.bindings).map((b) => `${b.text};\n`).join('');
    return { text: prefix + suffix, offset: prefix.length };
  }

  compose(cell: string): ComposedCell {
    const statements = parseStatements(cell);
    const own: Binding[] = [];
    const seen = new Map<string, StatementInfo>();
    for (const s of statements) {
      if (s.kind !== 'let' && s.kind !== 'declare') continue;
      for (const name of s.names) {
        if (seen.has(name)) throw duplicateError(cell, s, name);
        seen.set(name, s);
      }
      own.push({ names: s.names, references: s.references, text: cell.slice(s.start, s.end) });
    }
    const ownStatements = statements.filter((s) => s.kind === 'let' || s.kind === 'declare');
    const kept = this.bindings.filter((b) => !b.names.some((n) => seen.has(n)));
    const merged = [...kept, ...own];
    const segments: Segment[] = [];
    let text = '';
    const append = (piece: string, seg: Omit<Segment, 'start' | 'end'>) => {
      segments.push({ start: text.length, end: text.length + piece.length, ...seg });
      text += `${piece};\n`;
    };
    for (const b of this.ordered(merged)) {
      const i = own.indexOf(b);
      if (i >= 0) append(b.text, { cellOffset: ownStatements[i]!.start });
      else append(b.text, { binding: b.names[0] });
    }
    const rest = statements.filter((s) => s.kind !== 'let' && s.kind !== 'declare');
    rest.forEach((s, i) => {
      const piece = cell.slice(s.start, s.end);
      segments.push({ start: text.length, end: text.length + piece.length, cellOffset: s.start });
      text += i === rest.length - 1 ? piece : `${piece};\n`;
    });
    return {
      text,
      hasQuery: rest.some((s) => s.kind === 'query' || s.kind === 'other'),
      commit: () => {
        this.bindings = merged;
      },
      mapError: (err) => mapError(err, cell, segments),
    };
  }

  /** Each binding after the bindings it refers to; otherwise in definition order. */
  private ordered(list: Binding[]): Binding[] {
    const byName = new Map<string, Binding>();
    for (const b of list) for (const n of b.names) byName.set(n, b);
    const placed = new Set<Binding>();
    const out: Binding[] = [];
    const ready = (b: Binding) => b.references.every((r) => {
      const dep = byName.get(r);
      return !dep || dep === b || placed.has(dep);
    });
    while (out.length < list.length) {
      // A cycle (or a column that shares a binding's name) falls back to definition order.
      const next = list.find((b) => !placed.has(b) && ready(b)) ?? list.find((b) => !placed.has(b))!;
      placed.add(next);
      out.push(next);
    }
    return out;
  }
}

function duplicateError(cell: string, s: StatementInfo, name: string): KqlError {
  const { line, column } = locate(cell, s.start);
  const d: Diagnostic = { code: 'KS201', severity: 'error', message: `'${name}' is declared twice in this cell.`, start: s.start, length: s.end - s.start, line, column };
  return new KqlError('semantic', d.message, [d]);
}

function mapError(err: unknown, cell: string, segments: Segment[]): unknown {
  if (!(err instanceof KqlError) || err.diagnostics.length === 0) return err;
  const mapped = err.diagnostics.map((d): Diagnostic => {
    const seg = segments.find((s) => d.start >= s.start && d.start <= s.end);
    if (seg?.cellOffset !== undefined) {
      const start = seg.cellOffset + (d.start - seg.start);
      return { ...d, start, ...locate(cell, start) };
    }
    const where = seg?.binding ? `in the binding '${seg.binding}' from an earlier cell: ` : '';
    // Line 0: not a place in this cell.
    return { ...d, message: where + d.message, start: -1, length: 0, line: 0, column: 0 };
  });
  const first = mapped[0]!;
  const message = err.message === err.diagnostics[0]!.message ? first.message : err.message;
  return new KqlError(err.kind, message, mapped);
}
