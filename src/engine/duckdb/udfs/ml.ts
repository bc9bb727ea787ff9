/**
 * The ML plugins' DuckDB function: kql_ml_fit(options, dims, features) fits and scores one
 * plugin over all rows at once. `features` is every row's feature values in row order, row
 * after row (dims per row, NULL for a missing value); the result is one list of the plugin's
 * output columns, column after column (operators/ml-model.ts unnests it and joins it back).
 * Errors (too few rows, bad centroids) fail the query with the plugin's message.
 */
import { BIGINT, DOUBLE, type DuckDBConnection, type DuckDBListVector, DuckDBScalarFunction, LIST, VARCHAR, listValue } from '@duckdb/node-api';
import { matrix } from '../../../hunt/ml/matrix.js';
import { type MlOptions, runMlPlugin } from '../../../hunt/ml/run.js';

export function registerMlUdfs(connection: DuckDBConnection): void {
  connection.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: 'kql_ml_fit',
      parameterTypes: [VARCHAR, BIGINT, LIST(DOUBLE)],
      returnType: LIST(DOUBLE),
      mainFunction: (info, input, output) => {
        const options = input.getColumnVector(0);
        const dims = input.getColumnVector(1);
        const lists = input.getColumnVector(2) as DuckDBListVector;
        for (let r = 0; r < input.rowCount; r++) {
          const text = options.getItem(r) as string | null;
          const d = dims.getItem(r) as bigint | null;
          // (getItemVector, not getItem: that would build a JS array of the whole list.)
          if (text === null || d === null || lists.getItemVector(r) === null) {
            output.setItem(r, null);
            continue;
          }
          try {
            output.setItem(r, listValue(fit(JSON.parse(text) as MlOptions, Number(d), lists, r)));
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

function fit(options: MlOptions, dims: number, lists: DuckDBListVector, r: number): number[] {
  const offset = lists.getEntryOffset(r);
  const length = lists.getEntryLength(r);
  const child = lists.childVector;
  const data = new Float64Array(length);
  for (let i = 0; i < length; i++) data[i] = (child.getItem(offset + i) as number | null) ?? NaN;
  const rows = dims > 0 ? length / dims : 0;
  const columns = runMlPlugin(matrix(rows, dims, data), options);
  const out = new Array<number>(rows * columns.length);
  columns.forEach((c, j) => {
    for (let i = 0; i < rows; i++) out[j * rows + i] = c[i]!;
  });
  return out;
}
