/**
 * One client session: identity, default schema, variables, the diagnostics area, the
 * transaction ({@link SessionTransaction}), the locks ({@link SessionLocks}), prepared
 * statements, and the life of each statement it runs. It implements the protocol boundary
 * ({@link SessionApi}) and the executor-facing {@link ExecSession}.
 *
 * A statement's life: {@link Session.run} starts it (a {@link StatementControl} that KILL QUERY
 * and max_execution_time act on), dispatches it, and ends it: the transaction ends the
 * statement (commit under autocommit, or statement rollback), the statement's locks are
 * released. A SELECT returns its rows as a stream; the statement then ends when the stream
 * does, so its locks are held exactly while its rows are produced.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/commit.html
 * @req CORE-EXEC-002 CORE-EXEC-003 CORE-EXEC-005 CORE-EXEC-006 CORE-EXEC-010 CORE-EXEC-011 CORE-EXEC-012 CORE-EXEC-020 CORE-EXEC-058 CORE-EXEC-059 CORE-EXEC-060 CORE-EXEC-069
 */
import type { Statement } from '../sql/ast.js';
import { SqlError, sqlError, type Diagnostic, type ErrorName, diagnostic } from '../kernel/errors.js';
import type { ResultColumn } from '../kernel/column-type.js';
import type { Value } from '../kernel/value.js';
import type { EngineContext, TableHandler } from '../storage/handler.js';
import { NEVER_ABORTED } from '../kernel/wait-signal.js';
import { isRowStream, type RowStream } from '../kernel/row-stream.js';
import type { ExecDeps } from './deps.js';
import { SessionTransaction } from './txn/session-transaction.js';
import { serverTransactions } from './txn/server-transactions.js';
import { SessionLocks } from './locks/session-locks.js';
import { StatementControl } from './statement/statement-control.js';
import { DiagnosticsArea } from '../kernel/diagnostics.js';
import type { ExecSession } from './exec-session.js';
import type {
  AuthAccount,
  ConnectionInfo,
  PreparedStatementInfo,
  SessionApi,
  StatementResult,
} from '../kernel/protocol-port.js';
import { ServerStatus } from '../kernel/protocol-port.js';
import { parseStatements } from './parse.js';
import { StatementCache, mayCache, type CachedStatement } from './statement-cache.js';
import { literalCharsetSettings } from './literal-charset.js';
import { setSysvarKindLookup } from '../sql/eval/index.js';
import { executeStatement, describeStatement } from './dispatch.js';
import { MAX_PREPARED_STMT_COUNT } from './limits.js';
import { makeRuntime } from './query/runtime.js';
import { fireTriggers } from './triggers/fire.js';
import type { Row } from '../kernel/value.js';
import type { TableDef } from '../kernel/table-def.js';
import type { Runtime } from '../sql/eval/index.js';
import type { SessionVars } from '../server/sysvars/index.js';
import { closeThread, openThread } from './perfschema/thread-hooks.js';
import type { ThreadStatements } from './perfschema/thread-statements.js';
import { COM, connectArgument, logCommand, logSlowStatement, logStatement, type StatementMeasure } from './logs/session-log.js';
import { expandParams } from './logs/expand-params.js';
import { refreshStatement } from './logs/refresh.js';
import type { Meter } from './query/run/pause.js';

/** A prepared statement (protocol-level or SQL PREPARE): the parsed statement plus metadata. */
export interface PreparedStatement {
  info: PreparedStatementInfo;
  stmt: Statement;
  /** Per-statement cache slot for the planner (compiled plans keyed by the executor). */
  cache: Map<string, unknown>;
}

let nextPreparedId = 1;

/** Handshake capability bits the executor honours. */
const CLIENT_FOUND_ROWS = 2;
const CLIENT_IGNORE_SPACE = 256;

/** Server-wide count of prepared statements (max_prepared_stmt_count). */
let preparedCount = 0;

