import type { SyntaxNodeData } from '../../frontend/syntax.js';
import type { IrBuilder } from '../builder.js';
import type { Plan } from '../ir.js';
import type { Scope } from '../scope.js';
import { allTokens, child, kids, nameText } from '../syntax-helpers.js';

/** The formats externaldata reads, by Kusto's names. */
export const EXTERNAL_DATA_FORMATS = ['csv', 'tsv', 'tsve', 'psv', 'scsv', 'sohsv', 'txt', 'json', 'multijson', 'parquet'] as const;
export type ExternalDataFormat = (typeof EXTERNAL_DATA_FORMATS)[number];

/**
 * `externaldata (schema) [ "uri", … ] [with (format="csv", ignoreFirstRecord=true)]`. The
 * format defaults to the extension of the first source (csv otherwise). Which URIs may be read is
 * the engine's decision (local files; http(s) only when the workspace allows it).
 */
export function externalData(b: IrBuilder, n: SyntaxNodeData, scope: Scope): Plan {
  const columns = b.cols(n);
  const sources = kids(n).filter((c) => c.kind !== 'RowSchema' && c.kind !== 'ExternalDataWithClause').map((s) => {
    const e = b.expr(s, scope);
    if (e.k !== 'literal' || typeof e.value !== 'string') throw b.unsupported(s, 'an externaldata source that is not a string literal');
    return e.value;
  });
  if (!sources.length) throw b.unsupported(n, 'externaldata without a source');
  const props = new Map<string, string>();
  const withClause = child(n, 'ExternalDataWithClause');
  for (const p of withClause ? kids(withClause).filter((c) => c.kind === 'NamedParameter') : []) {
    const [name, value] = kids(p);
    const text = allTokens(value!).join('');
    props.set(nameText(name!).toLowerCase(), text.replace(/^(['"])(.*)\1$/s, '$2'));
  }
  const extension = /\.([a-z]+)(?:\.gz)?(?:[?#].*)?$/i.exec(sources[0]!)?.[1]?.toLowerCase();
  const format = (props.get('format') ?? (extension === 'ndjson' ? 'multijson' : extension) ?? 'csv').toLowerCase();
  if (!(EXTERNAL_DATA_FORMATS as readonly string[]).includes(format)) {
    throw b.unsupported(withClause ?? n, `externaldata format "${format}" (supported: ${EXTERNAL_DATA_FORMATS.join(', ')})`);
  }
  const ignoreFirstRecord = (props.get('ignorefirstrecord') ?? 'false').toLowerCase() === 'true';
  return { op: 'externalData', sources, format: format as ExternalDataFormat, ignoreFirstRecord, columns };
}
