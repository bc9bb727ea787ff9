/**
 * Math functions and bin(). Kusto computes reals in IEEE doubles: log(0) is -inf and sqrt(-1)
 * NaN, where DuckDB would raise an error, so the domain edges are handled before the call.
 */
import type { KqlType } from '../../../kql/types.js';
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { SQL_TYPES, US_FROM_YEAR_1_TO_EPOCH, arity, constNumber, floorMod, isIntegral } from './common.js';
import { convertTo } from './conversion.js';

const NAN = "CAST('NaN' AS DOUBLE)";
const NEG_INF = "CAST('-Infinity' AS DOUBLE)";

/** A numeric argument as DOUBLE (dynamic values are read as real). */
function real(v: SqlValue): string {
  if (v.type === 'real') return v.sql;
  if (v.type === 'dynamic' || v.type === 'string') return convertTo(v, 'real');
  return `CAST(${v.sql} AS DOUBLE)`;
}

/** A numeric argument as it is, or read from dynamic as the result type. */
function number(v: SqlValue, result: KqlType): SqlValue {
  if (v.type !== 'dynamic') return v;
  const to: KqlType = result === 'int' || result === 'long' || result === 'decimal' ? result : 'real';
  return { sql: convertTo(v, to), type: to };
}

const castTo = (sql: string, t: KqlType): string => `CAST(${sql} AS ${SQL_TYPES[t]})`;

function realFn(name: string, body: (x: string) => string): ScalarFn {
  return (args) => {
    arity(name, args, 1);
    return body(real(args[0]!));
  };
}

/** log-family: negative → NaN, zero → -inf, like .NET's Math.Log. */
function logarithm(name: string, fn: string): ScalarFn {
  return realFn(name, (x) => `(CASE WHEN ${x} < 0 THEN ${NAN} WHEN ${x} = 0 THEN ${NEG_INF} ELSE ${fn}(${x}) END)`);
}

// ---- bin ------------------------------------------------------------------------------------

/** Floors a BIGINT to a multiple of a positive size (negative values round down, not toward 0). */
function floorToMultiple(x: string, size: string): string {
  return `(${x} - ${floorMod(x, size)})`;
}

/** Positive-size guard: a literal size is checked at compile time, otherwise per row. */
function guarded(size: SqlValue, sql: string): string {
  const n = constNumber(size);
  if (n !== undefined) return n > 0 ? sql : 'NULL';
  return `(CASE WHEN ${size.sql} > 0 THEN ${sql} END)`;
}

/** Microseconds in a timespan size (literal sizes are folded). */
function sizeInMicros(size: SqlValue): string {
  const n = constNumber(size);
  return n !== undefined ? String(Math.trunc(n / 10)) : `(${size.sql} // 10)`;
}

/**
 * bin(datetime, span) aligns to Kusto's tick origin 0001-01-01 (a Monday), so 7d bins start on
 * Mondays, like Kusto. For spans that divide a day this is the same as the Unix epoch.
 */
function binDatetime(x: string, size: SqlValue, at?: string): string {
  const n = constNumber(size);
  const US_PER_DAY = 86_400_000_000;
  if (!at && n !== undefined && n >= 10 && US_PER_DAY % Math.trunc(n / 10) === 0 && n % 10 === 0) {
    // Spans that divide a day align the same from 0001-01-01 as from DuckDB's origin, and
    // time_bucket is native and fast (the common bin(TimeGenerated, 1h)).
    return `time_bucket(to_microseconds(CAST(${Math.trunc(n / 10)} AS BIGINT)), ${x})`;
  }
  const us = `epoch_us(${x})`;
  const origin = at ? `epoch_us(${at})` : `(${-US_FROM_YEAR_1_TO_EPOCH})`;
  return guarded(size, `make_timestamp(${us} - ${floorMod(`${us} - ${origin}`, sizeInMicros(size))})`);
}

function binValue(x: SqlValue, size: SqlValue, result: KqlType, at?: SqlValue): string {
  if (x.type === 'datetime') return binDatetime(x.sql, size, at?.sql);
  const v = number(x, result);
  if (v.type === 'timespan' || (isIntegral(v.type) && isIntegral(size.type) && (result === 'long' || result === 'int' || result === 'timespan'))) {
    const shifted = at ? `(${v.sql} - ${at.sql})` : v.sql;
    const floored = floorToMultiple(shifted, size.sql);
    return guarded(size, castTo(at ? `(${floored} + ${at.sql})` : floored, result === 'timespan' ? 'long' : result));
  }
  const shifted = at ? `(${real(v)} - ${real(at)})` : real(v);
  const floored = `(floor(${shifted} / ${real(size)}) * ${real(size)})`;
  const sql = at ? `(${floored} + ${real(at)})` : floored;
  return guarded(size, result === 'real' || result === 'dynamic' ? sql : `TRY_CAST(${sql} AS ${SQL_TYPES[result]})`);
}

