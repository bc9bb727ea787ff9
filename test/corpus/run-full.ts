/**
 * The whole corpus (npm run corpus): every query Microsoft's parser accepts, compiled and run on
 * empty tables and on generated sample data, with failure counts by reason. Queries run in
 * worker threads; a query whose compilation does not finish within STUCK_MS (synchronous work
 * that no timeout can interrupt) is counted as stuck and its worker replaced.
 */
import { Worker } from 'node:worker_threads';
import { everyNth, FailureTally, loadCorpus, summary, type CorpusQuery, type CorpusRun } from './corpus.js';
import type { WorkerInput, WorkerMessage } from './corpus-worker.js';

const WORKERS = Number(process.env['CORPUS_WORKERS'] ?? 2);
const STUCK_MS = 60_000;
const WORKER = new URL('./corpus-worker.ts', import.meta.url);

/** Runs `queries` over WORKERS workers, replacing a worker stuck on a query. */
async function runInWorkers(queries: CorpusQuery[], withSampleData: boolean): Promise<CorpusRun> {
  const run: CorpusRun = { total: queries.length, ok: 0, compileFailures: new FailureTally(), runFailures: new FailureTally() };
  const shards = Array.from({ length: WORKERS }, (_, w) => queries.filter((_, i) => i % WORKERS === w));
  await Promise.all(shards.map((shard) => runShard(shard, withSampleData ? queries.map((q) => q.query) : undefined, run)));
  return run;
}

async function runShard(shard: CorpusQuery[], sampleTablesFor: string[] | undefined, run: CorpusRun): Promise<void> {
  let from = 0;
  while (from < shard.length) {
    const part = shard.slice(from);
    let current = -1;
    let lastStart = Date.now();
    const data: WorkerInput = { queries: part, sampleTablesFor };
    // Workers do not inherit tsx's loader: register it, then load the TypeScript worker.
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER.href)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: data });
    const finished = await new Promise<'done' | 'stuck'>((resolve, reject) => {
      const watchdog = setInterval(() => {
        if (current >= 0 && Date.now() - lastStart > STUCK_MS) {
          clearInterval(watchdog);
          void worker.terminate();
          resolve('stuck');
        }
      }, 1000);
      worker.on('message', (m: WorkerMessage) => {
        if (m.kind === 'start') {
          current = m.index;
          lastStart = Date.now();
          return;
        }
        current = -1;
        const q = part[m.index]!;
        if (m.outcome === 'ok') run.ok++;
        else (m.outcome === 'compile' ? run.compileFailures : run.runFailures).add(m.reason!, q);
      });
      worker.on('error', (err) => { clearInterval(watchdog); reject(err); });
      worker.on('exit', () => { clearInterval(watchdog); resolve('done'); });
    });
    if (finished === 'done') return;
    run.compileFailures.add(`stuck: not compiled within ${STUCK_MS / 1000} s`, part[current]!);
    from += current + 1;
  }
}

const all = loadCorpus();
const every = Number(process.env['CORPUS_EVERY'] ?? 1);
const valid = everyNth(all.filter((q) => q.syntaxOk && q.semanticOk), every);
const started = Date.now();
console.log(summary(`${valid.length} valid queries on empty tables`, await runInWorkers(valid, false)));
console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
console.log(summary(`${valid.length} valid queries on sample data`, await runInWorkers(valid, true)));
console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
