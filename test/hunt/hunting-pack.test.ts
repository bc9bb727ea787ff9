import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { QueryEngine } from '../../src/engine/engine.js';
import { sqlString } from '../../src/engine/duckdb/sql-text.js';
import { SavedFunctions } from '../../src/workspace/saved-functions.js';

/**
 * The hunting pack (demo/workspace/functions) on real data nobody here wrote: the Azure Sentinel
 * notebooks' demo files shipped in demo/workspace/notebooks/data (MIT). Each test states what the
 * hunt finds there.
 */
const DATA = fileURLToPath(new URL('../../demo/workspace/notebooks/data/', import.meta.url));
const FUNCTIONS = fileURLToPath(new URL('../../demo/workspace/functions/', import.meta.url));
const csv = (file: string, extra = '') => `read_csv(${sqlString(DATA + file)}, header = true, all_varchar = true${extra})`;

describe('hunting pack', () => {
  let engine: QueryEngine;
  const rows = async (q: string) => (await engine.query(q)).rows;
  before(async () => {
    engine = await QueryEngine.open({ savedFunctions: new SavedFunctions([FUNCTIONS]) });
    const c = engine.connection;
    await c.run(`CREATE TABLE Outbound AS SELECT CAST(TimeGenerated AS TIMESTAMP) AS TimeGenerated, CAST(TotalBytesSent AS BIGINT) AS SentBytes,
      CAST(anomalies AS INTEGER) AS KustoFlag FROM ${csv('TimeSeriesDemo.csv')}`);
    await c.run(`CREATE TABLE Processes AS SELECT CAST(TimeGenerated AS TIMESTAMP) AS TimeGenerated, Computer, NewProcessName, coalesce(CommandLine, '') AS CommandLine
      FROM ${csv('processes_on_host.csv')}`);
    await c.run(`CREATE TABLE UserDays AS SELECT Date, DstUser, CAST(AttemptedLogons AS BIGINT) AS AttemptedLogons, CAST(FailedLogons AS BIGINT) AS FailedLogons,
      CAST(ComputersAccessed AS BIGINT) AS ComputersAccessed, CAST(DistinctSrcIp AS BIGINT) AS DistinctSrcIp FROM ${csv('iforest-demo-data.csv')}`);
    await c.run(`CREATE TABLE Logons AS SELECT CAST(TimeGenerated AS TIMESTAMP) AS TimeGenerated, CAST(EventID AS INTEGER) AS EventID, coalesce(TargetUserName, '') AS TargetUserName,
      coalesce(TargetDomainName, '') AS TargetDomainName, Computer, coalesce(IpAddress, '') AS IpAddress FROM ${csv('host_logons.csv')}`);
    await engine.refreshCatalog();
  });
  after(async () => engine.close());

  it('OutboundTrafficSpikes flags exactly the hours Kusto flagged in the same data, spikes and dips alike', async () => {
    const found = await rows('OutboundTrafficSpikes(Outbound) | project TimeGenerated, Direction');
    const kusto = await rows('Outbound | where KustoFlag != 0 | order by TimeGenerated asc | project TimeGenerated, Direction = iff(KustoFlag > 0, "spike", "dip")');
    assert.equal(kusto.length, 6);
    assert.deepEqual(found, kusto);
  });

  it('RareProcessesPerHost lists executables a host ran once, not its routine ones', async () => {
    const rare = await rows('RareProcessesPerHost(Processes) | project Process, Executions');
    assert.ok(rare.length > 10);
    assert.ok(rare.every((r) => r[1] === 1));
    const names = new Set(rare.map((r) => r[0]));
    assert.ok(names.has('c:\\windows\\system32\\dism.exe'));
    assert.ok(!names.has('c:\\windows\\system32\\conhost.exe'), 'conhost runs all the time on this host');
  });

  it('LogonAnomalies puts first the service-account day with 1,256 failed logons', async () => {
    const top = await rows('LogonAnomalies(UserDays) | take 1 | project Date, DstUser, FailedLogons');
    assert.deepEqual(top, [['9/16/2022', 'SRVACC-04', 1256]]);
  });

  it('UserBehaviourClusters groups the user-days; its outliers are all one over-active service account', async () => {
    const outliers = await rows('UserBehaviourClusters(UserDays) | where Outlier | summarize Days = count() by DstUser');
    assert.deepEqual(outliers, [['SRVACC-04', 10]]);
    const clusters = await rows('UserBehaviourClusters(UserDays) | where not(Outlier) | summarize dcount(cluster_id)');
    assert.deepEqual(clusters, [[2]]);
  });

  it('UserDayLogonFeatures builds the features from logon events (host_logons.csv)', async () => {
    const r = await engine.query('UserDayLogonFeatures(Logons) | where Account endswith "MSTICAdmin" | project AttemptedLogons, FailedLogons, ComputersAccessed');
    assert.deepEqual(r.rows, [[2, 0, 1]]);
  });
});
