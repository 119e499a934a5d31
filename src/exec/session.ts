/**
 * One client session: identity, default schema, variables, the diagnostics area, transaction
 * and LOCK TABLES state, prepared statements. It implements the protocol boundary
 * ({@link SessionApi}) and the executor-facing {@link ExecSession}.
 *
 * Transactions: every statement that touches a transactional engine runs inside an engine
 * transaction; with autocommit on and no explicit transaction it is committed at the end of
 * the statement (rolled back if the statement failed). Non-transactional engines (MEMORY)
 * change data immediately, so a ROLLBACK after such a change warns with 1196.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/commit.html
 * @req CORE-EXEC-002 CORE-EXEC-003 CORE-EXEC-005 CORE-EXEC-006 CORE-EXEC-010 CORE-EXEC-011 CORE-EXEC-012 CORE-EXEC-020 CORE-EXEC-058 CORE-EXEC-059 CORE-EXEC-060 CORE-EXEC-069
 */
import type { Statement } from '../sql/ast.js';
import { SqlError, sqlError, type Diagnostic, type ErrorName, diagnostic } from '../kernel/errors.js';
import type { ResultColumn } from '../kernel/column-type.js';
import type { Value } from '../kernel/value.js';
import type { EngineContext, EngineTransaction } from '../storage/handler.js';
import type { ExecDeps } from './deps.js';
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
import { setSysvarKindLookup } from '../sql/eval/index.js';
import { executeStatement, describeStatement } from './dispatch.js';
import { MAX_PREPARED_STMT_COUNT } from './limits.js';
import type { SessionVars } from '../server/sysvars/index.js';

/** A prepared statement (protocol-level or SQL PREPARE): the parsed statement plus metadata. */
export interface PreparedStatement {
  info: PreparedStatementInfo;
  stmt: Statement;
  /** Per-statement cache slot for the planner (compiled plans keyed by the executor). */
  cache: Map<string, unknown>;
}

/** LOCK TABLES state: lowercase 'schema.table' and aliases -> mode. */
export interface TableLockEntry {
  schema: string;
  table: string;
  alias?: string;
  write: boolean;
}

export interface TransactionState {
  /** START TRANSACTION / BEGIN, or autocommit=0 with work done. */
  active: boolean;
  explicit: boolean;
  readOnly: boolean;
  isolation: string;
  engines: Map<string, EngineTransaction>;
  /** A non-transactional table changed while the transaction was open. */
  nonTransactionalChanged: boolean;
  savepoints: string[];
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
  readonly txn: TransactionState;
  /** Next transaction's characteristics from SET TRANSACTION (no scope). */
  nextTxn: { isolation?: string; readOnly?: boolean } = {};
  lockedTables: TableLockEntry[] | null = null;
  readonly prepared = new Map<number, PreparedStatement>();
  readonly sqlPrepared = new Map<string, PreparedStatement>();
  private interrupted = false;
  private closed = false;
  private sqlModeCache: { text: string; set: ReadonlySet<string> } | null = null;
  /** The last statement was SHOW WARNINGS / SHOW ERRORS / SHOW COUNT(*) ...: its own warning
   *  count, as reported to the client, is 0. @req CORE-EXEC-060 */
  readsDiagnostics = false;
  /** Executes while the session is busy, to serialise statements. */
  busy = false;

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
    this.txn = {
      active: false,
      explicit: false,
      readOnly: false,
      isolation: 'REPEATABLE-READ',
      engines: new Map(),
      nonTransactionalChanged: false,
      savepoints: [],
    };
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

  engineContext(engine: string): EngineContext {
    const ctx: EngineContext = {
      connectionId: this.connectionId,
      sessionVar: (n: string) => this.sysvar(n),
    };
    const eng = this.deps.catalog.engineByName(engine);
    if (eng?.beginTransaction) {
      let t = this.txn.engines.get(eng.name);
      if (!t) {
        const isolation = this.nextTxn.isolation ?? String(this.sysvar('transaction_isolation') ?? 'REPEATABLE-READ');
        t = eng.beginTransaction(ctx, { isolation, readOnly: this.txn.readOnly });
        this.txn.engines.set(eng.name, t);
        if (!this.autocommit() || this.txn.explicit) this.txn.active = true;
      }
      ctx.txn = t;
    }
    return ctx;
  }

  noteNonTransactionalChange(): void {
    if (this.txn.explicit || !this.autocommit()) {
      this.txn.nonTransactionalChanged = true;
      this.txn.active = true;
    }
  }

