/**
 * Builders of the parse family: `parse`, `parse-where` and `parse-kv`. The result columns (names
 * and types) are Kusto.Language's; these builders read the pattern and the options.
 */
import { KqlError } from '../../diagnostics.js';
import type { SyntaxNodeData } from '../../frontend/syntax.js';
import type { Column } from '../../types.js';
import type { IrBuilder } from '../builder.js';
import type { Expr, Plan } from '../ir.js';
import type { KvQuote, ParseElement, ParseKind, ParseKvMode } from '../parse-plans.js';
import type { Scope } from '../scope.js';
import { allTokens, child, declaredName, kids, namedParameters } from '../syntax-helpers.js';

const PARSE_KINDS: ReadonlySet<string> = new Set(['simple', 'regex', 'relaxed']);
/** RE2 flags Kusto documents for parse kind=regex. */
const REGEX_FLAGS = /^[Uims]*$/;

/** `parse` (dropUnmatched = false) and `parse-where` (true). */
export function buildParse(b: IrBuilder, op: SyntaxNodeData, input: Plan, scope: Scope, dropUnmatched: boolean): Plan {
  const operator = dropUnmatched ? 'parse-where' : 'parse';
  const params = namedParameters(op);
  const kind = params.has('kind') ? tokenText(params.get('kind')!).toLowerCase() : 'simple';
  if (!PARSE_KINDS.has(kind)) throw invalid(b, op, `${operator}: kind=${kind} is not a parse kind (simple, regex or relaxed)`);
  const flags = params.has('flags') ? tokenText(params.get('flags')!) : '';
  if (flags && kind !== 'regex') throw invalid(b, params.get('flags')!, `${operator}: flags= applies only to kind=regex`);
  if (!REGEX_FLAGS.test(flags)) throw invalid(b, params.get('flags')!, `${operator}: '${flags}' are not regex flags (U, i, m, s)`);

  const [sourceNode, ...patternNodes] = kids(op).filter((c) => c.kind !== 'NamedParameter');
  const columns = b.cols(op);
  const captures = patternNodes.filter((n) => n.kind === 'NameDeclaration' || n.kind === 'NameAndTypeDeclaration').length;
  const added = newColumns(b, op, operator, input, columns, captures);
  const elements: ParseElement[] = [];
  let captured = 0;
  for (const n of patternNodes) {
    if (n.kind === 'StarExpression') {
      elements.push({ k: 'skip' });
    } else if (n.kind === 'NameDeclaration' || n.kind === 'NameAndTypeDeclaration') {
      const name = declaredName(n.kind === 'NameDeclaration' ? n : child(n, 'NameDeclaration')!);
      const column = added[captured++];
      if (!column || column.name !== name) throw b.unsupported(n, `${operator}: the column '${name}' here`);
      elements.push({ k: 'capture', name, type: column.type });
    } else {
      elements.push({ k: 'text', text: constantText(b, n, scope, operator) });
    }
  }
  if (captured !== added.length) throw b.unsupported(op, `${operator}: ${added.length} result columns but ${captured} in the pattern`);
  const pattern = { kind: kind as ParseKind, flags, elements };
  return replacingColumns(input, asString(b.expr(sourceNode!, scope)), added, (inner, source, cols) => ({
    op: 'parse', input: inner, source, pattern, dropUnmatched, columns: cols,
  }));
}

/** `parse-kv Expression as (Key: type, …) with (…)`. */
export function buildParseKv(b: IrBuilder, op: SyntaxNodeData, input: Plan, scope: Scope): Plan {
  const [sourceNode] = kids(op);
  const columns = b.cols(op);
  const declared = kids(child(op, 'RowSchema') ?? op).filter((n) => n.kind === 'NameAndTypeDeclaration').length;
  const keys = newColumns(b, op, 'parse-kv', input, columns, declared);
  const clause = child(op, 'ParseKvWithClause');
  const mode = clause ? kvMode(b, clause, scope) : { k: 'words' as const, quotes: [], escapes: [] };
  return replacingColumns(input, asString(b.expr(sourceNode!, scope)), keys, (inner, source, cols) => ({
    op: 'parseKv', input: inner, source, keys, mode, columns: cols,
  }));
}

const PARSE_SOURCE = 'kql_parse_source';

/**
 * A parse whose captures reuse input column names replaces those columns, as `extend` does: the
 * source is computed from the old values first, the old columns dropped, the new ones appended.
 * Without a clash the parse reads its input directly.
 */
function replacingColumns(input: Plan, source: Expr, added: Column[], make: (input: Plan, source: Expr, columns: Column[]) => Plan): Plan {
  const replaced = new Set(added.map((c) => c.name));
  if (!input.columns.some((c) => replaced.has(c.name))) return make(input, source, [...input.columns, ...added]);
  const kept = input.columns.filter((c) => !replaced.has(c.name));
  const sourceColumn: Column = { name: PARSE_SOURCE, type: 'string' };
  const inner: Plan = {
    op: 'project',
    input,
    exprs: [...kept.map((c) => ({ name: c.name, expr: { k: 'column', type: c.type, name: c.name } as Expr })), { name: PARSE_SOURCE, expr: source }],
    columns: [...kept, sourceColumn],
  };
  const parsed = make(inner, { k: 'column', type: 'string', name: PARSE_SOURCE }, [...inner.columns, ...added]);
  const out = [...kept, ...added];
  return { op: 'project', input: parsed, exprs: out.map((c) => ({ name: c.name, expr: { k: 'column', type: c.type, name: c.name } })), columns: out };
}

