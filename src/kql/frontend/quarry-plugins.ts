/**
 * The `evaluate` plug-ins Quarry adds beyond Kusto, as declarations for Kusto.Language (which
 * otherwise reports them as undefined and cannot type what follows them).
 */
import { ML_PLUGINS } from '../../hunt/ml/specs.js';
import type { PluginDeclaration } from './kusto-language.js';

export const QUARRY_PLUGINS: PluginDeclaration[] = [
  ...Object.values(ML_PLUGINS).map((p) => ({
    name: p.name,
    parameters: `(${p.parameters.map((q) => `${q.name}:${q.type} = ${q.defaultText}`).join(', ')})`,
    result: `(*, ${p.outputs.map((o) => `${o.name}:${o.type}`).join(', ')})`,
  })),
  // Kusto's own schema_merge(), which this Kusto.Language release does not declare.
  { name: 'schema_merge', parameters: '(PreserveOrder:bool = true)', result: '(ColumnName:string, ColumnOrdinal:int, DataType:string, ColumnType:string)' },
];
