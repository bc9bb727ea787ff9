import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Column } from '../kql/types.js';
import { normaliseTypeName } from '../kql/types.js';
import { withDefenderTimeColumns } from './defender-timestamp.js';

export interface TableSchema {
  name: string;
  columns: Column[];
  description?: string;
  /** A Defender XDR advanced-hunting table: answers to `Timestamp` as well as `TimeGenerated`. */
  defenderXdr?: boolean;
}

const SENTINEL_TABLES = fileURLToPath(new URL('../../schemas/sentinel-tables.json', import.meta.url));

/**
 * The standard Microsoft Sentinel / Log Analytics tables with their documented columns
 * (schemas/sentinel-tables.json, see schemas/README.md for sources and licences).
 * Loaded lazily: the CLI does not pay for it until a query names a table.
 */
export class SentinelCatalog {
  private tables?: Map<string, TableSchema>;

  get(name: string): TableSchema | undefined {
    return this.load().get(name);
  }

  names(): string[] {
    return [...this.load().keys()];
  }

  private byColumn?: Map<string, string[]>;

  /**
   * Names of the tables that have a column of this name: first those where it has its most
   * common type (so a few of them agree on the type), each group in name order.
   */
  tablesWithColumn(column: string): readonly string[] {
    if (!this.byColumn) {
      const found = new Map<string, Array<{ table: string; type: string }>>();
      for (const t of [...this.load().values()].sort((a, b) => a.name.localeCompare(b.name))) {
        for (const c of t.columns) {
          const list = found.get(c.name) ?? [];
          list.push({ table: t.name, type: c.type });
          found.set(c.name, list);
        }
      }
      this.byColumn = new Map();
      for (const [name, list] of found) {
        const counts = new Map<string, number>();
        for (const x of list) counts.set(x.type, (counts.get(x.type) ?? 0) + 1);
        const common = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
        this.byColumn.set(name, [...list.filter((x) => x.type === common), ...list.filter((x) => x.type !== common)].map((x) => x.table));
      }
    }
    return this.byColumn.get(column) ?? [];
  }

  private load(): Map<string, TableSchema> {
    if (this.tables) return this.tables;
    const json = JSON.parse(readFileSync(SENTINEL_TABLES, 'utf8')) as {
      tables: Record<string, { columns: Array<{ name: string; type: string }>; description?: string; defender_xdr?: string }>;
    };
    this.tables = new Map();
    for (const [name, t] of Object.entries(json.tables)) {
      const declared = t.columns.map((c) => ({ name: c.name, type: normaliseTypeName(c.type) ?? 'string' }));
      const defenderXdr = Boolean(t.defender_xdr);
      const columns = defenderXdr ? withDefenderTimeColumns(declared) : declared;
      this.tables.set(name, { name, columns, description: t.description, defenderXdr });
    }
    return this.tables;
  }
}
