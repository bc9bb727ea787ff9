/**
 * The pattern-mining section of `npm run bench:hunt`: evaluate basket, autocluster and
 * diffpatterns over 1,000,000 rows of six discrete columns (logon-like: user, host, process,
 * status, source address, kind; skewed, partly correlated, generated deterministically in SQL).
 * Each query summarises its result to one row. The reference query groups the rows by every
 * column, the work every plugin starts with. The first queries see nearly every row distinct
 * (the hard case: the plugins work on distinct rows); the last ones leave out the source address.
 * A second table has 10,000 rows of 200 columns, most of them empty.
 */
import { QueryEngine } from '../src/engine/engine.js';
import { median, timed } from './measure.js';

const ROWS = 1_000_000;

export const patternMiningSection = {
  name: `pattern mining (basket, autocluster, diffpatterns) ${ROWS} rows x 6 columns`,
  async run({ runs }: { runs: number }): Promise<void> {
    const engine = await QueryEngine.open();
    try {
      // Skewed values: squaring a uniform number makes small codes common.
      const skew = (salt: number, n: number) => `CAST(floor(pow((hash(i * ${salt} + ${salt}) % 1000000) / 1000000.0, 2) * ${n}) AS BIGINT)`;
      await engine.connection.run(`CREATE TABLE Logons AS SELECT
          'user' || ${skew(3, 200)} AS User,
          'host' || (${skew(3, 200)} % 40) AS Host,
          'proc' || ${skew(5, 300)} AS Process,
          CASE WHEN hash(i * 7) % 100 < 8 + ${skew(3, 200)} % 10 THEN 'failure' ELSE 'success' END AS Status,
          '10.0.' || ${skew(11, 50)} || '.' || ${skew(13, 250)} AS SourceIp,
          ${skew(17, 5)} AS Kind
        FROM range(${ROWS}) r(i)`);
      await engine.refreshCatalog();
      const distinct = await engine.query('Logons | distinct User, Host, Process, Status, SourceIp, Kind | count');
      console.log(`  distinct rows: ${String(distinct.rows[0]![0])}`);
      const queries: Array<[string, string]> = [
        ['group by every column (reference)', 'Logons | summarize count() by User, Host, Process, Status, SourceIp, Kind | count'],
        ['basket()', 'Logons | evaluate basket() | summarize count(), max(Count)'],
        ['basket(0.015, ~, 3)', "Logons | evaluate basket(0.015, '~', 3) | summarize count(), max(Count)"],
        ['autocluster()', 'Logons | evaluate autocluster() | summarize count(), max(Count)'],
        ['diffpatterns(Status)', "Logons | evaluate diffpatterns(Status, 'failure', 'success') | summarize count(), max(PercentDiffAB)"],
        // Without the source address most rows repeat: the work follows the distinct rows.
        ['4 columns: basket()', 'Logons | project User, Host, Status, Kind | evaluate basket() | summarize count(), max(Count)'],
        ['4 columns: autocluster()', 'Logons | project User, Host, Status, Kind | evaluate autocluster() | summarize count(), max(Count)'],
        ['10,000 rows x 200 columns: basket()', 'Wide | evaluate basket() | summarize count(), max(Count)'],
        ['10,000 x 200: autocluster()', 'Wide | evaluate autocluster() | summarize count(), max(Count)'],
        ['4 columns: diffpatterns(Status)', "Logons | project User, Host, Status, Kind | evaluate diffpatterns(Status, 'failure', 'success') | summarize count(), max(PercentDiffAB)"],
      ];
      // A wide table: 200 columns, most of them empty (as a Sentinel table's unused columns), 20
      // with a few values, 2 nearly always empty.
      const wide = Array.from({ length: 200 }, (_, j) => (j % 10 === 0 ? `'v' || (hash(i * ${j + 1}) % ${3 + j % 7}) AS c${j}`
        : j < 2 * 10 && j % 10 === 1 ? `CASE WHEN hash(i + ${j}) % 50 = 0 THEN 'x' ELSE '' END AS c${j}` : `'' AS c${j}`));
      await engine.connection.run(`CREATE TABLE Wide AS SELECT ${wide.join(', ')} FROM range(10000) r(i)`);
      await engine.refreshCatalog();
      console.log(`  ${'query'.padEnd(36)} ${'median ms'.padStart(10)}  result`);
      for (const [label, kql] of queries) {
        const result = await engine.query(kql);
        const times: number[] = [];
        for (let r = 0; r < runs; r++) times.push((await timed(() => engine.query(kql))).ms);
        console.log(`  ${label.padEnd(36)} ${median(times).toFixed(0).padStart(10)}  ${JSON.stringify(result.rows[0])}`);
      }
    } finally {
      await engine.close();
    }
  },
};
