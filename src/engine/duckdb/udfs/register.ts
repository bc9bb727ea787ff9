/**
 * A thin wrapper over DuckDBScalarFunction: a row function in, a vectorised UDF out.
 * NULL in any argument gives NULL; a thrown error or an `undefined` result gives NULL too,
 * so a malformed value never aborts the query.
 */
import { type DuckDBConnection, DuckDBScalarFunction, type DuckDBType } from '@duckdb/node-api';

export interface RowUdf {
  name: string;
  parameters: DuckDBType[];
  returns: DuckDBType;
  /** Called once per row whose arguments are all non-null. */
  row: (...args: never[]) => unknown;
}

export function registerRowUdf(connection: DuckDBConnection, udf: RowUdf): void {
  const row = udf.row as (...args: unknown[]) => unknown;
  connection.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: udf.name,
      parameterTypes: udf.parameters,
      returnType: udf.returns,
      mainFunction: (_info, input, output) => {
        const columns = udf.parameters.map((_, i) => input.getColumnVector(i));
        const args: unknown[] = new Array(columns.length);
        for (let r = 0; r < input.rowCount; r++) {
          let result: unknown = null;
          let hasNull = false;
          for (let c = 0; c < columns.length; c++) {
            const v = columns[c]!.getItem(r);
            if (v === null) hasNull = true;
            args[c] = v;
          }
          if (!hasNull) {
            try {
              result = row(...args) ?? null;
            } catch {
              result = null;
            }
          }
          (output as { setItem(i: number, v: unknown): void }).setItem(r, result);
        }
        output.flush();
      },
    }),
  );
}
