/**
 * KQL operators: arithmetic with Kusto's typing, comparisons with Kusto's null rules, the
 * string operators, `in`/`has_any` lists and `between`. Keys are the operator text.
 *
 * Null rules (Kusto docs, "null values"): `==` of a null and a value is false and of two nulls
 * is null; `!=` of a null and a value is true and of two nulls null; ordering comparisons and
 * arithmetic with a null are null. String operators never see null (strings are never null)
 * and, like `in` and `between`, always return true or false.
 */
import type { KqlType } from '../../../kql/types.js';
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { SQL_TYPES, arity, isIntegral, isNullLiteral, str, unsupported } from './common.js';
import { convertTo, toStringSql } from './conversion.js';
import { fromDynamic } from './dynamic.js';
import { type EdgeMode, type TermMode, edgeSql, equalsIgnoreCaseSql, hasAnyLiteral, hasLiteral, hasRuntime, hasSql, matchesRegexSql } from './text-match.js';

// ---- arithmetic -----------------------------------------------------------------------------

/** datetime ± ticks: microsecond precision, sub-microsecond ticks are dropped. */
export function addTicks(ts: string, ticks: string, sign: '+' | '-' = '+'): string {
  return `(${ts} ${sign} to_microseconds((${ticks}) // 10))`;
}

/** Brings a dynamic operand to the numeric type the other side (or the result) has. */
function numericOperand(v: SqlValue, other: SqlValue, result: KqlType): SqlValue {
  if (v.type !== 'dynamic') return v;
  const to: KqlType = result === 'int' || result === 'long' || result === 'real' || result === 'decimal' ? result
    : other.type === 'timespan' || other.type === 'datetime' ? 'timespan' : other.type === 'long' || other.type === 'int' ? 'long' : 'real';
  return { sql: fromDynamic(v.sql, to), type: to };
}

/** The SQL type arithmetic runs in: the result type, widened so int math cannot overflow. */
function mathType(result: KqlType, a: SqlValue, b: SqlValue): KqlType {
  if (result === 'real' || result === 'decimal' || result === 'long') return result;
  if (result === 'int') return 'long';
  // dynamic or unknown result: follow the operands.
  if (a.type === 'real' || b.type === 'real') return 'real';
  if (a.type === 'decimal' || b.type === 'decimal') return 'decimal';
  return 'long';
}

const as = (v: SqlValue, t: KqlType): string => (SQL_TYPES[v.type] === SQL_TYPES[t] ? v.sql : `CAST(${v.sql} AS ${SQL_TYPES[t]})`);

/** Casts the computed value back to the announced result type (int math ran in BIGINT). */
function finish(sql: string, computed: KqlType, result: KqlType): string {
  if (result === 'dynamic') return `to_json(${sql})`;
  if (SQL_TYPES[computed] === SQL_TYPES[result]) return sql;
  return `TRY_CAST(${sql} AS ${SQL_TYPES[result]})`;
}

/** Euclidean modulo: Kusto's `N % D` is always in [0, |D|). */
function euclidMod(a: string, b: string, real: boolean): string {
  if (real) return `(${a} - abs(${b}) * floor(${a} / abs(${b})))`;
  return `(((${a}) % (${b}) + abs(${b})) % abs(${b}))`;
}

function numberMath(op: string, x: SqlValue, y: SqlValue, result: KqlType): string {
  const a = numericOperand(x, y, result);
  const b = numericOperand(y, x, result);
  let t = mathType(result, a, b);
  // Decimal multiplication and division would overflow DECIMAL(38,18): compute in DOUBLE.
  const viaDouble = t === 'decimal' && (op === '*' || op === '/' || op === '%');
  if (viaDouble) t = 'real';
  const l = as(a, t);
  const r = as(b, t);
  let sql: string;
  switch (op) {
    case '/':
      // Integer division truncates toward zero and gives null on division by zero.
      sql = isIntegral(t) ? `(${l} // ${r})` : `(${l} / ${r})`;
      break;
    case '%':
      sql = euclidMod(l, r, t === 'real');
      break;
    default:
      sql = `(${l} ${op} ${r})`;
  }
  if (viaDouble) return finish(sql, 'real', result === 'dynamic' ? 'real' : result);
  return finish(sql, t, result);
}

