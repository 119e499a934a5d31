/**
 * Query expressions: SELECT blocks, set operations (UNION / EXCEPT / INTERSECT), parenthesised
 * queries, WITH [RECURSIVE] common table expressions, `TABLE t`, `VALUES ROW(..)`, and the FROM
 * clause's table references (joins, derived tables, index hints).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/join.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/union.html
 * @req CORE-SQL-016 CORE-SQL-017 CORE-SQL-018 CORE-SQL-019
 */
import type {
  CommonTableExpr,
  Expr,
  IntoFileClause,
  LimitClause,
  QueryExpr,
  SelectCore,
  SelectItem,
  SelectStatement,
  TableName,
  TableRef,
  TableRefJoin,
  TableRefName,
  TableRefJsonTable,
  JsonTableColumn,
  JsonTableOn,
  UserVarRef,
} from '../ast.js';
import { sqlError } from '../../kernel/errors.js';
import { Tok } from '../lexer/token.js';
import type { Cursor } from './cursor.js';
import { parseExpr, parseExprList, parseOrderList, parseWindowSpec } from './expr.js';
import { parseFileFieldOptions } from './dml.js';
import { parseCharsetName, parseDataType } from './types.js';

/** Query blocks that were written in parentheses (their ORDER BY / LIMIT stay inside). */
const parenthesized = new WeakSet<QueryExpr>();

/** Whether the cursor is at the start of a query expression (after a '('). */
export function isQueryStart(p: Cursor): boolean {
  if (p.isKw('SELECT') || p.isKw('WITH') || p.isKw('TABLE')) return true;
  if (p.isKw('VALUES') && p.isKw('ROW', 1)) return true;
  // ((SELECT ...) UNION ...): skip opening parentheses
  let k = 0;
  while (p.isOp('(', k)) k++;
  return k > 0 && (p.isKw('SELECT', k) || p.isKw('WITH', k));
}

/** WITH ... query | query. @req CORE-SQL-016 */
export function parseSelectStatement(p: Cursor): SelectStatement {
  p.enter();
  try {
    const stmt: SelectStatement = { kind: 'select', query: undefined as unknown as QueryExpr };
    if (p.isKw('WITH')) stmt.with = parseWithClause(p);
    stmt.query = parseQueryExpr(p);
    return stmt;
  } finally {
    p.leave();
  }
}

/** WITH [RECURSIVE] name [(cols)] AS (query), ... @req CORE-SQL-016 */
export function parseWithClause(p: Cursor): { recursive: boolean; ctes: CommonTableExpr[] } {
  p.expectKw('WITH');
  const recursive = p.acceptKw('RECURSIVE');
  const ctes: CommonTableExpr[] = [];
  do {
    const cte: CommonTableExpr = { name: p.ident(), query: undefined as unknown as SelectStatement };
    if (p.acceptOp('(')) {
      cte.columns = parseIdentList(p);
      p.expectOp(')');
    }
    p.expectKw('AS');
    p.expectOp('(');
    cte.query = parseSelectStatement(p);
    p.expectOp(')');
    ctes.push(cte);
  } while (p.acceptOp(','));
  return { recursive, ctes };
}

export function parseIdentList(p: Cursor): string[] {
  const list = [p.ident()];
  while (p.acceptOp(',')) list.push(p.ident());
  return list;
}

/** Set operations: INTERSECT binds tighter than UNION and EXCEPT. */
export function parseQueryExpr(p: Cursor): QueryExpr {
  return continueQueryExpr(p, parseIntersectTerm(p));
}

/** Continue a query expression whose first operand has been parsed. */
export function continueQueryExpr(p: Cursor, first: QueryExpr): QueryExpr {
  let left = first;
  for (;;) {
    const t = p.peek();
    if (t.type === Tok.IDENT && (t.upper === 'UNION' || t.upper === 'EXCEPT')) {
      checkOperandTail(p, left);
      p.next();
      const all = p.acceptKw('ALL');
      if (!all) p.acceptKw('DISTINCT');
      const right = parseIntersectTerm(p);
      left = { type: 'set_op', op: t.upper, all, left, right };
      liftTail(left);
    } else break;
  }
  return parseOuterTail(p, left);
}