export class Session implements SessionApi, ExecSession {
  readonly connectionId: number;
  user: string;
  host: string;
  account: AuthAccount;
  activeRoles: string[] = [];
  schema: string | null;
  readonly diagnostics = new DiagnosticsArea();
  sessionVars: SessionVars;
  readonly userVars = new Map<string, Value>();
  lastInsertId = 0n;
  rowCount = -1n;
  foundRows = 0n;
  /** Statement currently running (SHOW PROCESSLIST Info). */
  currentStatement: string | null = null;
  command: 'Sleep' | 'Query' | 'Execute' = 'Sleep';
  startedAt = Date.now();
  statementStartedAt = Date.now();
  readonly txn: SessionTransaction;
  readonly locks: SessionLocks;
  readonly prepared = new Map<number, PreparedStatement>();
  readonly sqlPrepared = new Map<string, PreparedStatement>();
  /** The statement running now, if any (KILL QUERY, max_execution_time, lock waits). */
  private current: StatementControl | null = null;
  /** A statement is running (its rows included). */
  private running = false;
  /** Callers waiting for the running statement to end (made only when someone waits). */
  private runningWaiters: (() => void)[] | null = null;
  /** The rows of the running statement, while a consumer is reading them. */
  private openStream: RowStream | null = null;
  private closed = false;
  private sqlModeCache: { text: string; set: ReadonlySet<string> } | null = null;
  /** COM_QUERY texts' parsed statements by shape (made when first used). @req CORE-PERF-010 */
  private statementCache: StatementCache | null = null;
  /** The last statement was SHOW WARNINGS / SHOW ERRORS / SHOW COUNT(*) ...: its own warning
   *  count, as reported to the client, is 0. @req CORE-EXEC-060 */
  readsDiagnostics = false;
  /** Executes while the session is busy, to serialise statements. */
  busy = false;
  /** What the running statement is doing, when it says (PROCESSLIST State: 'updating', ...);
   *  null shows as 'executing'. */
  stage: string | null = null;
  /** performance_schema's record of this thread's statements. @req CORE-PFS-011 */
  readonly pfs: ThreadStatements;
  /** HELP is reading the mysql.help_* tables (allowed under LOCK TABLES). @req CORE-LOG-030 */
  readingHelpTables = false;
  /** While the slow query log is on: what the running statement measured (its start, rows
   *  sent, the meters of its runtimes); null otherwise. @req CORE-LOG-011 */
  slowMeasure: { stmt: Statement; startUs: bigint; startNs: bigint; rowsSent: number; meters: Meter[]; insertId: bigint | null } | null = null;

  constructor(
    readonly deps: ExecDeps,
    readonly conn: ConnectionInfo,
    account: AuthAccount,
    user: string,
    schema: string | null,
    /** Called when the session closes (server registry bookkeeping). */
    private readonly onClose?: (s: Session) => void,
  ) {
    this.connectionId = conn.connectionId;
    this.account = account;
    this.user = user;
    this.host = conn.remoteAddress;
    this.schema = schema;
    this.sessionVars = deps.sysvars.newSessionVars();
    // @@name in a result set is typed by the variable's kind (integers come back as BIGINT). @req CORE-EXEC-069
    setSysvarKindLookup((n) => (typeof deps.sysvars.resultKind === 'function' ? deps.sysvars.resultKind(n) : undefined));
    this.applyClientCapabilities();
    this.activeRoles = deps.accounts.defaultRoles?.(account, user) ?? [];
    this.locks = SessionLocks.forSession(deps.catalog, conn.connectionId, this);
    this.pfs = openThread(deps.catalog, deps.sysvars, conn, user);
    this.txn = new SessionTransaction(
      {
        sysvar: (n) => this.sysvar(n),
        autocommit: () => this.autocommit(),
        warn: (d) => this.diagnostics.push(d),
        baseContext: (engine) => this.baseContext(engine),
        // A commit waits while FLUSH TABLES WITH READ LOCK holds commits. @req CORE-LOCK-006
        beforeCommit: async () => {
          await this.locks.acquireCommitLock();
        },
      },
      serverTransactions(deps),
    );
  }

  /**
   * Capabilities from the handshake that change session variables: CLIENT_IGNORE_SPACE (256)
   * adds IGNORE_SPACE to the session sql_mode, as MySQL does at login.
   * @req CORE-EXEC-059
   */
  private applyClientCapabilities(): void {
    const caps = this.conn.clientCapabilities ?? 0;
    if ((caps & CLIENT_IGNORE_SPACE) === 0) return;
    const mode = this.sysvar('sql_mode');
    const text = mode === null ? '' : String(mode);
    if (text.split(',').some((m) => m.trim().toUpperCase() === 'IGNORE_SPACE')) return;
    try {
      this.sessionVars.set('sql_mode', text === '' ? 'IGNORE_SPACE' : `IGNORE_SPACE,${text}`);
    } catch {
      /* registry without sql_mode */
    }
    this.sqlModeCache = null;
  }

  /** The client asked for matched rather than changed rows in affected-row counts. @req CORE-EXEC-058 */
  clientFoundRows(): boolean {
    return ((this.conn.clientCapabilities ?? 0) & CLIENT_FOUND_ROWS) !== 0;
  }

