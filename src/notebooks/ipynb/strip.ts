import type { CliIO } from '../../cli/io.js';
import { readNotebook, serialiseNotebook, writeNotebook, type Notebook } from './nbformat.js';
import { readFileSync } from 'node:fs';

/** Metadata that changes on every run and says nothing about the analysis. */
const VOLATILE_CELL_METADATA = ['execution', 'collapsed', 'scrolled'];

/** A notebook without outputs, execution counts or per-run metadata. */
export function stripNotebook(nb: Notebook): Notebook {
  return {
    ...nb,
    cells: nb.cells.map((c) => {
      const metadata = Object.fromEntries(Object.entries(c.metadata).filter(([k]) => !VOLATILE_CELL_METADATA.includes(k)));
      return c.cell_type === 'code' ? { ...c, metadata, outputs: [], execution_count: null } : { ...c, metadata };
    }),
  };
}

/** `quarry notebook strip FILES…`: rewrites each file only when stripping changes it. */
export async function stripNotebookCommand(files: string[], io: CliIO): Promise<number> {
  for (const file of files) {
    const stripped = stripNotebook(readNotebook(file));
    if (serialiseNotebook(stripped) === readFileSync(file, 'utf8')) {
      io.stderr.write(`${file}: already clean\n`);
      continue;
    }
    writeNotebook(file, stripped);
    io.stderr.write(`${file}: outputs removed\n`);
  }
  return 0;
}
