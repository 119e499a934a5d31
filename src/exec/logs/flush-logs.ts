/**
 * FLUSH LOGS and FLUSH {GENERAL | SLOW | ERROR | ENGINE | BINARY | RELAY} LOGS: the query log
 * files are closed and opened again, so a file renamed away (log rotation) is replaced by a
 * new one at the configured name. The error log is opened afresh for every line it writes, so
 * it follows a rename without a flush; there is no binary or relay log yet, and engines keep
 * no log that a flush would close.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/flush.html (15.7.8.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/log-file-maintenance.html (5.4.7)
 * @req CORE-LOG-021
 */
import type { FlushStatement } from '../../sql/ast.js';
import type { QueryLogPort } from './query-log-port.js';

/** @req CORE-LOG-021 */
export function flushLogs(session: { deps: { queryLog?: QueryLogPort } }, stmt: FlushStatement): void {
  const log = session.deps.queryLog;
  if (log === undefined) return;
  const all = stmt.what.includes('LOGS');
  const general = all || stmt.what.includes('GENERAL LOGS');
  const slow = all || stmt.what.includes('SLOW LOGS');
  if (general && slow) log.reopen('both');
  else if (general) log.reopen('general');
  else if (slow) log.reopen('slow');
}