  // -------------------------------------------------------------------------------------------
  // ExecSession
  // -------------------------------------------------------------------------------------------

  warn(level: Diagnostic['level'], name: ErrorName, ...args: unknown[]): void {
    if (level === 'Note' && this.diagnostics.suppressNotes) return;
    this.diagnostics.push(diagnostic(level, name, ...args));
  }

  /** A condition given by number and text (an engine's own warnings, such as InnoDB's 139). */
  warnRaw(level: Diagnostic['level'], code: number, message: string): void {
    if (level === 'Note' && this.diagnostics.suppressNotes) return;
    this.diagnostics.push({ level, code, message });
  }

  sysvar(name: string): Value {
    try {
      return this.sessionVars.get(name);
    } catch {
      return null;
    }
  }

  sqlMode(): ReadonlySet<string> {
    const raw = this.sysvar('sql_mode');
    const text = raw === null ? '' : String(raw);
    if (this.sqlModeCache && this.sqlModeCache.text === text) return this.sqlModeCache.set;
    const set = new Set(
      text
        .split(',')
        .map((s) => s.trim().toUpperCase())
        .filter((s) => s.length > 0),
    );
    this.sqlModeCache = { text, set };
    return set;
  }

  autocommit(): boolean {
    const v = this.sysvar('autocommit');
    if (v === null) return true;
    if (typeof v === 'string') return v.toUpperCase() === 'ON' || v === '1';
    return Number(v) !== 0;
  }

  /** STRICT_TRANS_TABLES or STRICT_ALL_TABLES. */
  strict(): boolean {
    const m = this.sqlMode();
    return m.has('STRICT_TRANS_TABLES') || m.has('STRICT_ALL_TABLES');
  }

  /** An engine context for the running statement, the engine enlisted in the transaction. */
  engineContext(engine: string): EngineContext {
    const ctx = this.baseContext(engine);
    const eng = this.deps.catalog.engineByName(engine);
    if (eng) {
      const t = this.txn.join(eng, ctx);
      if (t) ctx.txn = t;
    }
    return ctx;
  }

  /** An engine context that does not enlist the engine; its rollback report reaches the transaction. */
  private baseContext(engine: string): { -readonly [K in keyof EngineContext]: EngineContext[K] } {
    return {
      connectionId: this.connectionId,
      signal: this.current?.signal ?? NEVER_ABORTED,
      sessionVar: (n: string) => this.sysvar(n),
      transactionRolledBack: () => this.txn.engineRolledBack(engine),
    };
  }

  /** Handlers of non-transactional tables this statement changed (told when it ends). */
  private readonly writtenTables = new Set<TableHandler>();

  /** @req MYISAM-120 */
  noteTableWritten(handler: TableHandler): void {
    this.writtenTables.add(handler);
  }

  noteNonTransactionalChange(): void {
    this.txn.noteNonTransactionalChange();
  }

  /** The runtime the table writer evaluates CHECK constraints with (this session's SQL mode,
   *  time zone and warnings). @req CORE-CHECK-001 */
  constraintRuntime(): Runtime {
    return makeRuntime(this, []);
  }

  /** The table writer fires a table's triggers through here. @req CORE-TRG-004 */
  fireTriggers(table: TableDef, timing: 'BEFORE' | 'AFTER', event: 'INSERT' | 'UPDATE' | 'DELETE', newRow: Row | null, oldRow: Row | null): Promise<void> {
    return fireTriggers(this, table, timing, event, newRow, oldRow);
  }

  /** KILL QUERY or max_execution_time has stopped the running statement. */
  isInterrupted(): boolean {
    return this.current?.stopped ?? false;
  }

  /** Copy the diagnostics counts into @@warning_count / @@error_count. */
  publishDiagnosticCounts(): void {
    try {
      this.sessionVars.setInternal('warning_count', BigInt(this.diagnostics.warningCount()));
      this.sessionVars.setInternal('error_count', BigInt(this.diagnostics.errorCount()));
    } catch {
      /* registry without these variables */
    }
  }

  /** Throw the error the running statement must stop with (1317, 3024), if any. */
  checkInterrupt(): void {
    this.current?.checkpoint();
  }

  /** The running statement's control (waits, cooperative pauses). */
  statementControl(): StatementControl | null {
    return this.current;
  }

  async implicitCommit(): Promise<void> {
    await this.txn.implicitCommit();
    this.locks.releaseTransaction();
  }

  // -------------------------------------------------------------------------------------------
  // SessionApi
  // -------------------------------------------------------------------------------------------

