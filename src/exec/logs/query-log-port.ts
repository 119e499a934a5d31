/**
 * The port through which the executor reports to the general query log and the slow query
 * log. The executor decides what is an entry (a command, a statement once parsed, a statement
 * that ran too long); the server side (src/server/logs/) decides where entries go (files,
 * the mysql.general_log / mysql.slow_log tables, nowhere) and how they look.
 *
 * The two flags are kept current by the server whenever general_log, slow_query_log or
 * log_output change, so a session with logging off pays one property read per entry point.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/query-log.html (5.4.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/slow-query-log.html (5.4.5)
 * @req CORE-LOG-001 CORE-LOG-010
 */

/** Who wrote an entry, as both logs describe the session. */
export interface LogIdentity {
  connectionId: number;
  /** The user name the client gave. */
  user: string;
  /** The user part of the account the session authenticated as (priv_user). */
  privUser: string;
  /** Host name ('localhost' for a Unix socket or a loopback address) and IP ('' for a socket). */
  host: string;
  ip: string;
}

/** One statement for the slow query log, measured when it ended. */
export interface SlowEntry {
  who: LogIdentity;
  /** Wall-clock start of the statement, microseconds since the epoch. */
  startUs: bigint;
  /** Statement duration and the part of it spent waiting for locks, microseconds. */
  queryUs: bigint;
  lockUs: bigint;
  rowsSent: number;
  rowsExamined: number;
  /** The default schema when the statement ended (null: none). */
  db: string | null;
  /** LAST_INSERT_ID() the statement used, when it used one; the first id it generated. */
  lastInsertId: bigint | null;
  insertId: bigint | null;
  /** The statement text (passwords already masked). */
  text: string;
}

export interface QueryLogPort {
  /** general_log is ON and log_output names FILE or TABLE. */
  readonly general: boolean;
  /** slow_query_log is ON and log_output names FILE or TABLE. */
  readonly slow: boolean;
  /** Write one general log entry (command name as MySQL spells it, and its argument). */
  writeGeneral(who: LogIdentity, command: string, argument: string): void;
  /** Write one slow log entry. */
  writeSlow(entry: SlowEntry): void;
  /** FLUSH [GENERAL|SLOW] LOGS: close and reopen the log files (a renamed file is replaced). */
  reopen(which: 'general' | 'slow' | 'both'): void;
  /** Let go of the log tables' open handles before a statement recreates their storage
   *  (TRUNCATE); they are opened again at the next write. */
  releaseTables(): void;
  /** Whether entries currently go to this log table ('general_log' / 'slow_log'). */
  logsToTable(table: 'general_log' | 'slow_log'): boolean;
}
