import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SentinelCatalog } from '../../src/catalog/catalog.js';
import { QueryEngine } from '../../src/engine/engine.js';
import { everyNth, offlineRemoteData, runCorpus, summary, validQueries } from './corpus.js';
import { createSampleTables, SAMPLE_NOW } from './sample-data.js';

/**
 * Real hunting queries and analytics rules (../shared/corpus/kql) that Microsoft's parser
 * accepts: a deterministic sample of them must compile and run, on empty tables and on a small
 * generated dataset. The floors are regression guards at the measured rates (the target
 * is 97% on empty tables, 95% on sample data); `npm run corpus` measures the whole corpus.
 */
const SAMPLE_EVERY = 12;
/**
 * Measured 2026-11-29 (session 3): 226 of the 232 sampled queries (97.4%; whole corpus 2,736/2,777, 98.5%).
 * Session 4 (scan, activity_counts_metrics, bag_unpack in function bodies): still 226 of the sample;
 * whole corpus 2,751/2,777 (99.1%), no run-time failures. The sample's other 6 need data they do not have.
 */
// Two below the measured counts: a 10 s query timeout on a busy machine must not fail the suite.
const EMPTY_TABLES_FLOOR = 224;
/** Measured 2026-11-29 (session 3): 225 of 232 (97.0%). */
const SAMPLE_DATA_FLOOR = 223;

describe('real-query corpus (every 12th valid query)', () => {
  const queries = everyNth(validQueries(), SAMPLE_EVERY);

  it('Microsoft\'s parser accepts 2,777 corpus queries syntactically and semantically', () => {
    assert.equal(validQueries().length, 2777);
  });

  describe('on empty tables', () => {
    let engine: QueryEngine;
    before(async () => { engine = await QueryEngine.open({ remoteData: offlineRemoteData() }); });
    after(async () => { await engine.close(); });

    it(`compiles and runs at least ${EMPTY_TABLES_FLOOR} of them`, async () => {
      const run = await runCorpus(engine, queries);
      console.log(summary('empty tables', run));
      assert.equal(run.total, 232);
      assert.ok(run.ok >= EMPTY_TABLES_FLOOR, `${run.ok}/${run.total} ran`);
    });
  });

  describe('on generated sample data', () => {
    let engine: QueryEngine;
    before(async () => {
      engine = await QueryEngine.open({ remoteData: offlineRemoteData() });
      await createSampleTables(engine.connection, new SentinelCatalog(), queries.map((q) => q.query));
      await engine.refreshCatalog();
    });
    after(async () => { await engine.close(); });

    it(`runs at least ${SAMPLE_DATA_FLOOR} of them without errors`, async () => {
      const run = await runCorpus(engine, queries, { now: SAMPLE_NOW });
      console.log(summary('sample data', run));
      assert.ok(run.ok >= SAMPLE_DATA_FLOOR, `${run.ok}/${run.total} ran`);
    });
  });
});