  statusFlags(): number {
    let f = 0;
    if (this.autocommit()) f |= ServerStatus.AUTOCOMMIT;
    if (this.txn.inTransaction()) {
      f |= ServerStatus.IN_TRANS;
      if (this.txn.readOnly) f |= ServerStatus.IN_TRANS_READONLY;
    }
    if (this.sqlMode().has('NO_BACKSLASH_ESCAPES')) f |= ServerStatus.NO_BACKSLASH_ESCAPES;
    return f;
  }

  warningCount(): number {
    // SHOW WARNINGS / SHOW ERRORS keep the diagnostics area but raise no warnings themselves.
    if (this.readsDiagnostics) return 0;
    return this.diagnostics.warningCount();
  }

  async *query(sql: string, opts: { multiStatements: boolean }): AsyncIterable<StatementResult> {
    this.command = 'Query';
    try {
      let stmts: Statement[];
      // A text of a shape seen before reuses its parsed statement. @req CORE-PERF-010 CORE-PERF-011
      const cached = this.cachedStatement(sql);
      const params: Value[] = cached?.params ?? [];
      try {
        stmts = cached ? [cached.stmt] : parseStatements(sql, this.sqlMode(), false);
      } catch (e) {
        // The general log shows what the client sent, even when it does not parse. @req CORE-LOG-002
        if (this.deps.queryLog?.general) logCommand(this.deps.queryLog, this, COM.QUERY, sql);
        if (e instanceof SqlError) {
          // A statement that does not parse still replaces the diagnostics area.
          this.publishDiagnosticCounts();
          this.diagnostics.clear();
          this.diagnostics.push({ level: 'Error', code: e.errno, message: e.message });
        }
        throw e;
      }
      if (stmts.length === 0) {
        this.diagnostics.clear();
        throw sqlError('ER_EMPTY_QUERY');
      }
      if (stmts.length > 1 && !opts.multiStatements) {
        // MySQL parses only up to the first ';' and reports the rest as a syntax error.
        const second = stmts[1]!.text ?? '';
        throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use', second, 1);
      }
      for (let i = 0; i < stmts.length; i++) {
        // Each statement is logged once parsed, before it runs. @req CORE-LOG-002
        if (this.deps.queryLog?.general) logStatement(this.deps.queryLog, this, stmts[i]!);
        let r = await this.run(stmts[i]!, params);
        // A CALL's result sets, each followed by the next. @req CORE-SP-021
        while (r.kind === 'rows' && r.continuation) {
          const next = r.continuation;
          r.moreResults = true;
          let sent = false;
          try {
            yield r;
            await this.settle(r);
            sent = true;
          } finally {
            // The consumer went away mid-CALL: its rows are dropped and the procedure stops.
            if (!sent) {
              await this.settle(r).catch(() => undefined);
              await next(true).catch(() => undefined);
            }
          }
          r = await next();
        }
        if (i < stmts.length - 1) r.moreResults = true;
        yield r;
        // The caller has sent (or dropped) this result; a stream it left unread ends here.
        await this.settle(r);
      }
    } finally {
      this.command = 'Sleep';
      this.currentStatement = null;
    }
  }

  /**
   * The cached statement for a COM_QUERY text, with its lifted literals' values; null when the
   * cache is off (refmysql_statement_cache_size = 0) or does not take the text.
   * @req CORE-PERF-010 CORE-PERF-013 CORE-PERF-014
   */
  private cachedStatement(sql: string): CachedStatement | null {
    if (!mayCache(sql)) return null;
    const size = Number(this.sysvar('refmysql_statement_cache_size') ?? 0);
    if (!(size > 0)) {
      if (this.statementCache !== null) this.statementCache = null;
      return null;
    }
    const cache = (this.statementCache ??= new StatementCache(size));
    cache.resize(size);
    const lit = literalCharsetSettings((n) => this.sysvar(n));
    const found = cache.statementFor(sql, {
      sqlMode: this.sqlMode(),
      sqlModeText: String(this.sysvar('sql_mode') ?? ''),
      schema: this.schema,
      collationConnection: lit.collationConnection,
      clientCharset: lit.clientCharset,
      compileSettings: String(this.sysvar('group_concat_max_len') ?? ''),
    });
    if (found !== null) this.deps.sysvars.status.add(found.hit ? 'Refmysql_statement_cache_hits' : 'Refmysql_statement_cache_misses');
    return found;
  }

