/**
 * Watchlists, as in Sentinel: CSV files in a workspace's `watchlists/` folder, one per alias
 * (`watchlists/HighValueAssets.csv` is `_GetWatchlist('HighValueAssets')`). The first line names
 * the columns; the search key is the first column unless `watchlists/<alias>.yaml` says
 * `searchKey: <column>`. Files are read when a query runs, so editing one updates the watchlist.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface Watchlist {
  alias: string;
  file: string;
  columns: string[];
  searchKey: string;
}

export class WatchlistError extends Error {}

/** The header fields of a CSV line (RFC 4180 quoting). */
export function csvHeader(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (out.push(field.trim()), (field = ''));
    else field += ch;
  }
  out.push(field.trim());
  return out;
}

export function readWatchlist(file: string): Watchlist {
  const alias = path.basename(file, '.csv');
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const columns = csvHeader(first);
  if (!first.trim() || columns.some((c) => c === '')) throw new WatchlistError(`${file}: the first line must name every column`);
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
