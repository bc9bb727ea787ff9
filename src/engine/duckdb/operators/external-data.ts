import type { PlanOf } from '../../../kql/ir/ir.js';
import { localPath, externalSourceKind, RemoteFetchNeeded } from '../../external-data-policy.js';
import type { DuckDbCompiler } from '../compiler.js';
import { sqlIdent, sqlString } from '../sql-text.js';

const DELIMITERS: Record<string, string> = { csv: ',', tsv: '\t', tsve: '\t', psv: '|', scsv: ';', sohsv: '\u0001', txt: '\n' };

/**
 * externaldata: DuckDB's readers, every column read as text (csv family) or JSON (json family),
 * then converted with KQL's own to<type>() so values parse as Kusto parses them.
 */
export function compileExternalData(c: DuckDbCompiler, p: PlanOf<'externalData'>): string {
  const file = (s: string): string => {
    if (externalSourceKind(s) === 'local') return localPath(s);
    const local = c.remoteFile(s);
    if (local === undefined) throw new RemoteFetchNeeded([s]);
    return local;
  };
  const files = `[${p.sources.map((s) => sqlString(file(s))).join(', ')}]`;
  const raw = (name: string, type: string) => `${sqlString(name)}: ${sqlString(type)}`;
  let reader: string;
  let rawType: 'string' | 'dynamic';
  if (p.format === 'json' || p.format === 'multijson') {
    rawType = 'dynamic';
    const columns = `{${p.columns.map((col) => raw(col.name, 'JSON')).join(', ')}}`;
    reader = `read_json(${files}, columns = ${columns}, format = ${sqlString(p.format === 'json' ? 'auto' : 'newline_delimited')})`;
  } else if (p.format === 'parquet') {
    return `SELECT ${p.columns.map((col) => `CAST(${sqlIdent(col.name)} AS ${c.dialect.sqlType(col.type)}) AS ${sqlIdent(col.name)}`).join(', ')} FROM read_parquet(${files})`;
  } else {
    rawType = 'string';
    const columns = `{${p.columns.map((col) => raw(col.name, 'VARCHAR')).join(', ')}}`;
    const quote = p.format === 'txt' ? ", quote = ''" : '';
    reader = `read_csv(${files}, columns = ${columns}, delim = ${sqlString(DELIMITERS[p.format]!)}, header = ${p.ignoreFirstRecord}, auto_detect = false, null_padding = true${quote})`;
  }
  const cols = p.columns.map((col) => {
    const value = { sql: sqlIdent(col.name), type: rawType };
    const convert = c.dialect.scalarFunctions.get(`to${col.type}`);
    const sql = col.type === rawType || !convert ? (col.type === 'string' ? `coalesce(${value.sql}, '')` : value.sql) : convert([value], col.type, c.ctx);
    return `${sql} AS ${sqlIdent(col.name)}`;
  });
  return `SELECT ${cols.join(', ')} FROM ${reader} AS ${c.alias()}`;
}
