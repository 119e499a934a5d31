/**
 * FLUSH TABLES [t, ...]: close the open (cached) handlers of the tables, so their next use opens
 * them again from their files. This is how a change made to a table's files from outside the
 * server (a CSV file edited by another program) becomes visible, and how engines that keep
 * state for an open table (the CSV metafile's row count and dirty flag) write it out.
 *
 * A handler a statement is using is never closed under it, and nothing else waits: as in MySQL,
 * FLUSH TABLES waits for the statements and the LOCK TABLES that use a table, not for
 * transactions that merely read it earlier. So each table is taken with a SHARED_UPGRADABLE
 * metadata lock (which keeps DDL on it out, but not DML) and, for engines that lock whole
 * tables, a write table lock (which waits for every running statement and LOCK TABLES on it);
 * engines with row locks (InnoDB) keep nothing in their open handler, so closing it is harmless
 * at any time. All locks are requested at once in the fixed order, held only while the handlers
 * close, and end with the statement; a wait ends with lock_wait_timeout (1205) or KILL. Without a
 * list, the tables whose handler is open are flushed, except the server's own system schemas.
 *
 * Under the session's own LOCK TABLES the named tables must be locked for WRITE (1100, 1099);
 * without a list the WRITE-locked ones are flushed. Those need no further lock: the session
 * already excludes every other.
 *
 * Temporary tables are private to their session and are left alone.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/flush.html (13.7.8.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/csv-storage-engine.html (16.4)
 * @req CSV-009 CSV-014
 */
import type { TableDef } from '../../kernel/table-def.js';
import type { TableName } from '../../sql/ast.js';
import type { Session } from '../session.js';
import { checkTableLock } from './lock-tables.js';
import type { MdlRequest } from './mdl-types.js';
import type { TableLockRequest } from './session-locks.js';
import { tableKey } from './table-locks.js';

const SOURCE = 'flush-tables.ts';

/** Schemas whose tables FLUSH TABLES without a list leaves open (the server's own). */
const SYSTEM_SCHEMAS = new Set(['mysql', 'sys', 'performance_schema', 'information_schema']);

/** FLUSH TABLES [t, ...] (not WITH READ LOCK, not FOR EXPORT). @req CSV-014 */
export async function flushTables(session: Session, names: readonly TableName[] | undefined): Promise<void> {
  const catalog = session.deps.catalog;
  const { getTable, openTableDefs, reopenTable } = catalog;
  if (!getTable || !openTableDefs || !reopenTable) return;
  const find = (schema: string, name: string): TableDef | undefined => getTable.call(catalog, schema, name, session);
  const reopen = (id: number): Promise<void> => reopenTable.call(catalog, id);
  const locks = session.locks.enabled ? session.locks : null;
  let defs: TableDef[];
  if (names && names.length > 0) {
    defs = [];
    for (const t of names) {
      const schema = t.schema ?? session.schema ?? '';
      if (locks?.lockedTables) checkTableLock(session, schema, t.name, undefined, true);
      const def = find(schema, t.name);
      if (def && !def.temporary) defs.push(def);
    }
  } else {
    defs = openTableDefs.call(catalog).filter((d) => !d.temporary && !SYSTEM_SCHEMAS.has(d.schema.toLowerCase()));
    if (locks?.lockedTables) {
      const writeLocked = locks.lockedTables.filter((l) => l.write);
      defs = defs.filter((d) => writeLocked.some((l) => l.schema.toLowerCase() === d.schema.toLowerCase() && l.table.toLowerCase() === d.name.toLowerCase()));
    }
  }
  if (locks && !locks.lockedTables && defs.length > 0) {
    const mdl: MdlRequest[] = defs.map((d) => ({ namespace: 'TABLE', schema: d.schema, name: d.name, type: 'SHARED_UPGRADABLE', duration: 'STATEMENT', source: SOURCE }));
    const got = locks.acquireAll(mdl);
    if (got instanceof Promise) await got;
    const tables: TableLockRequest[] = defs
      .filter((d) => catalog.engineByName(d.engine)?.capabilities.lockGranularity === 'table')
      .map((d) => ({ key: tableKey(d.schema, d.name), schema: d.schema, name: d.name, write: true }));
    const waited = locks.lockTables(tables);
    if (waited) await waited;
  }
  for (const def of defs) {
    // The table may have been dropped or renamed while this session waited.
    const now = find(def.schema, def.name);
    if (now) await reopen(now.id);
  }
}
