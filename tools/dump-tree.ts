/**
 * Prints the analysed syntax tree of KQL queries, as Quarry's front end sees it: node kinds,
 * result columns of tabular nodes, scalar types and referenced symbols. For engine developers.
 *
 *   npx tsx tools/dump-tree.ts 'print d = dynamic([1]) | mv-expand d'
 */
import { KustoFrontend } from '../src/kql/frontend/kusto-language.js';
import type { SyntaxNodeData } from '../src/kql/frontend/syntax.js';
import { SentinelCatalog } from '../src/catalog/catalog.js';

const catalog = new SentinelCatalog();
const frontend = new KustoFrontend({ tableColumns: (name) => catalog.get(name)?.columns, reachableTables: () => catalog.names() });
const out: string[] = [];

function dump(n: SyntaxNodeData, depth = 0): void {
  if ((n.kind === 'List' && n.children.length === 0)) return;
  if (n.kind === 'SeparatedElement' || n.kind === 'List') return n.children.forEach((c) => dump(c, depth));
  const pad = '  '.repeat(depth);
  if (n.isToken) {
    out.push(`${pad}\`${n.text}\``);
    return;
  }
  const type = n.type ? `:${n.type}` : '';
  const cols = n.columns ? ` [${n.columns.map((c) => `${c.name}:${c.type}`).join(', ')}]` : '';
  const sym = n.symbol ? ` -> ${n.symbol.kind} ${n.symbol.name}` : '';
  out.push(`${pad}${n.kind}${type}${cols}${sym}`);
  n.children.forEach((c) => dump(c, depth + 1));
  if (n.expansion) {
    out.push(`${pad}  (expansion)`);
    dump(n.expansion, depth + 2);
  }
}

for (const query of process.argv.slice(2)) {
  const analysis = frontend.analyze(query);
  out.push(`=== ${query}`);
  for (const d of analysis.diagnostics) out.push(`${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`);
  dump(analysis.root);
}
process.stdout.write(out.join('\n') + '\n');
