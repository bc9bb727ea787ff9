/**
 * The scan section of `npm run bench:hunt`: the scan operator (a recursive CTE, one iteration per
 * record) over inputs of growing size, with one step (a running sum) and with the docs' two-step
 * session tagging, and partitioned (one state machine per key, run side by side). Each query
 * summarises its result to one row.
 */
import { QueryEngine } from '../src/engine/engine.js';
import { medianMs } from './measure.js';

const SIZES = [1_000, 5_000, 10_000];

export const scanSection = {
  name: `scan operator over ${SIZES.join(' / ')} rows`,
  async run({ runs }: { runs: number }): Promise<void> {
    const engine = await QueryEngine.open();
    try {
      await engine.connection.run(`CREATE TABLE Events AS SELECT i AS n, 'k' || (i % 20) AS Key,
          TIMESTAMP '2024-01-01' + to_seconds(i * 60 + (hash(i) % 50)) AS Ts FROM range(${SIZES.at(-1)}) r(i)`);
      await engine.refreshCatalog();
      const queries = (rows: number): Array<[string, string]> => [
        ['running sum (1 step)', `Events | where n < ${rows} | sort by n asc | scan declare (total:long=0) with (step s: true => total = n + s.total;) | summarize max(total)`],
        ['sessions (2 steps, match id)', `Events | where n < ${rows} | sort by Ts asc | scan with_match_id=id declare (start:datetime) with (
            step inSession: true => start = iff(isnull(inSession.start), Ts, inSession.start);
            step endSession output=none: Ts - inSession.start > 30m;) | summarize dcount(id)`],
        ['running sum per key (partition, 20 keys)', `Events | where n < ${rows} | partition hint.strategy=native by Key (sort by n asc | scan declare (total:long=0) with (step s: true => total = n + s.total;)) | summarize max(total)`],
      ];
      console.log(`  ${'query'.padEnd(42)} ${'rows'.padStart(7)} ${'median ms'.padStart(10)} ${'rows/s'.padStart(8)}`);
      for (const rows of SIZES) {
        for (const [label, kql] of queries(rows)) {
          const ms = await medianMs(runs, () => engine.query(kql, { timeoutMs: 600_000 }));
          console.log(`  ${label.padEnd(42)} ${String(rows).padStart(7)} ${ms.toFixed(0).padStart(10)} ${Math.round(rows / (ms / 1000)).toString().padStart(8)}`);
        }
      }
    } finally {
      await engine.close();
    }
  },
};
