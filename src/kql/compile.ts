import type { AnalysisResult } from './frontend/syntax.js';
import { aggregateNames } from './frontend/kusto-language.js';
import { IrBuilder, type IrEnvironment } from './ir/builder.js';
import type { QueryIR } from './ir/ir.js';

export type { IrEnvironment } from './ir/builder.js';

/** Analysed query → Quarry IR, given what the IR needs to know of the database and workspace. */
export function compileToIr(analysis: AnalysisResult, env: IrEnvironment): QueryIR {
  return new IrBuilder(analysis, aggregateNames(), env).build();
}
