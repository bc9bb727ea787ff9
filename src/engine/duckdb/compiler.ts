import { KqlError } from '../../kql/diagnostics.js';
import type { ArgExtreme, Expr, Plan, PlanOf, QueryIR, SortKey } from '../../kql/ir/ir.js';
import { exprChildren } from '../../kql/ir/expr-children.js';
import type { Column, KqlType } from '../../kql/types.js';
import type { TimeRange } from '../result.js';
import type { Dialect, FnContext, SqlValue } from '../dialect.js';
import { sqlIdent, sqlString } from './sql-text.js';
import { storedSource } from '../../catalog/defender-timestamp.js';
import { compileSequentialProject, hasSequentialWindows } from './operators/sequential-windows.js';
import { compileTopNested } from './operators/top-nested.js';
import { compileInPlan } from './operators/in-plan.js';
import { compileIpLookup } from './operators/ip-lookup.js';
import { compileGeoLookup } from './operators/geo-lookup.js';
import { compilePartition, compilePartitionRows } from './operators/partition.js';
import { compileExternalData } from './operators/external-data.js';
import { compileModel } from './operators/ml-model.js';
import { compileScan } from './operators/scan.js';
import { compilePatterns } from './operators/pattern-plugins.js';
import { compileMakeSeries } from './operators/make-series.js';
import { compileApplyRow, compileMvApply, compileMvExpand } from './operators/mv-expand.js';
import { compileParse, compileParseKv } from './operators/parse.js';

/** How column references resolve while compiling an expression. */
export interface ExprScope {
  /** Table alias to qualify column references with (joins), if any. */
  qualifier?: string;
  /** ORDER BY text of the input's row order, for window functions. */
  orderBy?: string;
  /** Whether aggregate calls are allowed here (summarize). */
  aggregating?: boolean;
}

export interface CompiledQuery {
  sql: string;
  columns: Column[];
  warnings: string[];
}

/**
 * Compiles Quarry's IR to one DuckDB SELECT. Each plan node becomes a SELECT over its input as
 * a derived table; DuckDB's optimizer flattens the nesting. Values from the query reach SQL only
 * through the dialect's literal() (sql-text.ts).
 *
 * Adding a plan operator: write its compiler in `operators/<name>.ts` as a function of
 * (compiler, plan node) returning a SELECT, and add one `case` to `plan()` below; `plan`,
 * `from`, `expr`, `predicate`, `alias`, `orderOf`, `emptyRelation` and `dialect` are for those.
 */
export class DuckDbCompiler {
  private readonly ctes = new Map<Plan, { name: string; sql: string }>();
  private readonly warnings: string[] = [];
  private aliasCount = 0;
  private onceCount = 0;
  readonly ctx: FnContext;
  /** Rows of stored tables outside this range are not seen (QueryOptions.timeRange). */
  timeRange?: TimeRange;

  constructor(
    readonly dialect: Dialect,
    private readonly now: Date,
    /** Column names of a table as stored in the database (Defender's Timestamp may be declared, not stored). */
    private readonly storedColumns: (table: string) => ReadonlySet<string> | undefined = () => undefined,
    /** The local copy of an http(s) externaldata source, fetched before compiling. */
    readonly remoteFile: (url: string) => string | undefined = () => undefined,
  ) {
    this.ctx = {
      literal: (v, t) => dialect.literal(v, t),
      ident: (n) => dialect.ident(n),
      warn: (m) => this.warnings.push(m),
    };
  }

  compile(ir: QueryIR): CompiledQuery {
    const body = this.plan(ir.plan);
    const ctes = [...this.ctes.values()];
    const sql = ctes.length ? `WITH ${ctes.map((c) => `${c.name} AS MATERIALIZED (${c.sql})`).join(', ')} ${body}` : body;
    return { sql, columns: ir.plan.columns, warnings: this.warnings };
  }

  alias(): string {
    return `t${++this.aliasCount}`;
  }

  from(p: Plan): string {
    return `(${this.plan(p)}) AS ${this.alias()}`;
  }

