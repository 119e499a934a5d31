/**
 * The server-wide lock managers: one metadata lock manager and one table lock manager per
 * server, found from the server's catalog (every session and DDL statement of a server sees
 * the same catalog object, and tests running several servers in one process keep them apart).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/metadata-locking.html (10.11.4)
 * @req CORE-MDL-001 CORE-LOCK-001
 */
import { MdlManager } from './mdl-manager.js';
import { TableLockManager } from './table-locks.js';

export interface ServerLocks {
  readonly mdl: MdlManager;
  readonly tables: TableLockManager;
}

const byServer = new WeakMap<object, ServerLocks>();

/** The lock managers of the server that owns `catalog`. */
export function serverLocksFor(catalog: object): ServerLocks {
  let s = byServer.get(catalog);
  if (!s) {
    s = { mdl: new MdlManager(), tables: new TableLockManager() };
    byServer.set(catalog, s);
  }
  return s;
}
