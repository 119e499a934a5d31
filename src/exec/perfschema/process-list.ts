/**
 * One description of every connection thread, from which SHOW PROCESSLIST,
 * information_schema.PROCESSLIST, performance_schema.processlist and performance_schema.threads
 * are all made, so they cannot disagree: the same Id, User, Host, db, Command, Time, State and
 * Info for a thread whichever is read, including the State of a statement waiting for a lock.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-processlist.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-processlist-table.html
 * @req CORE-PFS-014 CORE-PFS-015
 */
import type { Session } from '../session.js';
import { registryOf } from '../server-context.js';
import { threadHost, threadIdOf } from './thread-hooks.js';

/** A connection thread as the process lists show it. */
export interface ProcessRow {
  session: Session;
  id: number;
  threadId: number;
  user: string;
  /** Host as SHOW PROCESSLIST shows it: host:port over TCP, 'localhost' over the socket. */
  hostPort: string;
  /** Host without the port (threads.PROCESSLIST_HOST). */
  host: string;
  db: string | null;
  command: string;
  time: number;
  state: string;
  info: string | null;
  /** CONNECTION_TYPE: TCP/IP, Socket or SSL/TLS. */
  connectionType: string;
}

/** The process row of one session, at time `now` (ms). @req CORE-PFS-014 */
export function processRowOf(s: Session, now: number): ProcessRow {
  const host = threadHost(s.conn);
  return {
    session: s,
    id: s.connectionId,
    threadId: threadIdOf(s.connectionId),
    user: s.user,
    hostPort: s.conn.transport === 'socket' ? 'localhost' : `${s.host}:${s.conn.remotePort}`,
    host,
    db: s.schema,
    // A session running an event body shows as MySQL's event threads do. @req CORE-EVT-010
    command: s.deps.events?.isEventSession?.(s.connectionId) ? 'Connect' : s.command,
    time: Math.max(0, Math.floor((now - s.statementStartedAt) / 1000)),
    // While a statement waits for a lock, State says which (Waiting for table metadata lock, ...).
    state: s.locks.waitState() ?? (s.command === 'Sleep' ? '' : (s.stage ?? 'executing')),
    info: s.currentStatement,
    connectionType: s.conn.tls ? 'SSL/TLS' : s.conn.transport === 'socket' ? 'Socket' : 'TCP/IP',
  };
}

/** Every connection thread of the server `viewer` belongs to, by id. */
export function allProcessRows(viewer: Session): ProcessRow[] {
  const reg = registryOf(viewer.deps);
  const sessions = reg ? reg.list() : [viewer];
  const now = Date.now();
  return sessions.sort((a, b) => a.connectionId - b.connectionId).map((s) => processRowOf(s, now));
}

/**
 * The threads `viewer` may list: all with the PROCESS privilege, else those of its own user, as
 * SHOW PROCESSLIST and both PROCESSLIST tables filter them. @req CORE-PFS-015
 */
export function visibleProcessRows(viewer: Session): ListedProcess[] {
  const all = allProcessRows(viewer);
  if (!viewer.deps.accounts.hasGlobal(viewer, 'PROCESS')) return all.filter((r) => r.user === viewer.user);
  // The event scheduler's own thread, first, while it runs. @req CORE-EVT-010
  const daemon = viewer.deps.events?.threadRow?.();
  if (!daemon) return all;
  const time = Math.max(0, Math.floor((Date.now() - daemon.since) / 1000));
  return [{ id: daemon.id, user: 'event_scheduler', hostPort: 'localhost', db: null, command: 'Daemon', time, state: daemon.state, info: null }, ...all];
}

/** A line of a process list: a connection thread, or the event scheduler's. */
export type ListedProcess = Pick<ProcessRow, 'id' | 'user' | 'hostPort' | 'db' | 'command' | 'time' | 'state' | 'info'>;
