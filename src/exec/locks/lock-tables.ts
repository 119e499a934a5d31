/**
 * LOCK TABLES and UNLOCK TABLES, and the rule they impose on the session's later statements:
 * only locked tables may be used, and only READ-locked tables may not be written.
 *
 * LOCK TABLES first ends the session's earlier LOCK TABLES, then locks every named table (a
 * view's tables with it) in one step and keeps the locks until UNLOCK TABLES, START
 * TRANSACTION, another LOCK TABLES or the end of the connection:
 * - READ: SHARED_READ_ONLY (no other session may write) and a read table lock that admits
 *   no concurrent insert either;
 * - READ LOCAL: SHARED_READ and a read table lock that lets other sessions' plain INSERTs
 *   append rows where the engine allows concurrent inserts (MyISAM, CSV); the session does not
 *   see those rows until it unlocks;
 * - [LOW_PRIORITY] WRITE: SHARED_NO_READ_WRITE (no other session may use the table) and a
 *   write table lock, with INTENTION_EXCLUSIVE on the GLOBAL and SCHEMA scopes.
 * Temporary tables may be named and take no locks.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/lock-tables.html (15.3.6)
 * @req CORE-EXEC-014 CORE-LOCK-003 CORE-LOCK-009
 */
import type { LockTablesStatement } from '../../sql/ast.js';
import type { OpenedTable } from '../../catalog/catalog-api.js';
import { sqlError } from '../../kernel/errors.js';
import type { OkResult } from '../../kernel/protocol-port.js';
import type { Session } from '../session.js';
import { MAX_OPENED_TABLES, MAX_REOPEN_ATTEMPTS } from './limits.js';
import type { MdlRequest, MdlType } from './mdl-types.js';
import type { MdlTicket } from './mdl-manager.js';
import type { TableLockEntry, TableLockRequest } from './session-locks.js';
import { tableKey } from './table-locks.js';
import { triggerTables } from '../triggers/tables.js';
import { collectTablesOfSelect } from '../statement/statement-tables.js';
import { finishExport } from './flush-for-export.js';
import { tableLockFor } from './concurrent-insert.js';

function done(): OkResult {
  return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
}

/** A table to lock explicitly: as named (with alias) and how. */
export interface ExplicitLock {
  schema: string;
  name: string;
  alias?: string;
  write: boolean;
  mdl: MdlType;
}

/** A locked table once opened: the entry for the LOCK TABLES list, and the table. */
interface Resolved {
  entry: TableLockEntry;
  opened: OpenedTable;
  mdl: MdlType;
}

const SOURCE = 'lock-tables.ts';

/** @req CORE-EXEC-014 CORE-LOCK-003 */
export async function executeLockTables(session: Session, stmt: LockTablesStatement): Promise<OkResult> {
  // LOCK TABLES releases the tables locked before (it does not release the global read lock).
  session.locks.unlockTables();
  const wanted: ExplicitLock[] = stmt.locks.map((l) => {
    const schema = l.table.schema ?? session.schema;
    if (schema === null) throw sqlError('ER_NO_DB_ERROR');
    const write = l.mode.includes('WRITE');
    const mdl: MdlType = write ? 'SHARED_NO_READ_WRITE' : l.mode === 'READ LOCAL' ? 'SHARED_READ' : 'SHARED_READ_ONLY';
    const e: ExplicitLock = { schema, name: l.table.name, write, mdl };
    if (l.alias !== undefined) e.alias = l.alias;
    return e;
  });
  if (wanted.some((w) => w.write) && session.locks.holdsGlobalReadLock()) throw sqlError('ER_CANT_UPDATE_WITH_READLOCK');
  await lockExplicitly(session, wanted, []);
  return done();
}

/**
 * Open, lock and enter LOCK TABLES mode for `wanted`: metadata locks first (opening again if a
 * DDL changed a table while waiting), then table locks, then both become explicit. `extra`
 * are scope locks taken before, for the statement only. Returns the explicit tickets.
 * @req CORE-LOCK-003
 */
export async function lockExplicitly(session: Session, wanted: readonly ExplicitLock[], extra: readonly MdlRequest[]): Promise<MdlTicket[]> {
  const locks = session.locks;
  let resolved: Resolved[] = [];
  let tickets: MdlTicket[] = [];
  if (locks.enabled && extra.length > 0) {
    const r = locks.acquireAll([...extra]);
    if (r instanceof Promise) await r;
  }
  for (let attempt = 0; ; attempt++) {
    const epoch = locks.epoch;
    resolved = await resolveLocked(session, wanted);
    if (!locks.enabled) break;
    const r = locks.acquireAll(explicitRequests(resolved));
    tickets = r instanceof Promise ? await r : r;
    if (locks.epoch === epoch || attempt >= MAX_REOPEN_ATTEMPTS) break;
  }
  const tableLocks: TableLockRequest[] = [];
  for (const x of resolved) {
    const o = x.opened;
    if (o.kind !== 'base' || o.def.temporary || o.engine.capabilities.lockGranularity !== 'table') continue;
    const r: TableLockRequest = { key: tableKey(o.def.schema, o.def.name), schema: o.def.schema, name: o.def.name, write: x.entry.write };
    // @req CORE-LOCK-009 READ LOCAL (SHARED_READ) lets concurrent inserts through; READ does not.
    if (!x.entry.write) {
      const how = tableLockFor(session, o.handler, x.mdl === 'SHARED_READ' ? 'read' : 'read-no-insert');
      if (how.mode !== 'read') r.mode = how.mode;
      if (how.hooks) r.hooks = how.hooks;
    }
    tableLocks.push(r);
  }
  const p = locks.lockTables(tableLocks);
  if (p) await p;
  locks.enterLockTables(resolved.map((x) => x.entry), tickets);
  return tickets;
}