  plan(p: Plan): string {
    switch (p.op) {
      case 'table':
        return this.table(p);
      case 'datatable':
        return this.datatable(p);
      case 'print':
        return `SELECT ${p.exprs.map((e) => `${this.expr(e.expr, {}).sql} AS ${sqlIdent(e.name)}`).join(', ')}`;
      case 'range':
        return this.range(p);
      case 'where': {
        const scope = { orderBy: this.orderOf(p.input) };
        // SQL allows no window function in WHERE (`where row_number() == n`): the condition is computed first.
        if (hasWindow(p.predicate)) {
          return `SELECT * EXCLUDE ("__where") FROM (SELECT *, ${this.expr(p.predicate, scope).sql} AS "__where" FROM ${this.from(p.input)}) AS ${this.alias()} WHERE "__where"`;
        }
        return `SELECT * FROM ${this.from(p.input)} WHERE ${this.predicate(p.predicate, scope)}`;
      }
      case 'project': {
        if (hasSequentialWindows(p.exprs)) return compileSequentialProject(this, p);
        const scope = { orderBy: this.orderOf(p.input) };
        return `SELECT ${p.exprs.map((e) => `${this.expr(e.expr, scope).sql} AS ${sqlIdent(e.name)}`).join(', ') || 'NULL AS "__empty"'} FROM ${this.from(p.input)}`;
      }
      case 'summarize':
        return this.summarize(p);
      case 'sort':
        return `SELECT * FROM ${this.from(p.input)} ORDER BY ${this.orderText(p.keys, {})}`;
      case 'take':
        return `SELECT * FROM ${this.from(p.input)} LIMIT ${this.expr(p.count, {}).sql}`;
      case 'distinct':
        return `SELECT DISTINCT ${p.exprs.map((e) => `${this.expr(e.expr, {}).sql} AS ${sqlIdent(e.name)}`).join(', ')} FROM ${this.from(p.input)}`;
      case 'union':
        return this.union(p);
      case 'join':
        return this.join(p);
      case 'getschema':
        return this.getschema(p);
      case 'count':
        return `SELECT count(*) AS ${sqlIdent(p.columns[0]!.name)} FROM ${this.from(p.input)}`;
      case 'serialize':
        return this.plan(p.input);
      case 'materialize':
        return `SELECT * FROM ${this.cte(p)}`;
      case 'parse':
        return compileParse(this, p);
      case 'parseKv':
        return compileParseKv(this, p);
      case 'mvExpand':
        return compileMvExpand(this, p);
      case 'mvApply':
        return compileMvApply(this, p);
      case 'applyRow':
        return compileApplyRow(p);
      case 'makeSeries':
        return compileMakeSeries(this, p);
      case 'topNested':
        return compileTopNested(this, p);
      case 'geoLookup':
        return compileGeoLookup(this, p);
      case 'ipLookup':
        return compileIpLookup(this, p);
      case 'partition':
        return compilePartition(this, p);
      case 'partitionRows':
        return compilePartitionRows(this, p);
      case 'externalData':
        return compileExternalData(this, p);
      case 'model':
        return compileModel(this, p);
      case 'scan':
        return compileScan(this, p);
      case 'patterns':
        return compilePatterns(this, p);
    }
  }

  private cte(p: PlanOf<'materialize'>): string {
    let c = this.ctes.get(p);
    if (!c) {
      const sql = this.plan(p.input);
      c = { name: `m${this.ctes.size + 1}`, sql };
      this.ctes.set(p, c);
    }
    return c.name;
  }

  /** ORDER BY text for window functions when the input's order is defined by a sort. */
  orderOf(p: Plan): string | undefined {
    let cur: Plan = p;
    // Projections between here and the sort must pass the sort's key columns through unchanged.
    const projections: Array<PlanOf<'project'>> = [];
    for (;;) {
      if (cur.op === 'sort') {
        const keys = cur.keys;
        const kept = keys.every((k) => k.expr.k === 'column' && projections.every((pr) => passesThrough(pr, (k.expr as { name: string }).name)));
        return kept || projections.length === 0 ? this.orderText(keys, {}) : undefined;
      }
      if (cur.op === 'project') {
        projections.push(cur);
        cur = cur.input;
      } else if (cur.op === 'serialize' || cur.op === 'where' || cur.op === 'take' || cur.op === 'parse' || cur.op === 'parseKv') cur = cur.input;
      else return undefined;
    }
  }

