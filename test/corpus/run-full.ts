/**
 * The whole corpus (npm run corpus): every query Microsoft's parser accepts, compiled and run on
 * empty tables and on generated sample data, with failure counts by reason. Queries run in
 * worker processes; a query whose compilation does not finish within STUCK_MS (synchronous work
 * that no timeout can interrupt) is counted as stuck and its worker replaced.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { everyNth, FailureTally, loadCorpus, summary, type CorpusQuery, type CorpusRun } from './corpus.js';
import type { WorkerInput, WorkerMessage } from './corpus-worker.js';

const WORKERS = Number(process.env['CORPUS_WORKERS'] ?? 2);
const STUCK_MS = 60_000;
const WORKER = fileURLToPath(new URL('./corpus-worker.ts', import.meta.url));

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
    let done = 0;
    const data: WorkerInput = { queries: part, sampleTablesFor };
    const worker = fork(WORKER, [], { execArgv: ['--import', 'tsx'] });
    worker.send(data);
    const ended = await new Promise<{ how: 'done' | 'stuck' | 'died'; code?: number | null; signal?: string | null }>((resolve, reject) => {
      const watchdog = setInterval(() => {
        if (current >= 0 && Date.now() - lastStart > STUCK_MS) {
          clearInterval(watchdog);
          worker.kill('SIGKILL');
          resolve({ how: 'stuck' });
        }
      }, 1000);
      worker.on('message', (m: WorkerMessage) => {
        if (m.kind === 'start') {
          current = m.index;
          lastStart = Date.now();
          return;
        }
        current = -1;
        done++;
        const q = part[m.index]!;
        if (m.outcome === 'ok') run.ok++;
        else (m.outcome === 'compile' ? run.compileFailures : run.runFailures).add(m.reason!, q);
      });
      worker.on('error', (err) => { clearInterval(watchdog); reject(err); });
      worker.on('exit', (code, signal) => {
        clearInterval(watchdog);
        resolve(done === part.length ? { how: 'done' } : { how: 'died', code, signal });
      });
    });
    if (ended.how === 'done') return;
    // The query that was running (or, if it died between queries, the next one) is counted.
    const at = current >= 0 ? current : done;
    const reason = ended.how === 'stuck'
      ? `stuck: not compiled within ${STUCK_MS / 1000} s`
      : `CRASH the process died (exit ${ended.code ?? ended.signal})`;
    (ended.how === 'stuck' ? run.compileFailures : run.runFailures).add(reason, part[at]!);
    from += at + 1;
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