/** Metadata locks for the stored tables and views among the resolved ones. */
function explicitRequests(resolved: readonly Resolved[]): MdlRequest[] {
  const out: MdlRequest[] = [];
  let scopes = false;
  for (const x of resolved) {
    if (x.opened.kind === 'virtual' || x.opened.def.temporary) continue;
    out.push({ namespace: 'TABLE', schema: x.opened.def.schema, name: x.opened.def.name, type: x.mdl, duration: 'TRANSACTION', source: SOURCE });
    if (x.mdl === 'SHARED_NO_READ_WRITE') {
      scopes = true;
      out.push({ namespace: 'SCHEMA', schema: x.opened.def.schema, name: '', type: 'INTENTION_EXCLUSIVE', duration: 'TRANSACTION', source: SOURCE });
    }
  }
  if (scopes) out.push({ namespace: 'GLOBAL', schema: '', name: '', type: 'INTENTION_EXCLUSIVE', duration: 'TRANSACTION', source: SOURCE });
  return out;
}

/** Open each table (1146 when absent); a view brings its tables along with the same mode. */
async function resolveLocked(session: Session, wanted: readonly ExplicitLock[]): Promise<Resolved[]> {
  const out: Resolved[] = [];
  const queue: ExplicitLock[] = [...wanted];
  // Positions in the queue of MERGE children: a missing one is 1168, not 1146.
  const mergeChildren = new Set<number>();
  for (let i = 0; i < queue.length && i < MAX_OPENED_TABLES; i++) {
    const w = queue[i]!;
    const t = await session.deps.catalog.openTable(session, w.schema, w.name);
    if (!t) throw mergeChildren.has(i) ? sqlError('ER_WRONG_MRG_TABLE') : sqlError('ER_NO_SUCH_TABLE', w.schema, w.name);
    const entry: TableLockEntry = { schema: t.def.schema, table: t.def.name, write: w.write };
    if (w.alias !== undefined) entry.alias = w.alias;
    // READ LOCAL on a table whose engine has no concurrent inserts to let through (InnoDB) is
    // READ: its metadata lock then keeps other sessions' writes out too. @req CORE-LOCK-009
    const mdl: MdlType = w.mdl === 'SHARED_READ' && t.kind === 'base' && t.engine.capabilities.noReadLocal === true ? 'SHARED_READ_ONLY' : w.mdl;
    out.push({ entry, opened: t, mdl });
    if (t.kind === 'view') {
      const inner: { schema?: string; name: string }[] = [];
      collectTablesOfSelect(t.query, inner);
      for (const x of inner) queue.push({ schema: x.schema ?? t.def.schema, name: x.name, write: w.write, mdl: w.mdl });
    }
    // A MERGE table locks its children with its own mode, and the session may then use them
    // directly, as MySQL locks the children through the parent. @req MERGE-008
    if (t.kind === 'base' && t.engine.underlyingTables) {
      for (const x of t.engine.underlyingTables(t.def)) {
        mergeChildren.add(queue.length);
        queue.push({ schema: x.schema, name: x.name, write: w.write, mdl: w.mdl });
      }
    }
    // A table locked for writing brings the tables its triggers use, as MySQL locks them. @req CORE-TRG-004
    if (t.kind === 'base' && w.write && t.def.triggers !== undefined && t.def.triggers.length > 0) {
      for (const x of triggerTables(session, t.def)) {
        const had = queue.some((q) => q.schema.toLowerCase() === x.schema.toLowerCase() && q.name.toLowerCase() === x.name.toLowerCase() && (q.write || !x.write));
        if (!had) queue.push({ schema: x.schema, name: x.name, write: x.write, mdl: x.write ? 'SHARED_NO_READ_WRITE' : 'SHARED_READ_ONLY' });
      }
    }
  }
  return out;
}

/** UNLOCK TABLES: ends LOCK TABLES and releases the global read lock. @req CORE-LOCK-003 CORE-LOCK-004 */
export async function executeUnlockTables(session: Session): Promise<OkResult> {
  if (session.locks.lockedTables && session.txn.explicit === false && !session.autocommit()) await session.implicitCommit();
  session.locks.unlockTables();
  session.locks.releaseGlobalReadLock();
  await finishExport(session);
  return done();
}

/**
 * Under LOCK TABLES only locked tables may be used: 1100 for others, 1099 for writing a
 * READ-locked table. `name` is the name or alias as written in the statement.
 * @req CORE-EXEC-014
 */
export function checkTableLock(session: Session, schema: string, table: string, alias: string | undefined, write: boolean): void {
  const locks = session.locks.lockedTables;
  if (!locks) return;
  // HELP reads the help tables whatever LOCK TABLES holds, as MySQL opens them apart. @req CORE-LOG-030
  if (session.readingHelpTables && !write) return;
  const s = schema.toLowerCase();
  const t = table.toLowerCase();
  const a = alias?.toLowerCase();
  let found: TableLockEntry | undefined;
  for (const l of locks) {
    if (l.schema.toLowerCase() !== s || l.table.toLowerCase() !== t) continue;
    const la = l.alias?.toLowerCase();
    if (la !== undefined ? la === (a ?? t) : a === undefined || a === t) {
      found = l;
      if (!write || l.write) break;
    }
  }
  if (!found) {
    if (s === 'information_schema' || s === 'performance_schema') return;
    throw sqlError('ER_TABLE_NOT_LOCKED', alias ?? table);
  }
  if (write && !found.write) throw sqlError('ER_TABLE_NOT_LOCKED_FOR_WRITE', alias ?? table);
}