  private orderText(keys: SortKey[], scope: ExprScope): string {
    return keys
      .map((k) => `${this.expr(k.expr, scope).sql} ${k.descending ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`)
      .join(', ');
  }

  private table(p: PlanOf<'table'>): string {
    if (!p.exists) return this.emptyRelation(p.columns);
    const stored = this.storedColumns(p.name);
    const cols = p.columns.map((c) => {
      const source = stored ? storedSource(c.name, stored) ?? c.name : c.name;
      return source === c.name ? sqlIdent(c.name) : `${sqlIdent(source)} AS ${sqlIdent(c.name)}`;
    }).join(', ');
    return `SELECT ${cols} FROM ${sqlIdent(p.name)}${this.timeRangeFilter(stored)}`;
  }

  /** The WHERE clause of the query's time range (QueryOptions.timeRange) on a stored table that has its column. */
  private timeRangeFilter(stored: ReadonlySet<string> | undefined): string {
    const range = this.timeRange;
    const column = range?.column ?? 'TimeGenerated';
    if (!range || !stored?.has(column)) return '';
    const at = (d: Date) => this.dialect.literal(d.toISOString(), 'datetime');
    return ` WHERE ${sqlIdent(column)} >= ${at(range.from)} AND ${sqlIdent(column)} < ${at(range.to)}`;
  }

  emptyRelation(columns: Column[]): string {
    const cols = columns.map((c) => `CAST(NULL AS ${this.dialect.sqlType(c.type)}) AS ${sqlIdent(c.name)}`).join(', ');
    return `SELECT ${cols || 'NULL AS "__empty"'} WHERE false`;
  }

  private datatable(p: PlanOf<'datatable'>): string {
    if (p.rows.length === 0) return this.emptyRelation(p.columns);
    const rows = p.rows.map((r) => `(${r.map((v, i) => `CAST(${this.expr(v, {}).sql} AS ${this.dialect.sqlType(p.columns[i]!.type)})`).join(', ')})`);
    return `SELECT * FROM (VALUES ${rows.join(', ')}) AS ${this.alias()}(${p.columns.map((c) => sqlIdent(c.name)).join(', ')})`;
  }

  private range(p: PlanOf<'range'>): string {
    const col = p.columns[0]!;
    const from = this.expr(p.from, {});
    const to = this.expr(p.to, {});
    const step = this.expr(p.step, {});
    const name = sqlIdent(col.name);
    if (col.type === 'datetime') {
      return `SELECT CAST(generate_series AS TIMESTAMP) AS ${name} FROM generate_series(CAST(${from.sql} AS TIMESTAMP), CAST(${to.sql} AS TIMESTAMP), to_microseconds(CAST((${step.sql}) // 10 AS BIGINT)))`;
    }
    if (col.type === 'long' || col.type === 'int' || col.type === 'timespan') {
      return `SELECT CAST(generate_series AS ${this.dialect.sqlType(col.type)}) AS ${name} FROM generate_series(CAST(${from.sql} AS BIGINT), CAST(${to.sql} AS BIGINT), CAST(${step.sql} AS BIGINT))`;
    }
    // real (and decimal) ranges: count the steps, then scale.
    return `SELECT CAST((${from.sql}) + i * (${step.sql}) AS ${this.dialect.sqlType(col.type)}) AS ${name} FROM generate_series(0, CAST(floor(((${to.sql}) - (${from.sql})) / (${step.sql}) + 1e-9) AS BIGINT)) AS g(i)`;
  }