function parseIntersectTerm(p: Cursor): QueryExpr {
  let left = parseQueryPrimary(p);
  while (p.isKw('INTERSECT')) {
    checkOperandTail(p, left);
    p.next();
    const all = p.acceptKw('ALL');
    if (!all) p.acceptKw('DISTINCT');
    const right = parseQueryPrimary(p);
    left = { type: 'set_op', op: 'INTERSECT', all, left, right };
    liftTail(left);
  }
  return left;
}

/** An unparenthesised block with ORDER BY / LIMIT cannot be followed by UNION. */
function checkOperandTail(p: Cursor, q: QueryExpr): void {
  if (q.type === 'select_core' && !parenthesized.has(q) && (q.orderBy !== undefined || q.limit !== undefined)) {
    throw p.error();
  }
}

/** ORDER BY / LIMIT written after the last unparenthesised block apply to the whole set operation. */
function liftTail(op: QueryExpr): void {
  if (op.type !== 'set_op') return;
  const r = op.right;
  if (r.type === 'select_core' && !parenthesized.has(r)) {
    if (r.orderBy !== undefined) {
      op.orderBy = r.orderBy;
      delete r.orderBy;
    }
    if (r.limit !== undefined) {
      op.limit = r.limit;
      delete r.limit;
    }
  }
}

/** `(query) ORDER BY .. LIMIT ..` and the same after a set operation ending in a parenthesised block. */
function parseOuterTail(p: Cursor, q: QueryExpr): QueryExpr {
  if (!p.isKw('ORDER') && !p.isKw('LIMIT')) return q;
  if (q.type === 'select_core' && !parenthesized.has(q)) return q;
  if (q.type === 'set_op' && !parenthesized.has(q) && (q.orderBy !== undefined || q.limit !== undefined)) return q;
  // A parenthesised body that has its own LIMIT (or ORDER BY with LIMIT) keeps it: the outer
  // ORDER BY / LIMIT apply to its result, one level up. @req CORE-EXEC-073
  const target: QueryExpr = q.limit !== undefined ? wrapLevel(q) : q;
  if (p.acceptKw('ORDER')) {
    p.expectKw('BY');
    target.orderBy = parseOrderList(p);
  }
  if (p.acceptKw('LIMIT')) target.limit = parseLimit(p);
  return target;
}

/**
 * A new query level over a parenthesised query expression, as a block that selects every column of
 * it as a derived table, so the inner ORDER BY / LIMIT run before the outer ones.
 * @req CORE-EXEC-073
 */
function wrapLevel(q: QueryExpr): SelectCore {
  const core: SelectCore = {
    type: 'select_core',
    distinct: false,
    items: [{ expr: { type: 'column', name: '*' }, text: '*' }],
    from: [{ type: 'derived', query: { kind: 'select', query: q }, alias: 'derived_query_expression' }],
  };
  parenthesized.add(core);
  return core;
}

/** The query expression of a statement that was written in parentheses, marked as such. */
export function parenthesizedQuery(inner: SelectStatement): QueryExpr {
  if (inner.with !== undefined) {
    // A parenthesised block with its own WITH: keep it as a derived table.
    const core: SelectCore = {
      type: 'select_core',
      distinct: false,
      items: [{ expr: { type: 'column', name: '*' }, text: '*' }],
      from: [{ type: 'derived', query: inner, alias: 'derived_with' }],
    };
    parenthesized.add(core);
    return core;
  }
  parenthesized.add(inner.query);
  return inner.query;
}

