import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SentinelCatalog } from '../../src/catalog/catalog.js';
import { KqlError } from '../../src/kql/diagnostics.js';
import { objects, useEngine } from './helpers.js';

describe('Defender XDR tables answer to Timestamp as well as TimeGenerated', () => {
  const engine = useEngine();

  it('the catalog declares Timestamp on Defender XDR tables only', () => {
    const catalog = new SentinelCatalog();
    const names = (t: string) => catalog.get(t)!.columns.map((c) => c.name);
    assert.ok(names('DeviceProcessEvents').includes('Timestamp'));
    assert.ok(names('DeviceProcessEvents').includes('TimeGenerated'));
    assert.equal(catalog.get('DeviceProcessEvents')!.columns.find((c) => c.name === 'Timestamp')!.type, 'datetime');
    assert.equal(names('DeviceProcessEvents').filter((n) => n === 'Timestamp').length, 1);
    // An xdr-only table that already has Timestamp keeps its declared columns.
    assert.equal(names('AADSignInEventsBeta').filter((n) => n === 'Timestamp').length, 1);
    assert.ok(!names('SigninLogs').includes('Timestamp'));
  });

  it('a Defender query with Timestamp runs on the empty catalog table', async () => {
    const r = await engine().query('DeviceProcessEvents | where Timestamp > ago(1d) | project Timestamp, TimeGenerated, DeviceName');
    assert.deepEqual(r.columns.map((c) => [c.name, c.type]), [['Timestamp', 'datetime'], ['TimeGenerated', 'datetime'], ['DeviceName', 'string']]);
    assert.equal(r.rows.length, 0);
  });

  it('a stored table without Timestamp reads it from TimeGenerated', async () => {
    const e = engine();
    await e.connection.run(`CREATE TABLE DeviceLogonEvents (TimeGenerated TIMESTAMP, DeviceName VARCHAR)`);
    await e.connection.run(`INSERT INTO DeviceLogonEvents VALUES ('2026-01-02 03:04:05', 'ws1'), ('2026-01-01 00:00:00', 'ws2')`);
    await e.refreshCatalog();
    const r = await e.query(`DeviceLogonEvents | where Timestamp > datetime(2026-01-02) | project Timestamp, TimeGenerated, DeviceName`);
    assert.deepEqual(objects(r), [{ Timestamp: '2026-01-02T03:04:05.0000000Z', TimeGenerated: '2026-01-02T03:04:05.0000000Z', DeviceName: 'ws1' }]);
    // `*` keeps the stored columns and adds Timestamp after them, as the catalog declares it.
    const all = await e.query('DeviceLogonEvents | take 1');
    assert.deepEqual(all.columns.map((c) => c.name), ['TimeGenerated', 'DeviceName', 'Timestamp']);
    const byDay = await e.query('DeviceLogonEvents | summarize n = count() by bin(Timestamp, 1d) | order by Timestamp asc');
    assert.deepEqual(byDay.rows.map((row) => row[1]), [1, 1]);
  });

  it('a stored table with its own Timestamp reads that column', async () => {
    const e = engine();
    await e.connection.run(`CREATE TABLE DeviceFileEvents (TimeGenerated TIMESTAMP, Timestamp TIMESTAMP, FileName VARCHAR)`);
    await e.connection.run(`INSERT INTO DeviceFileEvents VALUES ('2026-01-02 00:00:00', '2026-01-01 00:00:00', 'a.exe')`);
    await e.refreshCatalog();
    const r = await e.query('DeviceFileEvents | project Timestamp, TimeGenerated');
    assert.deepEqual(r.rows, [['2026-01-01T00:00:00.0000000Z', '2026-01-02T00:00:00.0000000Z']]);
  });

  it('a Sentinel-only table does not answer to Timestamp', async () => {
    await assert.rejects(engine().query('SigninLogs | where Timestamp > ago(1d)'), (e: unknown) => e instanceof KqlError && /Timestamp/.test(e.message));
    const e = engine();
    await e.connection.run(`CREATE TABLE CustomLogs_CL (TimeGenerated TIMESTAMP)`);
    await e.refreshCatalog();
    await assert.rejects(e.query('CustomLogs_CL | project Timestamp'), (err: unknown) => err instanceof KqlError && err.kind === 'semantic');
  });
});
