import type { AnalysisResult } from './frontend/syntax.js';
import { aggregateNames } from './frontend/kusto-language.js';
import { IrBuilder } from './ir/builder.js';
import type { QueryIR } from './ir/ir.js';

/** Analysed query → Quarry IR. `tableExists` tells whether a table holds data in the database. */
export function compileToIr(
  analysis: AnalysisResult,
  tableExists: (name: string) => boolean,
  queryParameters: Readonly<Record<string, unknown>> = {},
  databaseIsEmpty: () => boolean = () => false,
): QueryIR {
  return new IrBuilder(analysis, aggregateNames(), tableExists, queryParameters, databaseIsEmpty).build();
}