  /** Run one parsed statement with parameter values. @req CORE-CONC-010 */
  async run(stmt: Statement, params: Value[]): Promise<StatementResult> {
    // One statement at a time: rows of the previous one that nobody read are dropped.
    if (this.running) await this.stopRunning();
    const control = this.startStatement(stmt);
    let result: StatementResult;
    try {
      result = await executeStatement(this, stmt, params);
    } catch (e) {
      throw await this.endStatement(control, e);
    }
    if (result.kind === 'rows' && result.continuation) return this.chainResults(control, result);
    if (result.kind === 'rows' && isRowStream(result.rows)) {
      return { ...result, rows: this.statementStream(control, result.rows) };
    }
    if (result.kind === 'ok') this.pfs.rowsAffected = Number(result.affectedRows);
    else if (result.kind === 'rows' && Array.isArray(result.rows)) this.pfs.rowsSent = result.rows.length;
    if (this.slowMeasure !== null) this.noteResult(result);
    // Under autocommit the statement's commit happens here; if it fails, so does the statement.
    let failed = this.endStatement(control, null);
    if (failed instanceof Promise) failed = await failed;
    if (failed) throw failed;
    return result;
  }

  /**
   * A statement with several results (CALL): it ends when its last result is reached or one
   * of them fails, not when the first result's rows end. @req CORE-SP-021
   */
  private chainResults(control: StatementControl, first: StatementResult): StatementResult {
    const wrap = (r: StatementResult): StatementResult => {
      if (r.kind !== 'rows' || !r.continuation) return r;
      const inner = r.continuation;
      return {
        ...r,
        continuation: async (abandon?: boolean) => {
          let next: StatementResult;
          try {
            next = await inner(abandon);
          } catch (e) {
            throw await this.endStatement(control, e);
          }
          if (next.kind === 'rows' && next.continuation) return wrap(next);
          let failed = this.endStatement(control, null);
          if (failed instanceof Promise) failed = await failed;
          if (failed) throw failed;
          return next;
        },
      };
    };
    return wrap(first);
  }

  /**
   * End one statement of a stored procedure as MySQL does: statement commit (or, under
   * autocommit, commit) or statement rollback, and its statement locks released; the CALL
   * itself goes on. @req CORE-SP-022
   */
  endSubStatement(error: SqlError | null): void | Promise<void> {
    const after = (): void => {
      for (const h of this.writtenTables) h.endStatement?.();
      this.writtenTables.clear();
      this.locks.releaseStatement();
      if (!this.txn.inTransaction()) this.locks.releaseTransaction();
    };
    const ending = this.txn.endStatement(error);
    if (ending === undefined) return after();
    return ending.then(after);
  }

  private startStatement(stmt: Statement): StatementControl {
    this.currentStatement = stmt.text ?? null;
    this.statementStartedAt = Date.now();
    this.readsDiagnostics = false;
    if (this.deps.queryLog?.slow) this.beginSlowMeasure(stmt);
    const control = new StatementControl();
    this.current = control;
    this.running = true;
    this.pfs.start(stmt, this);
    return control;
  }

  /**
   * End the running statement: the transaction ends it (commit under autocommit, statement
   * rollback on failure), its locks are released, and an error is recorded in the diagnostics
   * area. Returns the error the caller should throw (a non-SqlError becomes 1105 and is logged).
   */
  private endStatement(control: StatementControl, error: unknown): SqlError | null | Promise<SqlError | null> {
    let thrown: SqlError | null = null;
    if (error !== null) {
      if (error instanceof SqlError) thrown = error;
      else {
        // Anything but a SqlError is a bug; surface it as a generic error, never crash the server.
        this.deps.log('Error', 'MY-010000', 'Server', `internal error: ${(error as Error)?.stack ?? String(error)}`);
        thrown = sqlError('ER_UNKNOWN_ERROR');
      }
      this.recordError(thrown);
    }
    let ending: void | Promise<void>;
    try {
      ending = this.txn.endStatement(thrown);
    } catch (e) {
      return this.statementOver(control, this.commitFailed(thrown, e));
    }
    // Most statements end without waiting (nothing to commit, or engines that commit in memory).
    if (ending === undefined) return this.statementOver(control, thrown);
    return ending.then(
      () => this.statementOver(control, thrown),
      (e: unknown) => this.statementOver(control, this.commitFailed(thrown, e)),
    );
  }

  /** Committing the statement's transaction failed (autocommit): the statement fails with it. */
  private commitFailed(thrown: SqlError | null, e: unknown): SqlError {
    if (thrown !== null) return thrown;
    const err = e instanceof SqlError ? e : sqlError('ER_ERROR_DURING_COMMIT', 1, String(e));
    this.recordError(err);
    return err;
  }

