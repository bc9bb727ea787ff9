/**
 * The detection tables and every SQL statement that touches them (bound parameters only; table
 * and column names are this module's constants, quoted by sqlIdent).
 *
 * - SecurityAlert, SecurityIncident: Sentinel's tables with the catalog's columns. Like Sentinel,
 *   SecurityIncident gets a new row for every change of an incident; the latest row per
 *   IncidentNumber is its current state.
 * - _RuleRuns: one row per rule run (window, duration, rows, outcome, error) — the run history.
 * - _IncidentAudit: who changed what on which incident, and when.
 * - _AlertEvents: the result rows behind each alert (Sentinel re-runs the query instead).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { SentinelCatalog } from '../catalog/catalog.js';
import { DuckDbDialect } from '../engine/duckdb/duckdb-dialect.js';
import { sqlIdent } from '../engine/duckdb/sql-text.js';
import type { Column, KqlType } from '../kql/types.js';

export const ALERT_TABLE = 'SecurityAlert';
export const INCIDENT_TABLE = 'SecurityIncident';
export const RUNS_TABLE = '_RuleRuns';
export const AUDIT_TABLE = '_IncidentAudit';
export const ALERT_EVENTS_TABLE = '_AlertEvents';
/** Arrival time, as ingested tables have it, so NRT rules can watch alerts and incidents too. */
const TIME_RECEIVED: Column = { name: '_TimeReceived', type: 'datetime' };

export const RUN_COLUMNS: readonly Column[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'RuleId', type: 'string' },
  { name: 'RuleName', type: 'string' },
  { name: 'Kind', type: 'string' },
  /** scheduled, catch-up, replay (quarry rules run --from/--to) or manual (quarry rules run). */
  { name: 'Mode', type: 'string' },
  { name: 'WindowStart', type: 'datetime' },
  { name: 'WindowEnd', type: 'datetime' },
  { name: 'DurationMs', type: 'real' },
  { name: 'ResultCount', type: 'long' },
  { name: 'AlertCount', type: 'long' },
  /** Fired, Quiet, Suppressed or Failed. */
  { name: 'Outcome', type: 'string' },
  { name: 'Error', type: 'string' },
  { name: 'Type', type: 'string' },
];

export const AUDIT_COLUMNS: readonly Column[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'IncidentNumber', type: 'int' },
  { name: 'Actor', type: 'string' },
  /** created, alert-added, reopened, updated, commented. */
  { name: 'Action', type: 'string' },
  { name: 'Field', type: 'string' },
  { name: 'OldValue', type: 'string' },
  { name: 'NewValue', type: 'string' },
  { name: 'Type', type: 'string' },
];

export const ALERT_EVENTS_COLUMNS: readonly Column[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'SystemAlertId', type: 'string' },
  /** The rows as an array of objects (column → value), at most MAX_EVENTS_PER_ALERT of them. */
  { name: 'Events', type: 'dynamic' },
  { name: 'EventCount', type: 'long' },
  { name: 'Type', type: 'string' },
];

/** How many result rows are kept with an alert. */
export const MAX_EVENTS_PER_ALERT = 500;

export type RunOutcome = 'Fired' | 'Quiet' | 'Suppressed' | 'Failed';
export type RunMode = 'scheduled' | 'catch-up' | 'replay' | 'manual';

export interface RuleRunRecord {
  startedAt: Date;
  ruleId: string;
  ruleName: string;
  kind: string;
  mode: RunMode;
  windowStart: Date;
  windowEnd: Date;
  durationMs: number;
  resultCount: number;
  alertCount: number;
  outcome: RunOutcome;
  error: string;
}

/** A row to write: column name → JS value (Date for datetime, objects for dynamic). */
export type Row = Record<string, unknown>;

/** The database side the store needs: QueryEngine provides it. */
export interface DetectionDatabase {
  exclusive<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T>;
  refreshCatalog(): Promise<void>;
}

const dialect = new DuckDbDialect();
let catalog: SentinelCatalog | undefined;

/** Columns of a detection table: Sentinel's from the catalog, Quarry's own from this module. */
export function tableColumns(table: string): readonly Column[] {
  if (table === RUNS_TABLE) return RUN_COLUMNS;
  if (table === AUDIT_TABLE) return AUDIT_COLUMNS;
  if (table === ALERT_EVENTS_TABLE) return ALERT_EVENTS_COLUMNS;
  catalog ??= new SentinelCatalog();
  const cols = catalog.get(table)?.columns;
  if (!cols) throw new Error(`${table} is not in the Sentinel catalog`);
  return [...cols.filter((c) => c.name !== 'Timestamp'), TIME_RECEIVED];
}

