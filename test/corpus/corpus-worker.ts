/**
 * One worker of `npm run corpus`: runs the corpus queries it is given and reports each outcome
 * to the parent, announcing each query first so the parent can tell which one hangs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SentinelCatalog } from '../../src/catalog/catalog.js';
import { QueryEngine } from '../../src/engine/engine.js';
import { failureReason, type CorpusQuery } from './corpus.js';
import { createSampleTables, SAMPLE_NOW } from './sample-data.js';

export interface WorkerInput {
  queries: CorpusQuery[];
  /** Queries of the whole run, to create the same sample tables in every worker. */
  sampleTablesFor?: string[];
}
export type WorkerMessage =
  | { kind: 'start'; index: number }
  | { kind: 'done'; index: number; outcome: 'ok' | 'compile' | 'run'; reason?: string };

const input = workerData as WorkerInput;
const engine = await QueryEngine.open();
if (input.sampleTablesFor) {
  await createSampleTables(engine.connection, new SentinelCatalog(), input.sampleTablesFor);
  await engine.refreshCatalog();
}
const now = input.sampleTablesFor ? SAMPLE_NOW : undefined;
for (const [index, q] of input.queries.entries()) {
  const post = (m: WorkerMessage) => parentPort!.postMessage(m);
  post({ kind: 'start', index });
  try {
    engine.prepare(q.query, { now });
  } catch (err) {
    post({ kind: 'done', index, outcome: 'compile', reason: failureReason(err) });
    continue;
  }
  try {
    await engine.query(q.query, { now, timeoutMs: 10_000 });
    post({ kind: 'done', index, outcome: 'ok' });
  } catch (err) {
    post({ kind: 'done', index, outcome: 'run', reason: failureReason(err) });
  }
}
await engine.close();