  /** The statement is over: its locks go, and whoever waits for it goes on. */
  private statementOver(control: StatementControl, thrown: SqlError | null): SqlError | null {
    control.finish();
    this.pfs.end(thrown, this.diagnostics.warningCount() - this.diagnostics.errorCount());
    if (this.slowMeasure !== null) this.endSlowMeasure();
    // Engines without transactions write back what the statement left pending (MyISAM's key
    // pages) before its table locks go, as MySQL's unlock of a MyISAM table does.
    if (this.writtenTables.size > 0) {
      for (const h of this.writtenTables) {
        try {
          h.endStatement?.();
        } catch (e) {
          this.deps.log('Error', 'MY-010000', 'Server', `table write-back failed: ${String(e)}`);
        }
      }
      this.writtenTables.clear();
    }
    this.stage = null;
    this.locks.releaseStatement();
    if (!this.txn.inTransaction()) this.locks.releaseTransaction();
    if (this.current === control) this.current = null;
    this.openStream = null;
    this.running = false;
    const waiters = this.runningWaiters;
    this.runningWaiters = null;
    if (waiters) for (const w of waiters) w();
    return thrown;
  }

  /** The error is part of the statement's diagnostics (SHOW ERRORS / SHOW WARNINGS), with the
   *  conditions raised after it. */
  private recordError(e: SqlError): void {
    this.diagnostics.push({ level: 'Error', code: e.errno, message: e.message });
    for (const d of e.followUps ?? []) this.diagnostics.push(d);
  }

  /** The rows of a statement, ending the statement when they end (or fail, or are dropped). */
  private statementStream(control: StatementControl, inner: RowStream): RowStream {
    let ended = false;
    const idle = (r: SqlError | null): SqlError | null => {
      // A prepared statement's rows outlive executePrepared: the session is idle once they end.
      if (this.command === 'Execute' && !this.running) {
        this.command = 'Sleep';
        this.currentStatement = null;
      }
      return r;
    };
    const end = (error: unknown): SqlError | null | Promise<SqlError | null> => {
      if (ended) return null;
      ended = true;
      const r = this.endStatement(control, error);
      return r instanceof Promise ? r.then(idle) : idle(r);
    };
    const fail = async (e: unknown): Promise<never> => {
      const err = await end(e);
      throw err ?? e;
    };
    // The last call of next(): the statement ends with its rows (0 = no more).
    const done = (): number | Promise<number> => {
      const err = end(null);
      if (err instanceof Promise) {
        return err.then((x) => {
          if (x) throw x;
          return 0;
        });
      }
      return err ? Promise.reject(err) : 0;
    };
    const stream: RowStream = {
      next: (out, max) => {
        if (ended) return 0;
        let n: number | Promise<number>;
        try {
          n = inner.next(out, max);
        } catch (e) {
          return fail(e);
        }
        if (typeof n === 'number') {
          if (n === 0) return done();
          this.pfs.rowsSent += n;
          if (this.slowMeasure !== null) this.slowMeasure.rowsSent += n;
          return n;
        }
        return n.then((k) => {
          if (k === 0) return done();
          this.pfs.rowsSent += k;
          if (this.slowMeasure !== null) this.slowMeasure.rowsSent += k;
          return k;
        }, fail);
      },
      close: async () => {
        if (ended) return;
        control.kill();
        try {
          await inner.close();
        } finally {
          await end(sqlError('ER_QUERY_INTERRUPTED'));
        }
      },
    };
    this.openStream = stream;
    return stream;
  }

  /** After a result was handed out: a stream its consumer did not finish is closed. */
  private async settle(r: StatementResult): Promise<void> {
    if (r.kind === 'rows' && isRowStream(r.rows)) await r.rows.close();
  }

  async useSchema(name: string): Promise<void> {
    if (!this.deps.catalog.schemaExists(name)) {
      this.deps.accounts.checkSchemaAccess(this, name);
      throw sqlError('ER_BAD_DB_ERROR', name);
    }
    this.deps.accounts.checkSchemaAccess(this, name);
    this.schema = name;
  }

  /** Prepare: parse once, keep the AST; returns metadata. */
  async prepare(sql: string): Promise<PreparedStatementInfo> {
    const ps = await this.prepareInternal(sql);
    ps.info.id = nextPreparedId++;
    this.prepared.set(ps.info.id, ps);
    // @req CORE-LOG-004
    if (this.deps.queryLog?.general) logCommand(this.deps.queryLog, this, COM.PREPARE, sql);
    return ps.info;
  }