  isInterrupted(): boolean {
    return this.interrupted;
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

  /** Throw 1317 when KILL QUERY arrived. */
  checkInterrupt(): void {
    if (this.interrupted) {
      this.interrupted = false;
      throw sqlError('ER_QUERY_INTERRUPTED');
    }
  }

  async implicitCommit(): Promise<void> {
    await this.commit();
  }

  // -------------------------------------------------------------------------------------------
  // Transactions
  // -------------------------------------------------------------------------------------------

  inTransaction(): boolean {
    return this.txn.explicit || this.txn.active;
  }

  async beginTransaction(opts: { readOnly?: boolean }): Promise<void> {
    await this.commit();
    this.txn.explicit = true;
    this.txn.active = true;
    this.txn.readOnly = opts.readOnly ?? this.nextTxn.readOnly ?? this.defaultReadOnly();
    this.nextTxn = {};
  }

  private defaultReadOnly(): boolean {
    const v = this.sysvar('transaction_read_only');
    if (v === null) return false;
    if (typeof v === 'string') return v.toUpperCase() === 'ON' || v === '1';
    return Number(v) !== 0;
  }

  async commit(): Promise<void> {
    const engines = [...this.txn.engines.values()];
    this.resetTxn();
    for (const t of engines) await t.commit();
  }

  async rollback(): Promise<void> {
    const engines = [...this.txn.engines.values()];
    const nonTrans = this.txn.nonTransactionalChanged;
    this.resetTxn();
    for (const t of engines) await t.rollback();
    if (nonTrans) this.warn('Warning', 'ER_WARNING_NOT_COMPLETE_ROLLBACK');
  }

  private resetTxn(): void {
    this.txn.engines = new Map();
    this.txn.active = false;
    this.txn.explicit = false;
    this.txn.readOnly = false;
    this.txn.nonTransactionalChanged = false;
    this.txn.savepoints = [];
  }

  /** End of a statement outside an explicit transaction: commit or roll back the statement's work. */
  async endStatement(ok: boolean): Promise<void> {
    if (this.txn.explicit || !this.autocommit()) return;
    if (this.txn.engines.size === 0) return;
    const engines = [...this.txn.engines.values()];
    this.txn.engines = new Map();
    for (const t of engines) {
      if (ok) await t.commit();
      else await t.rollback();
    }
  }

  // -------------------------------------------------------------------------------------------
  // SessionApi
  // -------------------------------------------------------------------------------------------

  statusFlags(): number {
    let f = 0;
    if (this.autocommit()) f |= ServerStatus.AUTOCOMMIT;
    if (this.txn.explicit || this.txn.active) {
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
      try {
        stmts = parseStatements(sql, this.sqlMode(), false);
      } catch (e) {
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
      for (const stmt of stmts) {
        yield await this.run(stmt, []);
      }
    } finally {
      this.command = 'Sleep';
      this.currentStatement = null;
    }
  }

  /** Run one parsed statement with parameter values. */
  async run(stmt: Statement, params: Value[]): Promise<StatementResult> {
    this.currentStatement = stmt.text ?? null;
    this.statementStartedAt = Date.now();
    this.interrupted = false;
    this.readsDiagnostics = false;
    let ok = false;
    try {
      const r = await executeStatement(this, stmt, params);
      ok = true;
      return r;
    } catch (e) {
      if (e instanceof SqlError) {
        // The error is part of the statement's diagnostics (SHOW ERRORS / SHOW WARNINGS).
        this.diagnostics.push({ level: 'Error', code: e.errno, message: e.message });
        throw e;
      }
      // Anything but a SqlError is a bug; surface it as a generic error, never crash the server.
      this.deps.log('Error', 'MY-010000', 'Server', `internal error: ${(e as Error)?.stack ?? String(e)}`);
      throw sqlError('ER_UNKNOWN_ERROR');
    } finally {
      await this.endStatement(ok);
    }
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
    return ps.info;
  }

  async prepareInternal(sql: string): Promise<PreparedStatement> {
    const stmts = parseStatements(sql, this.sqlMode(), true);
    if (stmts.length !== 1) {
      if (stmts.length === 0) throw sqlError('ER_EMPTY_QUERY');
      throw sqlError('ER_UNSUPPORTED_PS');
    }
    const stmt = stmts[0]!;
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
    try {
      return await this.run(ps.stmt, params);
    } finally {
      this.command = 'Sleep';
      this.currentStatement = null;
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
    await this.rollbackQuietly();
    this.lockedTables = null;
    for (const id of [...this.prepared.keys()]) this.closePrepared(id);
    preparedCount -= this.sqlPrepared.size;
    this.sqlPrepared.clear();
    this.userVars.clear();
    this.sessionVars.reset();
    this.sqlModeCache = null;
    this.applyClientCapabilities();
    this.diagnostics.clear();
    this.lastInsertId = 0n;
    this.rowCount = -1n;
    this.foundRows = 0n;
    this.nextTxn = {};
    await this.deps.catalog.dropTemporaryTables?.(this);
  }

  async changeUser(account: AuthAccount, user: string, schema: string | null): Promise<void> {
    await this.reset();
    this.account = account;
    this.user = user;
    this.schema = schema;
    this.activeRoles = this.deps.accounts.defaultRoles?.(account, user) ?? [];
  }

  interrupt(): void {
    this.interrupted = true;
  }

  private async rollbackQuietly(): Promise<void> {
    const engines = [...this.txn.engines.values()];
    this.resetTxn();
    for (const t of engines) {
      try {
        await t.rollback();
      } catch {
        /* connection teardown: nothing to report to */
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.interrupted = true;
    await this.rollbackQuietly();
    for (const id of [...this.prepared.keys()]) this.closePrepared(id);
    preparedCount -= this.sqlPrepared.size;
    this.sqlPrepared.clear();
    try {
      await this.deps.catalog.dropTemporaryTables?.(this);
    } finally {
      this.onClose?.(this);
    }
  }

  /** Used by the KILL CONNECTION path. */
  kill(): void {
    this.interrupted = true;
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