  private summarize(p: PlanOf<'summarize'>): string {
    const inner: string[] = [];
    p.keys.forEach((k, i) => inner.push(`${this.expr(k.expr, {}).sql} AS "__k${i}"`));
    const outer: string[] = p.keys.map((k, i) => `"__k${i}" AS ${sqlIdent(k.name)}`);
    const extremes = new Map<number, ArgExtreme>(p.argExtremes.map((a) => [a.id, a]));
    for (const a of p.argExtremes) {
      const fields = [`'by': ${this.expr(a.by, {}).sql}`, ...a.carried.map((c, i) => `'f${i}': ${this.expr(c, {}).sql}`)];
      inner.push(`${a.fn}({${fields.join(', ')}}, ${this.expr(a.by, {}).sql}) AS "__x${a.id}"`);
    }
    p.outputs.forEach((o, i) => {
      if (o.argExtreme) {
        const a = extremes.get(o.argExtreme.id)!;
        const field = o.argExtreme.field === 'by' ? 'by' : `f${a.carried.indexOf(o.argExtreme.field)}`;
        outer.push(`${this.nonNullString(`"__x${a.id}"."${field}"`, o.type)} AS ${sqlIdent(o.name)}`);
      } else {
        inner.push(`${this.expr(o.expr!, { aggregating: true }).sql} AS "__a${i}"`);
        outer.push(`"__a${i}" AS ${sqlIdent(o.name)}`);
      }
    });
    const groupBy = p.keys.length ? ` GROUP BY ${p.keys.map((_, i) => i + 1).join(', ')}` : '';
    return `SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ') || '1 AS "__one"'} FROM ${this.from(p.input)}${groupBy}) AS ${this.alias()}`;
  }

  private nonNullString(sql: string, type: KqlType): string {
    return type === 'string' ? `coalesce(${sql}, '')` : sql;
  }

  private union(p: PlanOf<'union'>): string {
    const parts = p.inputs.map(({ plan, source }) => {
      const byName = new Map(plan.columns.map((c) => [c.name, c]));
      const cols = p.columns.map((out) => {
        if (p.sourceColumn && out.name === p.sourceColumn) return `${sqlString(source)} AS ${sqlIdent(out.name)}`;
        let src = byName.get(out.name === p.sourceClash ? p.sourceColumn! : out.name);
        if (src && src.type !== out.type) src = undefined;
        if (!src) {
          // Kusto widens conflicting columns to `name_type`.
          const m = /^(.*)_(bool|int|long|real|decimal|string|datetime|timespan|guid|dynamic)$/.exec(out.name);
          const c = m ? byName.get(m[1]!) : undefined;
          if (c && c.type === m![2]) src = c;
        }
        const sqlType = this.dialect.sqlType(out.type);
        if (!src) return `${out.type === 'string' ? "''" : `CAST(NULL AS ${sqlType})`} AS ${sqlIdent(out.name)}`;
        return `CAST(${sqlIdent(src.name)} AS ${sqlType}) AS ${sqlIdent(out.name)}`;
      });
      return `SELECT ${cols.join(', ')} FROM ${this.from(plan)}`;
    });
    return parts.map((s) => `(${s})`).join(' UNION ALL ');
  }