  async prepareInternal(sql: string): Promise<PreparedStatement> {
    const stmts = parseStatements(sql, this.sqlMode(), true);
    if (stmts.length !== 1) {
      if (stmts.length === 0) throw sqlError('ER_EMPTY_QUERY');
      throw sqlError('ER_UNSUPPORTED_PS');
    }
    const stmt = stmts[0]!;
    // LOAD DATA cannot be prepared, as in MySQL. @req CORE-LOAD-019
    if (stmt.kind === 'load_data') throw sqlError('ER_UNSUPPORTED_PS');
    // Nor CREATE / DROP TRIGGER. @req CORE-TRG-001
    if (stmt.kind === 'create_trigger' || stmt.kind === 'drop_trigger') throw sqlError('ER_UNSUPPORTED_PS');
    if (preparedCount >= MAX_PREPARED_STMT_COUNT) {
      throw sqlError('ER_MAX_PREPARED_STMT_COUNT_REACHED', MAX_PREPARED_STMT_COUNT);
    }
    const paramCount = stmt.paramCount ?? 0;
    const params: ResultColumn[] = [];
    for (let i = 0; i < paramCount; i++) params.push(paramColumn());
    let columns: ResultColumn[] = [];
    try {
      columns = await describeStatement(this, stmt);
    } catch (e) {
      if (e instanceof SqlError) {
        // The error is part of the statement's diagnostics (SHOW ERRORS / SHOW WARNINGS).
        this.diagnostics.push({ level: 'Error', code: e.errno, message: e.message });
        throw e;
      }
      columns = [];
    }
    preparedCount++;
    return { info: { id: 0, paramCount, params, columns }, stmt, cache: new Map() };
  }

  async executePrepared(id: number, params: Value[]): Promise<StatementResult> {
    const ps = this.prepared.get(id);
    if (!ps) throw sqlError('ER_UNKNOWN_STMT_HANDLER', 0, String(id), 'mysqld_stmt_execute');
    this.command = 'Execute';
    // The statement as executed, with its parameter values in place. @req CORE-LOG-004
    if (this.deps.queryLog?.general) logCommand(this.deps.queryLog, this, COM.EXECUTE, expandParams(ps.stmt.text ?? '', params));
    try {
      return await this.run(ps.stmt, params);
    } finally {
      if (!this.running) {
        this.command = 'Sleep';
        this.currentStatement = null;
      }
    }
  }

  closePrepared(id: number): void {
    if (this.prepared.delete(id)) preparedCount--;
  }

  resetPrepared(_id: number): void {
    // No cursor state is kept between executions.
  }

  preparedInfo(id: number): PreparedStatementInfo | undefined {
    return this.prepared.get(id)?.info;
  }

  async reset(): Promise<void> {
    await this.stopRunning();
    await this.txn.endSession();
    this.locks.releaseAll();
    for (const id of [...this.prepared.keys()]) this.closePrepared(id);
    preparedCount -= this.sqlPrepared.size;
    this.sqlPrepared.clear();
    this.statementCache = null;
    this.userVars.clear();
    this.sessionVars.reset();
    this.sqlModeCache = null;
    this.applyClientCapabilities();
    this.diagnostics.clear();
    this.lastInsertId = 0n;
    this.rowCount = -1n;
    this.foundRows = 0n;
    await this.deps.catalog.dropTemporaryTables?.(this);
  }

  async changeUser(account: AuthAccount, user: string, schema: string | null): Promise<void> {
    await this.reset();
    this.account = account;
    this.user = user;
    this.schema = schema;
    this.activeRoles = this.deps.accounts.defaultRoles?.(account, user) ?? [];
    // @req CORE-LOG-003
    if (this.deps.queryLog?.general) this.logConnect(COM.CHANGE_USER);
  }

  /** A command the protocol handled on its own (Quit, Init DB, Field List, ...), for the
   *  general log. @req CORE-LOG-003 */
  logCommand(command: number, argument: string): void {
    if (this.deps.queryLog?.general) logCommand(this.deps.queryLog, this, command, argument);
  }

  /**
   * COM_REFRESH: RELOAD is required (1227); the FLUSH operations its bits name then run as one
   * FLUSH statement, and the deprecation warning (1287) is left for SHOW WARNINGS.
   * @req CORE-LOG-020
   */
  async refresh(options: number): Promise<void> {
    if (!this.deps.accounts.hasGlobal(this, 'RELOAD')) throw sqlError('ER_SPECIFIC_ACCESS_DENIED_ERROR', 'RELOAD');
    if (this.deps.queryLog?.general) logCommand(this.deps.queryLog, this, COM.REFRESH, '');
    await this.run(refreshStatement(options), []);
    this.diagnostics.push(diagnostic('Warning', 'ER_WARN_DEPRECATED_SYNTAX', 'COM_REFRESH', 'FLUSH statement'));
  }

