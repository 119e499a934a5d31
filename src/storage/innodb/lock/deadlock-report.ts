/**
 * The text of a deadlock report: the body of the monitor's LATEST DETECTED DEADLOCK section,
 * and what innodb_print_all_deadlocks writes to the error log. It lists every transaction of
 * the cycle in wait order, each with the lock it holds that the previous one waits for and the
 * lock it waits for itself, then which one was rolled back. Lock lines follow the monitor's
 * layout (`RECORD LOCKS space id ... lock_mode X locks rec but not gap waiting`, `TABLE LOCK
 * table ... lock mode IX`), which is what people and tools such as pt-deadlock-logger read.
 *
 * Our records live in memory rather than on pages, so the page number and bitmap size are 0,
 * and the record dump shows the key text as the one field.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-deadlock-example.html (15.7.5.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-standard-monitor.html (15.17.3)
 * @req INNODB-MON-008 INNODB-LOCK-113
 */
import { Buffer } from 'node:buffer';
import { DEADLOCK_REPORT_MAX_QUERY_CHARS, REPORTED_LOCK_HEAP_BYTES } from './limits.js';
import { monitorRecordMode, type RecordLockMode } from './lock-modes.js';
import type { LockInfo, LockOwner, OwnerLockSummary } from './lock-types.js';

/** One transaction of a deadlock cycle, as the report shows it. */
export interface DeadlockParty {
  readonly owner: LockOwner;
  /** Seconds since the transaction began. */
  readonly activeSec: number;
  readonly summary: OwnerLockSummary;
  /** The lock of this transaction that keeps the previous transaction of the cycle waiting. */
  readonly holds: LockInfo | null;
  /** The lock this transaction waits for. */
  readonly waiting: LockInfo;
}

/** `YYYY-MM-DD HH:MM:SS 0x<thread>`, local time, as InnoDB stamps its report. */
export function reportTimestamp(at: Date, thread: number): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const day = `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}`;
  const time = `${p(at.getHours())}:${p(at.getMinutes())}:${p(at.getSeconds())}`;
  return `${day} ${time} 0x${thread.toString(16)}`;
}

/** The printable ASCII of a byte, else a space, as the monitor's `asc` column shows it. */
function ascii(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ' ';
}

/**
 * One lock as the monitor prints it: the lock line and, for a record lock, the record.
 * @req INNODB-MON-008
 */
export function formatLock(info: LockInfo): string {
  const waiting = info.status === 'WAITING' ? ' waiting' : '';
  if (info.type === 'TABLE') {
    return `TABLE LOCK table ${info.tableName} trx id ${info.trxId} lock mode ${info.rawMode}${waiting}\n`;
  }
  const bytes = Buffer.from(info.keyText ?? '', 'utf8');
  const hex = bytes.toString('hex');
  const asc = Array.from(bytes, ascii).join('');
  return (
    `RECORD LOCKS space id ${info.tableId} page no 0 n bits 0 index ${info.indexName ?? ''} of table ${info.tableName}` +
    ` trx id ${info.trxId} ${monitorRecordMode(info.rawMode as RecordLockMode, info.gap)}${waiting}\n` +
    'Record lock, heap no 0 PHYSICAL RECORD: n_fields 1; compact format; info bits 0\n' +
    ` 0: len ${bytes.length}; hex ${hex}; asc ${asc};;\n`
  );
}

/**
 * The transaction lines of a report (also the head of a transaction in the monitor's
 * TRANSACTIONS section). @req INNODB-MON-008
 */
export function formatTransaction(owner: LockOwner, activeSec: number, summary: OwnerLockSummary): string {
  const undo = owner.weight();
  const wait = summary.waiting ? 'LOCK WAIT ' : '';
  let text = `TRANSACTION ${owner.trxId}, ACTIVE ${activeSec} sec\n`;
  text += `${wait}${summary.lockStructs} lock struct(s), heap size ${REPORTED_LOCK_HEAP_BYTES}, ${summary.rowLocks} row lock(s)`;
  text += undo > 0 ? `, undo log entries ${undo}\n` : '\n';
  text += `MySQL thread id ${owner.connectionId}\n`;
  const what = owner.describe();
  if (what !== '') text += `${what.slice(0, DEADLOCK_REPORT_MAX_QUERY_CHARS)}\n`;
  return text;
}

/**
 * The report of one deadlock: `parties[i]` waits for `parties[i + 1]`, the last for the first;
 * `victim` indexes the one rolled back. @req INNODB-MON-008 INNODB-LOCK-113
 */
export function formatDeadlockReport(at: Date, thread: number, parties: readonly DeadlockParty[], victim: number): string {
  let text = `${reportTimestamp(at, thread)}\n`;
  parties.forEach((p, i) => {
    const n = i + 1;
    text += `${i === 0 ? '' : '\n'}*** (${n}) TRANSACTION:\n${formatTransaction(p.owner, p.activeSec, p.summary)}`;
    if (p.holds) text += `\n*** (${n}) HOLDS THE LOCK(S):\n${formatLock(p.holds)}`;
    text += `\n*** (${n}) WAITING FOR THIS LOCK TO BE GRANTED:\n${formatLock(p.waiting)}`;
  });
  text += `\n*** WE ROLL BACK TRANSACTION (${victim + 1})\n`;
  return text;
}

/**
 * The report when the search gave up (too long a chain of waiting transactions): the requester
 * is rolled back as if it had closed a cycle. @req INNODB-LOCK-105 INNODB-LOCK-113
 */
export function formatTooDeepReport(at: Date, thread: number, requester: DeadlockParty): string {
  return (
    `${reportTimestamp(at, thread)}\n` +
    'TOO DEEP OR LONG SEARCH IN THE LOCK TABLE WAITS-FOR GRAPH, WE WILL ROLL BACK FOLLOWING TRANSACTION \n' +
    `\n*** TRANSACTION:\n${formatTransaction(requester.owner, requester.activeSec, requester.summary)}` +
    `\n*** WAITING FOR THIS LOCK TO BE GRANTED:\n${formatLock(requester.waiting)}` +
    '\n*** WE ROLL BACK TRANSACTION (1)\n'
  );
}
