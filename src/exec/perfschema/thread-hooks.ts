/**
 * performance_schema's side of a connection thread's life: at connect, the thread's statement
 * recorder (INSTRUMENTED and HISTORY from setup_actors) and the account, user and host counts;
 * at disconnect, the counts again.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-threads-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-connection-tables.html
 * @req CORE-PFS-010 CORE-PFS-042 CORE-PFS-050
 */
import type { ConnectionInfo } from '../../kernel/protocol-port.js';
import type { Value } from '../../kernel/value.js';
import { PS_THREAD_ID_OFFSET } from '../locks/limits.js';
import { pfsStateFor } from './state.js';
import { ThreadStatements } from './thread-statements.js';

/** The host a connection thread is counted under: 'localhost' over the Unix socket, else the peer address. */
export function threadHost(conn: ConnectionInfo): string {
  return conn.transport === 'socket' ? 'localhost' : conn.remoteAddress;
}

/** THREAD_ID of a connection thread (distinct from its PROCESSLIST_ID). @req CORE-PFS-010 */
export function threadIdOf(connectionId: number): number {
  return connectionId + PS_THREAD_ID_OFFSET;
}

/** A connection thread starts: its recorder, counted under its account. */
export function openThread(catalog: object, sysvars: { global(name: string): Value }, conn: ConnectionInfo, user: string): ThreadStatements {
  const state = pfsStateFor(catalog, sysvars);
  const host = threadHost(conn);
  const actor = state.setup.actorFor(user, host);
  state.connected(user, host);
  return new ThreadStatements(state, threadIdOf(conn.connectionId), actor.instrumented, actor.history, user, host);
}

/** The thread ends. */
export function closeThread(t: ThreadStatements): void {
  t.state.disconnected(t.user, t.host);
}
