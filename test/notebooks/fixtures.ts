import { QueryEngine } from '../../src/engine/engine.js';
import { initWorkspace } from '../../src/workspace/workspace.js';

/** A workspace whose database has a small Logons table (alice once, bob twice). */
export async function makeLogonsWorkspace(dir: string): Promise<string> {
  const { workspace } = initWorkspace(dir);
  const engine = await QueryEngine.open({ databasePath: workspace.databasePath });
  try {
    await engine.connection.run(`CREATE TABLE Logons AS SELECT * FROM (VALUES
      ('alice', 4624, TIMESTAMP '2024-01-01 10:00:00'),
      ('bob', 4625, TIMESTAMP '2024-01-01 11:00:00'),
      ('bob', 4625, TIMESTAMP '2024-01-01 12:30:00')) AS t(Account, EventID, TimeGenerated)`);
  } finally {
    await engine.close();
  }
  return workspace.dir;
}
