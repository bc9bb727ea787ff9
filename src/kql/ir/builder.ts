import type { AnalysisResult, SyntaxNodeData } from '../frontend/syntax.js';
import { KqlError } from '../diagnostics.js';
import type { Column, KqlType } from '../types.js';
import { normaliseTypeName } from '../types.js';
import type { ArgExtreme, Expr, JoinKind, NamedExpr, Plan, QueryIR, RenderSpec, SortKey, SummarizeOutput } from './ir.js';
import { parseDatetimeLiteral, parseNumberText, parseTimespanLiteral } from './literals.js';
import { type Binding, Scope } from './scope.js';
import { packAllExpr, packColumnsExpr, rowColumnRefs } from './functions/pack-columns.js';
import { columnIfExistsExpr } from './functions/column-ifexists.js';
import { ingestionTimeExpr } from './functions/ingestion-time.js';
import { asColumnType, itemValues, printedTuple } from './functions/tuple-results.js';
import { evaluatePlugin } from './operators/evaluate.js';
import { rebasedDiscovery, SchemaDiscoveryNeeded } from './schema-discovery.js';
import { buildScan } from './operators/scan.js';
import { topNested } from './operators/top-nested.js';
import { partition } from './operators/partition.js';
import { find, search } from './operators/search.js';
import { externalData } from './operators/external-data.js';
import { getWatchlist } from './operators/watchlist.js';
import { bindQueryParameters } from './query-parameters.js';
import { sample } from './operators/sample.js';
import { reduce } from './operators/reduce.js';
import { alignedInput, unionSchema } from './operators/union-schema.js';
import { buildMakeSeries } from './operators/make-series.js';
import { buildMvApply, buildMvExpand } from './operators/mv-expand.js';
import { buildParse, buildParseKv } from './operators/parse.js';
import { allTokens, child, declaredName, kids, nameText, namedParameters, ownTokens } from './syntax-helpers.js';

const WINDOW_FUNCTIONS = new Set(['row_number', 'prev', 'next', 'row_cumsum', 'row_rank_dense', 'row_rank_min', 'row_window_session']);

/**
 * Builds Quarry's IR from Kusto.Language's analysed tree. Result column names and types come
 * from Kusto.Language; this step decides what each column is computed from.
 *
 * Adding an operator: write its builder in `operators/<name>.ts` as a function of
 * (builder, operator node, input plan, scope), and add one `case` to `operator()` below. The
 * public methods (`plan`, `operator` for sub-queries such as mv-apply's, `expr`, `valueOf`, `cols`,
 * `sortKeys`, `unsupported`) are for those builders.
 */
/** A watchlist's CSV file, as `_GetWatchlist()` reads it. */
export interface WatchlistSource {
  file: string;
  columns: string[];
  searchKey: string;
}

/** What the IR builder needs to know beyond the analysed query. */
export interface IrEnvironment {
  /** Whether a table holds data in the database (a catalog-only table reads as empty). */
  tableExists: (name: string) => boolean;
  /** Values for `declare query_parameters`, from the caller. */
  queryParameters?: Readonly<Record<string, unknown>>;
  databaseIsEmpty?: () => boolean;
  /** The workspace's watchlists, for `_GetWatchlist('alias')`. */
  watchlist?: (alias: string) => WatchlistSource | undefined;
}

export class IrBuilder {
  private render: RenderSpec | null = null;
  private readonly options: Record<string, string | boolean> = {};
  private materializeIds = 0;
  /** Bodies of let-declared views, by their binding (see viewPlan). */
  private readonly viewBodies = new WeakMap<Binding, SyntaxNodeData>();
  /** Nesting of function expansions being built (0: the query's own text). */
  private expansionDepth = 0;
  /** Schema discoveries whose offsets are already in the query's text. */
  private readonly discoveryInQueryText = new WeakSet<SchemaDiscoveryNeeded>();
  private argExtremeIds = 0;
  /** The columns of the row the current operator's expressions see. */
  private rowColumns: Column[] = [];

  private readonly tableExists: (name: string) => boolean;
  private readonly queryParameters: Readonly<Record<string, unknown>>;
  /** Whether the database holds no tables at all (then `search`/`find` over all tables find nothing). */
  readonly databaseIsEmpty: () => boolean;
  readonly watchlist: (alias: string) => WatchlistSource | undefined;

  constructor(
    private readonly analysis: AnalysisResult,
    private readonly aggregateNames: ReadonlySet<string>,
    env: IrEnvironment,
  ) {
    this.tableExists = env.tableExists;
    this.queryParameters = env.queryParameters ?? {};
    this.databaseIsEmpty = env.databaseIsEmpty ?? (() => false);
    this.watchlist = env.watchlist ?? (() => undefined);
  }

  build(): QueryIR {
    const scope = new Scope();
    let result: Plan | undefined;
    for (const st of kids(this.analysis.root)) {
      switch (st.kind) {
        case 'LetStatement':
          this.letStatement(st, scope);
          break;
        case 'SetOptionStatement':
          this.setOption(st);
          break;
        case 'QueryParametersStatement':
          bindQueryParameters(this, st, scope, this.queryParameters);
          break;
        case 'ExpressionStatement': {
          const e = kids(st)[0]!;
          // A pipe is tabular even when its result has no single schema (fork).
          result = e.tabular || e.kind === 'PipeExpression' ? this.plan(e, scope) : this.printOf(e, scope);
          break;
        }
        default:
          throw this.unsupported(st, `the ${st.kind} statement`);
      }
    }
    if (!result) throw new KqlError('semantic', 'the query has no result statement (a tabular expression after the let statements)');
    return { plan: result, render: this.render, options: this.options };
  }

  // ---- statements -------------------------------------------------------------------------

  private letStatement(st: SyntaxNodeData, scope: Scope): void {
    const [decl, value] = kids(st);
    const name = declaredName(decl!);
    if (value!.kind === 'FunctionDeclaration') {
      const params = kids(child(value!, 'FunctionParameters') ?? value!)
        .filter((p) => p.kind === 'FunctionParameter')
        .map((p) => {
          const typed = child(p, 'NameAndTypeDeclaration');
          const decl = typed ? child(typed, 'NameDeclaration')! : kids(p)[0]!;
          const defaultNode = child(p, 'DefaultValueDeclaration');
          return { name: declaredName(decl), defaultValue: defaultNode ? kids(defaultNode)[0] : undefined };
        });
      const body = child(value!, 'FunctionBody');
      scope.bind(name, { kind: 'function', params, body: body && { start: body.start, inQuery: this.expansionDepth === 0 } });
      // A view (no parameters) may be reached by a union wildcard, which has no expansion of it.
      const viewBody = child(value!, 'FunctionBody');
      if (!params.length && viewBody) this.viewBodies.set(scope.lookup(name)!, viewBody);
    } else if (value!.tabular) {
      scope.bind(name, { kind: 'tabular', plan: this.plan(value!, scope) });
    } else {
      scope.bind(name, { kind: 'scalar', expr: this.expr(value!, scope) });
    }
  }

