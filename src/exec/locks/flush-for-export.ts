/**
 * FLUSH TABLES t, ... FOR EXPORT: the tables are read locked as with FLUSH TABLES ... WITH READ
 * LOCK, then each table's engine writes its export files (InnoDB: the .ibd made complete and a
 * .cfg beside it), so the files can be copied to another server while the lock is held. UNLOCK
 * TABLES asks the engines to remove what they wrote.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/flush.html#flush-tables-for-export-with-list (13.7.8.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-table-import.html (15.6.1.3)
 * @req INNODB-BAK-101
 */
import { sqlError } from '../../kernel/errors.js';
import type { OkResult } from '../../kernel/protocol-port.js';
import type { TableDef } from '../../kernel/table-def.js';
import type { FlushStatement } from '../../sql/ast.js';
import type { StorageEngine } from '../../storage/handler.js';
import type { Session } from '../session.js';
import { executeFlushWithReadLock } from './global-read-lock.js';

const exported = new WeakMap<Session, { engine: StorageEngine; def: TableDef }[]>();

export async function executeFlushForExport(session: Session, stmt: FlushStatement): Promise<OkResult> {
  const tables = stmt.tables ?? [];
  if (tables.length === 0) {
    throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use', 'FOR EXPORT', 1);
  }
  const result = await executeFlushWithReadLock(session, { ...stmt, what: ['TABLES WITH READ LOCK'] });
  const catalog = session.deps.catalog;
  const list = exported.get(session) ?? [];
  for (const t of tables) {
    const schema = t.schema ?? session.schema ?? '';
    const opened = await catalog.openTable(session, schema, t.name);
    if (!opened || opened.kind !== 'base') throw sqlError('ER_NO_SUCH_TABLE', schema, t.name);
    const engine = catalog.engineByName(opened.def.engine);
    if (!engine?.exportTable) throw sqlError('ER_ILLEGAL_HA', t.name);
    await engine.exportTable(session.engineContext(engine.name), opened.def);
    list.push({ engine, def: opened.def });
  }
  exported.set(session, list);
  return result;
}

/** UNLOCK TABLES (or the end of the session): the export files go. */
export async function finishExport(session: Session): Promise<void> {
  const list = exported.get(session);
  if (!list) return;
  exported.delete(session);
  for (const { engine, def } of list) await engine.unexportTable?.(session.engineContext(engine.name), def).catch(() => undefined);
}
