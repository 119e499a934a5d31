/**
 * The log tables mysql.general_log and mysql.slow_log (CSV tables, MySQL 8.0's definitions)
 * and the help tables mysql.help_topic, help_category, help_keyword and help_relation (empty:
 * no manual text is shipped), created at the first start of a data directory that lacks them
 * (a new one, or one initialised by an earlier version), through the ordinary CREATE TABLE path
 * so the data dictionary describes them like any other table.
 *
 * Rows reach the log tables through the CSV engine's handler directly: a log write is not a
 * statement (no locks, no privileges, no binary log), as in MySQL. The handler is kept open
 * between writes and let go before anything recreates the table's storage (TRUNCATE, FLUSH
 * TABLES); it is opened again at the next write, rows arriving meanwhile wait in order.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/log-destinations.html (5.4.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/system-schema.html (5.3)
 * @req CORE-LOG-022 CORE-LOG-025 CORE-LOG-031
 */
import type { Row } from '../../kernel/value.js';
import type { TableDef } from '../../kernel/table-def.js';
import type { EngineContext, StorageEngine, TableHandler } from '../../storage/handler.js';
import { MAX_PENDING_LOG_ROWS } from './limits.js';

/** MySQL 8.0's definition of mysql.general_log. @req CORE-LOG-025 */
export const GENERAL_LOG_DDL =
  'CREATE TABLE IF NOT EXISTS mysql.general_log (event_time TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), ' +
  'user_host MEDIUMTEXT NOT NULL, thread_id BIGINT UNSIGNED NOT NULL, server_id INT UNSIGNED NOT NULL, command_type VARCHAR(64) NOT NULL, ' +
  "argument MEDIUMBLOB NOT NULL) ENGINE=CSV DEFAULT CHARSET=utf8mb3 COMMENT='General log'";

/** MySQL 8.0's definition of mysql.slow_log. @req CORE-LOG-025 */
export const SLOW_LOG_DDL =
  'CREATE TABLE IF NOT EXISTS mysql.slow_log (start_time TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), ' +
  'user_host MEDIUMTEXT NOT NULL, query_time TIME(6) NOT NULL, lock_time TIME(6) NOT NULL, rows_sent INT NOT NULL, rows_examined INT NOT NULL, ' +
  'db VARCHAR(512) NOT NULL, last_insert_id INT NOT NULL, insert_id INT NOT NULL, server_id INT UNSIGNED NOT NULL, sql_text MEDIUMBLOB NOT NULL, ' +
  "thread_id BIGINT UNSIGNED NOT NULL) ENGINE=CSV DEFAULT CHARSET=utf8mb3 COMMENT='Slow log'";

/** The help tables' definitions (InnoDB in MySQL; `engine` is what this server has). @req CORE-LOG-031 */
export function helpTableDdl(engine: string): Array<[name: string, ddl: string]> {
  const tail = (comment: string): string => ` ENGINE=${engine} DEFAULT CHARSET=utf8mb3 STATS_PERSISTENT=0 ROW_FORMAT=DYNAMIC COMMENT='${comment}'`;
  return [
    [
      'help_topic',
      'CREATE TABLE IF NOT EXISTS mysql.help_topic (help_topic_id INT UNSIGNED NOT NULL, name CHAR(64) NOT NULL, help_category_id SMALLINT UNSIGNED NOT NULL, ' +
        'description TEXT NOT NULL, example TEXT NOT NULL, url TEXT NOT NULL, PRIMARY KEY (help_topic_id), UNIQUE KEY name (name))' +
        tail('help topics'),
    ],
    [
      'help_category',
      'CREATE TABLE IF NOT EXISTS mysql.help_category (help_category_id SMALLINT UNSIGNED NOT NULL, name CHAR(64) NOT NULL, ' +
        'parent_category_id SMALLINT UNSIGNED DEFAULT NULL, url TEXT NOT NULL, PRIMARY KEY (help_category_id), UNIQUE KEY name (name))' +
        tail('help categories'),
    ],
    [
      'help_keyword',
      'CREATE TABLE IF NOT EXISTS mysql.help_keyword (help_keyword_id INT UNSIGNED NOT NULL, name CHAR(64) NOT NULL, PRIMARY KEY (help_keyword_id), UNIQUE KEY name (name))' +
        tail('help keywords'),
    ],
    [
      'help_relation',
      'CREATE TABLE IF NOT EXISTS mysql.help_relation (help_topic_id INT UNSIGNED NOT NULL, help_keyword_id INT UNSIGNED NOT NULL, PRIMARY KEY (help_keyword_id, help_topic_id))' +
        tail('keyword-topic relation'),
    ],
  ];
}

/** The system tables to create when missing, in order: [table name, CREATE TABLE text]. */
export function systemLogTables(helpEngine: string): Array<[name: string, ddl: string]> {
  return [['general_log', GENERAL_LOG_DDL], ['slow_log', SLOW_LOG_DDL], ...helpTableDdl(helpEngine)];
}

/** Where a log table sink finds its table. */
export interface LogTableEnv {
  def(): TableDef | undefined;
  engine(): StorageEngine | undefined;
  ctx: EngineContext;
  onError(message: string): void;
}

/** Appends rows to one log table. @req CORE-LOG-022 */
export class LogTableSink {
  private handler: TableHandler | null = null;
  /** The definition the handler was opened with: a table recreated or replaced since (TRUNCATE,
   *  a RENAME swap) has a new one, and the handler is opened again. */
  private openedDef: TableDef | null = null;
  private opening = false;
  private pending: Row[] = [];
  /** Bumped by release(): an open that finishes after a release closes its handler again. */
  private generation = 0;
  private reported = false;

  constructor(private readonly env: LogTableEnv) {}

  write(row: Row): void {
    if (this.handler !== null && this.env.def() !== this.openedDef) this.release();
    if (this.handler !== null) {
      this.insert(this.handler, row);
      return;
    }
    if (this.pending.length >= MAX_PENDING_LOG_ROWS) return this.fail('too many log rows waiting for the table');
    this.pending.push(row);
    if (!this.opening) this.open();
  }

  private open(): void {
    const def = this.env.def();
    const engine = this.env.engine();
    if (!def || !engine) {
      this.pending = [];
      return this.fail(`the table mysql.${def?.name ?? 'log'} is missing`);
    }
    this.opening = true;
    const gen = this.generation;
    engine.openTable(this.env.ctx, def).then(
      (h) => {
        this.opening = false;
        const rows = this.pending;
        this.pending = [];
        for (const r of rows) this.insert(h, r);
        if (gen !== this.generation) h.close();
        else {
          this.handler = h;
          this.openedDef = def;
        }
      },
      (e: unknown) => {
        this.opening = false;
        this.pending = [];
        this.fail(String(e));
      },
    );
  }

  private insert(h: TableHandler, row: Row): void {
    try {
      const r = h.insert(this.env.ctx, row);
      if (r instanceof Promise) r.catch((e: unknown) => this.fail(String(e)));
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
    }
  }

  private fail(message: string): void {
    if (this.reported) return;
    this.reported = true;
    this.env.onError(message);
  }

  /** Close the handle (the table's storage is about to be recreated, or FLUSH TABLES). */
  release(): void {
    this.generation++;
    const h = this.handler;
    this.handler = null;
    this.openedDef = null;
    this.reported = false;
    if (h) h.close();
  }
}
