/**
 * The metadata locks of DDL statements, taken before the statement reads the dictionary:
 * - CREATE TABLE / CREATE VIEW: EXCLUSIVE on the new name (SHARED_READ on a LIKE source);
 * - DROP TABLE / DROP VIEW / TRUNCATE / RENAME TABLE: EXCLUSIVE on every name involved;
 * - ALTER TABLE (CREATE/DROP INDEX): SHARED_UPGRADABLE, upgraded by the statement itself to
 *   SHARED_NO_WRITE while it copies rows and to EXCLUSIVE to switch the tables
 *   ({@link upgradeDdlLock});
 * - CREATE / ALTER / DROP DATABASE: EXCLUSIVE on the schema (DROP DATABASE then also EXCLUSIVE
 *   on each of its tables and views);
 * - CHECK, CHECKSUM, ANALYZE: SHARED_READ and a read table lock; OPTIMIZE, REPAIR:
 *   SHARED_NO_WRITE and a write table lock;
 * - INSTALL / UNINSTALL PLUGIN: EXCLUSIVE on mysql.plugin.
 * Every statement that changes metadata also takes INTENTION_EXCLUSIVE on the GLOBAL scope (so
 * it waits for FLUSH TABLES WITH READ LOCK) and on the schemas it touches (so DROP DATABASE
 * waits for it). Temporary tables take no locks.
 *
 * Under LOCK TABLES a table may be altered, truncated, renamed or dropped only when it is
 * locked for WRITE (1100, 1099); the session's own LOCK TABLES locks then cover what it asks.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/metadata-locking.html (10.11.4)
 * @req CORE-MDL-008 CORE-MDL-009 CORE-MDL-010 CORE-MDL-013 CORE-LOCK-004
 */
import type { Catalog } from '../../catalog/catalog.js';
import { sqlError } from '../../kernel/errors.js';
import type { TableDef } from '../../kernel/table-def.js';
import type { AlterAction, Statement, TableName } from '../../sql/ast.js';
import type { ExecSession } from '../exec-session.js';
import { checkTableLock } from '../locks/lock-tables.js';
import type { MdlRequest, MdlType } from '../locks/mdl-types.js';
import { SessionLocks, type TableLockRequest } from '../locks/session-locks.js';
import { tableKey } from '../locks/table-locks.js';
import type { Session } from '../session.js';
import { schemaOf } from './common.js';
import type { DdlServices } from './services.js';

const SOURCE = 'ddl-locks.ts';

/** The locks of a session that takes them (a unit-test session without locks takes none). */
export function locksOf(session: ExecSession): SessionLocks | null {
  const l = (session as { locks?: unknown }).locks;
  return l instanceof SessionLocks && l.enabled ? l : null;
}

/** What a DDL statement locks: metadata locks, table locks, and names it needs WRITE-locked under LOCK TABLES. */
interface DdlLockPlan {
  requests: MdlRequest[];
  tableLocks: { schema: string; name: string; write: boolean }[];
  mustBeWriteLocked: { schema: string; name: string }[];
  /** Whether the statement changes metadata (GLOBAL INTENTION_EXCLUSIVE; 1223 under the session's own read lock). */
  changes: boolean;
}

function table(schema: string, name: string, type: MdlType): MdlRequest {
  return { namespace: 'TABLE', schema, name, type, duration: 'TRANSACTION', source: SOURCE };
}

function schemaLock(schema: string, type: MdlType): MdlRequest {
  return { namespace: 'SCHEMA', schema, name: '', type, duration: 'TRANSACTION', source: SOURCE };
}

/**
 * Take the locks of a DDL statement before it runs; they are released when the statement ends.
 * @req CORE-MDL-008 CORE-MDL-010
 */
