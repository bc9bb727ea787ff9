import type { KqlType } from '../kql/types.js';

/**
 * A compiled SQL fragment with its KQL type. `constant` is set when the fragment is a literal
 * from the query (or folded from literals), so functions can specialise on it (e.g. a regex).
 */
export interface SqlValue {
  sql: string;
  type: KqlType;
  constant?: { value: unknown };
}

/** What a function's SQL generator may use: literal quoting lives in one audited place. */
export interface FnContext {
  /** A SQL literal for a JS value of the given KQL type (strings escaped by the audited function). */
  literal(value: unknown, type: KqlType): string;
  /** A quoted SQL identifier. */
  ident(name: string): string;
  /** Adds a query-level warning (shown with the result). */
  warn(message: string): void;
}

/** Compiles one KQL scalar function call to SQL. `resultType` is what Kusto.Language resolved. */
export type ScalarFn = (args: SqlValue[], resultType: KqlType, ctx: FnContext) => string;

/**
 * Compiles one KQL aggregate to SQL over the group. `args` are the compiled argument
 * expressions evaluated per row. Return an aggregate SQL expression (e.g. `count(*)`).
 */
export type AggregateFn = (args: SqlValue[], resultType: KqlType, ctx: FnContext) => string;

/**
 * One SQL dialect: the seam where a ClickHouse dialect plugs in later. The compiler produces
 * SQL through this interface only; everything engine-specific lives in the dialect's folder.
 */
export interface Dialect {
  readonly name: string;
  /** Scalar functions, keyed by the KQL name in lower case. */
  readonly scalarFunctions: ReadonlyMap<string, ScalarFn>;
  /** Operators (`+`, `==`, `has`, `in`, `between`, `neg`, …), keyed by their KQL text in lower case. */
  readonly binaryOperators: ReadonlyMap<string, ScalarFn>;
  /** Aggregate functions, keyed by the KQL name in lower case. */
  readonly aggregateFunctions: ReadonlyMap<string, AggregateFn>;
  /** The SQL column type that stores a KQL type. */
  sqlType(type: KqlType): string;
  ident(name: string): string;
  literal(value: unknown, type: KqlType): string;
}