/** Multiplies ticks by a number; a fractional product is truncated to whole ticks. */
function scaleTicks(ticks: SqlValue, n: SqlValue, op: '*' | '/'): string {
  const factor = n.type === 'dynamic' ? { sql: fromDynamic(n.sql, 'real'), type: 'real' as KqlType } : n;
  if (isIntegral(factor.type)) return op === '*' ? `(${ticks.sql} * ${factor.sql})` : `(${ticks.sql} // ${factor.sql})`;
  return `TRY_CAST(trunc(${ticks.sql} ${op} CAST(${factor.sql} AS DOUBLE)) AS BIGINT)`;
}

const plus: ScalarFn = ([x, y], result) => {
  const a = x!;
  const b = y!;
  if (a.type === 'datetime' && b.type === 'timespan') return addTicks(a.sql, b.sql);
  if (a.type === 'timespan' && b.type === 'datetime') return addTicks(b.sql, a.sql);
  if (a.type === 'timespan' && b.type === 'timespan') return `(${a.sql} + ${b.sql})`;
  return numberMath('+', a, b, result);
};

const minus: ScalarFn = ([x, y], result) => {
  const a = x!;
  const b = y!;
  if (a.type === 'datetime' && b.type === 'datetime') return `((epoch_us(${a.sql}) - epoch_us(${b.sql})) * 10)`;
  if (a.type === 'datetime' && b.type === 'timespan') return addTicks(a.sql, b.sql, '-');
  if (a.type === 'timespan' && b.type === 'timespan') return `(${a.sql} - ${b.sql})`;
  return numberMath('-', a, b, result);
};

const times: ScalarFn = ([x, y], result) => {
  const a = x!;
  const b = y!;
  if (a.type === 'timespan' && b.type !== 'timespan') return scaleTicks(a, b, '*');
  if (b.type === 'timespan' && a.type !== 'timespan') return scaleTicks(b, a, '*');
  return numberMath('*', a, b, result);
};

const divide: ScalarFn = ([x, y], result) => {
  const a = x!;
  const b = y!;
  // timespan / timespan is a real ratio (1d / 1h == 24.0).
  if (a.type === 'timespan' && b.type === 'timespan') return `(CAST(${a.sql} AS DOUBLE) / CAST(${b.sql} AS DOUBLE))`;
  if (a.type === 'timespan') return scaleTicks(a, b, '/');
  return numberMath('/', a, b, result);
};

const modulo: ScalarFn = ([x, y], result) => {
  const a = x!;
  const b = y!;
  if (a.type === 'timespan' && b.type === 'timespan') return euclidMod(a.sql, b.sql, false);
  return numberMath('%', a, b, result);
};

const negate: ScalarFn = ([x], result) => {
  const a = x!;
  if (a.type === 'dynamic') return finish(`(- ${fromDynamic(a.sql, 'real')})`, 'real', result);
  return `(- ${a.sql})`;
};

// ---- comparisons ----------------------------------------------------------------------------

/** Brings both sides of a comparison to one comparable SQL type. */
function comparable(x: SqlValue, y: SqlValue): [string, string] {
  if (x.type === y.type) return x.type === 'dynamic' ? [`CAST(json(${x.sql}) AS VARCHAR)`, `CAST(json(${y.sql}) AS VARCHAR)`] : [x.sql, y.sql];
  if (x.type === 'dynamic') return [convertTo(x, y.type), y.sql];
  if (y.type === 'dynamic') return [x.sql, convertTo(y, x.type)];
  if (x.type === 'guid' && y.type === 'string') return [x.sql, `TRY_CAST(${y.sql} AS UUID)`];
  if (y.type === 'guid' && x.type === 'string') return [`TRY_CAST(${x.sql} AS UUID)`, y.sql];
  if (x.type === 'string' || y.type === 'string') return [toStringSql(x), toStringSql(y)];
  return [x.sql, y.sql];
}

/** True when SQL NULL is impossible on this side (literals, strings). */
const neverNull = (v: SqlValue): boolean => v.type === 'string' || (v.constant !== undefined && v.constant.value !== null);

function equality(negated: boolean): ScalarFn {
  return ([x, y]) => {
    const a = x!;
    const b = y!;
    const [l, r] = comparable(a, b);
    const test = negated ? `(${l} <> ${r})` : `(${l} = ${r})`;
    const onNull = negated ? 'true' : 'false';
    if (neverNull(a) && neverNull(b)) return test;
    if (isNullLiteral(a) || isNullLiteral(b)) {
      const other = isNullLiteral(a) ? r : l;
      if (isNullLiteral(a) && isNullLiteral(b)) return 'CAST(NULL AS BOOLEAN)';
      return `(CASE WHEN ${other} IS NULL THEN CAST(NULL AS BOOLEAN) ELSE ${onNull} END)`;
    }
    if (neverNull(a) || neverNull(b)) return `coalesce(${test}, ${onNull})`;
    return `(CASE WHEN ${l} IS NULL AND ${r} IS NULL THEN CAST(NULL AS BOOLEAN) ELSE coalesce(${test}, ${onNull}) END)`;
  };
}

