/**
 * Fuzzes the front end and the compiler with mutated corpus queries (npm run fuzz).
 * Every mutation must either be rejected with a KqlError or compile to SQL that DuckDB accepts;
 * a crash (any other exception) or a DuckDB Parser Error is a bug, printed with a minimised query.
 * Usage: npm run fuzz -- [mutations=20000] [seed=1]
 */
import { QueryEngine } from '../src/engine/engine.js';
import { fuzz, minimise } from '../test/corpus/fuzz.js';

const count = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? 1);
const engine = await QueryEngine.open();
const started = performance.now();
const report = await fuzz(engine, count, seed, (done) => process.stderr.write(`\r${done}/${count}`));
process.stderr.write('\n');
console.log(`${report.mutations} mutations (seed ${seed}) in ${((performance.now() - started) / 1000).toFixed(0)} s:`, report.counts);
for (const f of report.failures) {
  const small = await minimise(engine, f.query, f.outcome);
  console.log(`\n[${f.outcome}] ${f.message.split('\n')[0]}\n  minimal: ${small.slice(0, 400)}`);
}
await engine.close();
process.exitCode = report.counts.crash + report.counts['sql-syntax'] > 0 ? 1 : 0;