function parseQueryPrimary(p: Cursor): QueryExpr {
  if (p.isOp('(')) {
    p.next();
    p.enter();
    try {
      const inner = parseSelectStatement(p);
      p.expectOp(')');
      return parenthesizedQuery(inner);
    } finally {
      p.leave();
    }
  }
  if (p.isKw('SELECT')) return parseSelectCore(p);
  if (p.isKw('TABLE')) {
    p.next();
    const table = parseTableName(p);
    const core: SelectCore = {
      type: 'select_core',
      distinct: false,
      items: [{ expr: { type: 'column', name: '*' }, text: '*' }],
      from: [{ type: 'table', table }],
    };
    parseOrderLimit(p, core);
    return core;
  }
  if (p.isKw('VALUES')) {
    p.next();
    const rows: Expr[][] = [];
    do {
      p.expectKw('ROW');
      p.expectOp('(');
      rows.push(p.isOp(')') ? [] : parseExprList(p));
      p.expectOp(')');
    } while (p.acceptOp(','));
    const core: SelectCore = { type: 'select_core', distinct: false, items: [], from: [], valuesRows: rows };
    parseOrderLimit(p, core);
    return core;
  }
  throw p.error();
}

function parseOrderLimit(p: Cursor, core: SelectCore): void {
  if (p.acceptKw('ORDER')) {
    p.expectKw('BY');
    core.orderBy = parseOrderList(p);
  }
  if (p.acceptKw('LIMIT')) core.limit = parseLimit(p);
}

/** SELECT options. SQL_CACHE is not one: MySQL 8.0.3 removed it with the query cache, so it is an
 *  ordinary identifier there (a column name). @req CORE-DIAG-006 */
const SELECT_MODIFIERS: ReadonlySet<string> = new Set([
  'HIGH_PRIORITY', 'STRAIGHT_JOIN', 'SQL_SMALL_RESULT', 'SQL_BIG_RESULT', 'SQL_BUFFER_RESULT', 'SQL_NO_CACHE',
  'SQL_CALC_FOUND_ROWS',
]);

/** One SELECT block. @req CORE-SQL-017 */
export function parseSelectCore(p: Cursor): SelectCore {
  p.expectKw('SELECT');
  const core: SelectCore = { type: 'select_core', distinct: false, items: [], from: [] };
  for (;;) {
    const t = p.peek();
    if (t.type !== Tok.IDENT) break;
    if (t.upper === 'DISTINCT' || t.upper === 'DISTINCTROW') {
      core.distinct = true;
      p.next();
    } else if (t.upper === 'ALL') {
      p.next();
    } else if (SELECT_MODIFIERS.has(t.upper)) {
      (core.modifiers ??= []).push(t.upper);
      p.next();
    } else break;
  }
  do core.items.push(parseSelectItem(p));
  while (p.acceptOp(','));
  if (p.isKw('INTO')) parseIntoClause(p, core);
  if (p.acceptKw('FROM')) {
    if (p.acceptKw('DUAL')) core.from = [{ type: 'dual' }];
    else core.from = parseTableRefs(p);
  }
  if (p.acceptKw('WHERE')) core.where = parseExpr(p);
  if (p.acceptKw('GROUP')) {
    p.expectKw('BY');
    core.groupBy = parseExprList(p);
    if (p.acceptKws('WITH', 'ROLLUP')) core.withRollup = true;
  }
  if (p.acceptKw('HAVING')) core.having = parseExpr(p);
  if (p.acceptKw('WINDOW')) {
    core.windows = [];
    do {
      const name = p.ident();
      p.expectKw('AS');
      core.windows.push({ name, spec: parseWindowSpec(p) });
    } while (p.acceptOp(','));
  }
  parseOrderLimit(p, core);
  if (p.isKw('INTO') && core.into === undefined && core.intoFile === undefined) parseIntoClause(p, core);
  parseLockClause(p, core);
  if (p.isKw('INTO') && core.into === undefined && core.intoFile === undefined) parseIntoClause(p, core);
  return core;
}

function parseLockClause(p: Cursor, core: SelectCore): void {
  if (p.isKw('FOR') && (p.isKw('UPDATE', 1) || p.isKw('SHARE', 1))) {
    p.next();
    core.lock = p.next().upper as 'UPDATE' | 'SHARE';
    if (p.acceptKw('OF')) {
      parseTableName(p);
      while (p.acceptOp(',')) parseTableName(p);
    }
    if (p.acceptKw('NOWAIT')) core.lockOption = 'NOWAIT';
    else if (p.acceptKws('SKIP', 'LOCKED')) core.lockOption = 'SKIP LOCKED';
  } else if (p.acceptKws('LOCK', 'IN', 'SHARE', 'MODE')) {
    core.lock = 'SHARE';
  }
}