export async function lockForDdl(services: DdlServices, session: ExecSession, stmt: Statement): Promise<void> {
  const locks = locksOf(session);
  if (!locks) return;
  const plan = planFor(services.catalog, session, stmt);
  if (!plan) return;
  if (plan.changes) {
    if (locks.holdsGlobalReadLock()) throw sqlError('ER_CANT_UPDATE_WITH_READLOCK');
    plan.requests.push({ namespace: 'GLOBAL', schema: '', name: '', type: 'INTENTION_EXCLUSIVE', duration: 'STATEMENT', source: SOURCE });
  }
  if (locks.lockedTables) {
    for (const t of plan.mustBeWriteLocked) checkTableLock(session as Session, t.schema, t.name, undefined, true);
  }
  const r = locks.acquireAll(plan.requests);
  if (r instanceof Promise) await r;
  if (stmt.kind === 'drop_database') await lockSchemaObjects(services.catalog, locks, stmt.name);
  if (plan.tableLocks.length > 0 && !locks.lockedTables) await lockTablesOf(services.catalog, session, locks, plan.tableLocks);
}

/** DROP DATABASE: with the schema locked, lock every table and view in it. */
async function lockSchemaObjects(catalog: Catalog, locks: SessionLocks, name: string): Promise<void> {
  const s = catalog.getSchema(name);
  if (!s) return;
  const requests = [...catalog.listTables(s.name).map((d) => d.name), ...catalog.listViews(s.name).map((v) => v.def.name)].map((n) => table(s.name, n, 'EXCLUSIVE'));
  const r = locks.acquireAll(requests);
  if (r instanceof Promise) await r;
}

/** Table locks of table maintenance statements, for engines that lock whole tables. */
async function lockTablesOf(catalog: Catalog, session: ExecSession, locks: SessionLocks, list: DdlLockPlan['tableLocks']): Promise<void> {
  const requests: TableLockRequest[] = [];
  for (const t of list) {
    const def = catalog.getTable(t.schema, t.name, session);
    if (!def || def.temporary || catalog.engineByName(def.engine)?.capabilities.lockGranularity !== 'table') continue;
    requests.push({ key: tableKey(def.schema, def.name), schema: def.schema, name: def.name, write: t.write });
  }
  const r = locks.lockTables(requests);
  if (r) await r;
}

/** Whether a name is one of the session's temporary tables (they take no locks). */
function isTemporary(catalog: Catalog, session: ExecSession, schema: string, name: string): boolean {
  return catalog.getTemporaryTable(session, schema, name) !== undefined;
}

/** The locks each DDL statement needs; undefined for statements that take none. */
function planFor(catalog: Catalog, session: ExecSession, stmt: Statement): DdlLockPlan | undefined {
  const plan: DdlLockPlan = { requests: [], tableLocks: [], mustBeWriteLocked: [], changes: true };
  const named = (t: TableName): { schema: string; name: string } => ({ schema: schemaOf(session, t), name: t.name });
  const exclusive = (t: { schema: string; name: string }, check: boolean): void => {
    plan.requests.push(table(t.schema, t.name, 'EXCLUSIVE'), schemaLock(t.schema, 'INTENTION_EXCLUSIVE'));
    if (check) plan.mustBeWriteLocked.push(t);
  };
  switch (stmt.kind) {
    case 'create_table': {
      if (stmt.temporary) return undefined;
      exclusive(named(stmt.table), false);
      if (stmt.like) {
        const src = named(stmt.like);
        if (!isTemporary(catalog, session, src.schema, src.name) && !catalog.isVirtualSchema(src.schema)) plan.requests.push(table(src.schema, src.name, 'SHARED_READ'));
      }
      return plan;
    }
    case 'alter_table':
    case 'create_index':
    case 'drop_index':
      return alterPlan(catalog, session, stmt.table, stmt.kind === 'alter_table' ? stmt.actions : [], plan);
    case 'drop_table':
    case 'truncate': {
      if (stmt.kind === 'drop_table' && stmt.temporary) return undefined;
      for (const t of stmt.kind === 'drop_table' ? stmt.tables : [stmt.table]) {
        const n = named(t);
        if (isTemporary(catalog, session, n.schema, n.name) || catalog.isVirtualSchema(n.schema)) continue;
        exclusive(n, true);
      }
      return plan;
    }
    case 'rename_table':
      for (const p of stmt.pairs) {
        const from = named(p.from);
        if (isTemporary(catalog, session, from.schema, from.name)) continue;
        exclusive(from, true);
        exclusive(named(p.to), false);
      }
      return plan;
    case 'create_view':
      exclusive(named(stmt.name), false);
      return plan;
    case 'drop_view':
      for (const t of stmt.names) exclusive(named(t), false);
      return plan;
    case 'create_database':
    case 'alter_database':
    case 'drop_database': {
      const name = stmt.name ?? session.schema;
      if (!name) return undefined;
      plan.requests.push(schemaLock(name, 'EXCLUSIVE'));
      return plan;
    }
    case 'table_maintenance':
      return maintenancePlan(catalog, session, stmt.op, stmt.tables, plan);
    case 'install_plugin':
    case 'uninstall_plugin':
      // The plugin list (mysql.plugin) changes one statement at a time.
      plan.requests.push(table('mysql', 'plugin', 'EXCLUSIVE'));
      return plan;
    default:
      return undefined;
  }
}