  private join(p: PlanOf<'join'>): string {
    const L = this.alias();
    const R = this.alias();
    const cond = p.on
      .map((c) => `${this.expr(c.left, { qualifier: L }).sql} = ${this.expr(c.right, { qualifier: R }).sql}`)
      .join(' AND ') || 'true';
    let leftSql = this.plan(p.left);
    if (p.kind === 'innerunique') {
      // Kusto keeps one (arbitrary) left row per join key before an inner join.
      const keys = p.on.map((c) => this.expr(c.left, {}).sql).join(', ');
      leftSql = `SELECT * FROM (${leftSql}) AS ${this.alias()} QUALIFY row_number() OVER (PARTITION BY ${keys}) = 1`;
    }
    const rightSql = this.plan(p.right);
    const sel = (alias: string, cols: Column[], outCols: Column[], nullable: boolean) =>
      cols.map((c, i) => {
        const ref = `${alias}.${sqlIdent(c.name)}`;
        return `${nullable && c.type === 'string' ? `coalesce(${ref}, '')` : ref} AS ${sqlIdent(outCols[i]!.name)}`;
      });
    const leftCols = p.left.columns;
    const rightCols = p.right.columns;
    switch (p.kind) {
      case 'leftsemi':
      case 'leftanti':
        return `SELECT ${sel(L, leftCols, p.columns, false).join(', ')} FROM (${leftSql}) AS ${L} ${p.kind === 'leftsemi' ? 'SEMI' : 'ANTI'} JOIN (${rightSql}) AS ${R} ON ${cond}`;
      case 'rightsemi':
      case 'rightanti':
        return `SELECT ${sel(R, rightCols, p.columns, false).join(', ')} FROM (${rightSql}) AS ${R} ${p.kind === 'rightsemi' ? 'SEMI' : 'ANTI'} JOIN (${leftSql}) AS ${L} ON ${cond}`;
      default: {
        const joinType = { innerunique: 'INNER', inner: 'INNER', leftouter: 'LEFT', rightouter: 'RIGHT', fullouter: 'FULL' }[p.kind];
        const leftNullable = p.kind === 'rightouter' || p.kind === 'fullouter';
        const rightNullable = p.kind === 'leftouter' || p.kind === 'fullouter';
        const cols = [
          ...sel(L, leftCols, p.columns.slice(0, leftCols.length), leftNullable),
          ...sel(R, rightCols, p.columns.slice(leftCols.length), rightNullable),
        ];
        return `SELECT ${cols.join(', ')} FROM (${leftSql}) AS ${L} ${joinType} JOIN (${rightSql}) AS ${R} ON ${cond}`;
      }
    }
  }

  private getschema(p: PlanOf<'getschema'>): string {
    const dotnet: Record<KqlType, string> = {
      bool: 'System.SByte', int: 'System.Int32', long: 'System.Int64', real: 'System.Double', decimal: 'System.Data.SqlTypes.SqlDecimal',
      string: 'System.String', datetime: 'System.DateTime', timespan: 'System.TimeSpan', guid: 'System.Guid', dynamic: 'System.Object',
    };
    const rows = p.input.columns.map((c, i) => `(${sqlString(c.name)}, ${i}, ${sqlString(dotnet[c.type])}, ${sqlString(c.type)})`);
    const names = p.columns.map((c) => sqlIdent(c.name)).join(', ');
    if (!rows.length) return this.emptyRelation(p.columns);
    return `SELECT * FROM (VALUES ${rows.join(', ')}) AS ${this.alias()}(${names})`;
  }

  // ---- expressions ------------------------------------------------------------------------

  /**
   * A filter condition: Kusto's where keeps a row only when the predicate is true. Through the
   * and/or chain at the top of a where, null and false keep the same rows, so the operators'
   * `coalesce(…, false)` wrappers can go: that lets DuckDB push the filter into the scan.
   * (Not below a `not`, where null and false differ.)
   */
  predicate(e: Expr, scope: ExprScope): string {
    if (e.k === 'and' || e.k === 'or') {
      return `(${e.args.map((a) => this.predicate(a, scope)).join(e.k === 'and' ? ' AND ' : ' OR ')})`;
    }
    return stripFalseCoalesce(this.expr(e, scope).sql);
  }

