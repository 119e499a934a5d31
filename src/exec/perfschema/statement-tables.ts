/**
 * The statement event tables: events_statements_current (per thread, the running or last
 * statement), events_statements_history (per thread, the last ended ones) and
 * events_statements_summary_by_digest. Times are in picoseconds from the server's start, as
 * MySQL's statement timer reports them.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-events-statements-current-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-statement-summary-tables.html
 * @req CORE-PFS-011 CORE-PFS-012 CORE-PFS-013 CORE-PFS-024
 */
import { performance } from 'node:perf_hooks';
import type { VirtualTable } from '../../catalog/virtual-table.js';
import { Temporal, type Row, type Value } from '../../kernel/value.js';
import type { ColumnDef } from '../../kernel/table-def.js';
import type { Session } from '../session.js';
import { enumCol, int, longtext, pfsTable, timestamp6, ubig, varchar } from './columns.js';
import type { DigestStat } from './digest-summary.js';
import type { PfsState } from './state.js';
import type { StatementEvent, ThreadStatements } from './thread-statements.js';

/** Picoseconds in a millisecond. */
const PS_PER_MS = 1e9;

const COUNTER_NAMES = [
  'CREATED_TMP_DISK_TABLES', 'CREATED_TMP_TABLES', 'SELECT_FULL_JOIN', 'SELECT_FULL_RANGE_JOIN', 'SELECT_RANGE', 'SELECT_RANGE_CHECK',
  'SELECT_SCAN', 'SORT_MERGE_PASSES', 'SORT_RANGE', 'SORT_ROWS', 'SORT_SCAN', 'NO_INDEX_USED', 'NO_GOOD_INDEX_USED',
];

/** The columns of the current / history tables, in MySQL 8.0.40's order. */
function eventColumns(): ColumnDef[] {
  return [
    ubig('THREAD_ID'), ubig('EVENT_ID'), ubig('END_EVENT_ID', true), varchar('EVENT_NAME', 128, false), varchar('SOURCE', 64),
    ubig('TIMER_START', true), ubig('TIMER_END', true), ubig('TIMER_WAIT', true), ubig('LOCK_TIME'), longtext('SQL_TEXT'),
    varchar('DIGEST', 64), longtext('DIGEST_TEXT'), varchar('CURRENT_SCHEMA', 64), varchar('OBJECT_TYPE', 64), varchar('OBJECT_SCHEMA', 64),
    varchar('OBJECT_NAME', 64), ubig('OBJECT_INSTANCE_BEGIN', true), int('MYSQL_ERRNO'), varchar('RETURNED_SQLSTATE', 5), varchar('MESSAGE_TEXT', 128),
    ubig('ERRORS'), ubig('WARNINGS'), ubig('ROWS_AFFECTED'), ubig('ROWS_SENT'), ubig('ROWS_EXAMINED'),
    ...COUNTER_NAMES.map((n) => ubig(n)),
    ubig('NESTING_EVENT_ID', true), enumCol('NESTING_EVENT_TYPE', ['TRANSACTION', 'STATEMENT', 'STAGE', 'WAIT'], true), int('NESTING_EVENT_LEVEL'),
    ubig('STATEMENT_ID', true), ubig('CPU_TIME'), ubig('MAX_CONTROLLED_MEMORY'), ubig('MAX_TOTAL_MEMORY'),
    enumCol('EXECUTION_ENGINE', ['PRIMARY', 'SECONDARY'], true),
  ];
}

/** Picoseconds since the timer origin. */
function ps(state: PfsState, ms: number): bigint {
  return BigInt(Math.max(0, Math.round((ms - state.timerOrigin) * PS_PER_MS)));
}

function duration(ms: number): bigint {
  return BigInt(Math.max(0, Math.round(ms * PS_PER_MS)));
}