/** ALTER TABLE: SHARED_UPGRADABLE on the table, EXCLUSIVE on a new name it is renamed to. */
function alterPlan(catalog: Catalog, session: ExecSession, t: TableName, actions: readonly AlterAction[], plan: DdlLockPlan): DdlLockPlan | undefined {
  const schema = schemaOf(session, t);
  if (isTemporary(catalog, session, schema, t.name) || catalog.isVirtualSchema(schema)) return undefined;
  plan.requests.push(table(schema, t.name, 'SHARED_UPGRADABLE'), schemaLock(schema, 'INTENTION_EXCLUSIVE'));
  plan.mustBeWriteLocked.push({ schema, name: t.name });
  for (const a of actions) {
    if (a.action !== 'rename_table') continue;
    const to = { schema: schemaOf(session, a.to), name: a.to.name };
    plan.requests.push(table(to.schema, to.name, 'EXCLUSIVE'), schemaLock(to.schema, 'INTENTION_EXCLUSIVE'));
  }
  return plan;
}

/** CHECK / CHECKSUM / ANALYZE read the table; OPTIMIZE / REPAIR keep writers out. */
function maintenancePlan(catalog: Catalog, session: ExecSession, op: string, tables: TableName[], plan: DdlLockPlan): DdlLockPlan {
  const write = op === 'OPTIMIZE' || op === 'REPAIR';
  plan.changes = write;
  for (const t of tables) {
    const schema = t.schema ?? session.schema;
    if (schema === null || catalog.isVirtualSchema(schema) || isTemporary(catalog, session, schema, t.name)) continue;
    plan.requests.push(table(schema, t.name, write ? 'SHARED_NO_WRITE' : 'SHARED_READ'));
    plan.tableLocks.push({ schema, name: t.name, write });
  }
  return plan;
}

/**
 * Upgrade the lock a DDL statement holds on a table (ALTER TABLE: SHARED_NO_WRITE while it
 * copies the rows, EXCLUSIVE to switch to the new table). Temporary tables hold none.
 * @req CORE-MDL-009 CORE-MDL-013
 */
export function upgradeDdlLock(session: ExecSession, def: TableDef, to: MdlType): void | Promise<void> {
  if (def.temporary) return;
  return locksOf(session)?.upgradeTable(def.schema, def.name, to);
}

/** After DROP TABLE under LOCK TABLES, the dropped tables leave the locked list. */
export function forgetDroppedTables(session: ExecSession, dropped: readonly { schema: string; name: string }[]): void {
  const locks = locksOf(session);
  if (!locks?.lockedTables) return;
  for (const d of dropped) locks.forgetLockedTable(d.schema, d.name);
}
