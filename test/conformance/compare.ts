/**
 * Compares a documented result table (cells as the docs show them) with the engine's result
 * (wire values, see src/engine/result.ts), normalising the formatting quirks listed in
 * ../../../shared/conformance/kql-docs/README.md. Behaves like the project's reference checker,
 * shared/conformance/kql-docs/check.mjs.
 */
import type { KqlType } from '../../src/kql/types.js';
import {
  DocNumberLiteral,
  GUID,
  parseDocDatetime,
  parseDocJson,
  parseDocNumber,
  parseDocTimespan,
  unquote,
  type DocJson,
} from './doc-values.js';

/** The part of a kql-docs case the comparison needs. */
export interface ExpectedTable {
  columns: string[];
  rows: string[][];
  /** Compare rows in order; otherwise as a multiset. */
  ordered: boolean;
}

/** The part of a QueryResult the comparison needs. */
export interface ActualTable {
  columns: { name: string; type?: KqlType }[];
  rows: unknown[][];
}

export type Comparison = { ok: true } | { ok: false; why: string };

export function compareTables(expected: ExpectedTable, actual: ActualTable): Comparison {
  const names = actual.columns.map((c) => c.name);
  if (names.length !== expected.columns.length || names.some((n, i) => n !== expected.columns[i])) {
    return mismatch(`columns differ: expected ${JSON.stringify(expected.columns)}, got ${JSON.stringify(names)}`);
  }
  if (actual.rows.length !== expected.rows.length) {
    return mismatch(`expected ${expected.rows.length} rows, got ${actual.rows.length}`);
  }
  const types = actual.columns.map((c) => c.type);
  return expected.ordered ? compareInOrder(expected.rows, actual.rows, types) : compareAsMultiset(expected.rows, actual.rows, types);
}

function mismatch(why: string): Comparison {
  return { ok: false, why };
}

function compareInOrder(expected: string[][], actual: unknown[][], types: (KqlType | undefined)[]): Comparison {
  for (let i = 0; i < expected.length; i++) {
    if (!rowEquals(expected[i]!, actual[i]!, types)) {
      return mismatch(`row ${i} differs: expected ${JSON.stringify(expected[i])}, got ${JSON.stringify(actual[i])}`);
    }
  }
  return { ok: true };
}

/**
 * Rows as a multiset, by maximum bipartite matching: equality after normalisation is not
 * transitive (an empty cell matches both null and ""), so greedy pairing could fail wrongly.
 */
