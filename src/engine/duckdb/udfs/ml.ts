/**
 * The ML plugins' DuckDB function: kql_ml_fit(options, dims, n, rows) fits and scores one plugin
 * over all n rows at once. `rows` is a list of one struct per row: its number (1…n) then its dims
 * feature values as DOUBLE fields (NULL for a missing value), in any order, so DuckDB need not
 * sort them (and a list of structs aggregates several times faster than a list of lists; the
 * parameter is ANY because the struct's width is the feature count). The result is one list of
 * the plugin's output columns, column after column, each in row-number order
 * (operators/ml-model.ts unnests it and joins it back).
 * Errors (too few rows, bad centroids) fail the query with the plugin's message.
 */
import { ANY, BIGINT, DOUBLE, type DuckDBConnection, type DuckDBListVector, DuckDBScalarFunction, type DuckDBStructVector, DuckDBTypeId, LIST, VARCHAR, listValue } from '@duckdb/node-api';
import { doubleSegment } from './double-values.js';
import { type FeatureMatrix, matrix } from '../../../hunt/ml/matrix.js';
import { type MlOptions, runMlPlugin } from '../../../hunt/ml/run.js';

export function registerMlUdfs(connection: DuckDBConnection): void {
  connection.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: 'kql_ml_fit',
      parameterTypes: [VARCHAR, BIGINT, BIGINT, ANY],
      returnType: LIST(DOUBLE),
      mainFunction: (info, input, output) => {
        const options = input.getColumnVector(0);
        const dims = input.getColumnVector(1);
        const counts = input.getColumnVector(2);
        const lists = input.getColumnVector(3) as DuckDBListVector;
        for (let r = 0; r < input.rowCount; r++) {
          const text = options.getItem(r) as string | null;
          const d = dims.getItem(r) as bigint | null;
          const n = counts.getItem(r) as bigint | null;
          // No rows: the list is NULL (told by n: getItem/getItemVector would copy the whole list).
          if (text === null || d === null || n === null || n === 0n) {
            output.setItem(r, null);
            continue;
          }
          try {
            output.setItem(r, listValue(fit(JSON.parse(text) as MlOptions, Number(d), Number(n), lists, r)));
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

function fit(options: MlOptions, dims: number, n: number, lists: DuckDBListVector, r: number): number[] {
  const columns = runMlPlugin(featureRows(dims, n, lists, r), options);
  const rows = columns[0]?.length ?? 0;
  const out = new Array<number>(rows * columns.length);
  columns.forEach((c, j) => {
    for (let i = 0; i < rows; i++) out[j * rows + i] = c[i]!;
  });
  return out;
}

/** The list's {row number, features…} structs as a feature matrix in row-number order (one copy). */
function featureRows(dims: number, rows: number, lists: DuckDBListVector, r: number): FeatureMatrix {
  const offset = lists.getEntryOffset(r);
  const length = lists.getEntryLength(r);
  const structs = lists.childVector as DuckDBStructVector;
  const type = structs.type;
  if (type.typeId !== DuckDBTypeId.STRUCT || type.entryCount !== dims + 1 || type.entryTypes.some((t) => t.typeId !== DuckDBTypeId.DOUBLE)) {
    throw new Error(`kql_ml_fit: rows must be structs of a row number and ${dims} DOUBLE features, got ${String(type)}`);
  }
  if (length !== rows) throw new Error(`kql_ml_fit: ${length} rows listed, ${rows} counted`);
  const fields = Array.from({ length: dims + 1 }, (_, j) => doubleSegment(structs.entryVectorAt(j), offset, length));
  const numbers = fields[0]!;
  const data = new Float64Array(rows * dims);
  const seen = new Uint8Array(rows);
  for (let g = 0; g < rows; g++) {
    const row = numbers[g]! - 1;
    if (!(row >= 0 && row < rows && Number.isInteger(row)) || seen[row]) throw new Error(`kql_ml_fit: row numbers must be 1 to ${rows}, each once`);
    seen[row] = 1;
  }
  // Feature by feature: each pass reads one field's array straight through.
  for (let j = 0; j < dims; j++) {
    const values = fields[j + 1]!;
    for (let g = 0; g < rows; g++) data[(numbers[g]! - 1) * dims + j] = values[g]!;
  }
  return matrix(rows, dims, data);
}
