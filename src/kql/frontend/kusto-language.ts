/**
 * The only module that touches Microsoft's Kusto.Language (npm @kusto/language-service-next).
 *
 * Kusto.Language is C# compiled to JavaScript with Bridge.NET: loading it defines the globals
 * `Bridge`, `System` and `Kusto`. They are read here and nowhere else; what leaves this module
 * is plain data (see syntax.ts).
 */
import { createRequire } from 'node:module';
import type { Column, KqlType } from '../types.js';
import { normaliseTypeName } from '../types.js';
import type { Diagnostic } from '../diagnostics.js';
import { KqlError, locate } from '../diagnostics.js';
import { fuzzyUnionMisses } from './fuzzy-union.js';
import type { AnalysisResult, LiteralValue, SymbolRef, SyntaxNodeData } from './syntax.js';
import { QUARRY_PLUGINS } from './quarry-plugins.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

interface Bridged {
  K: Any; // Kusto.Language namespace
  kindName: string[]; // SyntaxKind number → name
  symbolKindName: string[]; // SymbolKind number → name
  getTypeName(o: Any): string;
}

let bridged: Bridged | undefined;

function load(): Bridged {
  if (bridged) return bridged;
  const require = createRequire(import.meta.url);
  require('@kusto/language-service-next/bridge.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.js');
  const g = globalThis as Any;
  const K = g.Kusto.Language;
  const enumNames = (e: Any) => {
    const names: string[] = [];
    for (const [k, v] of Object.entries(e)) if (typeof v === 'number') names[v] = k;
    return names;
  };
  bridged = {
    K,
    kindName: enumNames(K.Syntax.SyntaxKind),
    symbolKindName: enumNames(K.Symbols.SymbolKind),
    getTypeName: (o: Any) => g.Bridge.getTypeName(o),
  };
  return bridged;
}

/** Looks up a table's columns by exact name; undefined when the table is unknown. */
export interface TableLookup {
  tableColumns(name: string): Column[] | undefined;
  /**
   * The tables a `find`/`search` over all tables, or a wildcard `union`, is analysed against,
   * given the identifiers its text uses (the analyzer needs the columns it references to exist).
   */
  reachableTables(identifiers: ReadonlySet<string>, wildcards: readonly string[]): string[];
  /** A saved (database) function by name: usable in queries as Kusto's stored functions are. */
  savedFunction?(name: string): SavedFunction | undefined;
  /** The CSV columns of a watchlist, for `_GetWatchlist('alias')`. */
  watchlistColumns?(alias: string): string[] | undefined;
}

/** The columns `_GetWatchlist()` gives before a watchlist's own, as Sentinel's function does. */
export const WATCHLIST_FIXED_COLUMNS: Column[] = [
  { name: '_DTItemId', type: 'string' }, { name: 'LastUpdatedTimeUTC', type: 'datetime' },
  { name: 'SearchKey', type: 'string' }, { name: 'WatchlistItem', type: 'dynamic' },
];

/** A stored KQL function: `name(parameters) { body }`, as in a Sentinel workspace. */
export interface SavedFunction {
  name: string;
  /** Kusto parameter list text, e.g. `(account:string, lookback:timespan = 1d)`; `()` for none. */
  parameters: string;
  /** The function's body: a query (a tabular expression, possibly after let statements) or a scalar expression. */
  body: string;
  /** Where the function is defined (its file), named in errors about its body. */
  source?: string;
}

/**
 * Operators that reach tables the text does not name: `find`/`search` without `in (…)` look at
 * every table, and a `union` (or `find in`/`search in`) may use a wildcard such as `Security*`.
 */