function kvMode(b: IrBuilder, clause: SyntaxNodeData, scope: Scope): ParseKvMode {
  const fail = (n: SyntaxNodeData, why: string) => invalid(b, n, `parse-kv: ${why}`);
  const quotes: KvQuote[] = [];
  const escapes: string[] = [];
  let pairDelimiter: string | undefined;
  let kvDelimiter: string | undefined;
  let regex: string | undefined;
  let greedy = false;
  for (const p of kids(clause).filter((c) => c.kind === 'NamedParameter')) {
    const [nameNode, valueNode] = kids(p);
    const name = declaredName(nameNode!).toLowerCase();
    const value = b.expr(valueNode!, scope);
    if (value.k !== 'literal' || value.value === null) throw fail(p, `${name}= needs a constant`);
    const text = String(value.value);
    switch (name) {
      case 'pair_delimiter':
      case 'kv_delimiter':
        if (!text) throw fail(p, `${name}= must not be empty`);
        if (name === 'pair_delimiter') pairDelimiter = text;
        else kvDelimiter = text;
        break;
      case 'quote': {
        const chars = [...text];
        if (chars.length < 1 || chars.length > 2) throw fail(p, `quote='${text}' must be one character, or two (open and close)`);
        quotes.push({ open: chars[0]!, close: chars[1] ?? chars[0]! });
        break;
      }
      case 'escape':
        if ([...text].length !== 1) throw fail(p, `escape='${text}' must be one character`);
        escapes.push(text);
        break;
      case 'greedy':
        greedy = value.value === true || text.toLowerCase() === 'true';
        break;
      case 'regex':
        regex = text;
        break;
      default:
        throw fail(p, `${name}= is not a parse-kv option`);
    }
  }
  if (regex !== undefined) {
    if (pairDelimiter !== undefined || kvDelimiter !== undefined || quotes.length || escapes.length || greedy) {
      throw fail(clause, 'regex= cannot be combined with delimiter, quote, escape or greedy options');
    }
    return { k: 'regex', regex };
  }
  if (escapes.length && !quotes.length) throw fail(clause, 'escape= needs quote= (escapes apply inside quoted values)');
  if (pairDelimiter === undefined && kvDelimiter === undefined) {
    if (greedy) throw fail(clause, 'greedy=true needs pair_delimiter and kv_delimiter');
    return { k: 'words', quotes, escapes };
  }
  if (pairDelimiter === undefined || kvDelimiter === undefined) throw fail(clause, 'pair_delimiter and kv_delimiter go together');
  if (pairDelimiter === kvDelimiter) throw fail(clause, 'pair_delimiter and kv_delimiter must differ');
  return { k: 'delimited', pairDelimiter, kvDelimiter, quotes, escapes, greedy };
}

/**
 * The `count` columns the operator captures: Kusto.Language lists them last, even when one
 * reuses an input column's name (that column is then replaced, see replacingColumns; Kusto.Language
 * keeps both, so its lists can be longer than the input Quarry carries).
 */
function newColumns(b: IrBuilder, op: SyntaxNodeData, operator: string, input: Plan, columns: Column[], count: number): Column[] {
  if (columns.length < count) throw b.unsupported(op, `${operator} with fewer result columns than captures`);
  const added = columns.slice(columns.length - count);
  // Kusto.Language types later references by the input column, so only a same-typed reuse is sound.
  const retyped = added.find((c) => input.columns.some((i) => i.name === c.name && i.type !== c.type));
  if (retyped) throw b.unsupported(op, `${operator} into the ${input.columns.find((i) => i.name === retyped.name)!.type} column '${retyped.name}' as ${retyped.type}`);
  return added;
}

/** A string constant of a parse pattern. */
function constantText(b: IrBuilder, n: SyntaxNodeData, scope: Scope, operator: string): string {
  const e = b.expr(n, scope);
  if (e.k !== 'literal' || e.type !== 'string' || typeof e.value !== 'string') {
    throw invalid(b, n, `${operator}: a pattern holds string constants, columns and *`);
  }
  return e.value;
}

/** Kusto parses the text of a non-string expression. */
function asString(e: Expr): Expr {
  return e.type === 'string' ? e : { k: 'call', type: 'string', fn: 'tostring', args: [e] };
}

/** An error in the query (not a gap in Quarry), at the node's position. */
function invalid(b: IrBuilder, n: SyntaxNodeData, message: string): KqlError {
  const at = b.unsupported(n, message).diagnostics.map((d) => ({ ...d, message }));
  return new KqlError('semantic', message, at);
}

function tokenText(n: SyntaxNodeData): string {
  return allTokens(n).join('').replace(/^(['"])(.*)\1$/s, '$2');
}
