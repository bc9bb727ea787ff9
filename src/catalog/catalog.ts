import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Column } from '../kql/types.js';
import { normaliseTypeName } from '../kql/types.js';

export interface TableSchema {
  name: string;
  columns: Column[];
  description?: string;
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

  private load(): Map<string, TableSchema> {
    if (this.tables) return this.tables;
    const json = JSON.parse(readFileSync(SENTINEL_TABLES, 'utf8')) as {
      tables: Record<string, { columns: Array<{ name: string; type: string }>; description?: string }>;
    };
    this.tables = new Map();
    for (const [name, t] of Object.entries(json.tables)) {
      const columns = t.columns.map((c) => ({ name: c.name, type: normaliseTypeName(c.type) ?? 'string' }));
      this.tables.set(name, { name, columns, description: t.description });
    }
    return this.tables;
  }
}