const REACHES_UNNAMED_TABLES = /\b(?:find|search)\b(?!\s+(?:kind\s*=\s*\w+\s+)?in\s*\()|\b(?:union|in)\b[^|]*?[A-Za-z0-9_]\*|\bunion\b[^|]*?\*/i;

/** A table name pattern with `*` in it (`Security*`, `*Events`, `Device*Events`), not a bare `*`. */
const TABLE_WILDCARD = /(?<![\w*])(?:[A-Za-z_][\w]*\*[\w*]*|\*[A-Za-z_][\w*]*)/g;

/** A user-visible plug-in Quarry adds beyond Kusto, declared so the analyzer knows its output. */
export interface PluginDeclaration {
  name: string;
  /** Kusto.Language parameter list and result schema, e.g. `(T:(*), k:long)` / `(*, score:real)`. */
  parameters: string;
  result: string;
}

let withPlugins: Any;

/** Kusto's default GlobalState with Quarry's own plug-ins added. */
function quarryGlobals(b: Bridged): Any {
  if (withPlugins) return withPlugins;
  const g = globalThis as Any;
  const list = new (g.System.Collections.Generic.List$1(b.K.Symbols.FunctionSymbol).ctor)();
  // PlugIns is an IReadOnlyList, whose Count Bridge.NET does not expose under that name: enumerate it.
  for (const p of g.Bridge.toArray(b.K.GlobalState.Default.PlugIns) as Any[]) list.add(p);
  for (const d of QUARRY_PLUGINS) list.add(pluginSymbol(b, d));
  withPlugins = b.K.GlobalState.Default.WithPlugIns(list);
  return withPlugins;
}

/**
 * A plug-in's symbol: Kusto.Language parses the parameter list (types, defaults); the result is
 * the input's columns (`*`) followed by the declared ones.
 */
function pluginSymbol(b: Bridged, d: PluginDeclaration): Any {
  const S = b.K.Symbols;
  const signature = new S.FunctionSymbol.$ctor16(d.name, d.parameters, '{ print 1 }', null).Signatures.getItem(0);
  const parameters: Any[] = [];
  for (let i = 0; i < signature.Parameters.Count; i++) parameters.push(signature.Parameters.getItem(i));
  const parts = d.result.replace(/^\s*\(|\)\s*$/g, '').split(',').map((x) => x.trim());
  const keepInput = parts[0] === '*';
  const appended = parts.slice(keepInput ? 1 : 0).map((x) => {
    const [name, type] = x.split(':').map((y) => y.trim());
    return { name: name!, type: normaliseTypeName(type!) ?? 'dynamic' };
  });
  const result = (context: Any): Any => {
    const columns: Any[] = [];
    const input = context.RowScope?.Columns;
    if (keepInput && input) for (let i = 0; i < input.Count; i++) columns.push(input.getItem(i));
    for (const c of appended) columns.push(new S.ColumnSymbol(c.name, S.ScalarTypes.GetSymbol(c.type)));
    const table = new S.TableSymbol.$ctor3(columns);
    return context.RowScope ? table.WithInheritableProperties(context.RowScope) : table;
  };
  return new S.FunctionSymbol.ctor(d.name, result, S.Tabularity.Tabular, parameters);
}

const IDENTIFIER = /\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]|[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * Parses and analyses KQL against a table catalog. Table symbols are built only for the
 * tables a query names, and analysis state (GlobalState) is reused across queries.
 */
export class KustoFrontend {
  private readonly tableSymbols = new Map<string, { key: string; symbol: Any }>();
  private readonly globalsCache = new Map<string, Any>();

  constructor(private readonly catalog: TableLookup) {}

  /** Forget cached table symbols (call after a table's schema changed). */
  invalidate(): void {
    this.tableSymbols.clear();
    this.globalsCache.clear();
  }

  analyze(text: string): AnalysisResult {
    const b = load();
    const { globals, functions } = this.globalsFor(text);
    const t0 = performance.now();
    let code: Any;
    try {
      code = b.K.KustoCode.ParseAndAnalyze(text, globals);
    } catch (err) {
      // Kusto.Language itself fails on a few malformed queries (found by fuzzing, e.g. a `fork`
      // with no branches after a join): that is bad input, reported as such.
      const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      throw new KqlError('syntax', `the query could not be analysed (Kusto.Language: ${why})`);
    }
    const analysisMs = performance.now() - t0;
    const converter = new TreeConverter(b, (name) => this.catalog.savedFunction?.(name) !== undefined);
    const root = converter.convert(code.Syntax);
    const diagnostics = fuzzyUnionMisses(root, [...this.savedFunctionErrors(text, functions), ...convertDiagnostics(text, code.GetDiagnostics())]);
    const rt = code.ResultType;
    const resultColumns = rt && b.symbolKindName[rt.Kind] === 'Table' ? converter.columnsOf(rt) : undefined;
    return { text, root, diagnostics, resultColumns, analysisMs };
  }

  /** A GlobalState holding a database with just the tables that `text` may name, and the saved functions it reaches. */
  private globalsFor(text: string): { globals: Any; functions: SavedFunction[] } {
    const b = load();
    const names = new Set<string>();
    const identifiers = new Set<string>();
    for (const m of text.matchAll(IDENTIFIER)) {
      const name = m[1] ?? m[2] ?? m[0];
      identifiers.add(name);
      if (this.catalog.tableColumns(name)) names.add(name);
    }
    const functions = this.savedFunctionsReachable(identifiers);
    for (const f of functions) {
      for (const m of f.body.matchAll(IDENTIFIER)) {
        const name = m[1] ?? m[2] ?? m[0];
        if (this.catalog.tableColumns(name)) names.add(name);
      }
    }
    if (REACHES_UNNAMED_TABLES.test(text)) {
      const wildcards = [...text.matchAll(TABLE_WILDCARD)].map((m) => m[0]);
      // A withsource= name is the query's own column: tables that happen to have it would clash.
      const referenced = new Set(identifiers);
      for (const m of text.matchAll(/\bwith_?source\s*=\s*([A-Za-z_]\w*)/gi)) referenced.delete(m[1]!);
      for (const name of this.catalog.reachableTables(referenced, wildcards)) names.add(name);
    }
    const symbols = [...[...names].sort().map((n) => this.tableSymbol(n)), ...functions.map((f) => this.functionSymbol(f))];
    if (identifiers.has('_GetWatchlist') && this.catalog.watchlistColumns) symbols.push(this.watchlistFunction());
    const key = symbols.map((s) => s.key).join('\u0001');
    let globals = this.globalsCache.get(key);
    if (!globals) {
      const db = new b.K.Symbols.DatabaseSymbol.ctor('workspace', symbols.map((s) => s.symbol));
      globals = quarryGlobals(b).WithDatabase(db);
      if (this.globalsCache.size > 256) this.globalsCache.clear();
      this.globalsCache.set(key, globals);
    }
    return { globals, functions };
  }

  private readonly bodyErrors = new Map<string, Diagnostic[]>();

  /**
   * Syntax errors in the bodies of the saved functions a query reaches, reported at the query's
   * first mention of the function and naming the file, line and column in the body: otherwise
   * Kusto.Language would only say the call is wrong.
   */
  private savedFunctionErrors(text: string, functions: readonly SavedFunction[]): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const f of functions) {
      let errors = this.bodyErrors.get(f.body);
      if (!errors) {
        errors = syntaxErrors(f.body);
        if (this.bodyErrors.size > 256) this.bodyErrors.clear();
        this.bodyErrors.set(f.body, errors);
      }
      const first = errors[0];
      if (!first) continue;
      const at = Math.max(0, text.search(new RegExp(`\\b${f.name}\\b`)));
      const { line, column } = locate(text, at);
      out.push({
        code: 'QRY_SAVED_FUNCTION', severity: 'error', start: at, length: f.name.length, line, column,
        message: `saved function '${f.name}' (${f.source ?? 'workspace'}, line ${first.line}, column ${first.column}) does not parse: ${first.message}`,
      });
    }
    return out;
  }

  /** Saved functions the text names, and those their bodies name in turn. */
  private savedFunctionsReachable(identifiers: ReadonlySet<string>): SavedFunction[] {
    const lookup = this.catalog.savedFunction?.bind(this.catalog);
    if (!lookup) return [];
    const found = new Map<string, SavedFunction>();
    const visit = (names: Iterable<string>) => {
      for (const name of names) {
        if (found.has(name)) continue;
        const f = lookup(name);
        if (!f) continue;
        found.set(name, f);
        visit([...f.body.matchAll(IDENTIFIER)].map((m) => m[1] ?? m[2] ?? m[0]));
      }
    };
    visit(identifiers);
    return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  private watchlistSymbol?: Any;

  /**
   * `_GetWatchlist(alias)`: a database function whose columns depend on its constant argument
   * (the watchlist's CSV header), so Kusto.Language types what follows it.
   */
  private watchlistFunction(): { key: string; symbol: Any } {
    const b = load();
    const S = b.K.Symbols;
    if (!this.watchlistSymbol) {
      const parameters = new S.FunctionSymbol.$ctor16('_GetWatchlist', '(watchlistAlias:string)', '{ print 1 }', null).Signatures.getItem(0).Parameters;
      const result = (context: Any): Any => {
        const arg = (globalThis as Any).Bridge.toArray(context.Arguments)[0];
        const alias = arg ? b.K.FunctionHelpers.GetConstantValue(arg) : null;
        const own = alias === null ? undefined : this.catalog.watchlistColumns?.(String(alias));
        const columns = [...WATCHLIST_FIXED_COLUMNS, ...(own ?? []).filter((c) => !WATCHLIST_FIXED_COLUMNS.some((f) => f.name === c)).map((c) => ({ name: c, type: 'string' as KqlType }))];
        return new S.TableSymbol.$ctor3(columns.map((c) => new S.ColumnSymbol(c.name, S.ScalarTypes.GetSymbol(c.type), null, null, null, null)));
      };
      this.watchlistSymbol = new S.FunctionSymbol.ctor('_GetWatchlist', result, S.Tabularity.Tabular, parameters);
    }
    return { key: 'fn _GetWatchlist', symbol: this.watchlistSymbol };
  }

  private functionSymbol(f: SavedFunction): { key: string; symbol: Any } {
    const S = load().K.Symbols;
    const body = `{\n${f.body}\n}`;
    return { key: `fn ${f.name}${f.parameters}${body}`, symbol: new S.FunctionSymbol.$ctor16(f.name, f.parameters, body, null) };
  }

  private tableSymbol(name: string): { key: string; symbol: Any } {
    const b = load();
    const columns = this.catalog.tableColumns(name)!;
    const key = `${name}(${columns.map((c) => `${c.name}:${c.type}`).join(',')})`;
    const cached = this.tableSymbols.get(name);
    if (cached && cached.key === key) return cached;
    const S = b.K.Symbols;
    const scalar = (t: KqlType): Any => S.ScalarTypes.GetSymbol(t);
    const cols = columns.map((c) => new S.ColumnSymbol(c.name, scalar(c.type), null, null, null, null));
    const entry = { key, symbol: new S.TableSymbol.$ctor4(name, cols) };
    this.tableSymbols.set(name, entry);
    return entry;
  }
}

