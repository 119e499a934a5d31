/**
 * The whole table set of a DML statement, with what it does to each table, collected before it
 * runs so that its locks are taken in one step: INSERT's target and the tables of its SELECT
 * and subqueries; UPDATE's and DELETE's targets, the other tables they join and the tables of
 * their subqueries; SELECT ... FOR UPDATE's tables. A statement that took its table locks in
 * two steps could deadlock with another doing the same in the other order.
 *
 * Targets get write intent (SHARED_WRITE and a write table lock), everything else read intent.
 * In a multiple-table UPDATE whose SET columns are all qualified, only the tables they name
 * are targets; otherwise every table of the join tree is (locking a read-only table for
 * writing costs concurrency, never correctness).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/metadata-locking.html (10.11.4)
 * The target of a plain INSERT is marked as such: on an engine that allows it, its write lock
 * is a concurrent insert, which readers do not block (concurrent-insert.ts).
 *
 * @req CORE-MDL-007 CORE-LOCK-001 CORE-LOCK-002 MYISAM-021
 */
import type { DeleteStatement, InsertStatement, QueryExpr, SelectStatement, Statement, TableRef, UpdateStatement } from '../../sql/ast.js';
import type { Session } from '../session.js';
import { openStatementTables, tableKey } from './open-tables.js';
import { collectTablesOfExpr, collectTablesOfSelect } from './statement-tables.js';

type Ref = { schema?: string; name: string };

/** The tables of a statement: all it names, the keys of those it writes, and among them the
 *  target of a plain INSERT (which may insert concurrently with readers). */
export interface TableIntents {
  refs: Ref[];
  writes: Set<string>;
  inserts: Set<string>;
}

/** Whether a statement's tables are locked before it runs (DML and locking reads). */
export function needsStatementLocks(stmt: Statement): boolean {
  switch (stmt.kind) {
    case 'insert':
    case 'update':
    case 'delete':
      return true;
    case 'select':
      return hasLockingRead(stmt.query);
    default:
      return false;
  }
}

/**
 * Open and lock every table of a DML statement in one step, before it runs. The statement's
 * own code opens its tables again later and finds them locked.
 * @req CORE-MDL-007 CORE-LOCK-001 CORE-LOCK-002
 */
export async function lockStatementTables(session: Session, stmt: Statement): Promise<void> {
  const intents = statementTableIntents(session, stmt);
  if (!intents || intents.refs.length === 0) return;
  const opening = openStatementTables(session, intents.refs, new Map(), intents.writes, intents.inserts);
  if (opening) await opening;
}

/** The tables of a DML statement with their intents; undefined for other statements. */
export function statementTableIntents(session: Session, stmt: Statement): TableIntents | undefined {
  const out: TableIntents = { refs: [], writes: new Set(), inserts: new Set() };
  const write = (r: Ref): void => {
    const schema = r.schema ?? session.schema;
    if (schema === null) return;
    out.refs.push(r);
    out.writes.add(tableKey(schema, r.name));
  };
  switch (stmt.kind) {
    case 'insert':
      insertIntents(stmt, out, write);
      if (concurrentInsertStatement(session, stmt)) {
        const schema = stmt.table.schema ?? session.schema;
        if (schema !== null) out.inserts.add(tableKey(schema, stmt.table.name));
      }
      return out;
    case 'update':
      updateIntents(stmt, out, write);
      return out;
    case 'delete':
      deleteIntents(stmt, out, write);
      return out;
    case 'select':
      selectIntents(stmt, out, write);
      return out;
    default:
      return undefined;
  }
}

/**
 * Whether an INSERT may be a concurrent insert (MySQL's TL_WRITE_CONCURRENT_INSERT): a plain
 * INSERT ... VALUES / SET, also DELAYED (ignored in 8.0). Not REPLACE, INSERT ... SELECT (MySQL
 * turns it into a normal insert with the binary log on, its default), ON DUPLICATE KEY UPDATE,
 * LOW_PRIORITY / HIGH_PRIORITY (their own lock types), nor any INSERT while
 * low_priority_updates is on.
 * @req MYISAM-021
 */
function concurrentInsertStatement(session: Session, stmt: InsertStatement): boolean {
  if (stmt.replace || stmt.select || (stmt.onDuplicate?.length ?? 0) > 0) return false;
  if (stmt.priority === 'LOW_PRIORITY' || stmt.priority === 'HIGH_PRIORITY') return false;
  const low = session.sysvar('low_priority_updates');
  const on = low !== null && (typeof low === 'string' ? low.toUpperCase() === 'ON' || low === '1' : Number(low) !== 0);
  return !on;
}

