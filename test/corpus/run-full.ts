/**
 * The whole corpus (npm run corpus): every query Microsoft's parser accepts, compiled and run on
 * empty tables and on generated sample data, with failure counts by reason. Also the rate over
 * all syntax-valid queries (semantic errors included, e.g. unknown tables or functions).
 */
import { SentinelCatalog } from '../../src/catalog/catalog.js';
import { QueryEngine } from '../../src/engine/engine.js';
import { loadCorpus, runCorpus, summary } from './corpus.js';
import { createSampleTables, SAMPLE_NOW } from './sample-data.js';

const all = loadCorpus();
const valid = all.filter((q) => q.syntaxOk && q.semanticOk);
const slow = (q: { id: string }, ms: number) => { if (ms > 5000) console.error(`slow: ${q.id} ${ms.toFixed(0)} ms`); };

const empty = await QueryEngine.open();
console.log(summary('valid queries on empty tables', await runCorpus(empty, valid, { onSlow: slow })));
const syntaxValid = all.filter((q) => q.syntaxOk);
const run = await runCorpus(empty, syntaxValid.filter((q) => !q.semanticOk));
console.log(`\nsyntax-valid queries the reference analyser rejects: ${run.ok}/${run.total} still run here`);
await empty.close();

const sample = await QueryEngine.open();
await createSampleTables(sample.connection, new SentinelCatalog(), valid.map((q) => q.query));
await sample.refreshCatalog();
console.log('\n' + summary('valid queries on sample data', await runCorpus(sample, valid, { now: SAMPLE_NOW, onSlow: slow })));
await sample.close();
