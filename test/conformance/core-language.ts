/**
 * The core of KQL that issue #2 covers, in the terms of languageInventory(): a conformance case
 * is "core" when every tabular operator, built-in function, scalar operator and statement it
 * uses is listed here. Literals (`datetime(…)`, `dynamic(…)`, `int(null)`) are not functions in
 * the syntax tree, so they need no entry.
 */
import type { LanguageInventory } from '../../src/kql/frontend/inventory.js';

/** Tabular operators: syntax kinds and the keywords they are written with. */
export const CORE_OPERATORS: ReadonlySet<string> = new Set([
  'FilterOperator', 'where', 'filter',
  'ProjectOperator', 'project',
  'ProjectAwayOperator', 'project-away',
  'ProjectKeepOperator', 'project-keep',
  'ProjectRenameOperator', 'project-rename',
  'ProjectReorderOperator', 'project-reorder',
  'ExtendOperator', 'extend',
  'SummarizeOperator', 'summarize',
  'CountOperator', 'count',
  'TakeOperator', 'take', 'limit',
  'TopOperator', 'top',
  'SortOperator', 'sort', 'order',
  'DistinctOperator', 'distinct',
  'UnionOperator', 'union',
  'JoinOperator', 'join',
  'LookupOperator', 'lookup',
  'DataTableExpression', 'datatable',
  'PrintOperator', 'print',
  'RangeOperator', 'range',
  'AsOperator', 'as',
  'MaterializeExpression', 'materialize',
  'ToScalarExpression', 'toscalar',
  'GetSchemaOperator', 'getschema',
  'SerializeOperator', 'serialize',
]);

/** Built-in scalar, aggregate and window functions (lower-case names). */
export const CORE_FUNCTIONS: ReadonlySet<string> = new Set([
  // logic and conditionals
  'not', 'iif', 'iff', 'case', 'coalesce', 'isempty', 'isnotempty', 'isnull', 'isnotnull',
  // strings
  'strcat', 'strlen', 'tolower', 'toupper', 'substring', 'split', 'trim', 'replace_string',
  'replace_regex', 'extract', 'extract_all', 'indexof',
  // conversions
  'tostring', 'toint', 'tolong', 'toreal', 'todouble', 'tobool', 'todatetime', 'totimespan',
  'parse_json', 'todynamic',
  // dynamic
  'array_length', 'bag_keys', 'pack', 'bag_pack', 'pack_array',
  // dates and times
  'ago', 'now', 'bin', 'floor', 'datetime_add', 'datetime_diff', 'datetime_part',
  'startofday', 'startofweek', 'startofmonth', 'startofyear',
  'endofday', 'endofweek', 'endofmonth', 'endofyear',
  'dayofweek', 'hourofday', 'format_datetime', 'format_timespan', 'unixtime_seconds_todatetime',
  // math
  'round', 'abs', 'log', 'log10', 'exp', 'pow', 'sqrt',
  // window functions of serialize
  'row_number', 'prev', 'next',
  // aggregates
  'count', 'countif', 'dcount', 'dcountif', 'sum', 'sumif', 'avg', 'avgif', 'min', 'max',
  'minif', 'maxif', 'arg_min', 'arg_max', 'make_list', 'make_list_if', 'make_set', 'make_set_if',
  'make_bag', 'make_bag_if', 'take_any', 'percentile', 'percentiles', 'stdev', 'variance',
]);

/** Scalar operators as written; `.` and `[]` are dynamic member and element access. */
export const CORE_SCALAR_OPERATORS: ReadonlySet<string> = new Set([
  '+', '-', '*', '/', '%',
  '<', '<=', '>', '>=', '==', '!=',
  'and', 'or',
  '=~', '!~',
  'has', '!has', 'has_cs', 'hasprefix', 'hassuffix',
  'contains', 'contains_cs', 'startswith', 'startswith_cs', 'endswith', 'endswith_cs',
  'matches regex',
  'in', '!in', 'in~', '!in~', 'has_any', 'has_all', 'between',
  '.', '[]',
]);

export const CORE_STATEMENTS: ReadonlySet<string> = new Set(['LetStatement', 'ExpressionStatement']);

/** What a query uses beyond the core, e.g. `operator MvExpandOperator`, `function strcat_array`. */
export function outsideCore(inventory: LanguageInventory): string[] {
  const outside = (what: string, used: Set<string>, core: ReadonlySet<string>) =>
    [...used].filter((x) => !core.has(x)).map((x) => `${what} ${x}`);
  return [
    ...outside('operator', inventory.operators, CORE_OPERATORS),
    ...outside('function', inventory.functions, CORE_FUNCTIONS),
    ...outside('scalar operator', inventory.scalarOperators, CORE_SCALAR_OPERATORS),
    ...outside('statement', inventory.statements, CORE_STATEMENTS),
  ];
}

export function isCore(inventory: LanguageInventory): boolean {
  return outsideCore(inventory).length === 0;
}