function insertIntents(stmt: InsertStatement, out: TableIntents, write: (r: Ref) => void): void {
  write(stmt.table);
  if (stmt.select) collectTablesOfSelect(stmt.select, out.refs);
  for (const row of stmt.values ?? []) for (const e of row) collectTablesOfExpr(e, out.refs);
  for (const a of stmt.set ?? []) collectTablesOfExpr(a.value, out.refs);
  for (const a of stmt.onDuplicate ?? []) collectTablesOfExpr(a.value, out.refs);
}

/** The tables of a join tree (`direct`, with their aliases) and of its derived tables and ON subqueries (`other`). */
function joinTree(r: TableRef, direct: { ref: Ref; alias: string }[], other: Ref[]): void {
  switch (r.type) {
    case 'table':
      direct.push({ ref: r.table, alias: r.alias ?? r.table.name });
      return;
    case 'derived':
      collectTablesOfSelect(r.query, other);
      return;
    case 'join':
      joinTree(r.left, direct, other);
      joinTree(r.right, direct, other);
      collectTablesOfExpr(r.on, other);
      return;
    case 'json_table': // @req CORE-FN-033
      collectTablesOfExpr(r.expr, other);
      return;
    default:
      return;
  }
}

function updateIntents(stmt: UpdateStatement, out: TableIntents, write: (r: Ref) => void): void {
  for (const c of stmt.with?.ctes ?? []) collectTablesOfSelect(c.query, out.refs);
  const direct: { ref: Ref; alias: string }[] = [];
  for (const t of stmt.tables) joinTree(t, direct, out.refs);
  // Targets: the tables the SET columns name, when all of them are qualified.
  const named = stmt.set.every((a) => a.column.table !== undefined) ? new Set(stmt.set.map((a) => a.column.table!.toLowerCase())) : null;
  for (const d of direct) {
    if (named === null || named.has(d.alias.toLowerCase())) write(d.ref);
    else out.refs.push(d.ref);
  }
  collectTablesOfExpr(stmt.where, out.refs);
  for (const a of stmt.set) collectTablesOfExpr(a.value, out.refs);
  for (const o of stmt.orderBy ?? []) collectTablesOfExpr(o.expr, out.refs);
}

function deleteIntents(stmt: DeleteStatement, out: TableIntents, write: (r: Ref) => void): void {
  for (const c of stmt.with?.ctes ?? []) collectTablesOfSelect(c.query, out.refs);
  const from: TableRef[] = stmt.from.length ? stmt.from : stmt.targets.map((t) => ({ type: 'table', table: t }));
  const direct: { ref: Ref; alias: string }[] = [];
  for (const t of from) joinTree(t, direct, out.refs);
  for (const d of direct) {
    const target = stmt.targets.some((t) => {
      const byAlias = t.name.toLowerCase() === d.alias.toLowerCase();
      const schemaOk = t.schema === undefined || t.schema.toLowerCase() === (d.ref.schema ?? t.schema).toLowerCase();
      return byAlias && schemaOk;
    });
    if (target || !stmt.multi) write(d.ref);
    else out.refs.push(d.ref);
  }
  collectTablesOfExpr(stmt.where, out.refs);
  for (const o of stmt.orderBy ?? []) collectTablesOfExpr(o.expr, out.refs);
}

/** SELECT ... FOR UPDATE: the FROM tables of the locking query blocks are written to. */
function selectIntents(stmt: SelectStatement, out: TableIntents, write: (r: Ref) => void): void {
  collectTablesOfSelect(stmt, out.refs);
  const visit = (q: QueryExpr): void => {
    if (q.type === 'set_op') {
      visit(q.left);
      visit(q.right);
      return;
    }
    if (q.lock !== 'UPDATE') return;
    const direct: { ref: Ref; alias: string }[] = [];
    for (const f of q.from) joinTree(f, direct, []);
    for (const d of direct) write(d.ref);
  };
  visit(stmt.query);
}

function hasLockingRead(q: QueryExpr): boolean {
  if (q.type === 'set_op') return hasLockingRead(q.left) || hasLockingRead(q.right);
  return q.lock === 'UPDATE';
}
