/**
 * The statement events of one connection thread: the statement running now (or the last one,
 * once it ended: events_statements_current), a ring of the last ended ones
 * (events_statements_history) and, as each ends, its contribution to the digest summary.
 *
 * This runs for every statement, so it is built not to allocate: the current event and the ring
 * entries are objects made once per thread and overwritten; instrument names are constants;
 * the digest of a repeated text comes from the server's cache. When every statement consumer is
 * off, starting a statement costs one test of a boolean.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-events-statements-current-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-events-statements-history-table.html
 * @req CORE-PFS-010 CORE-PFS-011 CORE-PFS-012 CORE-PFS-013 CORE-PFS-043
 */
import { performance } from 'node:perf_hooks';
import type { Statement } from '../../sql/ast.js';
import type { SqlError } from '../../kernel/errors.js';
import type { StatementDigest } from '../../sql/digest.js';
import { statementEventName } from './event-names.js';
import type { PfsState } from './state.js';
import { isCachedStatement } from '../statement-cache.js';

/** A statement event, as the statement tables show it. Reused: never kept by reference. */
export class StatementEvent {
  eventId = 0;
  /** 0 while the statement runs. */
  endEventId = 0;
  eventName = '';
  timed = true;
  startMs = 0;
  endMs = 0;
  sqlText: string | null = null;
  digest: StatementDigest | null = null;
  schema: string | null = null;
  errno = 0;
  sqlstate: string | null = null;
  message: string | null = null;
  errors = 0;
  warnings = 0;
  rowsAffected = 0;
  rowsSent = 0;
  rowsExamined = 0;
  statementId = 0;

  copyFrom(o: StatementEvent): void {
    this.eventId = o.eventId;
    this.endEventId = o.endEventId;
    this.eventName = o.eventName;
    this.timed = o.timed;
    this.startMs = o.startMs;
    this.endMs = o.endMs;
    this.sqlText = o.sqlText;
    this.digest = o.digest;
    this.schema = o.schema;
    this.errno = o.errno;
    this.sqlstate = o.sqlstate;
    this.message = o.message;
    this.errors = o.errors;
    this.warnings = o.warnings;
    this.rowsAffected = o.rowsAffected;
    this.rowsSent = o.rowsSent;
    this.rowsExamined = o.rowsExamined;
    this.statementId = o.statementId;
  }
}

/** A meter of rows examined (the executor's, exec/query/run/pause.ts). */
export interface ExaminedMeter {
  examined: number;
}

/** What the recorder reads of its session at the start of a statement. */
export interface ThreadOwner {
  schema: string | null;
  sqlMode(): ReadonlySet<string>;
}

export class ThreadStatements {
  /** The running or last statement; eventId 0: none yet. */
  readonly current = new StatementEvent();
  /** The ring of ended statements, made at the first one that ends. */
  private ring: StatementEvent[] | null = null;
  private ringNext = 0;
  private ringCount = 0;
  private nextEventId = 1;
  /** The running statement is being recorded. */
  private active = false;
  /** Rows sent and affected by the running statement (the session adds them). */
  rowsSent = 0;
  rowsAffected = 0;
  /** The executor's meters of the running statement (one per runtime it made). */
  readonly meters: ExaminedMeter[] = [];

  constructor(
    readonly state: PfsState,
    readonly threadId: number,
    /** INSTRUMENTED (setup_actors at connect; UPDATE threads changes it). */
    public instrumented: boolean,
    /** HISTORY. */
    public history: boolean,
    /** The account the thread is counted under (accounts, users, hosts). */
    readonly user: string,
    readonly host: string,
  ) {}

  /** A statement starts. @req CORE-PFS-011 CORE-PFS-043 */
  start(stmt: Statement, owner: ThreadOwner): void {
    this.meters.length = 0;
    this.rowsSent = 0;
    this.rowsAffected = 0;
    const setup = this.state.setup;
    if (!setup.recordStatements) {
      this.active = false;
      return;
    }
    const name = statementEventName(stmt);
    const instrument = setup.instruments.get(name);
    if (!this.instrumented || (instrument !== undefined && !instrument.enabled)) {
      this.active = false;
      return;
    }
    this.active = true;
    const e = this.current;
    e.eventId = this.nextEventId++;
    e.endEventId = 0;
    e.eventName = name;
    e.timed = instrument === undefined || instrument.timed;
    e.startMs = performance.now();
    e.endMs = 0;
    const text = stmt.text ?? null;
    const max = this.state.maxSqlTextLength;
    // A text longer than performance_schema_max_sql_text_length is cut and marked with '...'.
    e.sqlText = text !== null && text.length > max ? text.slice(0, max) + '...' : text;
    if (text !== null) {
      const mode = owner.sqlMode();
      e.digest = this.state.digestOf(text, mode.has('ANSI_QUOTES'), mode.has('NO_BACKSLASH_ESCAPES'), isCachedStatement(stmt) ? stmt : undefined);
    } else e.digest = null;
    e.schema = owner.schema;
    e.errno = 0;
    e.sqlstate = null;
    e.message = null;
    e.errors = 0;
    e.warnings = 0;
    e.rowsAffected = 0;
    e.rowsSent = 0;
    e.rowsExamined = 0;
    e.statementId = this.state.nextStatementId++;
  }

  /** The statement ended (with `error`, or not): history and digest summary. @req CORE-PFS-012 CORE-PFS-024 */
  end(error: SqlError | null, warnings: number): void {
    if (!this.active) return;
    this.active = false;
    const e = this.current;
    e.endMs = performance.now();
    e.endEventId = e.eventId;
    if (error !== null) {
      e.errno = error.errno;
      e.sqlstate = error.sqlState;
      e.message = error.message.length > 128 ? error.message.slice(0, 128) : error.message;
      e.errors = 1;
    }
    e.warnings = warnings;
    e.rowsAffected = this.rowsAffected;
    e.rowsSent = this.rowsSent;
    let examined = 0;
    for (const m of this.meters) examined += m.examined;
    e.rowsExamined = examined;
    const setup = this.state.setup;
    if (setup.history && this.history && this.state.historySize > 0) {
      if (this.ring === null) this.ring = Array.from({ length: this.state.historySize }, () => new StatementEvent());
      this.ring[this.ringNext]!.copyFrom(e);
      this.ringNext = (this.ringNext + 1) % this.ring.length;
      if (this.ringCount < this.ring.length) this.ringCount++;
    }
    if (setup.digest && e.digest !== null) {
      this.state.digests.add(e, Date.now());
    }
  }

  /** The ended statements, oldest first. */
  historyEvents(): StatementEvent[] {
    if (this.ring === null) return [];
    const out: StatementEvent[] = [];
    const n = this.ring.length;
    for (let i = 0; i < this.ringCount; i++) out.push(this.ring[(this.ringNext - this.ringCount + i + n) % n]!);
    return out;
  }

  /** TRUNCATE TABLE events_statements_history. */
  clearHistory(): void {
    this.ringCount = 0;
    this.ringNext = 0;
  }

  /** TRUNCATE TABLE events_statements_current. */
  clearCurrent(): void {
    if (!this.active) this.current.eventId = 0;
  }
}
