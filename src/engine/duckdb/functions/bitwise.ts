/**
 * Bitwise functions on long, with .NET's semantics: shifts wrap around 64 bits (no overflow
 * error) and use the count modulo 64; the right shift is arithmetic.
 */
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { arity } from './common.js';
import { convertTo } from './conversion.js';

const long = (v: SqlValue): string => (v.type === 'long' ? v.sql : `CAST(${convertTo(v, 'long')} AS BIGINT)`);
const count = (v: SqlValue): string => `CAST(((${long(v)}) % 64 + 64) % 64 AS INTEGER)`;

const binary = (name: string, body: (a: string, b: string) => string): ScalarFn => (args) => {
  arity(name, args, 2);
  return body(long(args[0]!), long(args[1]!));
};

/** The low 64 bits of a HUGEINT, read as a signed BIGINT. */
const wrap64 = (h: string): string => `CAST(((${h}) & 18446744073709551615::HUGEINT) - CASE WHEN ((${h}) & 9223372036854775808::HUGEINT) <> 0 THEN 18446744073709551616::HUGEINT ELSE 0 END AS BIGINT)`;

export const bitwiseFunctions: Record<string, ScalarFn> = {
  binary_and: binary('binary_and', (a, b) => `(${a} & ${b})`),
  binary_or: binary('binary_or', (a, b) => `(${a} | ${b})`),
  binary_xor: binary('binary_xor', (a, b) => `xor(${a}, ${b})`),
  binary_not: (args) => {
    arity('binary_not', args, 1);
    return `(~${long(args[0]!)})`;
  },
  binary_shift_left: (args) => {
    arity('binary_shift_left', args, 2);
    // DuckDB refuses to shift negatives left; multiplying by 2^n in 128 bits is the same.
    return wrap64(`CAST(${long(args[0]!)} AS HUGEINT) * (CAST(1 AS HUGEINT) << ${count(args[1]!)})`);
  },
  binary_shift_right: (args) => {
    arity('binary_shift_right', args, 2);
    return `(${long(args[0]!)} >> ${count(args[1]!)})`;
  },
  bitset_count_ones: (args) => {
    arity('bitset_count_ones', args, 1);
    return `CAST(bit_count(${long(args[0]!)}) AS BIGINT)`;
  },
};
