import { KqlError } from '../diagnostics.js';
import type { KqlType } from '../types.js';
import type { Expr, Plan } from './ir.js';

/** A key found in the data: a bag property (with its values' common type, if they have one), a value, a table. */
export interface DiscoveredKey {
  name: string;
  type?: KqlType;
}

/** What has to be learned: distinct keys of a value over some rows, or the database's tables. */
export type DiscoveryRequest =
  /** The distinct keys of `expr` over `input`: a dynamic bag's property names, or a string's values. */
  | { kind: 'bagKeys' | 'values'; input: Plan; expr: Expr }
  /** The names of the tables that hold data (search/find without `in (…)`). */
  | { kind: 'databaseTables' };

/**
 * Operators whose result columns depend on the data (`evaluate bag_unpack()`, `evaluate
 * pivot()` without an output schema): Kusto.Language reports an open schema for them, so the
 * IR cannot be built. The builder throws this instead; the engine runs `input` to learn the
 * distinct `key` values, then writes the schema into the query text as an output schema clause
 * (`: (...)`, which Kusto accepts for these plugins) and analyses the query again. The rest of
 * the query then sees real columns.
 */
export class SchemaDiscoveryNeeded extends KqlError {
  constructor(
    /** The operator, as the analyst wrote it (`evaluate pivot()`, `search`). */
    readonly operator: string,
    readonly request: DiscoveryRequest,
    /** Where in the query text the output schema clause goes (right after the plugin call). */
    readonly insertAt: number,
    /**
     * The text expected from `start` up to `insertAt` (tokens, whitespace aside). Inside a
     * function body the analysed tree's offsets are relative to the body, not the query; the
     * engine checks this before splicing so it never edits the wrong place.
     */
    readonly anchor: { start: number; text: string },
    /** The clause for the distinct keys found, e.g. `: (*, ['a']:long)`. */
    readonly schemaClause: (keys: DiscoveredKey[]) => string,
  ) {
    super('unsupported', request.kind === 'databaseTables'
      ? `${operator} without 'in (tables)' searches the database's tables: run the query through QueryEngine.query()`
      : `${operator} learns its columns from the data: run the query through QueryEngine.query(), or give an output schema (': (Name:type, ...)')`);
  }
}

/** The request raised inside a let-declared function's expansion, its offsets moved by `delta` into the declaring text. */
export function rebasedDiscovery(err: SchemaDiscoveryNeeded, delta: number): SchemaDiscoveryNeeded {
  return new SchemaDiscoveryNeeded(err.operator, err.request, err.insertAt + delta, { ...err.anchor, start: err.anchor.start + delta }, err.schemaClause);
}

/** A column name as KQL text: `['…']` with the string escaped, so any key is safe to splice in. */
export function kqlQuotedName(name: string): string {
  const escaped = name.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return `['${escaped}']`;
}