function ordering(op: string): ScalarFn {
  return ([x, y]) => {
    const [l, r] = comparable(x!, y!);
    return `(${l} ${op} ${r})`;
  };
}

// ---- string operators -----------------------------------------------------------------------

const not = (sql: string): string => `(NOT ${sql})`;

function termOp(mode: TermMode, cs: boolean, negated: boolean): ScalarFn {
  return ([x, t]) => {
    const sql = hasSql(x!, t!, mode, cs);
    return negated ? not(sql) : sql;
  };
}

function edgeOp(mode: EdgeMode, cs: boolean, negated: boolean): ScalarFn {
  return ([x, t]) => {
    const sql = edgeSql(x!, t!, mode, cs);
    return negated ? not(sql) : sql;
  };
}

// ---- lists: in, in~, has_any, has_all ---------------------------------------------------------

type ListItem = { kind: 'scalar'; value: SqlValue } | { kind: 'array'; sql: string } | { kind: 'literals'; values: unknown[] };

/** Splits the list arguments: dynamic array literals are expanded, other dynamic arrays stay arrays. */
function listItems(items: SqlValue[]): ListItem[] {
  return items.map((v): ListItem => {
    if (v.type !== 'dynamic') return { kind: 'scalar', value: v };
    const c = v.constant?.value;
    if (typeof c === 'string') {
      try {
        const parsed: unknown = JSON.parse(c);
        return { kind: 'literals', values: Array.isArray(parsed) ? parsed : [parsed] };
      } catch {
        /* not JSON text: treat as a runtime array */
      }
    }
    return { kind: 'array', sql: v.sql };
  });
}

/** A SQL literal for an element of a dynamic array literal, as the lhs type. */
function elementLiteral(value: unknown, type: KqlType): string {
  if (value === null || value === undefined) return 'NULL';
  if (type === 'string') return str(typeof value === 'string' ? value : JSON.stringify(value));
  const text = typeof value === 'string' ? str(value) : typeof value === 'number' || typeof value === 'boolean' ? String(value) : str(JSON.stringify(value));
  if (type === 'dynamic') return `CAST(${str(JSON.stringify(value))} AS JSON)`;
  return `TRY_CAST(${text} AS ${SQL_TYPES[type]})`;
}

function inList(caseInsensitive: boolean, negated: boolean): ScalarFn {
  return (args) => {
    arity(negated ? '!in' : 'in', args, 1, Infinity);
    let lhs = args[0]!;
    const items = listItems(args.slice(1));
    if (caseInsensitive) lhs = { sql: toStringSql(lhs), type: 'string' };
    else if (lhs.type === 'dynamic') {
      const first = items.find((i) => i.kind === 'scalar');
      const to = first?.kind === 'scalar' ? first.value.type : 'string';
      lhs = { sql: convertTo(lhs, to), type: to };
    }
    const fold = (s: string) => (caseInsensitive ? `lower(${s})` : s);
    const x = fold(lhs.sql);
    const scalars: string[] = [];
    const tests: string[] = [];
    for (const item of items) {
      if (item.kind === 'scalar') {
        const v = item.value;
        const sql = v.type === lhs.type ? v.sql : lhs.type === 'string' ? toStringSql(v) : v.type === 'dynamic' ? convertTo(v, lhs.type) : v.sql;
        scalars.push(fold(sql));
      } else if (item.kind === 'literals') {
        for (const value of item.values) scalars.push(fold(elementLiteral(value, lhs.type)));
      } else {
        const listType = lhs.type === 'dynamic' ? 'VARCHAR' : SQL_TYPES[lhs.type];
        const list = `TRY_CAST(${item.sql} AS ${listType}[])`;
        tests.push(caseInsensitive ? `list_contains(list_transform(${list}, lambda kql_e: lower(kql_e)), ${x})` : `list_contains(${list}, ${x})`);
      }
    }
    if (scalars.length) tests.unshift(`${x} IN (${scalars.join(', ')})`);
    const sql = tests.length ? `coalesce(${tests.join(' OR ')}, false)` : 'false';
    return negated ? not(sql) : sql;
  };
}