/** One row of the current / history tables; `live` is the thread of a statement still running. */
function eventRow(state: PfsState, threadId: number, e: StatementEvent, live: ThreadStatements | null): Row {
  const running = e.endEventId === 0;
  const end = running ? performance.now() : e.endMs;
  const zeros: Value[] = COUNTER_NAMES.map(() => 0n);
  return [
    BigInt(threadId), BigInt(e.eventId), running ? null : BigInt(e.endEventId), e.eventName, null,
    e.timed ? ps(state, e.startMs) : null, e.timed ? ps(state, end) : null, e.timed ? duration(end - e.startMs) : null, 0n, e.sqlText,
    e.digest?.hash ?? null, e.digest?.text ?? null, e.schema, null, null,
    null, null, BigInt(e.errno), e.sqlstate, e.message,
    BigInt(e.errors), BigInt(e.warnings), BigInt(running && live ? live.rowsAffected : e.rowsAffected), BigInt(running && live ? live.rowsSent : e.rowsSent),
    BigInt(running && live ? live.meters.reduce((n, m) => n + m.examined, 0) : e.rowsExamined),
    ...zeros,
    null, null, 0n, BigInt(e.statementId), 0n, 0n, 0n, 'PRIMARY',
  ];
}

function timestamp(ms: number): Temporal {
  const d = new Date(ms);
  return new Temporal('TIMESTAMP', d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds() * 1000 + Math.floor((ms % 1) * 1000), 6);
}

const DIGEST_COLUMNS = (): ColumnDef[] => [
  varchar('SCHEMA_NAME', 64), varchar('DIGEST', 64), longtext('DIGEST_TEXT'), ubig('COUNT_STAR'),
  ubig('SUM_TIMER_WAIT'), ubig('MIN_TIMER_WAIT'), ubig('AVG_TIMER_WAIT'), ubig('MAX_TIMER_WAIT'), ubig('SUM_LOCK_TIME'),
  ubig('SUM_ERRORS'), ubig('SUM_WARNINGS'), ubig('SUM_ROWS_AFFECTED'), ubig('SUM_ROWS_SENT'), ubig('SUM_ROWS_EXAMINED'),
  ...COUNTER_NAMES.map((n) => ubig(`SUM_${n}`)),
  ubig('SUM_CPU_TIME'), ubig('MAX_CONTROLLED_MEMORY'), ubig('MAX_TOTAL_MEMORY'), ubig('COUNT_SECONDARY'),
  timestamp6('FIRST_SEEN'), timestamp6('LAST_SEEN'), ubig('QUANTILE_95'), ubig('QUANTILE_99'), ubig('QUANTILE_999'),
  longtext('QUERY_SAMPLE_TEXT'), timestamp6('QUERY_SAMPLE_SEEN'), ubig('QUERY_SAMPLE_TIMER_WAIT'),
];

/**
 * One row of the digest summary. We keep no latency histogram, so the quantile columns report
 * the maximum wait (an upper bound of every quantile; spec decision). @req CORE-PFS-024
 */
function digestRow(d: DigestStat): Row {
  const max = duration(d.maxMs);
  return [
    d.schema, d.digest?.hash ?? null, d.digest?.text ?? null, BigInt(d.count),
    duration(d.sumMs), duration(d.count > 0 ? d.minMs : 0), duration(d.count > 0 ? d.sumMs / d.count : 0), max, 0n,
    BigInt(d.errors), BigInt(d.warnings), BigInt(d.rowsAffected), BigInt(d.rowsSent), BigInt(d.rowsExamined),
    ...COUNTER_NAMES.map(() => 0n),
    0n, 0n, 0n, 0n,
    timestamp(d.firstSeen), timestamp(d.lastSeen), max, max, max,
    d.sampleText, timestamp(d.sampleSeen), duration(d.sampleMs),
  ];
}

/** The three tables over the server's threads. @req CORE-PFS-011 CORE-PFS-012 CORE-PFS-024 */
export function statementTables(state: PfsState, sessions: () => Session[]): VirtualTable[] {
  const threads = (): ThreadStatements[] => sessions().map((s) => s.pfs).sort((a, b) => a.threadId - b.threadId);
  return [
    pfsTable('events_statements_current', eventColumns(), () =>
      threads().filter((t) => t.current.eventId > 0).map((t) => eventRow(state, t.threadId, t.current, t))),
    pfsTable('events_statements_history', eventColumns(), () => {
      const rows: Row[] = [];
      for (const t of threads()) for (const e of t.historyEvents()) rows.push(eventRow(state, t.threadId, e, null));
      return rows;
    }),
    pfsTable('events_statements_summary_by_digest', DIGEST_COLUMNS(), () => state.digests.list().map(digestRow)),
  ];
}