const bin: ScalarFn = (args, result) => {
  arity('bin', args, 2);
  return binValue(args[0]!, args[1]!, result);
};

const binAt: ScalarFn = (args, result) => {
  arity('bin_at', args, 3);
  return binValue(args[0]!, args[1]!, result, args[2]!);
};

// ---- round ----------------------------------------------------------------------------------

const round: ScalarFn = (args, result) => {
  arity('round', args, 1, 2);
  const v = number(args[0]!, result);
  const precision = args[1] ? `CAST(${args[1].sql} AS INTEGER)` : '0';
  if (isIntegral(v.type) && !args[1]) return v.sql;
  const sql = `round(${v.type === 'decimal' ? v.sql : real(v)}, ${precision})`;
  return SQL_TYPES[result] === 'DOUBLE' || result === 'dynamic' ? sql : castTo(sql, result);
};

const numberPredicate = (name: string, fn: string, forIntegers: string): ScalarFn => (args) => {
  arity(name, args, 1);
  const v = args[0]!;
  if (v.type === 'real') return `${fn}(${v.sql})`;
  if (v.type === 'dynamic') return `${fn}(${real(v)})`;
  return `(CASE WHEN ${v.sql} IS NOT NULL THEN ${forIntegers} END)`;
};

export const mathFunctions: Record<string, ScalarFn> = {
  bin,
  floor: bin,
  bin_at: binAt,
  round,
  abs: (args, result) => {
    arity('abs', args, 1);
    return `abs(${number(args[0]!, result).sql})`;
  },
  sign: (args, result) => {
    arity('sign', args, 1);
    const v = number(args[0]!, result);
    return castTo(`sign(${v.sql})`, result === 'dynamic' ? 'real' : result);
  },
  ceiling: (args, result) => {
    arity('ceiling', args, 1);
    const v = number(args[0]!, result);
    return isIntegral(v.type) ? v.sql : castTo(`ceil(${v.sql})`, result === 'dynamic' ? 'real' : result);
  },
  sqrt: realFn('sqrt', (x) => `(CASE WHEN ${x} < 0 THEN ${NAN} ELSE sqrt(${x}) END)`),
  exp: realFn('exp', (x) => `exp(${x})`),
  exp2: realFn('exp2', (x) => `pow(2.0, ${x})`),
  exp10: realFn('exp10', (x) => `pow(10.0, ${x})`),
  log: logarithm('log', 'ln'),
  log10: logarithm('log10', 'log10'),
  log2: logarithm('log2', 'log2'),
  pow: (args) => {
    arity('pow', args, 2);
    return `pow(${real(args[0]!)}, ${real(args[1]!)})`;
  },
  power: (args) => {
    arity('power', args, 2);
    return `pow(${real(args[0]!)}, ${real(args[1]!)})`;
  },
  isnan: numberPredicate('isnan', 'isnan', 'false'),
  isinf: numberPredicate('isinf', 'isinf', 'false'),
  isfinite: numberPredicate('isfinite', 'isfinite', 'true'),
  pi: (args) => {
    arity('pi', args, 0);
    return 'pi()';
  },
  sin: realFn('sin', (x) => `sin(${x})`),
  cos: realFn('cos', (x) => `cos(${x})`),
  tan: realFn('tan', (x) => `tan(${x})`),
  asin: realFn('asin', (x) => `(CASE WHEN abs(${x}) <= 1 THEN asin(${x}) ELSE ${NAN} END)`),
  acos: realFn('acos', (x) => `(CASE WHEN abs(${x}) <= 1 THEN acos(${x}) ELSE ${NAN} END)`),
  atan: realFn('atan', (x) => `atan(${x})`),
  atan2: (args) => {
    arity('atan2', args, 2);
    return `atan2(${real(args[0]!)}, ${real(args[1]!)})`;
  },
  degrees: realFn('degrees', (x) => `degrees(${x})`),
  radians: realFn('radians', (x) => `radians(${x})`),
  rand: (args) => {
    if (args.length === 0) return 'random()';
    arity('rand', args, 1);
    return `CAST(floor(random() * ${args[0]!.sql}) AS BIGINT)`;
  },
};