  /** The Connect (or Change user) line: who, from where, which schema, over what. @req CORE-LOG-003 */
  logConnect(command: number = COM.CONNECT): void {
    if (this.deps.queryLog?.general) logCommand(this.deps.queryLog, this, command, connectArgument(this));
  }

  /** Start measuring a statement for the slow log. @req CORE-LOG-011 */
  private beginSlowMeasure(stmt: Statement): void {
    const nowNs = process.hrtime.bigint();
    this.slowMeasure = { stmt, startUs: BigInt(Date.now()) * 1000n, startNs: nowNs, rowsSent: 0, meters: [], insertId: null };
  }

  /** A result given whole (not streamed): its rows were sent; an INSERT's first generated id
   *  is the slow log's insert_id. @req CORE-LOG-014 */
  private noteResult(result: StatementResult): void {
    const m = this.slowMeasure!;
    if (result.kind === 'rows') m.rowsSent += isRowStream(result.rows) ? 0 : result.rows.length;
    else if (m.stmt.kind === 'insert' && result.lastInsertId > 0n) m.insertId = result.lastInsertId;
  }

  /** The statement ended: write it to the slow log when it qualifies. @req CORE-LOG-011 */
  private endSlowMeasure(): void {
    const m = this.slowMeasure!;
    this.slowMeasure = null;
    let examined = 0;
    let noIndex = false;
    for (const meter of m.meters) {
      examined += meter.examined - meter.opens;
      if (meter.fullScan) noIndex = true;
    }
    const measure: StatementMeasure = {
      startUs: m.startUs,
      queryUs: (process.hrtime.bigint() - m.startNs) / 1000n,
      lockUs: 0n,
      rowsSent: m.rowsSent,
      rowsExamined: examined,
      noIndexUsed: noIndex,
      failedToParse: false,
    };
    try {
      if (logSlowStatement(this.deps.queryLog, this, m.stmt, measure, false, m.insertId)) {
        this.deps.sysvars.status.add('Slow_queries');
      }
    } catch (e) {
      this.deps.log('Error', 'MY-010000', 'Server', `slow query log: ${String(e)}`);
    }
  }

  /** KILL QUERY: the running statement stops at its next pause or wait (1317). */
  interrupt(): void {
    this.current?.kill();
  }

  /** Stop the running statement, if any, and wait until it has ended. */
  private async stopRunning(): Promise<void> {
    this.current?.kill();
    if (this.openStream) await this.openStream.close();
    if (this.running) await new Promise<void>((r) => (this.runningWaiters ??= []).push(r));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stopRunning();
    await this.txn.endSession();
    this.locks.releaseAll();
    for (const id of [...this.prepared.keys()]) this.closePrepared(id);
    preparedCount -= this.sqlPrepared.size;
    this.sqlPrepared.clear();
    try {
      await this.deps.catalog.dropTemporaryTables?.(this);
    } finally {
      closeThread(this.pfs);
      this.onClose?.(this);
    }
  }

  /** KILL CONNECTION: stop the running statement and close the connection. */
  kill(): void {
    this.current?.kill();
    this.conn.close('killed');
  }

  /** Register an SQL-level prepared statement (PREPARE name FROM ...). */
  async prepareNamed(name: string, sql: string): Promise<PreparedStatement> {
    const ps = await this.prepareInternal(sql);
    const key = name.toLowerCase();
    if (this.sqlPrepared.has(key)) preparedCount--;
    this.sqlPrepared.set(key, ps);
    return ps;
  }

  deallocateNamed(name: string): void {
    const key = name.toLowerCase();
    if (!this.sqlPrepared.delete(key)) throw sqlError('ER_UNKNOWN_STMT_HANDLER', name.length, name, 'DEALLOCATE PREPARE');
    preparedCount--;
  }
}

/** Generic placeholder metadata (MySQL sends VAR_STRING placeholders for untyped `?`). */
function paramColumn(): ResultColumn {
  return {
    schema: '',
    table: '',
    orgTable: '',
    name: '?',
    orgName: '',
    charsetId: 63,
    length: 0,
    type: 0xfd,
    flags: 128,
    decimals: 0,
  };
}