/**
 * `INTO @vars`, `INTO OUTFILE 'f' [CHARACTER SET cs] [FIELDS ...] [LINES ...]` or
 * `INTO DUMPFILE 'f'`, before FROM, after the locking clause (8.0.20) or before it.
 * @req CORE-LOAD-020 CORE-LOAD-027
 */
function parseIntoClause(p: Cursor, core: SelectCore): void {
  if (p.isKw('OUTFILE', 1) || p.isKw('DUMPFILE', 1)) {
    p.expectKw('INTO');
    const kind = p.next().upper === 'OUTFILE' ? 'outfile' : 'dumpfile';
    const clause: IntoFileClause = { kind, file: p.string() };
    if (kind === 'outfile') {
      if (p.isKw('CHARACTER') && p.isKw('SET', 1)) {
        p.next();
        p.next();
        clause.charset = parseCharsetName(p);
      } else if (p.acceptKw('CHARSET')) clause.charset = parseCharsetName(p);
      parseFileFieldOptions(p, clause);
    }
    core.intoFile = clause;
    return;
  }
  core.into = parseInto(p);
}

function parseInto(p: Cursor): UserVarRef[] {
  p.expectKw('INTO');
  const vars: UserVarRef[] = [];
  do {
    const t = p.next();
    if (t.type === Tok.USERVAR) vars.push({ type: 'uservar', name: t.value });
    else if ((t.type === Tok.IDENT || t.type === Tok.QIDENT) && p.locals) {
      // INTO a stored program's local variable. @req CORE-SP-011
      const slot = p.locals(t.value);
      if (slot === undefined) throw sqlError('ER_SP_UNDECLARED_VAR', t.value);
      vars.push({ type: 'uservar', name: t.value, local: slot });
    }
    else if (t.type === Tok.AT) {
      const n = p.next();
      if (n.type !== Tok.STRING && n.type !== Tok.QIDENT && n.type !== Tok.IDENT) throw p.error(n);
      vars.push({ type: 'uservar', name: n.value });
    } else throw p.error(t);
  } while (p.acceptOp(','));
  return vars;
}

/** A select-list item; `text` is the exact source text of the expression. */
function parseSelectItem(p: Cursor): SelectItem {
  const start = p.peek();
  if (p.isOp('*')) {
    p.next();
    return { expr: { type: 'column', name: '*' }, text: '*' };
  }
  const expr = parseExpr(p);
  const text = p.sliceWithoutComments(start.start, p.lastEnd());
  const item: SelectItem = { expr, text };
  // `t.*` takes no alias: whatever follows is left for the caller (a syntax error). @req CORE-GRAM-001
  if (expr.type === 'column' && expr.name === '*') return item;
  if (p.acceptKw('AS')) item.alias = p.identOrString();
  else if (p.isIdent() || p.peek().type === Tok.STRING) item.alias = p.identOrString();
  return item;
}

/** LIMIT n | LIMIT o, n | LIMIT n OFFSET o */
export function parseLimit(p: Cursor): LimitClause {
  const a = parseLimitValue(p);
  if (p.acceptOp(',')) return { offset: a, count: parseLimitValue(p) };
  if (p.acceptKw('OFFSET')) return { count: a, offset: parseLimitValue(p) };
  return { count: a };
}

function parseLimitValue(p: Cursor): Expr {
  const t = p.peek();
  if (t.type === Tok.NUMBER && t.numKind === 'int') {
    p.next();
    const lit: Expr = { type: 'literal', kind: 'int', value: t.value };
    p.opts.literalStarts?.set(lit, t.start);
    return lit;
  }
  if (t.type === Tok.PARAM) {
    if (!p.allowParams) throw p.error();
    p.next();
    return { type: 'param', index: p.paramCount++ };
  }
  if (t.type === Tok.IDENT && !t.reserved) {
    p.next();
    return { type: 'column', name: t.value };
  }
  throw p.error();
}

