import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';
import { Watchlists } from '../../src/workspace/watchlists.js';

/** _GetWatchlist('alias'): a workspace's watchlists/<alias>.csv, as Sentinel's function gives it. */
describe('watchlists', () => {
  let dir: string;
  let engine: QueryEngine;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'quarry-watchlists-'));
    writeFileSync(path.join(dir, 'HighValueAssets.csv'), 'IP,Owner,"Role, main"\n10.0.0.5,alice,"dc, primary"\n10.0.0.9,bob,\n');
    writeFileSync(path.join(dir, 'HighValueAssets.yaml'), 'searchKey: Owner\n');
    writeFileSync(path.join(dir, 'Vips.csv'), 'Upn\nceo@contoso.com\n');
    engine = await QueryEngine.open({ watchlists: new Watchlists(dir) });
  });
  after(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives SearchKey, WatchlistItem and the CSV columns as text (quoted fields kept whole)', async () => {
    const r = await engine.query("_GetWatchlist('HighValueAssets') | project SearchKey, IP, ['Role, main'], WatchlistItem | order by IP asc");
    assert.deepEqual(r.rows, [
      ['alice', '10.0.0.5', 'dc, primary', { IP: '10.0.0.5', Owner: 'alice', 'Role, main': 'dc, primary' }],
      ['bob', '10.0.0.9', '', { IP: '10.0.0.9', Owner: 'bob', 'Role, main': '' }],
    ]);
  });

  it('joins like a table; the search key defaults to the first column', async () => {
    const r = await engine.query("datatable(UserPrincipalName:string)['ceo@contoso.com', 'x@contoso.com'] | where UserPrincipalName in ((_GetWatchlist('Vips') | project SearchKey))");
    assert.deepEqual(r.rows, [['ceo@contoso.com']]);
  });

  it('editing the file updates the watchlist, new columns included', async () => {
    const file = path.join(dir, 'Vips.csv');
    writeFileSync(file, 'Upn,Title\ncfo@contoso.com,CFO\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    assert.deepEqual((await engine.query("_GetWatchlist('Vips') | project SearchKey, Title")).rows, [['cfo@contoso.com', 'CFO']]);
  });

  it('an unknown alias names the file it looked for', async () => {
    await assert.rejects(engine.query("_GetWatchlist('Nope')"), /no watchlist 'Nope' \(a file watchlists\/Nope\.csv\)/);
  });
});
