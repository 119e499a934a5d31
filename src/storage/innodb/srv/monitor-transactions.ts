/**
 * The TRANSACTIONS section of the Standard Monitor, and the Lock Monitor's additions to it.
 *
 * Layout, as MySQL 8.0 prints it: the transaction id counter, the purge position, the history
 * list length, then `LIST OF TRANSACTIONS FOR EACH SESSION:` with first one "not started" entry
 * per connection that has no InnoDB transaction running, then one entry per read-write
 * transaction, newest first:
 *
 *     ---TRANSACTION 1291, ACTIVE 7 sec
 *     mysql tables in use 1, locked 1
 *     LOCK WAIT 2 lock struct(s), heap size 1136, 1 row lock(s)
 *     MySQL thread id 12, OS thread handle 139900000786432, query id 31 localhost 127.0.0.1 root updating
 *     UPDATE t SET v = 2 WHERE id = 1
 *     Trx read view will not see trx with id >= 1292, sees < 1290
 *     ------- TRX HAS BEEN WAITING 7 SEC FOR THIS LOCK TO BE GRANTED:
 *     RECORD LOCKS space id 3 page no 0 n bits 0 index PRIMARY of table `test`.`t` trx id 1291 lock_mode X locks rec but not gap waiting
 *     Record lock, heap no 0 PHYSICAL RECORD: n_fields 1; compact format; info bits 0
 *      0: len 1; hex 31; asc 1;;
 *     ------------------
 *
 * With innodb_status_output_locks ON (the Lock Monitor) every lock the transaction holds or
 * waits for follows, ten at most. Like 8.0, read-only transactions (those that never got an
 * id) are not listed: INNODB_TRX shows them.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-standard-monitor.html (15.17.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-enabling-monitors.html (15.17.2)
 * @req INNODB-MON-008 INNODB-MON-009 INNODB-MON-102
 */
import { formatLock } from '../lock/deadlock-report.js';
import { REPORTED_LOCK_HEAP_BYTES } from '../lock/limits.js';
import type { InnodbTrx } from '../trx/trx.js';
import type { MonitorSource, SessionInfo } from './monitor-source.js';
import { sectionHeader, threadHandle } from './monitor-text.js';
import { varNumber } from './sysvar-value.js';
import { printedTrxId, tablesLocked } from './trx-view.js';

/** The Lock Monitor prints at most this many locks per transaction. INNODB-MON-102 */
export const LOCK_MONITOR_MAX_LOCKS = 10;
/** Longest statement text printed for a transaction. INNODB-MON-009 */
export const MONITOR_MAX_QUERY_CHARS = 3000;

/** `MySQL thread id ..., OS thread handle ..., query id ... host ip user state` and the query. */
export function sessionLines(connectionId: number, s: SessionInfo | null): string {
  if (!s) return `MySQL thread id ${connectionId}, OS thread handle ${threadHandle(connectionId)}, query id 0\n`;
  let line = `MySQL thread id ${connectionId}, OS thread handle ${threadHandle(connectionId)}, query id ${s.queryId}`;
  if (s.host) line += ` ${s.host}`;
  if (s.ip) line += ` ${s.ip}`;
  if (s.user) line += ` ${s.user}`;
  if (s.state) line += ` ${s.state}`;
  line += '\n';
  if (s.query !== null) line += `${s.query.slice(0, MONITOR_MAX_QUERY_CHARS)}\n`;
  return line;
}

function activeSeconds(trx: InnodbTrx, now: number): number {
  return Math.max(0, Math.floor((now - trx.startedAt) / 1000));
}