/** `db.tbl` / `tbl`. */
export function parseTableName(p: Cursor): TableName {
  const first = p.ident();
  if (p.isOp('.')) {
    p.next();
    return { schema: first, name: p.identAfterDot() };
  }
  return { name: first };
}

/** Comma-separated table references. @req CORE-SQL-018 */
export function parseTableRefs(p: Cursor): TableRef[] {
  const refs = [parseJoinedTable(p)];
  while (p.acceptOp(',')) refs.push(parseJoinedTable(p));
  return refs;
}

function parseJoinedTable(p: Cursor): TableRef {
  let left = parseTablePrimary(p);
  for (;;) {
    const t = p.peek();
    if (t.type !== Tok.IDENT) return left;
    let kind: TableRefJoin['kind'];
    let needsCondition = false;
    let natural = false;
    switch (t.upper) {
      case 'JOIN':
        p.next();
        kind = 'INNER';
        break;
      case 'INNER':
      case 'CROSS':
        p.next();
        p.expectKw('JOIN');
        kind = t.upper;
        break;
      case 'STRAIGHT_JOIN':
        p.next();
        kind = 'STRAIGHT';
        break;
      case 'LEFT':
      case 'RIGHT':
        p.next();
        p.acceptKw('OUTER');
        p.expectKw('JOIN');
        kind = t.upper;
        needsCondition = true;
        break;
      case 'NATURAL':
        p.next();
        natural = true;
        if (p.acceptKw('LEFT')) {
          p.acceptKw('OUTER');
          kind = 'NATURAL LEFT';
        } else if (p.acceptKw('RIGHT')) {
          p.acceptKw('OUTER');
          kind = 'NATURAL RIGHT';
        } else {
          p.acceptKw('INNER');
          kind = 'NATURAL';
        }
        p.expectKw('JOIN');
        break;
      default:
        return left;
    }
    const right = parseTablePrimary(p);
    const join: TableRefJoin = { type: 'join', kind, left, right };
    if (!natural) {
      if (p.acceptKw('ON')) join.on = parseExpr(p);
      else if (p.acceptKw('USING')) {
        p.expectOp('(');
        join.using = parseIdentList(p);
        p.expectOp(')');
      } else if (needsCondition) throw p.error();
    }
    left = join;
  }
}

function parseTablePrimary(p: Cursor): TableRef {
  p.enter();
  try {
    const lateral = p.acceptKw('LATERAL');
    if (p.isOp('(')) {
      if (lateral || isDerivedStart(p)) {
        p.next();
        const query = parseSelectStatement(p);
        p.expectOp(')');
        p.acceptKw('AS');
        if (!p.isIdent()) throw sqlError('ER_DERIVED_MUST_HAVE_ALIAS');
        const d: TableRef = { type: 'derived', query, alias: p.ident() };
        if (p.isOp('(')) {
          p.next();
          d.columnAliases = parseIdentList(p);
          p.expectOp(')');
        }
        if (lateral) d.lateral = true;
        return d;
      }
      p.next();
      const refs = parseTableRefs(p);
      p.expectOp(')');
      let r = refs[0] as TableRef;
      for (let i = 1; i < refs.length; i++) r = { type: 'join', kind: 'CROSS', left: r, right: refs[i] as TableRef };
      return r;
    }
    if (lateral) throw p.error();
    if (p.isKw('JSON_TABLE') && p.isOp('(', 1)) return parseJsonTable(p);
    const ref: TableRefName = { type: 'table', table: parseTableName(p) };
    if (p.acceptKw('PARTITION')) {
      p.expectOp('(');
      parseIdentList(p);
      p.expectOp(')');
    }
    if (p.acceptKw('AS')) ref.alias = p.ident();
    else if (p.isIdent()) ref.alias = p.ident();
    parseIndexHints(p, ref);
    return ref;
  } finally {
    p.leave();
  }
}

