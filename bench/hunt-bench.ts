/**
 * `npm run bench:hunt [-- --only <text>] [-- --runs K]`
 *
 * Hunting analytics benchmarks, one named section each (issue 6): time-series anomalies, and
 * the ML plugins' sections as they are added. A section prepares its own data, times its work
 * (medians of K runs after a warm-up) and prints its figures. `--only` runs the sections whose
 * name contains the text. Add a section by appending to SECTIONS.
 */
import { QueryEngine } from '../src/engine/engine.js';
import { medianMs } from './measure.js';
import { isolationForestSection, kmeansSection } from './hunt-ml-sections.js';
import { patternMiningSection } from './hunt-pattern-sections.js';
import { scanSection } from './hunt-scan-section.js';

interface Options {
  runs: number;
  only?: string;
}

interface Section {
  name: string;
  run(options: Options): Promise<void>;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--runs') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n <= 0) throw new Error('--runs needs a positive whole number');
      options.runs = n;
    } else if (arg === '--only') {
      options.only = argv[++i];
      if (!options.only) throw new Error('--only needs a section name (or part of one)');
    } else {
      throw new Error(`unknown option ${arg} (use --runs K, --only <text>)`);
    }
  }
  return options;
}

const SERIES = 10_000;
const POINTS = 720;

/**
 * series_decompose_anomalies over 10,000 series of 720 hourly points (a month): a daily and a
 * weekly cycle, a per-series trend and level, deterministic jitter and a few spikes. Each query
 * summarises its result to one row, so the time is the function's, not the transfer's; the first
 * query only reads the series, for reference.
 */
const seriesAnomalies: Section = {
  name: `series_decompose_anomalies ${SERIES} series x ${POINTS} points`,
  async run({ runs }) {
    const engine = await QueryEngine.open();
    try {
      await engine.connection.run(`CREATE TABLE T AS SELECT i AS id, to_json(list_transform(range(${POINTS}), lambda k:
        round((50 + i % 37) * (1 + 0.4 * sin(k * 2 * pi() / 24) + 0.2 * (CASE WHEN (k // 24) % 7 >= 5 THEN -1 ELSE 1 END))
          + (i % 11) * k / 100.0 + (k * 7919 + i * 104729) % 17 + CASE WHEN (k * 31 + i) % 401 = 0 THEN 300 ELSE 0 END, 2))) AS s
        FROM range(${SERIES}) r(i)`);
      await engine.refreshCatalog();
      const queries: Array<[string, string]> = [
        ['read the series (reference)', 'T | summarize sum(array_length(s))'],
        ['seasonality detected, linefit', "T | extend (anomalies, scores, baseline) = series_decompose_anomalies(s, 1.5, -1, 'linefit') | summarize sum(array_length(baseline))"],
        ['seasonality 24, linefit', "T | extend (anomalies, scores, baseline) = series_decompose_anomalies(s, 1.5, 24, 'linefit') | summarize sum(array_length(baseline))"],
        ['no seasonality, avg', "T | extend (anomalies, scores, baseline) = series_decompose_anomalies(s, 1.5, 0) | summarize sum(array_length(baseline))"],
      ];
      console.log(`  ${'query'.padEnd(34)} ${'median ms'.padStart(10)} ${'series/s'.padStart(10)}`);
      for (const [label, kql] of queries) {
        const ms = await medianMs(runs, () => engine.query(kql));
        console.log(`  ${label.padEnd(34)} ${ms.toFixed(0).padStart(10)} ${Math.round(SERIES / (ms / 1000)).toString().padStart(10)}`);
      }
      const flagged = await engine.query("T | extend (anomalies) = series_decompose_anomalies(s, 1.5, -1, 'linefit') | mv-expand anomalies to typeof(long) | summarize up = countif(anomalies == 1), down = countif(anomalies == -1)");
      console.log(`  flagged points (detected seasonality): ${JSON.stringify(flagged.rows[0])} of ${SERIES * POINTS}`);
    } finally {
      await engine.close();
    }
  },
};

const SECTIONS: Section[] = [seriesAnomalies, isolationForestSection, kmeansSection, patternMiningSection, scanSection];

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const chosen = SECTIONS.filter((s) => !options.only || s.name.includes(options.only));
  if (chosen.length === 0) throw new Error(`no section matches '${options.only}': ${SECTIONS.map((s) => s.name).join('; ')}`);
  for (const section of chosen) {
    console.log(`\n== ${section.name} (median of ${options.runs} runs) ==`);
    await section.run(options);
  }
}

await main();