function compareAsMultiset(expected: string[][], actual: unknown[][], types: (KqlType | undefined)[]): Comparison {
  const candidates = expected.map((row) => actual.flatMap((a, j) => (rowEquals(row, a, types) ? [j] : [])));
  const expectedOfActual: number[] = new Array(actual.length).fill(-1);
  const augment = (i: number, visited: boolean[]): boolean => {
    for (const j of candidates[i]!) {
      if (visited[j]) continue;
      visited[j] = true;
      if (expectedOfActual[j]! < 0 || augment(expectedOfActual[j]!, visited)) {
        expectedOfActual[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < expected.length; i++) {
    if (!augment(i, new Array(actual.length).fill(false))) {
      return mismatch(`no matching row for expected ${JSON.stringify(expected[i])}`);
    }
  }
  return { ok: true };
}

function rowEquals(expected: string[], actual: unknown[], types: (KqlType | undefined)[]): boolean {
  return actual.length === expected.length && expected.every((e, i) => cellEquals(e, actual[i], types[i]));
}

type TypeClass = 'string' | 'bool' | 'number' | 'datetime' | 'timespan' | 'dynamic' | 'guid';

const TYPE_CLASS: Record<KqlType, TypeClass> = {
  string: 'string',
  bool: 'bool',
  int: 'number',
  long: 'number',
  real: 'number',
  decimal: 'number',
  datetime: 'datetime',
  timespan: 'timespan',
  dynamic: 'dynamic',
  guid: 'guid',
};

const NULL_TEXT = /^(null|\(null\))$/i;

/**
 * Does the documented cell `expectedText` match the engine's wire value `actual`? `type` is
 * the column's KQL type when known.
 */
export function cellEquals(expectedText: string, actual: unknown, type?: KqlType): boolean {
  const e = expectedText.trim();
  const a = actual === undefined ? null : actual;
  const aText = textOf(a);
  if (aText !== null && aText === e) return true;

  // An empty cell (or `null`) is how the docs show null; it also matches an empty string.
  if (e === '' || NULL_TEXT.test(e)) return a === null || aText === '' || (aText !== null && NULL_TEXT.test(aText.trim()));
  if (a === null) return false;

  const cls = type ? TYPE_CLASS[type] : undefined;
  // Strings may look like numbers or dates (format_*(), strcat()): compare them as text.
  if (cls === 'string') return typeof a === 'string' && textEquals(e, a);
  if (cls === 'guid' && typeof a === 'string') return e.toLowerCase() === a.toLowerCase() || textEquals(e, a);

  const eBool = boolOf(e);
  if (typeof a === 'boolean' || cls === 'bool') {
    const aBool = boolOf(a);
    if (eBool !== null) return eBool === aBool;
    // isfinite-function.md shows 0 for false
    if (e === '0' || e === '1') return aBool === (e === '1');
    return false;
  }
  if (eBool !== null && boolOf(a) !== null) return eBool === boolOf(a);

  if (parseDocNumber(e) && (typeof a === 'number' || cls === 'number' || (typeof a === 'string' && parseDocNumber(a)))) {
    return numberEquals(e, a);
  }
  if (cls === 'number') return false;

  if (cls !== 'dynamic' && (datetimeEquals(e, a) || timespanEquals(e, a))) return true;

  const eJson = parseExpectedDynamic(e);
  const aJson = actualDynamic(a);
  if (eJson !== undefined && aJson !== undefined) return jsonEquals(eJson, aJson);
  if (aJson !== undefined && /^[[{]/.test(e)) {
    // the doc's JSON is unreadable: compare the text without whitespace
    return e.replace(/\s+/g, '') === JSON.stringify(aJson).replace(/\s+/g, '');
  }
  if (cls === 'dynamic') {
    // a dynamic scalar: the doc may show a string with or without quotes
    if (typeof a === 'string' && (a === unquote(e) || datetimeEquals(e, a) || timespanEquals(e, a))) return true;
    if (typeof a === 'number') return numberEquals(unquote(e), a);
  }
  if (typeof a === 'string') {
    if (GUID.test(e) && e.toLowerCase() === a.trim().toLowerCase()) return true;
    return textEquals(e, a);
  }
  return false;
}

function textOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

const collapseSpace = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Markdown tables collapse whitespace runs, and a few cells show a string in double quotes. */
function textEquals(expected: string, actual: string): boolean {
  const a = collapseSpace(actual);
  return a === collapseSpace(expected) || a === collapseSpace(unquote(expected));
}

function boolOf(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  return null;
}

const RELATIVE_TOLERANCE = 1e-6;
const MAX_EXACT_INTEGER = 2 ** 53;

/**
 * Numbers: exact for integers shown as integers (below 2^53); else a relative tolerance of
 * 1e-6, or the engine's value rounded or truncated to the doc's last shown digit.
 */
function numberEquals(expectedText: string, actual: unknown): boolean {
  const e = parseDocNumber(expectedText);
  if (!e) return false;
  let a: number;
  if (typeof actual === 'number') a = actual;
  else if (typeof actual === 'string') {
    const parsed = parseDocNumber(actual);
    if (!parsed) return false;
    a = parsed.value;
  } else return false;

  if (Number.isNaN(e.value)) return Number.isNaN(a);
  if (!Number.isFinite(e.value)) return a === e.value;
  if (a === e.value) return true;
  const bothSafeIntegers = Number.isInteger(e.value) && Number.isInteger(a) && Math.abs(e.value) < MAX_EXACT_INTEGER && Math.abs(a) < MAX_EXACT_INTEGER;
  if (e.ulp === 0 && bothSafeIntegers) return false;
  if (Math.abs(a - e.value) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(e.value))) return true;
  if (e.ulp > 0) {
    const d = a - e.value;
    const slack = e.ulp * 1e-9;
    const rounded = Math.abs(d) <= e.ulp / 2 + slack;
    const truncated = e.value >= 0 ? d >= 0 && d < e.ulp - slack : d <= 0 && d > -e.ulp + slack;
    return rounded || truncated;
  }
  return false;
}

function datetimeEquals(expectedText: string, actual: unknown): boolean {
  if (typeof actual !== 'string') return false;
  const e = parseDocDatetime(expectedText);
  return e !== null && e === parseDocDatetime(actual);
}

/** Timespans in ticks; when the doc shows 1–6 fraction digits, to the doc's precision. */
function timespanEquals(expectedText: string, actual: unknown): boolean {
  if (typeof actual !== 'string') return false;
  const e = parseDocTimespan(expectedText);
  const a = parseDocTimespan(actual);
  if (!e || !a) return false;
  if (e.ticks === a.ticks) return true;
  return e.fractionDigits > 0 && e.fractionDigits < 7 && Math.abs(e.ticks - a.ticks) < 10 ** (7 - e.fractionDigits);
}

function parseExpectedDynamic(text: string): DocJson | undefined {
  if (!/^[[{]/.test(text)) return undefined;
  try {
    return parseDocJson(text);
  } catch {
    return undefined;
  }
}

/** An engine value that is a JSON structure (or a string holding one). */
function actualDynamic(a: unknown): unknown {
  if (a !== null && typeof a === 'object') return a;
  if (typeof a === 'string' && /^\s*[[{]/.test(a)) {
    try {
      return JSON.parse(a) as unknown;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Structural equality; key order in bags does not matter; leaves follow the cell rules. */
function jsonEquals(e: DocJson, a: unknown): boolean {
  if (e instanceof DocNumberLiteral) return (typeof a === 'number' || typeof a === 'string') && numberEquals(e.text, a);
  if (e === null) return a === null || a === undefined;
  if (typeof e === 'boolean') return boolOf(a) === e;
  if (typeof e === 'string') return jsonStringEquals(e, a);
  if (Array.isArray(e)) return Array.isArray(a) && a.length === e.length && e.every((x, i) => jsonEquals(x, a[i]));
  if (!a || typeof a !== 'object' || Array.isArray(a)) return false;
  const bag = a as Record<string, unknown>;
  const keys = Object.keys(e);
  return keys.length === Object.keys(bag).length && keys.every((k) => Object.hasOwn(bag, k) && jsonEquals(e[k]!, bag[k]));
}

function jsonStringEquals(e: string, a: unknown): boolean {
  if (typeof a === 'number') return numberEquals(e, a);
  if (typeof a === 'boolean') return boolOf(e) === a;
  if (typeof a !== 'string') return false;
  if (e === a || datetimeEquals(e, a) || timespanEquals(e, a)) return true;
  return GUID.test(e) && e.toLowerCase() === a.toLowerCase();
}
