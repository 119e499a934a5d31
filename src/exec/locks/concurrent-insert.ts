/**
 * The link between table locks and the engines that allow concurrent inserts (MyISAM, CSV):
 * which mode a table lock takes, and the hooks that let the engine fix what a reader sees.
 *
 * - A read lock (a statement's read, LOCK TABLES ... READ LOCAL) tells the handler when it is
 *   granted (`startRead`) and released (`endRead`): the engine then hides from that
 *   connection the rows appended after the grant, as MyISAM saves the data file length when a
 *   read lock is taken.
 * - A plain INSERT (or multi-row INSERT) into a table whose handler answers
 *   `allowsConcurrentInsert` takes a `concurrent-insert` lock, which shares the table with
 *   such readers while the handler says yes; other writes (INSERT ... SELECT, INSERT ... ON
 *   DUPLICATE KEY UPDATE, REPLACE, UPDATE, DELETE, LOAD-like writes) take the write lock.
 * - LOCK TABLES ... READ takes `read-no-insert`, which admits no insert at all.
 * Engines without these methods (MEMORY, and every engine locking rows) keep plain read/write.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/concurrent-inserts.html (10.11.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/lock-tables.html (15.3.6)
 * @req MYISAM-021 MYISAM-035 CORE-LOCK-009 CSV-015
 */
import type { Value } from '../../kernel/value.js';
import { internalEngineContext, type EngineContext, type TableHandler } from '../../storage/handler.js';
import type { TableLockHooks, TableLockMode } from './table-locks.js';

/** What the hooks need of the session: its connection id and its variables. */
export interface LockingSession {
  readonly connectionId: number;
  sysvar(name: string): Value;
}

/** An engine context that outlives one statement (a LOCK TABLES lock is held across many). */
function lockContext(session: LockingSession): EngineContext {
  return internalEngineContext((n) => session.sysvar(n), session.connectionId);
}

/**
 * The mode and hooks of a table lock on a table with handler `handler`, for an intent: 'read'
 * (a statement's read or READ LOCAL), 'read-no-insert' (LOCK TABLES ... READ), 'insert' (the
 * target of a plain INSERT) or 'write'.
 * @req MYISAM-021 CORE-LOCK-009
 */
export function tableLockFor(
  session: LockingSession,
  handler: TableHandler | null,
  intent: 'read' | 'read-no-insert' | 'insert' | 'write',
): { mode: TableLockMode; hooks?: TableLockHooks } {
  if (intent === 'write' || handler === null) return { mode: intent === 'insert' ? 'write' : intent };
  if (intent === 'insert') {
    if (!handler.allowsConcurrentInsert) return { mode: 'write' };
    const ctx = lockContext(session);
    return { mode: 'concurrent-insert', hooks: { concurrentInsertAllowed: () => handler.allowsConcurrentInsert!(ctx) } };
  }
  if (intent === 'read-no-insert' || !handler.startRead) return { mode: intent };
  const ctx = lockContext(session);
  return {
    mode: 'read',
    hooks: {
      granted: () => handler.startRead!(ctx),
      released: () => handler.endRead?.(ctx),
    },
  };
}
