/**
 * FLUSH TABLES WITH READ LOCK and FLUSH TABLES t1, t2 WITH READ LOCK.
 *
 * The global read lock is SHARED on the GLOBAL scope, then SHARED on COMMIT, both kept until
 * UNLOCK TABLES (or the end of the connection). Acquiring the first waits for the statements
 * that are writing (they hold GLOBAL INTENTION_EXCLUSIVE) and for LOCK TABLES ... WRITE
 * sessions; once it is held, new writes and DDL wait ("Waiting for global read lock") while
 * reads go on; the second makes commits of transactions that changed data wait. The session
 * holding it may read but not write (1223).
 *
 * With a table list, the named tables are locked instead: an EXCLUSIVE metadata lock first,
 * so the statement waits for every transaction using them, weakened to SHARED_NO_WRITE once
 * the session holds its read table locks; the session is then in LOCK TABLES mode, as after
 * LOCK TABLES ... READ, and other sessions may read the tables but not change them.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/flush.html (15.7.8.3)
 * @req CORE-LOCK-004 CORE-LOCK-005
 */
import type { FlushStatement } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import type { OkResult } from '../../kernel/protocol-port.js';
import type { Session } from '../session.js';
import { lockExplicitly, type ExplicitLock } from './lock-tables.js';
import type { MdlRequest } from './mdl-types.js';

const SOURCE = 'global-read-lock.ts';

function done(): OkResult {
  return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
}

/** @req CORE-LOCK-004 CORE-LOCK-005 */
export async function executeFlushWithReadLock(session: Session, stmt: FlushStatement): Promise<OkResult> {
  const locks = session.locks;
  // Not while LOCK TABLES is in effect (1192), as in MySQL.
  if (locks.lockedTables !== null) throw sqlError('ER_LOCK_OR_ACTIVE_TRANSACTION');
  if (stmt.tables && stmt.tables.length > 0) return flushTablesWithReadLock(session, stmt);
  if (!locks.enabled || locks.holdsGlobalReadLock()) return done();
  const r = locks.acquireAll([
    { namespace: 'GLOBAL', schema: '', name: '', type: 'SHARED', duration: 'STATEMENT', source: SOURCE },
    { namespace: 'COMMIT', schema: '', name: '', type: 'SHARED', duration: 'STATEMENT', source: SOURCE },
  ]);
  locks.keepGlobalReadLock(r instanceof Promise ? await r : r);
  return done();
}

/** FLUSH TABLES t1, t2 WITH READ LOCK. @req CORE-LOCK-005 */
async function flushTablesWithReadLock(session: Session, stmt: FlushStatement): Promise<OkResult> {
  const wanted: ExplicitLock[] = [];
  const scopes: MdlRequest[] = [{ namespace: 'GLOBAL', schema: '', name: '', type: 'INTENTION_EXCLUSIVE', duration: 'STATEMENT', source: SOURCE }];
  for (const t of stmt.tables ?? []) {
    const schema = t.schema ?? session.schema;
    if (schema === null) throw sqlError('ER_NO_DB_ERROR');
    const opened = await session.deps.catalog.openTable(session, schema, t.name);
    if (!opened) throw sqlError('ER_NO_SUCH_TABLE', schema, t.name);
    if (opened.kind !== 'base') throw sqlError('ER_WRONG_OBJECT', schema, t.name, 'BASE TABLE');
    wanted.push({ schema, name: t.name, write: false, mdl: 'EXCLUSIVE' });
    scopes.push({ namespace: 'SCHEMA', schema: opened.def.schema, name: '', type: 'INTENTION_EXCLUSIVE', duration: 'STATEMENT', source: SOURCE });
  }
  if (session.locks.holdsGlobalReadLock()) throw sqlError('ER_CANT_UPDATE_WITH_READLOCK');
  const tickets = await lockExplicitly(session, wanted, scopes);
  for (const t of tickets) if (t.type === 'EXCLUSIVE') session.locks.downgrade(t, 'SHARED_NO_WRITE');
  return done();
}
