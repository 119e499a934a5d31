/**
 * Privilege checks done before a statement runs: which privilege each statement needs on
 * which object. The decision itself (grant tables, roles, 1044/1142/1143 texts) belongs to the
 * accounts subsystem; this module only enumerates the objects a statement touches.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/privileges-provided.html
 * @req CORE-EXEC-009
 */
import type { Expr, SelectStatement, Statement, TableName, TableRef, QueryExpr, TableOptions } from '../sql/ast.js';
import { sqlError } from '../kernel/errors.js';
import type { Session } from './session.js';
import { perfSchemaTableNeedsGrant } from './perfschema/acl.js';

/** Schemas whose tables every user may read (their rows are filtered instead). */
const OPEN_SCHEMAS = new Set(['information_schema', 'performance_schema', 'sys']);

/** Require a global/dynamic privilege (any of `privs`), else 1227 naming them. @req CORE-EXEC-009 */
export function requireGlobal(session: Session, label: string, ...privs: string[]): void {
  for (const p of privs) if (session.deps.accounts.hasGlobal(session, p)) return;
  throw sqlError('ER_SPECIFIC_ACCESS_DENIED_ERROR', label);
}

function schemaOf(session: Session, t: TableName): string | null {
  return t.schema ?? session.schema;
}

/**
 * Mapping tables into a MERGE table (UNION=) needs SELECT, UPDATE and DELETE on each of them;
 * an unqualified child is in the MERGE table's schema. Statements on the MERGE table later do
 * not check the children again, the hazard the manual warns about. @req MERGE-009 MERGE-010
 */
function checkMergeChildren(session: Session, table: TableName, options: TableOptions): void {
  const union = options['UNION'];
  if (union === undefined || union === '') return;
  for (const item of union.split(',')) {
    const s = item.trim();
    const dot = s.indexOf('.');
    const t: TableName = dot > 0 ? { schema: s.slice(0, dot), name: s.slice(dot + 1) } : { ...(table.schema !== undefined ? { schema: table.schema } : {}), name: s };
    for (const priv of ['SELECT', 'UPDATE', 'DELETE']) checkTable(session, priv, t, new Set());
  }
}

function checkTable(session: Session, priv: string, t: TableName, cteNames: ReadonlySet<string>): void {
  if (!t.schema && cteNames.has(t.name.toLowerCase())) return;
  const schema = schemaOf(session, t);
  if (schema === null) return; // 1046 is raised when the table is resolved
  // Most performance_schema tables need SELECT on them, as in MySQL. @req CORE-PFS-005
  if (schema.toLowerCase() === 'performance_schema' && priv === 'SELECT' && perfSchemaTableNeedsGrant(t.name)) {
    session.deps.accounts.checkTable(session, priv, 'performance_schema', t.name.toLowerCase());
    return;
  }
  if (OPEN_SCHEMAS.has(schema.toLowerCase())) return;
  const acc = session.deps.accounts as { checkColumns?: (s: Session, priv: string, schema: string, table: string, columns: readonly string[]) => void };
  // SELECT may be granted on some columns only: require some grant on the table here; the
  // query engine checks the columns it actually reads (1143).
  if (priv === 'SELECT' && acc.checkColumns) acc.checkColumns(session, priv, schema, t.name, []);
  else session.deps.accounts.checkTable(session, priv, schema, t.name);
}

/** Column-level check (1143) where the accounts subsystem offers it, else table-level. */
function checkColumnsOf(session: Session, priv: string, t: TableName, columns: string[]): void {
  const schema = schemaOf(session, t);
  if (schema === null || OPEN_SCHEMAS.has(schema.toLowerCase())) return;
  const acc = session.deps.accounts as { checkColumns?: (s: Session, priv: string, schema: string, table: string, columns: readonly string[]) => void };
  if (acc.checkColumns) acc.checkColumns(session, priv, schema, t.name, columns);
  else session.deps.accounts.checkTable(session, priv, schema, t.name);
}

/** Walk a query and check SELECT on every table it reads. */
function checkSelect(session: Session, s: SelectStatement, outerCtes: ReadonlySet<string>): void {
  const ctes = new Set(outerCtes);
  if (s.with) {
    for (const c of s.with.ctes) ctes.add(c.name.toLowerCase());
    for (const c of s.with.ctes) checkSelect(session, c.query, ctes);
  }
  checkQuery(session, s.query, ctes);
}

function checkQuery(session: Session, q: QueryExpr, ctes: ReadonlySet<string>): void {
  if (q.type === 'set_op') {
    checkQuery(session, q.left, ctes);
    checkQuery(session, q.right, ctes);
    return;
  }
  for (const f of q.from) checkRef(session, f, ctes, 'SELECT');
  for (const it of q.items) checkExpr(session, it.expr, ctes);
  if (q.where) checkExpr(session, q.where, ctes);
  if (q.having) checkExpr(session, q.having, ctes);
}