/**
 * JSON_TABLE(expr, 'path' COLUMNS (...)) [AS] alias; the alias is required (3667).
 * @req CORE-FN-033
 */
function parseJsonTable(p: Cursor): TableRefJsonTable {
  p.next();
  p.expectOp('(');
  const expr = parseExpr(p);
  p.expectOp(',');
  const path = p.singleString();
  const columns = parseJsonTableColumns(p);
  p.expectOp(')');
  const hadAs = p.acceptKw('AS');
  if (!p.isIdent()) {
    if (hadAs) throw p.error();
    throw sqlError('ER_TF_MUST_HAVE_ALIAS');
  }
  return { type: 'json_table', expr, path, columns, alias: p.ident() };
}

function parseJsonTableColumns(p: Cursor): JsonTableColumn[] {
  p.expectKw('COLUMNS');
  p.expectOp('(');
  const out: JsonTableColumn[] = [];
  do {
    if (p.isKw('NESTED') && (p.isKw('PATH', 1) || p.peek(1).type === Tok.STRING)) {
      p.next();
      p.acceptKw('PATH');
      const path = p.singleString();
      out.push({ kind: 'nested', path, columns: parseJsonTableColumns(p) });
      continue;
    }
    const name = p.ident();
    if (p.acceptKws('FOR', 'ORDINALITY')) {
      out.push({ kind: 'ordinality', name });
      continue;
    }
    const type = parseDataType(p).type;
    if (p.acceptKw('EXISTS')) {
      p.expectKw('PATH');
      out.push({ kind: 'exists', name, type, path: p.singleString() });
      continue;
    }
    p.expectKw('PATH');
    const col: Extract<JsonTableColumn, { kind: 'path' }> = { kind: 'path', name, type, path: p.singleString() };
    for (;;) {
      let on: JsonTableOn;
      if (p.acceptKw('NULL')) on = { kind: 'null' };
      else if (p.acceptKw('ERROR')) on = { kind: 'error' };
      else if (p.acceptKw('DEFAULT')) on = { kind: 'default', value: p.singleString() };
      else break;
      p.expectKw('ON');
      // ON ERROR before ON EMPTY is MySQL 8.0's (deprecated) extension of the standard order
      if (col.onEmpty === undefined && p.acceptKw('EMPTY')) col.onEmpty = on;
      else if (col.onError === undefined && p.acceptKw('ERROR')) col.onError = on;
      else throw p.error();
    }
    out.push(col);
  } while (p.acceptOp(','));
  p.expectOp(')');
  return out;
}

/** `( SELECT`, `( WITH`, `( ( SELECT` ...: a derived table rather than a nested join. */
function isDerivedStart(p: Cursor): boolean {
  let k = 1;
  while (p.isOp('(', k)) k++;
  return p.isKw('SELECT', k) || p.isKw('WITH', k) || p.isKw('TABLE', k) || (p.isKw('VALUES', k) && p.isKw('ROW', k + 1));
}

function parseIndexHints(p: Cursor, ref: TableRefName): void {
  for (;;) {
    const t = p.peek();
    if (!(t.type === Tok.IDENT && (t.upper === 'USE' || t.upper === 'IGNORE' || t.upper === 'FORCE'))) return;
    if (!(p.isKw('INDEX', 1) || p.isKw('KEY', 1))) return;
    p.next();
    p.next();
    if (p.acceptKw('FOR')) {
      if (p.acceptKw('JOIN')) {
        /* for join */
      } else if (p.acceptKw('ORDER') || p.acceptKw('GROUP')) p.expectKw('BY');
      else throw p.error();
    }
    p.expectOp('(');
    const indexes: string[] = [];
    if (!p.isOp(')')) {
      do {
        if (p.isKw('PRIMARY')) indexes.push(p.next().value);
        else indexes.push(p.ident());
      } while (p.acceptOp(','));
    } else if (t.upper !== 'USE') throw p.error();
    p.expectOp(')');
    (ref.indexHints ??= []).push({ kind: t.upper as 'USE' | 'IGNORE' | 'FORCE', indexes });
  }
}