/** Text DuckDB casts to TIMESTAMP: UTC, no zone suffix. */
function timestampText(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

function bindValue(v: unknown, type: KqlType): string | number | boolean | null {
  if (v === null || v === undefined) return type === 'string' ? '' : null;
  switch (type) {
    case 'datetime': return timestampText(v instanceof Date ? v : new Date(String(v)));
    case 'dynamic': return JSON.stringify(v);
    case 'bool': return Boolean(v);
    case 'int': case 'long': case 'real': return Number(v);
    default: return String(v);
  }
}

/** Reads a row as JSON-safe values back into JS: datetimes as Date, dynamic parsed, numbers as numbers. */
function readRow(raw: Record<string, unknown>, columns: readonly Column[]): Row {
  const out: Row = {};
  for (const c of columns) {
    const v = raw[c.name];
    if (v === null || v === undefined) { out[c.name] = null; continue; }
    switch (c.type) {
      case 'datetime': out[c.name] = new Date(`${String(v).replace(' ', 'T')}Z`); break;
      case 'dynamic': out[c.name] = typeof v === 'string' ? JSON.parse(v) : v; break;
      case 'int': case 'long': case 'real': out[c.name] = Number(v); break;
      default: out[c.name] = v;
    }
  }
  return out;
}

/** Statements within one exclusive turn on the connection (optionally one transaction). */
export class StoreSession {
  constructor(private readonly c: DuckDBConnection) {}

  async insert(table: string, row: Row): Promise<void> {
    const cols = tableColumns(table);
    const names = cols.map((c) => sqlIdent(c.name)).join(', ');
    const params = cols.map((c, i) => `CAST($${i + 1} AS ${dialect.sqlType(c.type)})`).join(', ');
    const values = cols.map((c) => bindValue(c.name === 'Type' ? table : c.name === '_TimeReceived' ? (row[c.name] ?? new Date()) : row[c.name], c.type));
    await this.c.run(`INSERT INTO ${sqlIdent(table)} (${names}) VALUES (${params})`, values);
  }

  /** Rows of a table matching `where` (SQL over this module's column names, values as $n parameters). */
  async select(table: string, where = 'true', params: Array<string | number | boolean | null> = [], tail = ''): Promise<Row[]> {
    const cols = tableColumns(table);
    const list = cols.map((c) => (c.type === 'datetime' || c.type === 'dynamic' ? `CAST(${sqlIdent(c.name)} AS VARCHAR) AS ${sqlIdent(c.name)}` : sqlIdent(c.name))).join(', ');
    const reader = await this.c.runAndReadAll(`SELECT ${list} FROM ${sqlIdent(table)} WHERE ${where} ${tail}`, params);
    return reader.getRowObjectsJson().map((r) => readRow(r as Record<string, unknown>, cols));
  }

  /** The current state of incidents: the latest SecurityIncident row of each IncidentNumber. */
  async currentIncidents(where = 'true', params: Array<string | number | boolean | null> = []): Promise<Row[]> {
    return this.select(INCIDENT_TABLE, `rowid IN (SELECT arg_max(rowid, rowid) FROM ${sqlIdent(INCIDENT_TABLE)} GROUP BY "IncidentNumber") AND (${where})`, params, 'ORDER BY "IncidentNumber"');
  }

  async nextIncidentNumber(): Promise<number> {
    const r = await this.c.runAndReadAll(`SELECT coalesce(max("IncidentNumber"), 0) + 1 FROM ${sqlIdent(INCIDENT_TABLE)}`);
    return Number(r.getRowsJson()[0]![0]);
  }

  /** The latest WindowEnd of a rule's runs (any outcome), for the scheduler. */
  async lastWindowEnd(ruleId: string): Promise<Date | undefined> {
    const r = await this.c.runAndReadAll(`SELECT CAST(max("WindowEnd") AS VARCHAR) FROM ${sqlIdent(RUNS_TABLE)} WHERE "RuleId" = $1 AND "Mode" IN ('scheduled', 'catch-up')`, [ruleId]);
    const v = r.getRowsJson()[0]![0];
    return v === null ? undefined : new Date(`${String(v).replace(' ', 'T')}Z`);
  }

  /** When the rule last fired (for suppression), by any mode that creates alerts. */
  async lastFiredAt(ruleId: string): Promise<Date | undefined> {
    const r = await this.c.runAndReadAll(`SELECT CAST(max("WindowEnd") AS VARCHAR) FROM ${sqlIdent(RUNS_TABLE)} WHERE "RuleId" = $1 AND "Outcome" = 'Fired'`, [ruleId]);
    const v = r.getRowsJson()[0]![0];
    return v === null ? undefined : new Date(`${String(v).replace(' ', 'T')}Z`);
  }

  /** Whether a run of the rule already covered the window ending at `windowEnd` in one of `modes`. */
  async hasRun(ruleId: string, windowEnd: Date, modes: readonly RunMode[]): Promise<boolean> {
    const marks = modes.map((_, i) => `$${i + 3}`).join(', ');
    const r = await this.c.runAndReadAll(
      `SELECT count(*) FROM ${sqlIdent(RUNS_TABLE)} WHERE "RuleId" = $1 AND "WindowEnd" = CAST($2 AS TIMESTAMP) AND "Mode" IN (${marks}) AND "Outcome" <> 'Failed'`,
      [ruleId, timestampText(windowEnd), ...modes],
    );
    return Number(r.getRowsJson()[0]![0]) > 0;
  }

  async recordRun(run: RuleRunRecord): Promise<void> {
    await this.insert(RUNS_TABLE, {
      TimeGenerated: run.startedAt, RuleId: run.ruleId, RuleName: run.ruleName, Kind: run.kind, Mode: run.mode,
      WindowStart: run.windowStart, WindowEnd: run.windowEnd, DurationMs: run.durationMs, ResultCount: run.resultCount,
      AlertCount: run.alertCount, Outcome: run.outcome, Error: run.error,
    });
  }

  async audit(incidentNumber: number, actor: string, action: string, field = '', oldValue = '', newValue = '', at = new Date()): Promise<void> {
    await this.insert(AUDIT_TABLE, { TimeGenerated: at, IncidentNumber: incidentNumber, Actor: actor, Action: action, Field: field, OldValue: oldValue, NewValue: newValue });
  }
}

/** Opens sessions on the detection tables, creating them on first use. */
export class DetectionStore {
  private ready = false;
  /** Start times of the sessions running now (their rows' _TimeReceived is at or after them). */
  private readonly open = new Set<number>();

  constructor(private readonly db: DetectionDatabase) {}

  /** Creates the detection tables that do not exist yet (and tells the engine about them). */
  async ensureTables(): Promise<void> {
    if (this.ready) return;
    const created = await this.db.exclusive(async (c) => {
      let any = false;
      for (const table of [ALERT_TABLE, INCIDENT_TABLE, RUNS_TABLE, AUDIT_TABLE, ALERT_EVENTS_TABLE]) {
        const exists = await c.runAndReadAll(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $1`, [table]);
        if (Number(exists.getRowsJson()[0]![0]) > 0) continue;
        const cols = tableColumns(table).map((col) => `${sqlIdent(col.name)} ${dialect.sqlType(col.type)}`).join(', ');
        await c.run(`CREATE TABLE ${sqlIdent(table)} (${cols})`);
        any = true;
      }
      return any;
    });
    if (created) await this.db.refreshCatalog();
    this.ready = true;
  }

  /** Runs `work` in one exclusive turn; with `transaction`, all its writes commit together or not at all. */
  async session<T>(work: (s: StoreSession) => Promise<T>, { transaction = false } = {}): Promise<T> {
    await this.ensureTables();
    return this.db.exclusive(async (c) => {
      const started = Date.now();
      this.open.add(started);
      try {
        const s = new StoreSession(c);
        if (!transaction) return await work(s);
        await c.run('BEGIN TRANSACTION');
        try {
          const result = await work(s);
          await c.run('COMMIT');
          return result;
        } catch (err) {
          await c.run('ROLLBACK');
          throw err;
        }
      } finally {
        this.open.delete(started);
      }
    });
  }

  /**
   * The ingestion time before which every row this store writes (alerts, incidents) is
   * committed: the start of the session running now, else now. NRT windows over these tables
   * end there.
   */
  committedBefore(): Date {
    return new Date(this.open.size ? Math.min(...this.open) : Date.now());
  }
}
