/**
 * The pattern-mining plugins' DuckDB function: kql_patterns(options, dims, tuples, codes) runs
 * autocluster, basket or diffpatterns over all distinct tuples at once, in one of the two
 * layouts of hunt/patterns/data.ts (patternData): `codes` empty for the wide one (each tuple's
 * codes follow it in `tuples`), else [tuple id, column, code] triples (operators/pattern-plugins.ts
 * picks the layout). The result is the flat list hunt/patterns/run.ts describes. Errors fail the
 * query with the plugin's message.
 */
import { BIGINT, DOUBLE, type DuckDBConnection, type DuckDBListVector, DuckDBScalarFunction, LIST, VARCHAR, listValue } from '@duckdb/node-api';
import { type PatternOptions, runPatternPlugin } from '../../../hunt/patterns/run.js';

export function registerPatternUdfs(connection: DuckDBConnection): void {
  connection.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: 'kql_patterns',
      parameterTypes: [VARCHAR, BIGINT, LIST(DOUBLE), LIST(DOUBLE)],
      returnType: LIST(DOUBLE),
      mainFunction: (info, input, output) => {
        const options = input.getColumnVector(0);
        const dims = input.getColumnVector(1);
        const tuples = input.getColumnVector(2) as DuckDBListVector;
        const codes = input.getColumnVector(3) as DuckDBListVector;
        for (let r = 0; r < input.rowCount; r++) {
          const text = options.getItem(r) as string | null;
          const d = dims.getItem(r) as bigint | null;
          if (text === null || d === null) {
            output.setItem(r, null);
            continue;
          }
          try {
            output.setItem(r, listValue(runPatternPlugin(JSON.parse(text) as PatternOptions, Number(d), read(tuples, r) ?? new Float64Array(0), nonEmpty(read(codes, r)))));
          } catch (err) {
            info.setError(err instanceof Error ? err.message : String(err));
            return;
          }
        }
        output.flush();
      },
    }),
  );
}

const nonEmpty = (x: Float64Array | undefined): Float64Array | undefined => (x && x.length ? x : undefined);

/** One row's list of numbers (getItemVector, not getItem: that would build a JS array of boxed values). */
function read(lists: DuckDBListVector, r: number): Float64Array | undefined {
  if (lists.getItemVector(r) === null) return undefined;
  const offset = lists.getEntryOffset(r);
  const length = lists.getEntryLength(r);
  const child = lists.childVector;
  const data = new Float64Array(length);
  for (let i = 0; i < length; i++) data[i] = (child.getItem(offset + i) as number | null) ?? 0;
  return data;
}