function checkRef(session: Session, r: TableRef, ctes: ReadonlySet<string>, priv: string): void {
  switch (r.type) {
    case 'table':
      checkTable(session, priv, r.table, ctes);
      break;
    case 'derived':
      checkSelect(session, r.query, ctes);
      break;
    case 'join':
      checkRef(session, r.left, ctes, priv);
      checkRef(session, r.right, ctes, priv);
      if (r.on) checkExpr(session, r.on, ctes);
      break;
    case 'json_table': // @req CORE-FN-033
      checkExpr(session, r.expr, ctes);
      break;
    default:
      break;
  }
}

/** Subqueries inside expressions read tables too. */
function checkExpr(session: Session, e: Expr, ctes: ReadonlySet<string>): void {
  switch (e.type) {
    case 'subquery':
      checkSelect(session, e.query, ctes);
      return;
    case 'exists':
      checkSelect(session, e.subquery, ctes);
      return;
    case 'in':
      checkExpr(session, e.expr, ctes);
      if (e.subquery) checkSelect(session, e.subquery, ctes);
      if (e.list) for (const x of e.list) checkExpr(session, x, ctes);
      return;
    case 'binary':
      checkExpr(session, e.left, ctes);
      checkExpr(session, e.right, ctes);
      return;
    case 'unary':
      checkExpr(session, e.operand, ctes);
      return;
    case 'func':
      for (const a of e.args) checkExpr(session, a, ctes);
      return;
    default:
      return;
  }
}

const empty: ReadonlySet<string> = new Set();

/** @req CORE-EXEC-009 */
export function checkStatementPrivileges(session: Session, stmt: Statement): void {
  switch (stmt.kind) {
    case 'select':
      checkSelect(session, stmt, empty);
      return;
    case 'insert': {
      const cols = stmt.columns ?? stmt.set?.map((a) => a.column.name);
      if (cols && cols.length) checkColumnsOf(session, 'INSERT', stmt.table, cols);
      else checkTable(session, 'INSERT', stmt.table, empty);
      if (stmt.onDuplicate) checkTable(session, 'UPDATE', stmt.table, empty);
      if (stmt.replace) checkTable(session, 'DELETE', stmt.table, empty);
      if (stmt.select) checkSelect(session, stmt.select, empty);
      return;
    }
    case 'update': {
      const single = stmt.tables.length === 1 && stmt.tables[0]!.type === 'table' ? stmt.tables[0] : null;
      if (single && single.type === 'table') {
        checkColumnsOf(session, 'UPDATE', single.table, stmt.set.map((a) => a.column.name));
      } else {
        for (const t of stmt.tables) {
          if (t.type === 'table') checkTable(session, 'UPDATE', t.table, empty);
          else checkRef(session, t, empty, 'UPDATE');
        }
      }
      if (stmt.where) checkExpr(session, stmt.where, empty);
      return;
    }
    case 'delete':
      if (!stmt.multi) {
        for (const t of stmt.targets) checkTable(session, 'DELETE', t, empty);
      } else {
        for (const f of stmt.from) checkRef(session, f, empty, 'SELECT');
      }
      if (stmt.where) checkExpr(session, stmt.where, empty);
      return;
    case 'explain':
      checkStatementPrivileges(session, stmt.statement);
      return;
    case 'shutdown':
      requireGlobal(session, 'SHUTDOWN', 'SHUTDOWN');
      return;
    case 'flush':
      if (stmt.what.some((w) => w !== 'PRIVILEGES')) requireGlobal(session, 'RELOAD', 'RELOAD');
      if (stmt.what.includes('PRIVILEGES')) requireGlobal(session, 'RELOAD', 'RELOAD');
      return;
    case 'lock_tables':
      for (const l of stmt.locks) {
        checkTable(session, 'LOCK TABLES', l.table, empty);
        checkTable(session, 'SELECT', l.table, empty);
      }
      return;
    case 'create_table':
      if (!stmt.temporary) checkTable(session, 'CREATE', stmt.table, empty);
      else checkTable(session, 'CREATE TEMPORARY TABLES', stmt.table, empty);
      if (stmt.select) checkSelect(session, stmt.select, empty);
      if (stmt.like) checkTable(session, 'SELECT', stmt.like, empty);
      checkMergeChildren(session, stmt.table, stmt.options);
      return;
    case 'drop_table':
      if (!stmt.temporary) for (const t of stmt.tables) checkTable(session, 'DROP', t, empty);
      return;
    case 'alter_table':
      checkTable(session, 'ALTER', stmt.table, empty);
      for (const a of stmt.actions) if (a.action === 'table_options') checkMergeChildren(session, stmt.table, a.options);
      return;
    case 'truncate':
      checkTable(session, 'DROP', stmt.table, empty);
      return;
    case 'create_index':
    case 'drop_index':
      checkTable(session, 'INDEX', stmt.table, empty);
      return;
    case 'rename_table':
      for (const p of stmt.pairs) {
        checkTable(session, 'ALTER', p.from, empty);
        checkTable(session, 'DROP', p.from, empty);
        checkTable(session, 'CREATE', p.to, empty);
        checkTable(session, 'INSERT', p.to, empty);
      }
      return;
    case 'install_plugin':
      checkTable(session, 'INSERT', { schema: 'mysql', name: 'plugin' }, empty);
      return;
    case 'uninstall_plugin':
      checkTable(session, 'DELETE', { schema: 'mysql', name: 'plugin' }, empty);
      return;
    default:
      return;
  }
}