  expr(e: Expr, scope: ExprScope): SqlValue {
    switch (e.k) {
      case 'literal':
        return { sql: this.dialect.literal(e.value, e.type), type: e.type, constant: { value: e.value } };
      case 'column':
        return { sql: scope.qualifier ? `${scope.qualifier}.${sqlIdent(e.name)}` : sqlIdent(e.name), type: e.type };
      case 'now':
        return { sql: this.dialect.literal(this.now.toISOString().replace('Z', '0000Z'), 'datetime'), type: 'datetime' };
      case 'and':
      case 'or': {
        const parts = e.args.map((a) => this.expr(a, scope).sql);
        return { sql: `(${parts.join(e.k === 'and' ? ' AND ' : ' OR ')})`, type: 'bool' };
      }
      case 'not':
        return { sql: `(NOT ${this.expr(e.arg, scope).sql})`, type: 'bool' };
      case 'op': {
        const fn = this.dialect.binaryOperators.get(e.op);
        if (!fn) throw new KqlError('unsupported', `the operator ${e.op} is not supported yet`);
        const args = narrowIntLiterals(e.op, e.args).map((a) => this.expr(a, scope));
        return { sql: this.applyOnce(fn, args, e.type), type: e.type };
      }
      case 'call': {
        const fn = this.dialect.scalarFunctions.get(e.fn);
        if (!fn) throw new KqlError('unsupported', `the function ${e.fn}() is not supported yet`);
        const args = e.args.map((a) => this.expr(a, scope));
        return { sql: this.applyOnce(fn, args, e.type), type: e.type, constant: foldable(e.fn, args) };
      }
      case 'aggregate': {
        if (!scope.aggregating) throw new KqlError('semantic', `the aggregate ${e.fn}() can only be used in summarize`);
        const fn = this.dialect.aggregateFunctions.get(e.fn);
        if (!fn) throw new KqlError('unsupported', `the aggregate ${e.fn}() is not supported yet`);
        const args = e.args.map((a) => this.expr(a, { ...scope, aggregating: false }));
        return { sql: fn(args, e.type, this.ctx), type: e.type };
      }
      case 'inPlan':
        return { sql: compileInPlan(this.expr(e.arg, scope), this.plan(e.plan), e.plan.columns[0]!, e.op, this.alias()), type: 'bool' };
      case 'path':
        return { sql: this.jsonPath(e, scope), type: e.type };
      case 'scalarOf': {
        const col = sqlIdent(e.plan.columns[0]!.name);
        return { sql: `(SELECT ${col} FROM (${this.plan(e.plan)}) AS ${this.alias()} LIMIT 1)`, type: e.type };
      }
      case 'window':
        return { sql: this.window(e, scope), type: e.type };
    }
  }

  /**
   * Calls a function's SQL generator, evaluating large arguments once. Generators may repeat an
   * argument's SQL (a type test, then the value), and nested calls such as
   * parse_json(tostring(parse_json(…))) would then grow the SQL exponentially. A repeated large
   * argument is bound once through a one-element list and a lambda.
   */
  private applyOnce(fn: (args: SqlValue[], type: KqlType, ctx: FnContext) => string, args: SqlValue[], type: KqlType): string {
    const sql = fn(args, type, this.ctx);
    const repeated = args
      .map((a, i) => (!a.constant && a.sql.length > REPEAT_THRESHOLD && sql.split(a.sql).length > 2 ? i : -1))
      .filter((i) => i >= 0);
    if (!repeated.length) return sql;
    const v = `kql_once${++this.onceCount}`;
    const bound = args.map((a, i) => (repeated.includes(i) ? { ...a, sql: `${v}.a${i}` } : a));
    const packed = repeated.map((i) => `'a${i}': ${args[i]!.sql}`).join(', ');
    return `list_transform([{${packed}}], lambda ${v}: ${fn(bound, type, this.ctx)})[1]`;
  }

