import { after, before } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';
import type { QueryResult } from '../../src/engine/result.js';

/** One in-memory engine per test file, closed at the end. */
export function useEngine(): () => QueryEngine {
  let engine: QueryEngine | undefined;
  before(async () => {
    engine = await QueryEngine.open();
  });
  after(async () => {
    await engine?.close();
  });
  return () => engine!;
}

/** Rows of a query as objects keyed by column name. */
export function objects(r: QueryResult): Array<Record<string, unknown>> {
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
}

/** The single value of a one-row, one-column result. */
export async function scalar(engine: QueryEngine, kql: string): Promise<unknown> {
  const r = await engine.query(kql);
  if (r.rows.length !== 1) throw new Error(`expected one row from ${kql}, got ${r.rows.length}`);
  return r.rows[0]![0];
}
