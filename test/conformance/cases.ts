/** The kql-docs conformance cases (shared/conformance/kql-docs/cases.jsonl, beside the repo). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ConformanceCase {
  id: string;
  page: string;
  query: string;
  expected: { columns: string[]; rows: string[][] };
  ordered: boolean;
  notes?: string[];
}

/** `KQL_DOCS_CASES` overrides the default location, ../shared/… relative to the repository. */
export const CASES_PATH =
  process.env['KQL_DOCS_CASES'] ?? fileURLToPath(new URL('../../../shared/conformance/kql-docs/cases.jsonl', import.meta.url));

export function loadCases(path: string = CASES_PATH): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      const c = JSON.parse(line) as Partial<ConformanceCase>;
      if (typeof c.id !== 'string' || typeof c.query !== 'string' || !Array.isArray(c.expected?.columns) || !Array.isArray(c.expected?.rows)) {
        throw new Error(`${path}:${i + 1}: not a conformance case`);
      }
      cases.push({ ...c, ordered: Boolean(c.ordered) } as ConformanceCase);
    });
  return cases;
}
