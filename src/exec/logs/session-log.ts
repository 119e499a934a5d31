/**
 * What a session reports to the query logs, and when: the general log gets a connection's
 * Connect line, each command the protocol handled, and each statement once it is parsed
 * (before it runs, so a statement that fails or never ends is still there); the slow log
 * gets a statement after it ran, when it took longer than long_query_time (or used no
 * index, under log_queries_not_using_indexes) and examined at least min_examined_row_limit
 * rows.
 *
 * Every entry point starts with one check of the port's flag, so a server with both logs off
 * does no logging work at all.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/query-log.html (5.4.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/slow-query-log.html (5.4.5)
 * @req CORE-LOG-002 CORE-LOG-003 CORE-LOG-004 CORE-LOG-008 CORE-LOG-011 CORE-LOG-012 CORE-LOG-013
 */
import type { Statement } from '../../sql/ast.js';
import type { Value } from '../../kernel/value.js';
import type { ConnectionInfo } from '../../kernel/protocol-port.js';
import type { LogIdentity, QueryLogPort } from './query-log-port.js';
import { COM, commandName } from './command-names.js';
import { loggableText } from './mask-secrets.js';

/** The part of a session the logs read. */
export interface LoggingSession {
  readonly connectionId: number;
  readonly conn: ConnectionInfo;
  user: string;
  account: { user: string };
  schema: string | null;
  sysvar(name: string): Value;
}

/** Host name and IP of a connection, as the logs print them. */
export function hostAndIp(conn: ConnectionInfo): { host: string; ip: string } {
  if (conn.transport === 'socket') return { host: 'localhost', ip: '' };
  const a = conn.remoteAddress;
  const loopback = a === '::1' || a.startsWith('127.');
  return { host: loopback ? 'localhost' : '', ip: a };
}

export function identityOf(s: LoggingSession): LogIdentity {
  const { host, ip } = hostAndIp(s.conn);
  return { connectionId: s.connectionId, user: s.user, privUser: s.account.user, host, ip };
}

/** How the client connected, as the Connect line names it. @req CORE-LOG-003 */
function transportName(conn: ConnectionInfo): string {
  if (conn.transport === 'socket') return 'Socket';
  return conn.tls ? 'SSL/TLS' : 'TCP/IP';
}

/** `user@host on db using Socket` (Connect and Change user lines). */
export function connectArgument(s: LoggingSession): string {
  const { host, ip } = hostAndIp(s.conn);
  return `${s.user}@${host || ip} on ${s.schema ?? ''} using ${transportName(s.conn)}`;
}

/** sql_log_off: the session keeps its commands out of the general log (setting it needs
 *  SYSTEM_VARIABLES_ADMIN or SUPER already). @req CORE-LOG-008 */
function loggingOff(s: LoggingSession): boolean {
  return on(s.sysvar('sql_log_off'));
}

/** A command the executor or the protocol handled, with its argument. @req CORE-LOG-003 */
export function logCommand(log: QueryLogPort | undefined, s: LoggingSession, command: number, argument: string): void {
  if (log === undefined || !log.general || loggingOff(s)) return;
  log.writeGeneral(identityOf(s), commandName(command), argument);
}

/** A statement of COM_QUERY once parsed (passwords masked). @req CORE-LOG-002 CORE-LOG-005 */
export function logStatement(log: QueryLogPort | undefined, s: LoggingSession, stmt: Statement): void {
  if (log === undefined || !log.general || loggingOff(s)) return;
  log.writeGeneral(identityOf(s), 'Query', loggableText(stmt, stmt.text ?? ''));
}

/** Statements MySQL counts as administrative for log_slow_admin_statements. */
function isAdminStatement(stmt: Statement): boolean {
  switch (stmt.kind) {
    case 'alter_table':
    case 'create_index':
    case 'drop_index':
    case 'table_maintenance':
      return true;
    default:
      return false;
  }
}

/** SHOW and the like never count as "not using indexes". */
function isStatusStatement(stmt: Statement): boolean {
  return stmt.kind === 'show' || stmt.kind === 'describe' || stmt.kind === 'explain';
}

function num(v: Value, dflt: number): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return dflt;
}

const on = (v: Value): boolean => v === 1n || v === 1 || (typeof v === 'string' && /^(ON|1)$/i.test(v));

/** What the session measured about one statement. */
export interface StatementMeasure {
  startUs: bigint;
  queryUs: bigint;
  lockUs: bigint;
  rowsSent: number;
  rowsExamined: number;
  noIndexUsed: boolean;
  failedToParse: boolean;
}

/**
 * Whether a finished statement goes to the slow log: slower than long_query_time (strictly,
 * in microseconds), or a full scan under log_queries_not_using_indexes; in both cases only when
 * it examined at least min_examined_row_limit rows; administrative statements only under
 * log_slow_admin_statements. @req CORE-LOG-011 CORE-LOG-012 CORE-LOG-013
 */
export function slowApplicable(s: LoggingSession, stmt: Statement, m: StatementMeasure): boolean {
  if (m.failedToParse) return false;
  const longUs = BigInt(Math.round(num(s.sysvar('long_query_time'), 10) * 1e6));
  const wasSlow = m.queryUs > longUs;
  const noIndex = m.noIndexUsed && on(s.sysvar('log_queries_not_using_indexes')) && !isStatusStatement(stmt);
  if (!wasSlow && !noIndex) return false;
  if (m.rowsExamined < num(s.sysvar('min_examined_row_limit'), 0)) return false;
  if (isAdminStatement(stmt) && !on(s.sysvar('log_slow_admin_statements'))) return false;
  return true;
}

/** Write the statement to the slow log when it qualifies. @req CORE-LOG-011 */
export function logSlowStatement(
  log: QueryLogPort | undefined,
  s: LoggingSession & { lastInsertId: bigint },
  stmt: Statement,
  m: StatementMeasure,
  usedLastInsertId: boolean,
  insertId: bigint | null,
): boolean {
  if (log === undefined || !log.slow) return false;
  if (!slowApplicable(s, stmt, m)) return false;
  log.writeSlow({
    who: identityOf(s),
    startUs: m.startUs,
    queryUs: m.queryUs,
    lockUs: m.lockUs,
    rowsSent: m.rowsSent,
    rowsExamined: m.rowsExamined,
    db: s.schema,
    lastInsertId: usedLastInsertId ? s.lastInsertId : null,
    insertId,
    text: loggableText(stmt, stmt.text ?? ''),
  });
  return true;
}

export { COM };
