/**
 * Hunting-style queries over SecurityEvent, each as KQL and as the DuckDB SQL a person would
 * write by hand for the same answer. The SQL keeps Kusto's semantics where they differ from
 * SQL's habits: `has` is a whole-term, case-insensitive match (a term is a run of ASCII letters
 * and digits); `contains`, `startswith` and `=~` are case-insensitive. Where counts can tie, a
 * second sort key makes the first N rows deterministic, so both answers can be compared (KQL's
 * `top` takes one key, hence `sort … | take`); the busiest hosts' counts do not tie.
 */

export interface HuntingQuery {
  name: string;
  kql: string;
  sql: string;
  /**
   * How results are checked: `same-rows` compares the sorted rows; `take` (for a take without
   * order, which may return any matching rows) checks that both return as many rows, all of
   * them among the rows of `allRowsSql`.
   */
  check: { kind: 'same-rows' } | { kind: 'take'; allRowsSql: string };
}

/** RE2 pattern for a Kusto `has` of a literal term (case-insensitive, term boundaries). */
const hasTerm = (term: string) => `'(?i)(^|[^0-9A-Za-z])${term}($|[^0-9A-Za-z])'`;

export const HUNTING_QUERIES: HuntingQuery[] = [
  {
    name: 'has: mimikatz command lines',
    kql: `SecurityEvent
| where CommandLine has "mimikatz"
| project TimeGenerated, Computer, Account, CommandLine`,
    sql: `SELECT TimeGenerated, Computer, Account, CommandLine
FROM SecurityEvent
WHERE CommandLine ILIKE '%mimikatz%' AND regexp_matches(CommandLine, ${hasTerm('mimikatz')})`,
    check: { kind: 'same-rows' },
  },
  {
    name: 'contains: -enc by host, first 10',
    kql: `SecurityEvent
| where CommandLine contains "-enc"
| summarize Count = count() by Computer
| sort by Count desc, Computer asc
| take 10`,
    sql: `SELECT Computer, count(*) AS Count
FROM SecurityEvent
WHERE CommandLine ILIKE '%-enc%'
GROUP BY Computer
ORDER BY Count DESC, Computer ASC
LIMIT 10`,
    check: { kind: 'same-rows' },
  },
  {
    name: 'summarize by bin(TimeGenerated, 1h)',
    kql: `SecurityEvent
| where EventID == 4625
| summarize Failures = count() by bin(TimeGenerated, 1h)`,
    sql: `SELECT time_bucket(INTERVAL 1 HOUR, TimeGenerated) AS TimeGenerated, count(*) AS Failures
FROM SecurityEvent
WHERE EventID = 4625
GROUP BY 1`,
    check: { kind: 'same-rows' },
  },
  {
    name: 'dcount: hosts per account, first 20',
    kql: `SecurityEvent
| where EventID == 4624
| summarize Hosts = dcount(Computer) by Account
| sort by Hosts desc, Account asc
| take 20`,
    sql: `SELECT Account, count(DISTINCT Computer) AS Hosts
FROM SecurityEvent
WHERE EventID = 4624
GROUP BY Account
ORDER BY Hosts DESC, Account ASC
LIMIT 20`,
    check: { kind: 'same-rows' },
  },
  {
    name: 'top 10 hosts by event count',
    kql: `SecurityEvent
| summarize Events = count() by Computer
| top 10 by Events`,
    sql: `SELECT Computer, count(*) AS Events
FROM SecurityEvent
GROUP BY Computer
ORDER BY Events DESC
LIMIT 10`,
    check: { kind: 'same-rows' },
  },
  {
    name: 'join: failed vs successful logons',
    kql: `let failures = SecurityEvent | where EventID == 4625 | summarize Failed = count() by Account;
let successes = SecurityEvent | where EventID == 4624 | summarize Succeeded = count() by Account;
failures
| join kind=inner successes on Account
| where Failed > 20
| project Account, Failed, Succeeded`,
    sql: `WITH failures AS (
  SELECT Account, count(*) AS Failed FROM SecurityEvent WHERE EventID = 4625 GROUP BY Account
), successes AS (
  SELECT Account, count(*) AS Succeeded FROM SecurityEvent WHERE EventID = 4624 GROUP BY Account
)
SELECT f.Account, f.Failed, s.Succeeded
FROM failures f JOIN successes s ON f.Account = s.Account
WHERE f.Failed > 20`,
    check: { kind: 'same-rows' },
  },
  {
    name: 'arg_max: last logon per host',
    kql: `SecurityEvent
| where EventID == 4624
| summarize arg_max(TimeGenerated, IpAddress, LogonType) by Computer`,
    sql: `SELECT Computer, max(TimeGenerated) AS TimeGenerated,
  arg_max(IpAddress, TimeGenerated) AS IpAddress, arg_max(LogonType, TimeGenerated) AS LogonType
FROM SecurityEvent
WHERE EventID = 4624
GROUP BY Computer`,
    check: { kind: 'same-rows' },
  },
  {
    name: 'in: account-management events',
    kql: `SecurityEvent
| where EventID in (4720, 4722, 4724, 4738, 4740)
| summarize Count = count() by EventID, Activity`,
    sql: `SELECT EventID, Activity, count(*) AS Count
FROM SecurityEvent
WHERE EventID IN (4720, 4722, 4724, 4738, 4740)
GROUP BY EventID, Activity`,
    check: { kind: 'same-rows' },
  },
  {
    name: 'startswith: logons on domain controllers',
    kql: `SecurityEvent
| where Computer startswith "dc" and EventID == 4624
| summarize Logons = count() by Computer, LogonType`,
    sql: `SELECT Computer, LogonType, count(*) AS Logons
FROM SecurityEvent
WHERE Computer ILIKE 'dc%' AND EventID = 4624
GROUP BY Computer, LogonType`,
    check: { kind: 'same-rows' },
  },
  {
    name: 'where + project + take',
    kql: `SecurityEvent
| where EventID == 4688 and CommandLine has "whoami"
| project TimeGenerated, Computer, Account, CommandLine
| take 100`,
    sql: `SELECT TimeGenerated, Computer, Account, CommandLine
FROM SecurityEvent
WHERE EventID = 4688 AND CommandLine ILIKE '%whoami%' AND regexp_matches(CommandLine, ${hasTerm('whoami')})
LIMIT 100`,
    check: {
      kind: 'take',
      allRowsSql: `SELECT TimeGenerated, Computer, Account, CommandLine
FROM SecurityEvent
WHERE EventID = 4688 AND regexp_matches(CommandLine, ${hasTerm('whoami')})`,
    },
  },
  {
    // One series of 720 hourly bins per account (empty hours hold 0); the time axis is left out
    // of the result, as 5,000 copies of it would pass Kusto's 64 MB result limit. The SQL looks
    // each hour up in a per-account map: joining every account to every hour and re-aggregating,
    // the textbook form, runs about 8 times slower in DuckDB.
    name: 'make-series: failed logons per account, 30 days by 1h',
    kql: `SecurityEvent
| where EventID == 4625
| make-series Failures = count() default = 0 on TimeGenerated from datetime(2024-05-01) to datetime(2024-05-31) step 1h by Account
| project Account, Failures`,
    sql: `WITH hourly AS (
  SELECT Account, (epoch_us(TimeGenerated) - epoch_us(TIMESTAMP '2024-05-01')) // 3600000000 AS hour, count(*) AS n
  FROM SecurityEvent
  WHERE EventID = 4625 AND TimeGenerated >= TIMESTAMP '2024-05-01' AND TimeGenerated < TIMESTAMP '2024-05-31'
  GROUP BY ALL
), per_account AS (
  SELECT Account, map_from_entries(list({'key': hour, 'value': n})) AS counts
  FROM hourly
  GROUP BY Account
)
SELECT Account, to_json(list_transform(range(0, 720), h -> coalesce(counts[h], 0))) AS Failures
FROM per_account`,
    check: { kind: 'same-rows' },
  },
  {
    name: 'mv-expand: commonest command-line tokens, first 20',
    kql: `SecurityEvent
| where EventID == 4688
| mv-expand Token = split(CommandLine, " ") to typeof(string)
| summarize Count = count() by Token
| sort by Count desc, Token asc
| take 20`,
    sql: `SELECT Token, count(*) AS Count
FROM (SELECT unnest(string_split(CommandLine, ' ')) AS Token FROM SecurityEvent WHERE EventID = 4688)
GROUP BY Token
ORDER BY Count DESC, Token ASC
LIMIT 20`,
    check: { kind: 'same-rows' },
  },
  {
    // parse's `*` is lazy and a trailing string column takes the rest of the text.
    name: 'parse: encoded PowerShell payloads by host count',
    kql: `SecurityEvent
| where EventID == 4688 and CommandLine contains "-enc "
| parse CommandLine with * "-enc " Payload
| summarize Hosts = dcount(Computer) by Payload`,
    sql: `SELECT regexp_extract(CommandLine, '^.*?-enc (.*)$', 1) AS Payload, count(DISTINCT Computer) AS Hosts
FROM SecurityEvent
WHERE EventID = 4688 AND CommandLine ILIKE '%-enc %'
GROUP BY 1`,
    check: { kind: 'same-rows' },
  },
];
