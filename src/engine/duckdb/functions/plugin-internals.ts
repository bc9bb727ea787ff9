/**
 * Functions that only plug-ins lowered to IR call (their `kql_` names are not KQL, so a query
 * cannot name them): kql_schema_merge for evaluate schema_merge(), kql_reduce_* for reduce.
 */
import type { ScalarFn } from '../../dialect.js';

export const pluginInternalFunctions: Record<string, ScalarFn> = {
  kql_schema_merge: ([schemas, preserve]) => `CAST(kql_schema_merge(CAST(${schemas!.sql} AS VARCHAR), ${preserve!.sql}) AS JSON)`,
  kql_reduce_groups: ([values, threshold, characters, useCharacters]) =>
    `CAST(kql_reduce_groups(CAST(${values!.sql} AS VARCHAR), ${threshold!.sql}, ${characters!.sql}, ${useCharacters!.sql}) AS JSON)`,
  kql_reduce_values: ([values, threshold, characters, useCharacters]) =>
    `CAST(kql_reduce_values(CAST(${values!.sql} AS VARCHAR), ${threshold!.sql}, ${characters!.sql}, ${useCharacters!.sql}) AS JSON)`,
};
