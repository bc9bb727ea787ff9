import { KqlError } from '../../kql/diagnostics.js';
import type { KqlType } from '../../kql/types.js';
import type { AggregateFn, Dialect, ScalarFn } from '../dialect.js';
import { aggregateFunctions, binaryOperators, scalarFunctions } from './functions/index.js';
import { parseDatetimeLiteral } from '../../kql/ir/literals.js';
import { sqlIdent, sqlString } from './sql-text.js';

const SQL_TYPES: Record<KqlType, string> = {
  bool: 'BOOLEAN', int: 'INTEGER', long: 'BIGINT', real: 'DOUBLE', decimal: 'DECIMAL(38,18)',
  string: 'VARCHAR', datetime: 'TIMESTAMP', timespan: 'BIGINT', guid: 'UUID', dynamic: 'JSON',
};

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** The embedded default: KQL on DuckDB (see docs/value-representation.md). */
export class DuckDbDialect implements Dialect {
  readonly name = 'duckdb';
  readonly scalarFunctions: ReadonlyMap<string, ScalarFn> = scalarFunctions;
  readonly binaryOperators: ReadonlyMap<string, ScalarFn> = binaryOperators;
  readonly aggregateFunctions: ReadonlyMap<string, AggregateFn> = aggregateFunctions;

  sqlType(type: KqlType): string {
    return SQL_TYPES[type];
  }

  ident(name: string): string {
    return sqlIdent(name);
  }

  /** SQL literal of a value in the IR's literal form (see ir.ts). Numbers are checked, strings escaped. */
  literal(value: unknown, type: KqlType): string {
    if (value === null || value === undefined) return type === 'string' ? "''" : `CAST(NULL AS ${SQL_TYPES[type]})`;
    switch (type) {
      case 'string':
        return sqlString(String(value));
      case 'bool':
        return value === true || value === 'true' ? 'TRUE' : 'FALSE';
      case 'int':
      case 'long':
      case 'timespan':
      case 'real':
      case 'decimal': {
        const text = typeof value === 'bigint' ? value.toString() : String(value);
        if (type === 'real' && /^(NaN|-?Infinity)$/.test(text)) return `CAST('${text}' AS DOUBLE)`;
        if (!NUMBER.test(text)) throw new KqlError('syntax', `not a number: ${text}`);
        return `CAST(${text} AS ${SQL_TYPES[type]})`;
      }
      case 'datetime': {
        const iso = value instanceof Date ? value.toISOString() : String(value);
        const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z?$/.exec(iso);
        if (!m) throw new KqlError('syntax', `not a datetime: ${iso}`);
        return `TIMESTAMP '${m[1]} ${m[2]}.${((m[3] ?? '') + '000000').slice(0, 6)}'`;
      }
      case 'guid':
        return `CAST(${sqlString(String(value))} AS UUID)`;
      case 'dynamic':
        return `CAST(${sqlString(normaliseDynamicLiteral(String(value)))} AS JSON)`;
    }
  }
}

/** KQL's escapes in a quoted string (`\\`, `\n`, `\t`, `\"`, `\uXXXX`) are JSON's. */
function decodeKqlEscapes(body: string): string {
  try {
    return JSON.parse(`"${body.replace(/"/g, '\\"').replace(/\\\\"/g, '\\"')}"`) as string;
  } catch {
    return body;
  }
}

/** Kusto accepts dynamic literals that are not strict JSON (`{'a': 1}`, `[yes, no]`): make them JSON. */
export function normaliseDynamicLiteral(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    const out: string[] = [];
    // Also verbatim strings (@'c:\x', quotes doubled) and datetime(…) values, as Kusto allows.
    const re = /\s+|@'((?:[^']|'')*)'|@"((?:[^"]|"")*)"|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|datetime\(([^)]*)\)|[[\]{}:,]|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[^\s[\]{}:,'"]+/g;
    // Adjacent string literals are one string, as elsewhere in KQL ('a' "b" is "ab").
    let lastWasString = false;
    const pushString = (json: string) => {
      if (lastWasString) out.push(JSON.stringify((JSON.parse(out.pop()!) as string) + (JSON.parse(json) as string)));
      else out.push(json);
      lastWasString = true;
    };
    for (const m of text.matchAll(re)) {
      const t = m[0];
      if (/^\s+$/.test(t)) continue;
      if (m[1] === undefined && m[2] === undefined && m[3] === undefined && m[4] === undefined) lastWasString = false;
      if (m[1] !== undefined) pushString(JSON.stringify(m[1].replace(/''/g, "'")));
      else if (m[2] !== undefined) pushString(JSON.stringify(m[2].replace(/""/g, '"')));
      else if (m[3] !== undefined) pushString(JSON.stringify(decodeKqlEscapes(m[3].replace(/\\'/g, "'"))));
      else if (m[4] !== undefined) pushString(`"${m[4]}"`);
      else if (m[5] !== undefined) out.push(JSON.stringify(parseDatetimeLiteral(`datetime(${m[5]})`)));
      else if (/^[[\]{}:,]$/.test(t) || /^-?\d/.test(t) || t === 'true' || t === 'false' || t === 'null') out.push(t);
      else out.push(JSON.stringify(t));
    }
    const json = out.join('');
    try {
      return JSON.stringify(JSON.parse(json));
    } catch {
      throw new KqlError('syntax', `cannot read the dynamic literal ${text}`);
    }
  }
}
