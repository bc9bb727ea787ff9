/**
 * Watchlists, as in Sentinel: CSV files in a workspace's `watchlists/` folder, one per alias
 * (`watchlists/HighValueAssets.csv` is `_GetWatchlist('HighValueAssets')`). The first line names
 * the columns; the search key is the first column unless `watchlists/<alias>.yaml` says
 * `searchKey: <column>`. Files are read when a query runs, so editing one updates the watchlist.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CsvTokenizer } from '../ingest/formats/csv.js';

export interface Watchlist {
  alias: string;
  file: string;
  columns: string[];
  searchKey: string;
}

export class WatchlistError extends Error {}

/**
 * The header record of a CSV text: the project's RFC 4180 tokenizer (as ingest reads CSV), so a
 * quoted header may hold commas or span lines just as DuckDB's read_csv sees it. Only the first
 * record is tokenized. A blank first line is not skipped: it is no header.
 */
function csvHeader(file: string, text: string): string[] {
  const tokenizer = new CsvTokenizer();
  const record: { fields: string[]; line: number; error?: string } | void = tokenizer.feed(text).next().value ?? tokenizer.end().next().value;
  if (record?.error) throw new WatchlistError(`${file}: ${record.error}`);
  if (!record || record.line !== 1) return [];
  return record.fields.map((f) => f.trim());
}

export function readWatchlist(file: string): Watchlist {
  const alias = path.basename(file, '.csv');
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const columns = csvHeader(file, text);
  if (columns.length === 0 || columns.some((c) => c === '')) throw new WatchlistError(`${file}: the first line must name every column`);
  const dupe = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dupe) throw new WatchlistError(`${file}: the column '${dupe}' is named twice`);
  let searchKey = columns[0]!;
  const settings = path.join(path.dirname(file), `${alias}.yaml`);
  if (existsSync(settings)) {
    const doc = parseYaml(readFileSync(settings, 'utf8')) as { searchKey?: unknown } | null;
    if (doc?.searchKey !== undefined) {
      if (typeof doc.searchKey !== 'string' || !columns.includes(doc.searchKey)) {
        throw new WatchlistError(`${settings}: searchKey must be one of the columns (${columns.join(', ')})`);
      }
      searchKey = doc.searchKey;
    }
  }
  return { alias, file, columns, searchKey };
}

/** A workspace's watchlists, looked up by alias (case-sensitive, as in Sentinel). */
export class Watchlists {
  constructor(private readonly dir: string) {}

  /** Parsed headers by file, kept while the file (and its settings) are unchanged. */
  private readonly cache = new Map<string, { stamp: string; watchlist: Watchlist }>();

  get(alias: string): Watchlist | undefined {
    const file = path.join(this.dir, `${alias}.csv`);
    if (!/^[\w.-]+$/.test(alias) || !existsSync(file)) return undefined;
    // Kusto.Language asks for the columns while typing a query: read the header once per edit.
    const settings = statSync(path.join(this.dir, `${alias}.yaml`), { throwIfNoEntry: false });
    const stamp = `${statSync(file).mtimeMs}:${settings?.mtimeMs ?? ''}`;
    const cached = this.cache.get(file);
    if (cached?.stamp === stamp) return cached.watchlist;
    const watchlist = readWatchlist(file);
    this.cache.set(file, { stamp, watchlist });
    return watchlist;
  }

  /** Changes when a watchlist file changes (for cache keys). */
  version(): string {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((f) => f.endsWith('.csv') || f.endsWith('.yaml')).sort();
    } catch {
      return '';
    }
    return names.map((f) => `${f}:${statSync(path.join(this.dir, f)).mtimeMs}`).join('|');
  }
}