function termList(all: boolean, cs = false): ScalarFn {
  return (args) => {
    arity(all ? 'has_all' : 'has_any', args, 1, Infinity);
    const x = toStringSql(args[0]!);
    const literals: string[] = [];
    const tests: string[] = [];
    for (const item of listItems(args.slice(1))) {
      if (item.kind === 'literals') {
        for (const v of item.values) if (v !== null && v !== undefined) literals.push(typeof v === 'string' ? v : JSON.stringify(v));
      } else if (item.kind === 'scalar') {
        const v = item.value;
        if (v.constant && typeof v.constant.value === 'string') literals.push(v.constant.value);
        else tests.push(hasRuntime(x, toStringSql(v), 'has', cs));
      } else {
        const each = hasRuntime(x, 'kql_t', 'has', cs);
        tests.push(`coalesce(${all ? 'list_bool_and' : 'list_bool_or'}(list_transform(TRY_CAST(${item.sql} AS VARCHAR[]), lambda kql_t: ${each})), ${all ? 'true' : 'false'})`);
      }
    }
    if (all) tests.unshift(...literals.map((t) => hasLiteral(x, t, 'has', cs)));
    else if (literals.length) tests.unshift(hasAnyLiteral(x, literals, cs));
    if (!tests.length) return all ? 'true' : 'false';
    return `(${tests.join(all ? ' AND ' : ' OR ')})`;
  };
}

// ---- between --------------------------------------------------------------------------------

function between(negated: boolean): ScalarFn {
  return (args) => {
    arity('between', args, 3);
    const [x, lo, hi] = args as [SqlValue, SqlValue, SqlValue];
    // `t between (datetime(...) .. 1d)`: a timespan upper bound is relative to the lower one.
    const upper = x.type === 'datetime' && hi.type === 'timespan' ? addTicks(lo.sql, hi.sql) : comparable(x, hi)[1];
    const [l, lower] = comparable(x, lo);
    const sql = `coalesce(${l} BETWEEN ${lower} AND ${upper}, false)`;
    return negated ? not(sql) : sql;
  };
}

// ---- the table ------------------------------------------------------------------------------

const binary = (fn: ScalarFn, name: string): ScalarFn => (args, result, ctx) => {
  if (args.length !== 2) unsupported(name, `expects 2 operands, got ${args.length}`);
  return fn(args, result, ctx);
};

const ops: Record<string, ScalarFn> = {
  '+': binary(plus, '+'),
  '-': binary(minus, '-'),
  '*': binary(times, '*'),
  '/': binary(divide, '/'),
  '%': binary(modulo, '%'),
  neg: negate,
  '==': binary(equality(false), '=='),
  '!=': binary(equality(true), '!='),
  '<>': binary(equality(true), '<>'),
  '<': binary(ordering('<'), '<'),
  '<=': binary(ordering('<='), '<='),
  '>': binary(ordering('>'), '>'),
  '>=': binary(ordering('>='), '>='),
  '=~': binary(([x, y]) => equalsIgnoreCaseSql(x!, y!), '=~'),
  '!~': binary(([x, y]) => not(equalsIgnoreCaseSql(x!, y!)), '!~'),
  'matches regex': binary(([x, y]) => matchesRegexSql(x!, y!), 'matches regex'),
  in: inList(false, false),
  '!in': inList(false, true),
  'in~': inList(true, false),
  '!in~': inList(true, true),
  has_any: termList(false),
  has_all: termList(true),
  between: between(false),
  '!between': between(true),
};

for (const [mode, base] of [['has', 'has'], ['hasprefix', 'hasprefix'], ['hassuffix', 'hassuffix']] as const) {
  for (const cs of [false, true]) {
    const name = cs ? `${base}_cs` : base;
    ops[name] = binary(termOp(mode, cs, false), name);
    ops[`!${name}`] = binary(termOp(mode, cs, true), `!${name}`);
  }
}
for (const mode of ['contains', 'startswith', 'endswith'] as const) {
  for (const cs of [false, true]) {
    const name = cs ? `${mode}_cs` : mode;
    ops[name] = binary(edgeOp(mode, cs, false), name);
    ops[`!${name}`] = binary(edgeOp(mode, cs, true), `!${name}`);
  }
}

// Legacy spellings Kusto still accepts (found in real hunting queries).
ops['notcontains'] = ops['!contains']!;
ops['containscs'] = ops['contains_cs']!;
ops['notcontainscs'] = ops['!contains_cs']!;
ops['nothas'] = ops['!has']!;

export const operators: Record<string, ScalarFn> = ops;