/**
 * Places where this Kusto.Language release rejects what Kusto itself runs, as Microsoft's own
 * documentation shows: `count(x)` (summarize-operator.md counts rows with an argument).
 */
function isKnownAnalyzerGap(text: string, code: string, start: number): boolean {
  return code === 'KS107' && /\bcount\s*\(\s*$/.test(text.slice(Math.max(0, start - 40), start));
}

function convertDiagnostics(text: string, list: Any): Diagnostic[] {
  const out: Diagnostic[] = [];
  const count = list?.Count ?? 0;
  for (let i = 0; i < count; i++) {
    const d = list.getItem(i);
    const severity = String(d.Severity).toLowerCase();
    if (severity !== 'error' && severity !== 'warning') continue;
    if (isKnownAnalyzerGap(text, String(d.Code), d.Start)) continue;
    const { line, column } = locate(text, d.Start);
    out.push({
      code: String(d.Code),
      severity: severity as Diagnostic['severity'],
      message: String(d.Message),
      start: d.Start,
      length: d.Length,
      line,
      column,
    });
  }
  return out;
}

/** Copies a Kusto.Language syntax tree into plain SyntaxNodeData, with its semantic facts. */
class TreeConverter {
  private readonly symbolIds = new Map<Any, number>();

  constructor(
    private readonly b: Bridged,
    /** Saved functions are expanded like let-declared ones, though they have no declaration in the query. */
    private readonly isSavedFunction: (name: string) => boolean = () => false,
  ) {}

  convert(n: Any): SyntaxNodeData {
    const b = this.b;
    const kind = b.kindName[n.Kind] ?? String(n.Kind);
    if (n.IsToken) {
      return { kind, isToken: true, text: String(n.Text ?? ''), start: n.TextStart, length: n.Width, children: [] };
    }
    const node: SyntaxNodeData = { kind, isToken: false, start: n.TextStart, length: n.Width, children: [] };
    const rt = safe(() => n.ResultType);
    if (rt) this.applyType(node, rt);
    const sym = safe(() => n.ReferencedSymbol);
    if (sym) node.symbol = this.symbolRef(sym);
    if (safe(() => n.IsLiteral)) node.literal = this.literalOf(n, kind);
    if ((kind === 'FunctionCallExpression' || kind === 'NameReference') && node.symbol?.kind === 'Function' && !node.symbol.builtIn) {
      const exp = safe(() => n.GetExpansion());
      if (exp) node.expansion = this.convert(exp);
    }
    for (let i = 0; i < n.ChildCount; i++) {
      const c = n.GetChild(i);
      if (c) node.children.push(this.convert(c));
    }
    return node;
  }

  columnsOf(tableType: Any): Column[] {
    return listItems(tableType.Columns).map((c) => ({ name: String(c.Name), type: this.scalarType(c.Type) ?? 'dynamic' }));
  }

  private applyType(node: SyntaxNodeData, t: Any): void {
    const k = this.b.symbolKindName[t.Kind];
    if (k === 'Table') {
      node.tabular = true;
      node.columns = this.columnsOf(t);
    } else {
      const s = this.scalarType(t);
      if (s) node.type = s;
    }
  }

  private scalarType(t: Any): KqlType | undefined {
    if (!t) return undefined;
    const k = this.b.symbolKindName[t.Kind];
    if (k === 'Bag' || k === 'Array') return 'dynamic';
    if (k !== 'Primitive') return undefined;
    return normaliseTypeName(String(t.Name)) ?? 'dynamic';
  }

  private symbolRef(sym: Any): SymbolRef {
    const b = this.b;
    let id = this.symbolIds.get(sym);
    if (id === undefined) {
      id = this.symbolIds.size + 1;
      this.symbolIds.set(sym, id);
    }
    const kind = b.symbolKindName[sym.Kind] ?? String(sym.Kind);
    const ref: SymbolRef = { kind, name: String(sym.Name ?? ''), id };
    const typeOf = safe(() => sym.Type);
    if (typeOf) {
      const tk = b.symbolKindName[typeOf.Kind];
      if (tk === 'Table') ref.columns = this.columnsOf(typeOf);
      else ref.type = this.scalarType(typeOf);
    }
    if (kind === 'Table') ref.columns = this.columnsOf(sym);
    if (kind === 'Group') ref.members = listItems(sym.Members).map((m: Any) => this.symbolRef(m));
    if (kind === 'Function') {
      // Built-in functions have no declaration in the query; let-declared ones have a source.
      ref.builtIn = !safe(() => sym.Signatures?.getItem(0)?.Declaration) && !this.isSavedFunction(ref.name);
      if (this.isSavedFunction(ref.name)) {
        const signature = sym.Signatures.getItem(0);
        ref.parameters = listItems(signature.Parameters).map((p: Any) => {
          const dv = safe(() => p.DefaultValue);
          const declared = safe(() => listItems(p.DeclaredTypes)[0]);
          const type = declared ? this.scalarType(declared) : undefined;
          // A default parsed from the parameter list is not analysed: the builder types it as the parameter.
          const defaultValue = dv ? this.convert(dv) : undefined;
          if (defaultValue && type) defaultValue.type = type;
          return { name: String(p.Name), ...(type ? { type } : {}), ...(defaultValue ? { defaultValue } : {}) };
        });
      }
    }
    return ref;
  }

  private literalOf(n: Any, kind: string): LiteralValue {
    const v = safe(() => n.LiteralValue);
    if (v === null || v === undefined) {
      // Kusto.Language leaves some values undecoded (time(…), hex longs): the IR parses the text.
      if (/\(\s*null\s*\)\s*$/.test(String(n.ToString?.() ?? ''))) return { kind: 'null' };
      return { kind: 'text', value: String(n.ToString?.() ?? '') };
    }
    if (typeof v === 'string') return { kind: 'string', value: v };
    if (typeof v === 'boolean') return { kind: 'bool', value: v };
    if (kind === 'BooleanLiteralExpression') return { kind: 'bool', value: String(v) === 'True' };
    if (kind === 'LongLiteralExpression' || kind === 'IntLiteralExpression' || kind === 'RealLiteralExpression' || kind === 'DecimalLiteralExpression') {
      return { kind: 'number', value: String(v) };
    }
    return { kind: 'text', value: String(n.ToString?.() ?? '') };
  }
}

/** Items of a Bridge.NET list, which is sometimes a JS array and sometimes a List<T>. */
function listItems(list: Any): Any[] {
  if (!list) return [];
  if (Array.isArray(list)) return list;
  const out: Any[] = [];
  for (let i = 0; i < list.Count; i++) out.push(list.getItem(i));
  return out;
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** Kusto.Language's own ScalarTypes lookup understands these names. */
export type { Column };

let aggregateNameSet: Set<string> | undefined;

/** Names of Kusto's aggregate functions (count, dcount, make_list, …), from Kusto.Language. */
export function aggregateNames(): ReadonlySet<string> {
  if (aggregateNameSet) return aggregateNameSet;
  aggregateNameSet = new Set(listItems(load().K.Aggregates.All).map((a) => String(a.Name).toLowerCase()));
  return aggregateNameSet;
}

/** One statement of a query text, as the notebook kernel needs to know it. */
export interface StatementInfo {
  /** `let` binding, `declare query_parameters`, `set` option, the query itself, or another statement. */
  kind: 'let' | 'declare' | 'set' | 'query' | 'other';
  /** Names the statement declares (a let's name, the declared parameters). */
  names: string[];
  /** Names the statement refers to (identifier tokens), for ordering bindings by dependency. */
  references: string[];
  /** Offsets of the statement in the text (without its `;`). */
  start: number;
  end: number;
}

const STATEMENT_KINDS: Record<string, StatementInfo['kind']> = {
  LetStatement: 'let',
  QueryParametersStatement: 'declare',
  SetOptionStatement: 'set',
  ExpressionStatement: 'query',
};

/** Splits a query text into its statements (syntax only: nothing is analysed). */
export function parseStatements(text: string): StatementInfo[] {
  const b = load();
  const root = b.K.KustoCode.Parse(text, b.K.GlobalState.Default).Syntax;
  const out: StatementInfo[] = [];
  const visit = (n: Any): void => {
    const kind = b.kindName[n.Kind] ?? '';
    if (kind.endsWith('Statement')) {
      const names: string[] = [];
      const references = new Set<string>();
      collectNames(b, n, names, references);
      const statementKind = STATEMENT_KINDS[kind] ?? 'other';
      // A let binds its first name; later ones are a function's parameters.
      if (statementKind === 'let') names.length = Math.min(names.length, 1);
      out.push({ kind: statementKind, names, references: [...references], start: n.TextStart, end: n.TextStart + n.Width });
      return;
    }
    for (let i = 0; i < n.ChildCount; i++) {
      const c = n.GetChild(i);
      if (c && !c.IsToken) visit(c);
    }
  };
  visit(root);
  return out;
}

function collectNames(b: Bridged, n: Any, declared: string[], refs: Set<string>): void {
  const kind = b.kindName[n.Kind] ?? '';
  if (kind === 'NameDeclaration') {
    const name = safe(() => String(n.SimpleName));
    if (name) declared.push(name);
    return;
  }
  if (kind === 'NameReference') {
    const name = safe(() => String(n.SimpleName));
    if (name) refs.add(name);
  }
  for (let i = 0; i < n.ChildCount; i++) {
    const c = n.GetChild(i);
    if (c && !c.IsToken) collectNames(b, c, declared, refs);
  }
}

/** A completion offered at a cursor: the text to insert, what to show, and its kind. */
export interface CompletionEntry {
  text: string;
  display: string;
  /** Kusto.Language's CompletionKind name (Table, Column, BuiltInFunction, QueryPrefix, …). */
  kind: string;
}

export interface CompletionList {
  /** The span of the text the completions replace. */
  start: number;
  end: number;
  items: CompletionEntry[];
}

let completionKindName: string[] | undefined;

/**
 * Completion and quick info through Kusto.Language's code service, against a database of all
 * the tables in `tableNames`.
 */
export class KustoEditorService {
  private globals: Any;
  private globalsKey = '';

  constructor(private readonly catalog: Pick<TableLookup, 'tableColumns'> & { tableNames(): string[] }) {}

  private globalState(): Any {
    const b = load();
    const names = this.catalog.tableNames();
    const S = b.K.Symbols;
    const tables = names.flatMap((name) => {
      const columns = this.catalog.tableColumns(name);
      return columns ? [{ name, columns }] : [];
    });
    const key = tables.map((t) => `${t.name}(${t.columns.map((c) => `${c.name}:${c.type}`).join(',')})`).join('\u0001');
    if (this.globals && key === this.globalsKey) return this.globals;
    const symbols = tables.map((t) => new S.TableSymbol.$ctor4(t.name, t.columns.map((c) => new S.ColumnSymbol(c.name, S.ScalarTypes.GetSymbol(c.type), null, null, null, null))));
    // Quarry's plug-ins (evaluate isolation_forest, …) complete like Kusto's own.
    this.globals = quarryGlobals(b).WithDatabase(new S.DatabaseSymbol.ctor('workspace', symbols));
    this.globalsKey = key;
    return this.globals;
  }

  /** Completions at `cursor` (a UTF-16 offset), filtered by the word being typed. */
  complete(text: string, cursor: number): CompletionList {
    const b = load();
    completionKindName ??= Object.entries(b.K.Editor.CompletionKind).flatMap(([k, v]) => (typeof v === 'number' ? [[v, k] as const] : [])).reduce<string[]>((a, [v, k]) => ((a[v] = k), a), []);
    const service = new b.K.Editor.KustoCodeService.$ctor1(text, this.globalState());
    const info = service.GetCompletionItems(cursor);
    const start = info?.EditStart ?? cursor;
    const typed = text.slice(start, cursor).toLowerCase();
    const items: CompletionEntry[] = [];
    for (const it of listItems(info?.Items)) {
      const match = String(it.MatchText ?? it.DisplayText ?? '');
      if (typed && !match.toLowerCase().startsWith(typed)) continue;
      // EditText carries Kusto.Language's layout (`T\n| `, `abs( `): insert the bare text.
      const edit = String(it.BeforeText ?? it.EditText ?? it.DisplayText ?? '').trimEnd();
      items.push({ text: edit.replace(/\n\|$/, ''), display: String(it.DisplayText ?? edit), kind: completionKindName[it.Kind] ?? 'Unknown' });
    }
    return { start, end: Math.max(cursor, start + (info?.EditLength ?? 0)), items };
  }

  /** Kusto.Language's quick info at `cursor` (a symbol's type, a function's signature and doc), or undefined. */
  quickInfo(text: string, cursor: number): string | undefined {
    const b = load();
    const service = new b.K.Editor.KustoCodeService.$ctor1(text, this.globalState());
    const info = safe(() => service.GetQuickInfo(cursor));
    const parts: string[] = [];
    for (const item of listItems(info?.Items)) {
      const text = String(item.Text ?? '');
      if (!text) continue;
      parts.push(text);
      // This Kusto.Language build carries no descriptions: point at the function's documentation page.
      const name = /^(\w+)\(/.exec(text)?.[1];
      if (item.Kind === b.K.Editor.QuickInfoKind.BuiltInFunction && name) {
        const page = aggregateNames().has(name.toLowerCase()) ? `${name}-aggregation-function` : `${name}-function`;
        parts.push(`Documentation: https://learn.microsoft.com/kusto/query/${page}`);
      }
    }
    return parts.length ? parts.join('\n') : undefined;
  }
}

/** Syntax errors of a query text (parsing only, no tables needed): for "is this cell complete?". */
export function syntaxErrors(text: string): Diagnostic[] {
  const b = load();
  const code = b.K.KustoCode.Parse(text, b.K.GlobalState.Default);
  return convertDiagnostics(text, code.GetSyntaxDiagnostics()).filter((d) => d.severity === 'error');
}