  private setOption(st: SyntaxNodeData): void {
    const parts = kids(st);
    const name = nameText(parts[0]!).toLowerCase();
    const value = parts[1];
    if (!value) this.options[name] = true;
    else if (value.kind === 'DateTimeLiteralExpression') this.options[name] = parseDatetimeLiteral(allTokens(value).join('')) ?? '';
    else this.options[name] = allTokens(value).join('').replace(/^(['"])(.*)\1$/, '$2');
  }

  /** A scalar expression statement (`1 + 1`) returns one row with column print_0. */
  private printOf(e: SyntaxNodeData, scope: Scope): Plan {
    return { op: 'print', columns: [{ name: 'print_0', type: e.type ?? 'dynamic' }], exprs: [{ name: 'print_0', expr: this.expr(e, scope) }] };
  }

  // ---- tabular expressions ----------------------------------------------------------------

  plan(n: SyntaxNodeData, scope: Scope): Plan {
    switch (n.kind) {
      case 'PipeExpression': {
        const [left, op] = kids(n);
        const input = this.plan(left!, scope);
        return this.operator(op!, input, scope);
      }
      case 'ParenthesizedExpression':
        return this.plan(kids(n)[0]!, scope);
      case 'NameReference':
      case 'BracketedExpression':
        return this.namedTable(n, scope);
      case 'DataTableExpression':
        return this.datatable(n, scope);
      case 'PrintOperator':
        return this.print(n, scope);
      case 'RangeOperator':
        return this.range(n, scope);
      case 'UnionOperator':
        return this.union(n, undefined, scope);
      case 'SearchOperator':
        return search(this, n, undefined, scope);
      case 'FindOperator':
        return find(this, n, scope);
      case 'ExternalDataExpression':
        return externalData(this, n, scope);
      case 'FunctionCallExpression':
        return this.tabularCall(n, scope);
      case 'MaterializeExpression':
        return { op: 'materialize', id: ++this.materializeIds, input: this.plan(kids(n)[0]!, scope), columns: this.cols(n) };
      case 'ContextualDataTableExpression':
      default:
        throw this.unsupported(n, `the ${n.kind} tabular expression`);
    }
  }

  cols(n: SyntaxNodeData): Column[] {
    if (!n.columns) throw new KqlError('semantic', `no result schema for ${n.kind}`);
    return n.columns;
  }

  private namedTable(n: SyntaxNodeData, scope: Scope): Plan {
    const sym = n.symbol;
    const name = sym?.name ?? nameText(n);
    if (sym?.kind === 'Table') return { op: 'table', name, exists: this.tableExists(name), columns: this.cols(n) };
    if (n.expansion) return this.expand(n, scope);
    const b = scope.lookup(name);
    if (b?.kind === 'tabular') return b.plan;
    throw new KqlError('semantic', `'${name}' does not refer to any known table`);
  }

  private tabularCall(n: SyntaxNodeData, scope: Scope): Plan {
    const name = n.symbol?.name ?? '';
    const args = kids(child(n, 'ExpressionList')!);
    if (name === 'materialize') {
      return { op: 'materialize', id: ++this.materializeIds, input: this.plan(args[0]!, scope), columns: this.cols(n) };
    }
    if (name === '_GetWatchlist') return getWatchlist(this, n, args, scope);
    if (name === 'table' && args[0]) {
      // table("T"), or table(p) where p is a constant (a function parameter given a literal).
      const arg = this.expr(args[0], scope);
      if (arg.k === 'literal' && typeof arg.value === 'string') {
        const t = arg.value;
        return { op: 'table', name: t, exists: this.tableExists(t), columns: this.cols(n) };
      }
      throw this.unsupported(n, 'table() of a name that is not a constant string');
    }
    if (n.expansion) return this.expand(n, scope);
    throw this.unsupported(n, `the tabular function ${name}()`);
  }

  /** A call of a let-declared function used as a table (a scalar body becomes a one-row print). */
  private expand(n: SyntaxNodeData, scope: Scope, piped?: Plan): Plan {
    return this.inExpansion(n, scope, () => {
      const { body, inner } = this.expansionBody(n, scope, piped);
      return body.tabular ? this.plan(body, inner) : this.printOf(body, inner);
    });
  }

  /** A call of a let-declared function used as a value (a tabular body gives its first cell). */
  private expandScalar(n: SyntaxNodeData, scope: Scope): Expr {
    return this.inExpansion(n, scope, () => {
      const { body, inner } = this.expansionBody(n, scope);
      return body.tabular ? { k: 'scalarOf', type: n.type ?? 'dynamic', plan: this.plan(body, inner) } : this.expr(body, inner);
    });
  }

  /**
   * Builds a function's expansion. A schema discovery raised inside it has offsets in the body's
   * expansion: they move to the declaring text (the query, or an enclosing body, which the
   * enclosing expansion moves on), so the engine writes the schema into the declaration.
   */
  private inExpansion<T>(n: SyntaxNodeData, scope: Scope, build: () => T): T {
    this.expansionDepth++;
    try {
      return build();
    } catch (err) {
      if (!(err instanceof SchemaDiscoveryNeeded) || this.discoveryInQueryText.has(err)) throw err;
      const name = n.symbol!.name;
      const declared = scope.lookup(name);
      const at = declared?.kind === 'function' ? declared.body : undefined;
      if (!at || !n.expansion) {
        throw new KqlError('unsupported', `${err.operator} inside the saved function ${name}() needs ${err.request.kind === 'databaseTables' ? "'in (tables)'" : "an output schema (': (Name:type, ...)')"}`);
      }
      const moved = rebasedDiscovery(err, at.start - n.expansion.start);
      if (at.inQuery) this.discoveryInQueryText.add(moved);
      throw moved;
    } finally {
      this.expansionDepth--;
    }
  }

  /** The body of a let-declared function as expanded at the call site, with its arguments bound. */
  private expansionBody(n: SyntaxNodeData, scope: Scope, piped?: Plan): { body: SyntaxNodeData; inner: Scope } {
    const name = n.symbol!.name;
    const declared = scope.lookup(name);
    // A let-declared function, or a saved one (its parameters come with the symbol).
    const fn = declared?.kind === 'function' ? declared : n.symbol!.parameters ? { kind: 'function' as const, params: n.symbol!.parameters } : undefined;
    const inner = scope.child();
    if (fn) {
      // Arguments bind by position, or by name (`f(c=7, a=12)`); missing ones take their defaults.
      const list = child(n, 'ExpressionList');
      const args = list ? kids(list) : [];
      const byName = new Map<string, SyntaxNodeData>();
      const positional: SyntaxNodeData[] = [];
      for (const a of args) {
        if (a.kind === 'SimpleNamedExpression') byName.set(declaredName(kids(a)[0]!), kids(a)[1]!);
        else positional.push(a);
      }
      // Positional arguments fill, in order, the parameters not given by name (`f(len=3, input)`).
      let next = 0;
      fn.params.forEach((p, i) => {
        // invoke: the piped table is the first argument.
        if (piped && i === 0) return inner.bind(p.name, { kind: 'tabular', plan: piped });
        const a = byName.get(p.name) ?? positional[next++] ?? p.defaultValue;
        if (!a) return;
        if (a.tabular) return inner.bind(p.name, { kind: 'tabular', plan: this.plan(a, scope) });
        const value = this.expr(a, scope);
        // A saved function's default is typed by its declared parameter type.
        inner.bind(p.name, { kind: 'scalar', expr: p.type && a === p.defaultValue && value.k === 'literal' ? { ...value, type: p.type } : value });
      });
    }
    const body = n.expansion!;
    let last: SyntaxNodeData | undefined;
    for (const st of kids(body)) {
      if (st.kind === 'LetStatement') this.letStatement(st, inner);
      else if (st.kind === 'ExpressionStatement') last = kids(st)[0];
      else last = st;
    }
    if (!last) throw new KqlError('semantic', `function ${name}() has no body expression`);
    return { body: last, inner };
  }

  private datatable(n: SyntaxNodeData, scope: Scope): Plan {
    const columns = this.cols(n);
    const values = kids(n).filter((c) => c.kind !== 'RowSchema' && c.kind !== 'NamedParameter');
    const rows: Expr[][] = [];
    for (let i = 0; i < values.length; i += columns.length) {
      rows.push(values.slice(i, i + columns.length).map((v, j) => this.castLiteral(this.expr(v, scope), columns[j]!.type)));
    }
    return { op: 'datatable', rows, columns };
  }

  /** datatable cells may be written as another type (a long in a real column): the column decides. */
  private castLiteral(e: Expr, type: KqlType): Expr {
    if (e.type === type) return e;
    if (e.k === 'literal' && e.value === null) return { ...e, type };
    return { k: 'call', type, fn: `to${type === 'real' ? 'real' : type}`, args: [e] };
  }

  private print(n: SyntaxNodeData, scope: Scope): Plan {
    const columns = this.cols(n);
    // A tuple-valued call (series_stats, array_sort_asc of several arrays) fills several columns.
    // Unlike extend, print gives `name = tuple` one column (Kusto.Language's columns).
    const values = kids(n).flatMap((it) => (it.kind === 'SimpleNamedExpression' ? [{ expr: printedTuple(this.valueOf(it, scope)) }] : this.itemValues(it, scope)));
    // `(a, b) = f()` naming fewer columns than f gives: Kusto.Language keeps the named ones.
    if (values.length < columns.length) throw this.unsupported(n, 'print with more columns than values');
    return { op: 'print', columns, exprs: columns.map((c, i) => ({ name: c.name, expr: asColumnType(values[i]!.expr, c.type) })) };
  }

  private range(n: SyntaxNodeData, scope: Scope): Plan {
    const [, from, to, step] = kids(n);
    return { op: 'range', columns: this.cols(n), from: this.expr(from!, scope), to: this.expr(to!, scope), step: this.expr(step!, scope) };
  }

  // ---- operators --------------------------------------------------------------------------

  operator(op: SyntaxNodeData, input: Plan, scope: Scope): Plan {
    // The input's columns are the row that pack_all() packs.
    const outerRow = this.rowColumns;
    this.rowColumns = input.columns;
    try {
      return this.operatorOver(op, input, scope);
    } finally {
      this.rowColumns = outerRow;
    }
  }

  private operatorOver(op: SyntaxNodeData, input: Plan, scope: Scope): Plan {
    const columns = () => this.cols(op);
    switch (op.kind) {
      case 'FilterOperator':
        return { op: 'where', input, predicate: this.expr(kids(op).filter((c) => c.kind !== 'NamedParameter')[0]!, scope), columns: input.columns };
      case 'TakeOperator': {
        const count = kids(op).filter((c) => c.kind !== 'NamedParameter')[0]!;
        return { op: 'take', input, count: this.expr(count, scope), columns: input.columns };
      }
      case 'ProjectOperator':
        return this.project(op, input, scope);
      case 'ExtendOperator':
        return this.extend(op, input, scope);
      case 'ProjectAwayOperator':
      case 'ProjectKeepOperator':
      case 'ProjectReorderOperator':
        return this.reshape(input, columns(), new Map());
      case 'ProjectRenameOperator': {
        const renames = new Map<string, string>();
        for (const e of kids(op)) {
          if (e.kind !== 'SimpleNamedExpression') continue;
          const [decl, src] = kids(e);
          renames.set(declaredName(decl!), src!.symbol?.name ?? nameText(src!));
        }
        return this.reshape(input, columns(), renames);
      }
      case 'SummarizeOperator':
        return this.summarize(op, input, scope);
      case 'CountOperator':
        return { op: 'count', input, columns: columns() };
      case 'SortOperator':
        return { op: 'sort', input, keys: this.sortKeys(op, scope), columns: input.columns };
      case 'TopOperator': {
        const parts = kids(op).filter((c) => c.kind !== 'NamedParameter');
        const sorted: Plan = { op: 'sort', input, keys: this.sortKeys(op, scope, parts.slice(1)), columns: input.columns };
        return { op: 'take', input: sorted, count: this.expr(parts[0]!, scope), columns: input.columns };
      }
      case 'DistinctOperator': {
        const cols = columns();
        const items = kids(op).filter((c) => c.kind !== 'NamedParameter');
        if (items.length === 1 && items[0]!.kind === 'StarExpression') {
          return { op: 'distinct', input, exprs: cols.map((c) => ({ name: c.name, expr: { k: 'column', type: c.type, name: c.name } })), columns: cols };
        }
        return { op: 'distinct', input, exprs: items.map((it, i) => ({ name: cols[i]!.name, expr: this.valueOf(it, scope) })), columns: cols };
      }
      case 'UnionOperator':
        return this.union(op, input, scope);
      case 'JoinOperator':
        return this.join(op, input, scope);
      case 'LookupOperator':
        return this.lookup(op, input, scope);
      case 'GetSchemaOperator':
        return { op: 'getschema', input, columns: columns() };
      case 'SerializeOperator': {
        const items = kids(op).filter((c) => c.kind !== 'NamedParameter');
        const ser: Plan = { op: 'serialize', input, columns: input.columns };
        return items.length ? this.extend(op, ser, scope) : ser;
      }
      case 'AsOperator': {
        const name = declaredName(kids(op).filter((c) => c.kind !== 'NamedParameter')[0]!);
        // hint.materialized=true: later references share one evaluation.
        const hint = namedParameters(op).get('hint.materialized');
        const shared: Plan = hint && allTokens(hint).join('').toLowerCase() === 'true'
          ? { op: 'materialize', id: ++this.materializeIds, input, columns: input.columns }
          : input;
        scope.bind(name, { kind: 'tabular', plan: shared });
        return shared;
      }
      case 'RenderOperator':
        this.render = this.renderSpec(op);
        return input;
      case 'MvExpandOperator':
        return buildMvExpand(this, op, input, scope);
      case 'MvApplyOperator':
        return buildMvApply(this, op, input, scope);
      case 'MakeSeriesOperator':
        return buildMakeSeries(this, op, input, scope);
      case 'ParseOperator':
        return buildParse(this, op, input, scope, false);
      case 'ParseWhereOperator':
        return buildParse(this, op, input, scope, true);
      case 'ParseKvOperator':
        return buildParseKv(this, op, input, scope);
      case 'InvokeOperator': {
        const call = child(op, 'FunctionCallExpression');
        if (!call?.expansion) throw this.unsupported(op, 'invoke of anything but a let-declared function');
        return this.expand(call, scope, input);
      }
      case 'SearchOperator':
        return search(this, op, input, scope);
      case 'ForkOperator':
        throw this.unsupported(op, 'fork (it returns several result tables, and a Quarry result holds one: run each branch as its own query)');
      case 'PartitionOperator':
        return partition(this, op, input, scope);
      case 'TopNestedOperator':
        return topNested(this, op, input, scope);
      case 'SampleOperator':
      case 'SampleDistinctOperator':
        return sample(this, op, input, scope);
      case 'EvaluateOperator':
        return evaluatePlugin(this, op, input, scope) ?? (() => { throw this.unsupported(op, this.operatorName(op)); })();
      case 'ReduceByOperator':
        return reduce(this, op, input, scope);
      case 'ScanOperator':
        return buildScan(this, op, input, scope);
      case 'ConsumeOperator':
        return { op: 'take', input, count: { k: 'literal', type: 'long', value: '0' }, columns: input.columns };
      default:
        throw this.unsupported(op, this.operatorName(op));
    }
  }

  /** Projection onto the operator's result columns, each taken from the input by name (or renamed). */
  private reshape(input: Plan, columns: Column[], renames: Map<string, string>): Plan {
    return {
      op: 'project', input, columns,
      exprs: columns.map((c) => ({ name: c.name, expr: { k: 'column', type: c.type, name: renames.get(c.name) ?? passedColumn(c.name, new Set(input.columns.map((i) => i.name))) } })),
    };
  }

  private project(op: SyntaxNodeData, input: Plan, scope: Scope): Plan {
    const columns = this.cols(op);
    const items = kids(op).filter((c) => c.kind !== 'NamedParameter');
    const exprs: NamedExpr[] = [];
    let ci = 0;
    for (const it of items) {
      for (const v of this.itemValues(it, scope)) {
        const c = columns[ci++];
        if (!c) throw this.unsupported(op, 'project with wildcards');
        exprs.push({ name: c.name, expr: asColumnType(v.expr, c.type) });
      }
    }
    if (exprs.length !== columns.length) throw this.unsupported(op, 'project with wildcards');
    return { op: 'project', input, exprs, columns };
  }

  extend(op: SyntaxNodeData, input: Plan, scope: Scope): Plan {
    const columns = this.cols(op);
    const inputNames = new Set(input.columns.map((c) => c.name));
    const assigned = new Map<string, Expr>();
    const unnamed: Expr[] = [];
    for (const it of kids(op).filter((c) => c.kind !== 'NamedParameter')) {
      const values = this.itemValues(it, scope);
      const only = values.length === 1 ? values[0]!.expr : undefined;
      // `extend x` of an input column changes nothing.
      if (only && values[0]!.name === undefined && only.k === 'column' && inputNames.has(only.name)) continue;
      for (const v of values) {
        if (v.name !== undefined) assigned.set(v.name, v.expr);
        else unnamed.push(v.expr);
      }
    }
    const fresh = columns.filter((c) => !inputNames.has(c.name) && !assigned.has(c.name));
    fresh.forEach((c, i) => {
      const e = unnamed[i];
      if (e) assigned.set(c.name, e);
    });
    const exprs = columns.map((c) => {
      const e = assigned.get(c.name);
      return { name: c.name, expr: e ? asColumnType(e, c.type) : ({ k: 'column', type: c.type, name: passedColumn(c.name, inputNames) } as Expr) };
    });
    return { op: 'project', input, exprs, columns };
  }

  /**
   * The values of an extend/project/print item with the names the query gives them: `a = e`,
   * `(a, b) = f(…)` (tuple assignment) or a bare expression; a tuple-valued call gives several.
   */
  private itemValues(it: SyntaxNodeData, scope: Scope): Array<{ name?: string; expr: Expr }> {
    if (it.kind === 'SimpleNamedExpression') {
      const [decl, value] = kids(it);
      return itemValues([declaredName(decl!)], this.expr(value!, scope));
    }
    if (it.kind === 'CompoundNamedExpression') {
      const [names, value] = kids(it);
      return itemValues(kids(names!).map(declaredName), this.expr(value!, scope));
    }
    return itemValues([], this.expr(it, scope));
  }

  private summarize(op: SyntaxNodeData, input: Plan, scope: Scope): Plan {
    const columns = this.cols(op);
    const byClause = child(op, 'SummarizeByClause');
    const aggItems = kids(op).filter((c) => c.kind !== 'NamedParameter' && c.kind !== 'SummarizeByClause');
    const keyItems = byClause ? kids(byClause) : [];
    const keys: NamedExpr[] = keyItems.map((k, i) => ({ name: columns[i]!.name, expr: this.valueOf(k, scope) }));
    // `*` carries every column but the keys that are that column itself (`by tostring(U)` names a
    // key U, and the column U is still carried, as U1).
    const keyNames = new Set(keys.filter((k) => k.expr.k === 'column' && k.expr.name === k.name).map((k) => k.name));
    const outputs: SummarizeOutput[] = [];
    const argExtremes: ArgExtreme[] = [];
    let ci = keys.length;
    const next = () => {
      const c = columns[ci++];
      if (!c) throw new KqlError('semantic', 'summarize: more aggregates than result columns');
      return c;
    };
    for (const item of aggItems) {
      // `name = agg(…)` and `(a, b) = arg_max(…)`: Kusto.Language's columns carry the names, in order.
      const call = item.kind === 'SimpleNamedExpression' || item.kind === 'CompoundNamedExpression' ? kids(item)[1]! : item;
      const called = call.kind === 'FunctionCallExpression' ? call.symbol?.name?.toLowerCase() : undefined;
      // argmax/argmin: the deprecated spellings of arg_max/arg_min, still in older queries.
      const fname = called === 'argmax' ? 'arg_max' : called === 'argmin' ? 'arg_min' : called;
      if (fname === 'arg_max' || fname === 'arg_min') {
        const args = kids(child(call, 'ExpressionList')!);
        const by = this.expr(args[0]!, scope);
        const id = ++this.argExtremeIds;
        const carried: Expr[] = [];
        const first = next();
        outputs.push({ name: first.name, type: first.type, argExtreme: { id, field: 'by' } });
        const byName = by.k === 'column' ? by.name : undefined;
        for (const a of args.slice(1)) {
          if (a.kind === 'StarExpression') {
            for (const c of input.columns) {
              if (keyNames.has(c.name) || c.name === byName) continue;
              const out = next();
              const field: Expr = { k: 'column', type: c.type, name: c.name };
              carried.push(field);
              outputs.push({ name: out.name, type: out.type, argExtreme: { id, field } });
            }
          } else {
            const out = next();
            const field = this.valueOf(a, scope);
            carried.push(field);
            outputs.push({ name: out.name, type: out.type, argExtreme: { id, field } });
          }
        }
        argExtremes.push({ id, fn: fname, by, carried });
      } else if ((fname === 'take_any' || fname === 'any') && this.takesRow(call)) {
        // take_any(a, b, …) and take_any(*): one arbitrary row's values, all from the same row,
        // as arg_max over a constant picks them.
        const id = ++this.argExtremeIds;
        const carried: Expr[] = [];
        for (const a of kids(child(call, 'ExpressionList')!)) {
          const fields: Expr[] = a.kind === 'StarExpression'
            ? input.columns.filter((c) => !keyNames.has(c.name)).map((c) => ({ k: 'column', type: c.type, name: c.name }))
            : [this.valueOf(a, scope)];
          for (const field of fields) {
            const out = next();
            carried.push(field);
            outputs.push({ name: out.name, type: out.type, argExtreme: { id, field } });
          }
        }
        argExtremes.push({ id, fn: 'arg_max', by: { k: 'literal', type: 'long', value: '1' }, carried });
      } else if (fname === 'percentiles' || fname === 'percentilesw') {
        // One result column per percentile: percentiles(x, p…) and percentilesw(x, w, p…).
        const args = kids(child(call, 'ExpressionList')!);
        const fixed = fname === 'percentiles' ? 1 : 2;
        const leading = args.slice(0, fixed).map((a) => this.expr(a, scope));
        for (const p of args.slice(fixed)) {
          const out = next();
          const fn = fname === 'percentiles' ? 'percentile' : 'percentilew';
          outputs.push({ name: out.name, type: out.type, expr: { k: 'aggregate', type: out.type, fn, args: [...leading, this.expr(p, scope)] } });
        }
      } else {
        const out = next();
        outputs.push({ name: out.name, type: out.type, expr: this.expr(call, scope, true) });
      }
    }
    if (ci !== columns.length) throw new KqlError('semantic', `summarize: ${columns.length} result columns but ${ci} computed`);
    if (columns.length === 0) throw this.unsupported(op, 'summarize without an aggregate or a by clause');
    return { op: 'summarize', input, keys, outputs, argExtremes, columns };
  }

  /** take_any with several arguments or `*` yields one column per value (a whole row). */
  private takesRow(call: SyntaxNodeData): boolean {
    const args = kids(child(call, 'ExpressionList')!);
    return args.length > 1 || args[0]?.kind === 'StarExpression';
  }

  sortKeys(op: SyntaxNodeData, scope: Scope, items?: SyntaxNodeData[]): SortKey[] {
    const list = items ?? kids(op).filter((c) => c.kind !== 'NamedParameter');
    return list.map((it) => {
      let e = it;
      let descending = true;
      let nullsFirst: boolean | undefined;
      if (it.kind === 'OrderedExpression') {
        e = kids(it)[0]!;
        const clause = child(it, 'OrderingClause');
        if (clause) {
          const toks = allTokens(clause).map((t) => t.toLowerCase());
          if (toks.includes('asc')) descending = false;
          if (toks.includes('first')) nullsFirst = true;
          if (toks.includes('last')) nullsFirst = false;
        }
      }
      // Kusto: ascending puts nulls first, descending puts them last.
      return { expr: this.expr(e, scope), descending, nullsFirst: nullsFirst ?? !descending };
    });
  }

  private union(op: SyntaxNodeData, input: Plan | undefined, scope: Scope): Plan {
    const params = namedParameters(op);
    const kind = params.get('kind') ? allTokens(params.get('kind')!).join('').toLowerCase() : 'outer';
    const withsource = params.get('withsource') ?? params.get('with_source');
    const fuzzy = params.has('isfuzzy') && allTokens(params.get('isfuzzy')!).join('').toLowerCase() === 'true';
    const inputs: Array<{ plan: Plan; source: string }> = [];
    if (input) inputs.push({ plan: input, source: 'union_arg0' });
    for (const t of kids(op).filter((c) => c.kind !== 'NamedParameter')) {
      if (t.symbol?.kind === 'Group') {
        // A wildcard (`Security*`): each table or let-declared view it stands for, named as itself.
        for (const m of t.symbol.members ?? []) {
          if (m.kind === 'Table') inputs.push({ plan: { op: 'table', name: m.name, exists: this.tableExists(m.name), columns: m.columns ?? [] }, source: m.name });
          else if (m.kind === 'Function') inputs.push({ plan: this.viewPlan(t, m.name, scope), source: m.name });
        }
        continue;
      }
      if (t.symbol?.kind === 'Function' && !t.expansion && child(t, 'WildcardedName')) {
        // A wildcard matching one view.
        inputs.push({ plan: this.viewPlan(t, t.symbol.name, scope), source: t.symbol.name });
        continue;
      }
      // isfuzzy=true: inputs that name nothing known are left out (Kusto.Language warns KS205).
      if (fuzzy && !t.columns?.length) continue;
      const name = t.kind === 'NameReference' ? (t.symbol?.name ?? nameText(t)) : `union_arg${inputs.length}`;
      let plan: Plan;
      try {
        plan = this.plan(t, scope);
      } catch (e) {
        if (fuzzy && e instanceof KqlError && e.kind === 'semantic') continue;
        throw e;
      }
      inputs.push({ plan, source: name });
    }
    let columns = this.cols(op);
    const sourceName = withsource ? declaredName(withsource) : undefined;
    if (kind !== 'inner' && !inputs.some(({ plan }) => plan.columns.some((c) => c.name === sourceName))) {
      // Kusto's names for columns whose types differ across inputs (Kusto.Language's differ), and
      // the columns of a union over views found by a wildcard (Kusto.Language gives none).
      const schema = unionSchema(inputs.map(({ plan }) => plan.columns));
      const typed = sourceName ? columns.slice(1) : columns;
      const differs = schema.derivedClash && typed.length === schema.columns.length && typed.every((c, i) => c.type === schema.columns[i]!.type);
      if (!typed.length || differs) {
        inputs.forEach((input, i) => (input.plan = alignedInput(input.plan, schema.targets[i]!)));
        columns = [...(sourceName ? [{ name: sourceName, type: 'string' as KqlType }] : []), ...schema.columns];
      }
    }
    if (kind === 'inner') {
      // Kusto.Language computes the outer schema even for kind=inner; Kusto keeps only the
      // columns every input has.
      columns = columns.filter((c) => inputs.every(({ plan }) => plan.columns.some((ic) => ic.name === c.name && ic.type === c.type)));
    }
    const plan: Plan = { op: 'union', inputs, outer: kind !== 'inner', columns };
    if (withsource) {
      plan.sourceColumn = declaredName(withsource);
      // An input column named like the source column: Kusto.Language lists it twice; Kusto
      // renames the input's one (`TableName1`).
      const clash = columns.findIndex((c, i) => c.name === plan.sourceColumn && i > columns.findIndex((d) => d.name === plan.sourceColumn));
      if (clash >= 0) {
        let n = 1;
        while (columns.some((c) => c.name === `${plan.sourceColumn}${n}`)) n++;
        plan.sourceClash = `${plan.sourceColumn}${n}`;
        plan.columns = columns.map((c, i) => (i === clash ? { ...c, name: plan.sourceClash! } : c));
      }
    }
    return plan;
  }

  /** A parameterless let-declared function (a view) that a union wildcard names, built from its body. */
  private viewPlan(at: SyntaxNodeData, name: string, scope: Scope): Plan {
    const body = this.viewBodies.get(scope.lookup(name)!);
    if (!body) throw this.unsupported(at, `a union wildcard matching ${name}, which is not a view without parameters`);
    const inner = scope.child();
    let last: SyntaxNodeData | undefined;
    for (const st of kids(body)) {
      if (st.kind === 'LetStatement') this.letStatement(st, inner);
      else last = st.kind === 'ExpressionStatement' ? kids(st)[0] : st;
    }
    if (!last?.tabular) throw this.unsupported(at, `a union wildcard matching ${name}, whose body is not tabular`);
    return this.plan(last, inner);
  }

  private join(op: SyntaxNodeData, left: Plan, scope: Scope): Plan {
    const params = namedParameters(op);
    const kindText = params.get('kind') ? allTokens(params.get('kind')!).join('').toLowerCase() : 'innerunique';
    const kinds: Record<string, JoinKind> = {
      innerunique: 'innerunique', inner: 'inner', leftouter: 'leftouter', rightouter: 'rightouter',
      fullouter: 'fullouter', outer: 'fullouter', leftanti: 'leftanti', anti: 'leftanti', leftantisemi: 'leftanti',
      rightanti: 'rightanti', rightantisemi: 'rightanti', leftsemi: 'leftsemi', semi: 'leftsemi', rightsemi: 'rightsemi',
    };
    const kind = kinds[kindText];
    if (!kind) throw this.unsupported(op, `join kind=${kindText}`);
    const rest = kids(op).filter((c) => c.kind !== 'NamedParameter');
    const right = this.plan(rest[0]!, scope);
    const on = this.joinConditions(rest.find((c) => c.kind === 'JoinOnClause' || c.kind === 'JoinWhereClause')!, scope);
    return { op: 'join', kind, left, right, on, columns: this.cols(op) };
  }

  private joinConditions(clause: SyntaxNodeData | undefined, scope: Scope): Array<{ left: Expr; right: Expr }> {
    if (!clause) throw new KqlError('semantic', 'join needs an on clause');
    const out: Array<{ left: Expr; right: Expr }> = [];
    const side = (e: SyntaxNodeData): { side: 'left' | 'right'; expr: Expr } => {
      const parts = kids(e);
      const which = nameText(parts[0]!).toLowerCase() === '$right' ? 'right' : 'left';
      return { side: which, expr: this.expr(parts[1]!, scope) };
    };
    const visit = (e: SyntaxNodeData) => {
      if (e.kind === 'AndExpression') return kids(e).forEach(visit);
      if (e.kind === 'EqualExpression') {
        const [a, b] = kids(e).map(side);
        const l = a!.side === 'left' ? a! : b!;
        const r = a!.side === 'left' ? b! : a!;
        out.push({ left: l.expr, right: r.expr });
        return;
      }
      if (e.kind === 'NameReference') {
        const c = this.expr(e, scope);
        out.push({ left: c, right: c });
        return;
      }
      throw this.unsupported(e, 'this join condition (only equality of columns is supported)');
    };
    kids(clause).forEach(visit);
    return out;
  }

  private lookup(op: SyntaxNodeData, left: Plan, scope: Scope): Plan {
    const params = namedParameters(op);
    const kindText = params.get('kind') ? allTokens(params.get('kind')!).join('').toLowerCase() : 'leftouter';
    const rest = kids(op).filter((c) => c.kind !== 'NamedParameter');
    const right = this.plan(rest[0]!, scope);
    const on = this.joinConditions(rest.find((c) => c.kind === 'JoinOnClause')!, scope);
    const columns = this.cols(op);
    // lookup = join without repeating the right side's key columns.
    const kind: JoinKind = kindText === 'inner' ? 'inner' : 'leftouter';
    const rightKeys = new Set(on.filter((c) => c.left.k === 'column' && c.right.k === 'column' && c.left.name === c.right.name).map((c) => (c.right as { name: string }).name));
    const rightCols = right.columns.filter((c) => !rightKeys.has(c.name));
    const narrowRight: Plan = {
      op: 'project', input: right, columns: [...right.columns.filter((c) => rightKeys.has(c.name)), ...rightCols],
      exprs: [...right.columns.filter((c) => rightKeys.has(c.name)), ...rightCols].map((c) => ({ name: c.name, expr: { k: 'column', type: c.type, name: c.name } })),
    };
    const joined: Plan = { op: 'join', kind, left, right: narrowRight, on, columns: [...left.columns, ...narrowRight.columns.map((c, i) => ({ name: `__r${i}`, type: c.type }))] };
    const keyCount = narrowRight.columns.length - rightCols.length;
    return {
      op: 'project', input: joined, columns,
      exprs: columns.map((c, i) => {
        if (i < left.columns.length) return { name: c.name, expr: { k: 'column', type: c.type, name: left.columns[i]!.name } as Expr };
        return { name: c.name, expr: { k: 'column', type: c.type, name: `__r${keyCount + i - left.columns.length}` } as Expr };
      }),
    };
  }

  private renderSpec(op: SyntaxNodeData): RenderSpec {
    const parts = kids(op);
    const toks = ownTokens(op);
    const kind = toks[1] ?? 'table';
    const properties: Record<string, unknown> = {};
    for (const p of parts) {
      if (p.kind !== 'NamedParameter' && p.kind !== 'RenderWithClause') continue;
      const inner = p.kind === 'RenderWithClause' ? kids(p).filter((x) => x.kind === 'NamedParameter') : [p];
      for (const np of inner) {
        const [name, value] = kids(np);
        const text = allTokens(value!).join('');
        properties[nameText(name!)] = /^(['"]).*\1$/.test(text) ? text.slice(1, -1) : text;
      }
    }
    return { kind, properties };
  }

  // ---- scalar expressions -----------------------------------------------------------------

  /** An item of project/print/distinct/by: `name = expr` or a bare expression. */
  valueOf(n: SyntaxNodeData, scope: Scope): Expr {
    if (n.kind === 'SimpleNamedExpression') return this.expr(kids(n)[1]!, scope);
    return this.expr(n, scope);
  }

  expr(n: SyntaxNodeData, scope: Scope, aggregating = false): Expr {
    const type: KqlType = n.type ?? 'dynamic';
    if (n.kind.endsWith('LiteralExpression') || n.kind === 'DynamicExpression') return this.literal(n);
    switch (n.kind) {
      case 'ParenthesizedExpression':
        return this.expr(kids(n)[0]!, scope, aggregating);
      case 'SimpleNamedExpression':
        return this.expr(kids(n)[1]!, scope, aggregating);
      case 'NameReference':
      case 'BracketedExpression':
        return this.nameRef(n, scope);
      case 'AndExpression':
      case 'OrExpression': {
        const [a, b] = kids(n);
        return { k: n.kind === 'AndExpression' ? 'and' : 'or', type: 'bool', args: [this.expr(a!, scope, aggregating), this.expr(b!, scope, aggregating)] };
      }
      case 'UnaryMinusExpression':
        return { k: 'op', type, op: 'neg', args: [this.expr(kids(n)[0]!, scope, aggregating)] };
      case 'UnaryPlusExpression':
        return this.expr(kids(n)[0]!, scope, aggregating);
      case 'InExpression': case 'InCsExpression': case 'NotInExpression': case 'NotInCsExpression':
      case 'InCiExpression': case 'NotInCiExpression': case 'HasAnyExpression': case 'HasAllExpression':
      case 'HasAnyCsExpression': case 'HasAllCsExpression':
        return this.inList(n, scope, aggregating);
      case 'BetweenExpression':
      case 'NotBetweenExpression': {
        const [x, range] = kids(n);
        const [lo, hi] = kids(range!);
        return { k: 'op', type: 'bool', op: n.kind === 'BetweenExpression' ? 'between' : '!between', args: [this.expr(x!, scope, aggregating), this.expr(lo!, scope, aggregating), this.expr(hi!, scope, aggregating)] };
      }
      case 'FunctionCallExpression':
        return this.call(n, scope, aggregating);
      case 'ToScalarExpression': {
        const inner = kids(n).find((c) => c.tabular);
        // toscalar() of a scalar expression is that expression's value
        if (!inner) return this.expr(kids(n)[0]!, scope, aggregating);
        return { k: 'scalarOf', type, plan: this.plan(inner, scope) };
      }
      case 'PathExpression':
      case 'ElementExpression':
        return this.path(n, scope, aggregating);
      case 'ConditionalExpression':
        throw this.unsupported(n, 'the conditional expression');
      default:
        if (/Expression$/.test(n.kind) && kids(n).length === 2 && n.symbol?.kind === 'Operator') return this.binary(n, scope, aggregating);
        throw this.unsupported(n, `the ${n.kind} expression`);
    }
  }

  private binary(n: SyntaxNodeData, scope: Scope, aggregating: boolean): Expr {
    const [a, b] = kids(n);
    const op = ownTokens(n).join(' ');
    return { k: 'op', type: n.type ?? 'dynamic', op, args: [this.expr(a!, scope, aggregating), this.expr(b!, scope, aggregating)] };
  }

  private inList(n: SyntaxNodeData, scope: Scope, aggregating: boolean): Expr {
    const [lhs, list] = kids(n);
    const op = ownTokens(n).join('');
    const x = this.expr(lhs!, scope, aggregating);
    const items = kids(list!);
    if (items.length === 1 && items[0]!.tabular) return { k: 'inPlan', type: 'bool', op, arg: x, plan: this.plan(items[0]!, scope) };
    return { k: 'op', type: 'bool', op, args: [x, ...items.map((i) => this.expr(i, scope, aggregating))] };
  }

  private nameRef(n: SyntaxNodeData, scope: Scope): Expr {
    const sym = n.symbol;
    const name = sym?.name ?? nameText(n);
    const type: KqlType = n.type ?? sym?.type ?? 'dynamic';
    if (sym?.kind === 'Column') return { k: 'column', type, name };
    const b = scope.lookup(name);
    if (b?.kind === 'scalar') return b.expr;
    if (b?.kind === 'tabular') return { k: 'scalarOf', type, plan: b.plan };
    if (sym?.kind === 'Function' && n.type) return { k: 'call', type, fn: name.toLowerCase(), args: [] };
    throw new KqlError('semantic', `'${name}' is not a column or scalar value here`);
  }

  private path(n: SyntaxNodeData, scope: Scope, aggregating: boolean): Expr {
    const type: KqlType = n.type ?? 'dynamic';
    const [base, sel] = kids(n);
    const b = this.expr(base!, scope, aggregating);
    let step: string | number | Expr;
    // `d.[expr]` is a path step computed like `d[expr]`; `d.name` and `d.['name']` are literal.
    const computedMember = n.kind === 'PathExpression' && sel!.kind === 'BracketedExpression' && !kids(sel!)[0]!.kind.endsWith('LiteralExpression');
    if (n.kind === 'PathExpression' && !computedMember) {
      step = nameText(sel!);
    } else {
      const inner = kids(sel!)[0]!;
      const e = this.expr(inner, scope, aggregating);
      if (e.k === 'literal' && e.value !== null && (e.type === 'string')) step = e.value as string;
      else if (e.k === 'literal' && e.value !== null && (e.type === 'long' || e.type === 'int')) step = Number(e.value);
      else if (e.k === 'op' && e.op === 'neg' && e.args[0]!.k === 'literal') step = -Number(e.args[0]!.value);
      else step = e;
    }
    if (b.k === 'path') return { k: 'path', type, base: b.base, steps: [...b.steps, step] };
    return { k: 'path', type, base: b, steps: [step] };
  }

  private call(n: SyntaxNodeData, scope: Scope, aggregating: boolean): Expr {
    const type: KqlType = n.type ?? 'dynamic';
    const name = (n.symbol?.name ?? nameText(kids(n)[0]!)).toLowerCase();
    const argNodes = kids(child(n, 'ExpressionList')!);
    if (n.expansion) return this.expandScalar(n, scope);
    if (name === 'toscalar') return { k: 'scalarOf', type, plan: this.plan(argNodes[0]!, scope) };
    if (name === 'now' && argNodes.length === 0) return { k: 'now', type: 'datetime' };
    if (name === 'now' || name === 'ago') {
      const offset = this.expr(argNodes[0]!, scope, aggregating);
      return { k: 'op', type: 'datetime', op: name === 'now' ? '+' : '-', args: [{ k: 'now', type: 'datetime' }, offset] };
    }
    if (name === 'not') return { k: 'not', type: 'bool', arg: this.expr(argNodes[0]!, scope, aggregating) };
    if (name === 'column_ifexists' || name === 'columnifexists') {
      return columnIfExistsExpr(this.rowColumns, this.expr(argNodes[0]!, scope, aggregating), this.expr(argNodes[1]!, scope, aggregating), type);
    }
    if (name === 'estimate_data_size' && argNodes.some((a) => a.kind === 'StarExpression')) {
      return { k: 'call', type, fn: name, args: rowColumnRefs(this.rowColumns) };
    }
    if (name === 'ingestion_time' && argNodes.length === 0) {
      const received = ingestionTimeExpr(this.rowColumns);
      if (received) return received;
    }
    if (name === 'pack_all') return packAllExpr(this.rowColumns, argNodes[0] && this.expr(argNodes[0], scope, aggregating));
    if (name === 'bag_pack_columns') {
      return packColumnsExpr(argNodes.map((a) => ({ name: a.symbol?.name ?? nameText(a), value: this.expr(a, scope, aggregating) })));
    }
    const args = argNodes.map((a) => (a.kind === 'StarExpression' ? ({ k: 'literal', type: 'bool', value: true } as Expr) : this.expr(a, scope, aggregating)));
    if (aggregating && this.aggregateNames.has(name)) return { k: 'aggregate', type, fn: name, args };
    if (WINDOW_FUNCTIONS.has(name)) return { k: 'window', type, fn: name, args };
    return { k: 'call', type, fn: name, args };
  }

  private literal(n: SyntaxNodeData): Expr {
    const type: KqlType = n.type ?? 'dynamic';
    const text = allTokens(n).join('');
    const lit = n.literal;
    if (lit?.kind === 'null' || /^\w+\(\s*null\s*\)$/i.test(text)) return { k: 'literal', type, value: null };
    switch (type) {
      case 'string':
        return { k: 'literal', type, value: lit?.kind === 'string' ? lit.value : text };
      case 'bool':
        return { k: 'literal', type, value: lit?.kind === 'bool' ? lit.value : /true/i.test(text) };
      case 'int':
      case 'long': {
        const inner = /^\w+\((.*)\)$/s.exec(text)?.[1] ?? text;
        return { k: 'literal', type, value: parseNumberText(inner) };
      }
      case 'real':
      case 'decimal': {
        const inner = /^\w+\((.*)\)$/s.exec(text)?.[1] ?? text;
        const t = inner.trim().toLowerCase();
        if (t === 'nan' || t === '+inf' || t === 'inf' || t === '-inf') return { k: 'literal', type, value: t === 'nan' ? 'NaN' : t.startsWith('-') ? '-Infinity' : 'Infinity' };
        return { k: 'literal', type, value: lit?.kind === 'number' ? lit.value : parseNumberText(inner) };
      }
      case 'datetime':
        return { k: 'literal', type, value: parseDatetimeLiteral(text) };
      case 'timespan': {
        const t = parseTimespanLiteral(text);
        return { k: 'literal', type, value: t === null ? null : t.toString() };
      }
      case 'guid': {
        const inner = /^\w+\((.*)\)$/s.exec(text)?.[1] ?? text;
        return { k: 'literal', type, value: inner.trim() };
      }
      case 'dynamic':
        return { k: 'literal', type, value: lit?.kind === 'string' ? lit.value : text.replace(/^dynamic\((.*)\)$/s, '$1') };
    }
  }

  /** How an analyst would name an operator: `the mv-expand operator`, `evaluate bag_unpack()`. */
  private operatorName(op: SyntaxNodeData): string {
    const words = allTokens(op).slice(0, 3).map((t) => t.toLowerCase());
    if (op.kind === 'EvaluateOperator') {
      const call = kids(op).find((c) => c.kind === 'FunctionCallExpression');
      return `evaluate ${call ? nameText(kids(call)[0]!) : words[1] ?? ''}()`;
    }
    return `the ${words[0] ?? op.kind} operator`;
  }

  unsupported(n: SyntaxNodeData, what: string): KqlError {
    return this.errorAt(n, 'unsupported', 'QRY001', `${what} is not supported yet`);
  }

  /** A semantic error (bad argument, wrong type) located at node `n`. */
  semantic(n: SyntaxNodeData, message: string): KqlError {
    return this.errorAt(n, 'semantic', 'QRY002', message);
  }

  private errorAt(n: SyntaxNodeData, kind: 'unsupported' | 'semantic', code: string, message: string): KqlError {
    const text = this.analysis.text;
    const start = n.start;
    let line = 1, col = 1;
    for (let i = 0; i < start && i < text.length; i++) {
      if (text[i] === '\n') { line++; col = 1; } else col++;
    }
    return new KqlError(kind, message, [
      { code, severity: 'error', message, start, length: n.length, line, column: col },
    ]);
  }
}

export { normaliseTypeName };

/**
 * The input column a passed-through result column reads. After a parse into an existing column
 * Kusto.Language lists that column twice (the old one, then the capture), and the next operator
 * names the second `Name1`; Quarry's parse replaced the column, so `Name1` reads `Name`.
 */
function passedColumn(name: string, inputNames: ReadonlySet<string>): string {
  if (inputNames.has(name)) return name;
  const m = /^(.+?)(\d+)$/.exec(name);
  return m && inputNames.has(m[1]!) ? m[1]! : name;
}
