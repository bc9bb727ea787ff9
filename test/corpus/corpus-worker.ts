/**
 * One worker process of `npm run corpus`: runs the corpus queries it is sent and reports each
 * outcome to the parent, announcing each query first so the parent can tell which one hangs.
 * A child process rather than a worker thread, so that a stuck one can be killed safely.
 */
import { SentinelCatalog } from '../../src/catalog/catalog.js';
import { QueryEngine } from '../../src/engine/engine.js';
import { failureReason, isRunTimeFailure, offlineRemoteData, type CorpusQuery } from './corpus.js';
import { createSampleTables, SAMPLE_NOW } from './sample-data.js';

export interface WorkerInput {
  queries: CorpusQuery[];
  /** Queries of the whole run, to create the same sample tables in every worker. */
  sampleTablesFor?: string[];
}
export type WorkerMessage =
  | { kind: 'start'; index: number }
  | { kind: 'done'; index: number; outcome: 'ok' | 'compile' | 'run'; reason?: string };

const input = await new Promise<WorkerInput>((resolve) => process.once('message', (m) => resolve(m as WorkerInput)));
const engine = await QueryEngine.open({ remoteData: offlineRemoteData() });
if (input.sampleTablesFor) {
  await createSampleTables(engine.connection, new SentinelCatalog(), input.sampleTablesFor);
  await engine.refreshCatalog();
}
const now = input.sampleTablesFor ? SAMPLE_NOW : undefined;
for (const [index, q] of input.queries.entries()) {
  const post = (m: WorkerMessage) => process.send!(m);
  post({ kind: 'start', index });
  try {
    await engine.query(q.query, { now, timeoutMs: 10_000 });
    post({ kind: 'done', index, outcome: 'ok' });
  } catch (err) {
    post({ kind: 'done', index, outcome: isRunTimeFailure(err) ? 'run' : 'compile', reason: failureReason(err) });
  }
}
await engine.close();
process.disconnect();