  private jsonPath(e: Extract<Expr, { k: 'path' }>, scope: ExprScope): string {
    const base = this.expr(e.base, scope);
    const baseJson = base.type === 'dynamic' ? base.sql : `CAST(${base.sql} AS JSON)`;
    let staticPath = '$';
    const pieces: string[] = [];
    for (const s of e.steps) {
      if (typeof s === 'string') staticPath += `."${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
      else if (typeof s === 'number') staticPath += s < 0 ? `[#${s}]` : `[${s}]`;
      else {
        pieces.push(sqlString(staticPath));
        staticPath = '';
        const v = this.expr(s, scope);
        if (v.type === 'string') pieces.push(`'."' || replace(replace(${v.sql}, '\\', '\\\\'), '"', '\\"') || '"'`);
        else pieces.push(`(CASE WHEN ${v.sql} < 0 THEN '[#' || CAST(${v.sql} AS VARCHAR) || ']' ELSE '[' || CAST(${v.sql} AS VARCHAR) || ']' END)`);
      }
    }
    if (staticPath) pieces.push(sqlString(staticPath));
    const path = pieces.join(' || ');
    const extracted = `json_extract(${baseJson}, ${path})`;
    return e.type === 'dynamic' ? extracted : this.fromDynamic(extracted, e.type);
  }

  /** Converts a JSON value to a scalar type (used where Kusto.Language typed a path). */
  private fromDynamic(sql: string, type: KqlType): string {
    const fn = this.dialect.scalarFunctions.get(`to${type === 'real' ? 'real' : type}`);
    if (!fn) return sql;
    return fn([{ sql, type: 'dynamic' }], type, this.ctx);
  }

  private window(e: Extract<Expr, { k: 'window' }>, scope: ExprScope): string {
    const over = `OVER (${scope.orderBy ? `ORDER BY ${scope.orderBy}` : ''})`;
    const args = e.args.map((a) => this.expr(a, scope));
    switch (e.fn) {
      case 'row_number': {
        const start = args[0] ? args[0].sql : '1';
        if (args[1]) {
          // row_number(start, restart): restarts numbering where the restart condition is true.
          throw new KqlError('unsupported', 'row_number() with a restart argument is not supported yet');
        }
        return `(row_number() ${over} + ${start} - 1)`;
      }
      case 'prev':
      case 'next': {
        const fn = e.fn === 'prev' ? 'lag' : 'lead';
        const offset = args[1]?.sql ?? '1';
        const dflt = args[2] ? `, ${args[2].sql}` : '';
        const v = `${fn}(${args[0]!.sql}, ${offset}${dflt}) ${over}`;
        return e.type === 'string' ? `coalesce(${v}, '')` : v;
      }
      case 'row_cumsum':
        if (args[1]) throw new KqlError('unsupported', 'row_cumsum() with a restart argument is not supported yet');
        return `sum(${args[0]!.sql}) OVER (${scope.orderBy ? `ORDER BY ${scope.orderBy} ` : ''}ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
      default:
        throw new KqlError('unsupported', `the window function ${e.fn}() is not supported yet`);
    }
  }
}

/** Arguments whose SQL is longer than this are evaluated once when a generator repeats them. */
const REPEAT_THRESHOLD = 160;

/** Whether a projection keeps a column as it is, under the same name. */
function passesThrough(p: PlanOf<'project'>, name: string): boolean {
  return p.exprs.some((e) => e.name === name && e.expr.k === 'column' && e.expr.name === name);
}

/** Functions whose result is a constant when their arguments are (used to pass regex patterns on). */
function foldable(fn: string, args: SqlValue[]): SqlValue['constant'] {
  if (fn === 'strcat' && args.every((a) => a.constant && typeof a.constant.value === 'string')) {
    return { value: args.map((a) => a.constant!.value as string).join('') };
  }
  return undefined;
}

/** `coalesce(X, false)` → `X`, when that call spans the whole text; otherwise the text unchanged. */
export function stripFalseCoalesce(sql: string): string {
  const head = 'coalesce(';
  const tail = ', false)';
  if (!sql.startsWith(head) || !sql.endsWith(tail)) return sql;
  // The '(' after coalesce must close at the very end, and ', false' must be its last argument.
  let depth = 0;
  let inString = false;
  for (let i = head.length - 1; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'") inString = !inString;
    if (inString) continue;
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0 && i !== sql.length - 1) return sql;
    } else if (c === ',' && depth === 1 && i !== sql.length - tail.length) return sql;
  }
  return sql.slice(head.length, sql.length - tail.length);
}

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=', 'in', '!in', 'between', '!between']);
const INT32 = /^-?\d{1,10}$/;

/**
 * Kusto types integer literals as long; compared with an int column that would make DuckDB cast
 * the column, which keeps the filter out of the scan. A literal that fits an int is typed int.
 */
function narrowIntLiterals(op: string, args: Expr[]): Expr[] {
  if (!COMPARISONS.has(op) || args[0]?.type !== 'int') return args;
  return args.map((a, i) => {
    if (i === 0 || a.k !== 'literal' || a.type !== 'long' || typeof a.value !== 'string' || !INT32.test(a.value)) return a;
    const n = Number(a.value);
    return n >= -2147483648 && n <= 2147483647 ? { ...a, type: 'int' } : a;
  });
}

/** Whether an expression calls a window function (outside subqueries). */
function hasWindow(e: Expr): boolean {
  return e.k === 'window' || exprChildren(e).some(hasWindow);
}