/** One `---TRANSACTION` entry. @req INNODB-MON-009 INNODB-MON-102 */
export function formatTrxEntry(src: MonitorSource, trx: InnodbTrx, now: number, lockMonitor: boolean): string {
  const summary = src.locks.summary(trx);
  const session = trx.recovered ? null : src.sessionInfo(trx.connectionId);
  const sec = activeSeconds(trx, now);
  let text = `---TRANSACTION ${printedTrxId(trx)}, `;
  text += trx.state === 'prepared' ? `ACTIVE (PREPARED) ${sec} sec` : `ACTIVE ${sec} sec`;
  if (trx.recovered) text += ' recovered trx';
  text += '\n';
  // Tables count as in use and locked while a statement of the transaction runs.
  const tables = session?.busy ? tablesLocked(src.locks, trx) : 0;
  if (tables > 0) text += `mysql tables in use ${tables}, locked ${tables}\n`;
  text += `${summary.waiting ? 'LOCK WAIT ' : ''}${summary.lockStructs} lock struct(s), heap size ${REPORTED_LOCK_HEAP_BYTES}, ${summary.rowLocks} row lock(s)`;
  if (trx.undo.length > 0) text += `, undo log entries ${trx.undo.length}`;
  text += '\n';
  if (!trx.recovered) text += sessionLines(trx.connectionId, session);
  if (trx.view) text += `Trx read view will not see trx with id >= ${trx.view.lowLimit}, sees < ${trx.view.upLimit}\n`;
  const w = summary.waiting;
  if (w) {
    const waited = w.waitStartedMs === null ? 0 : Math.max(0, Math.floor((now - w.waitStartedMs) / 1000));
    text += `------- TRX HAS BEEN WAITING ${waited} SEC FOR THIS LOCK TO BE GRANTED:\n${formatLock(w)}------------------\n`;
  }
  if (lockMonitor) {
    const all = src.locks.ownerLocks(trx);
    all.slice(0, LOCK_MONITOR_MAX_LOCKS).forEach((l) => (text += formatLock(l)));
    if (all.length > LOCK_MONITOR_MAX_LOCKS) text += `${LOCK_MONITOR_MAX_LOCKS} LOCKS PRINTED FOR THIS TRX: SUPPRESSING FURTHER PRINTS\n`;
  }
  return text;
}

/** Purge's position and state line. */
function purgeLine(src: MonitorSource): string {
  const next = src.sys.nextTrxId;
  let done = next;
  if (src.historyLength > 0) for (const v of src.sys.views) if (v.holders > 0 && v.upLimit < done) done = v.upLimit;
  const forced = varNumber(src.globalVar('innodb_force_recovery'), 0);
  const state = forced >= 2 ? 'disabled' : src.historyLength > 0 ? 'running' : 'running but idle';
  return `Purge done for trx's n:o < ${done} undo n:o < 0 state: ${state}\n`;
}

/** The whole TRANSACTIONS section. @req INNODB-MON-009 */
export function formatTransactionsSection(src: MonitorSource, now: number, lockMonitor: boolean): string {
  let text = sectionHeader('TRANSACTIONS');
  text += `Trx id counter ${src.sys.nextTrxId}\n`;
  text += purgeLine(src);
  text += `History list length ${src.historyLength}\n`;
  text += 'LIST OF TRANSACTIONS FOR EACH SESSION:\n';
  const trxs = src.transactions().filter((t) => t.state === 'active' || t.state === 'prepared');
  const busyConns = new Set(trxs.map((t) => t.connectionId));
  for (const id of src.sessionIds()) {
    if (busyConns.has(id)) continue;
    text += `---TRANSACTION ${notStartedId(id)}, not started\n`;
    text += `0 lock struct(s), heap size ${REPORTED_LOCK_HEAP_BYTES}, 0 row lock(s)\n`;
  }
  const listed = trxs.filter((t) => t.id !== 0n).sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  for (const t of listed) text += formatTrxEntry(src, t, now, lockMonitor);
  return text;
}

/** The printed id of a connection's idle transaction object (bit 48 set, stable per connection). */
function notStartedId(connectionId: number): bigint {
  return (1n << 48n) | BigInt(threadHandle(connectionId));
}
