/**
 * The transaction coordinator of one session: which engines take part in its transaction, the
 * statement boundaries on each of them, commit (two-phase across several engines able to
 * prepare), rollback, savepoints, and the session's XA branch.
 *
 * A transaction is open after START TRANSACTION / BEGIN / XA START, or, with autocommit off,
 * from the first work. Every statement that uses a transactional engine runs inside that
 * engine's transaction (the engine joins; the statement begins on it). When the statement
 * ends, its changes join the transaction, or, if it failed, only its own changes are undone on
 * every participant (statement rollback). Outside an open transaction (autocommit) the
 * statement is the whole transaction and commits or rolls back at its end. Non-transactional
 * engines (MEMORY) change data immediately and never join; a rollback that cannot undo their
 * changes warns with 1196.
 *
 * When an engine rolls back the whole transaction itself (deadlock victim, lock-wait timeout
 * with innodb_rollback_on_timeout) it says so through its context; at the end of the failing
 * statement the coordinator rolls back the other participants and the transaction is over.
 *
 * The commit path, step by step: the session's `beforeCommit` hook (where FLUSH TABLES WITH
 * READ LOCK's COMMIT lock will be taken), then ./two-phase-commit.ts, then the session's
 * transaction state is cleared.
 *
 * A transaction whose participants changed nothing (an autocommitted SELECT above all) commits
 * on the short path: no commit lock, no two-phase commit, and under autocommit no promise when
 * the engine commits synchronously.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/commit.html (15.3.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/savepoint.html (15.3.4)
 * @req CORE-EXEC-005 CORE-EXEC-006 CORE-EXEC-010 CORE-EXEC-011 CORE-TXN-001 CORE-TXN-002 CORE-TXN-003 CORE-TXN-006 CORE-TXN-010 CORE-TXN-011 CORE-TXN-012
 * @req CORE-PERF-030 CORE-PERF-031
 */
import { diagnostic, sqlError, type Diagnostic, type SqlError } from '../../kernel/errors.js';
import type { Value } from '../../kernel/value.js';
import type { EngineContext, EngineTransaction, IsolationLevel, MaybePromise, StorageEngine } from '../../storage/handler.js';
import { characteristicsFor, isOn, type Characteristics, type NextCharacteristics } from './characteristics.js';
import { asSqlError, endStatementOn, rollbackEach, rollbackQuietly, wroteNothing, type Participant } from './participants.js';
import { SavepointList } from './savepoints.js';
import type { ServerTransactions } from './server-transactions.js';
import { commitParticipants, preparable } from './two-phase-commit.js';
import type { XaBranch } from './xa-branch.js';

/** What a commit hook is asked to let through. */
export type CommitKind = 'commit' | 'xa-prepare' | 'xa-commit' | 'xa-rollback';

/** What the transaction needs of its session. */
export interface TransactionHost {
  sysvar(name: string): Value;
  autocommit(): boolean;
  /** Add a condition to the session's diagnostics area. */
  warn(d: Diagnostic): void;
  /** An engine context for `engine` that does not enlist it (START TRANSACTION WITH CONSISTENT SNAPSHOT). */
  baseContext(engine: string): EngineContext;
  /**
   * Runs before work is committed or decided (COMMIT, autocommit and implicit commits, XA
   * PREPARE, XA COMMIT, XA ROLLBACK): the place for FLUSH TABLES WITH READ LOCK's COMMIT lock.
   * When it throws, nothing is committed and the transaction stays open. Default: nothing.
   */
  beforeCommit?(kind: CommitKind): Promise<void> | void;
}

const NO_SNAPSHOT_ENGINE = 'This MySQL server does not support any consistent-read capable storage engine';

export class SessionTransaction {
  /** START TRANSACTION / BEGIN / XA START. */
  explicit = false;
  /** autocommit=0 with work done (or explicit). */
  active = false;
  /** Characteristics of the open transaction. */
  readOnly = false;
  isolation: IsolationLevel = 'REPEATABLE-READ';
  /** The engines taking part, in joining order. */
  participants: Participant[] = [];
  /** A non-transactional table changed while the transaction was open. */
  nonTransactionalChanged = false;
  readonly savepoints = new SavepointList();
  /** Next transaction's characteristics from SET TRANSACTION (no scope). */
  next: NextCharacteristics = {};
  /** The session's XA branch, if one is started. */
  xa: XaBranch | null = null;
  /** An engine that rolled back the whole transaction during the running statement. */
  private rolledBackBy: string | null = null;

  constructor(
    private readonly host: TransactionHost,
    readonly services: ServerTransactions,
  ) {}

  inTransaction(): boolean {
    return this.explicit || this.active;
  }

  /** Whether a write now runs in a READ ONLY transaction (1792). @req CORE-TXN-006 */
  readOnlyNow(): boolean {
    if (this.inTransaction()) return this.readOnly;
    return this.next.readOnly ?? isOn(this.host.sysvar('transaction_read_only'));
  }

  /**
   * This session's transaction in `engine` for the running statement: the engine joins the
   * transaction when it is first used, and the statement begins on it when the statement first
   * uses it. Undefined for non-transactional engines.
   * @req CORE-TXN-001 CORE-TXN-024
   */
  join(engine: StorageEngine, ctx: EngineContext): EngineTransaction | undefined {
    this.xa?.checkTableAccess();
    if (!engine.beginTransaction) return undefined;
    const parts = this.participants;
    let p: Participant | undefined;
    for (let i = 0; i < parts.length; i++) {
      if (parts[i]!.engine === engine) {
        p = parts[i];
        break;
      }
    }
    p ??= this.enlist(engine, ctx, false);
    if (!p.inStatement) {
      p.txn.beginStatement();
      p.inStatement = true;
    }
    return p.txn;
  }

  private enlist(engine: StorageEngine, ctx: EngineContext, consistentSnapshot: boolean): Participant {
    if (!this.inTransaction() && !this.host.autocommit()) this.open(this.nextCharacteristics());
    const single = !this.inTransaction();
    const ch: Characteristics = single ? this.nextCharacteristics() : { isolation: this.isolation, readOnly: this.readOnly };
    const txn = engine.beginTransaction!(ctx, { isolation: ch.isolation, readOnly: ch.readOnly, consistentSnapshot, singleStatement: single });
    const p: Participant = { engine, txn, inStatement: false };
    this.participants.push(p);
    return p;
  }

  private nextCharacteristics(accessMode?: boolean): Characteristics {
    return characteristicsFor(this.next, (n) => this.host.sysvar(n), accessMode);
  }

  private open(ch: Characteristics): void {
    this.active = true;
    this.isolation = ch.isolation;
    this.readOnly = ch.readOnly;
  }

  noteNonTransactionalChange(): void {
    if (!this.explicit && this.host.autocommit()) return;
    this.nonTransactionalChanged = true;
    if (!this.inTransaction()) this.open(this.nextCharacteristics());
  }

  /** The engine rolled back the session's whole transaction (its context says so). @req CORE-TXN-012 */
  engineRolledBack(engine: string): void {
    this.rolledBackBy ??= engine;
  }

  /**
   * START TRANSACTION / BEGIN (and the start of XA START and COMMIT AND CHAIN): commits the open
   * transaction first; WITH CONSISTENT SNAPSHOT starts the transaction in every transactional
   * engine at once.
   * @req CORE-EXEC-010 CORE-TXN-006
   */
  async begin(opts: { readOnly?: boolean; consistentSnapshot?: boolean; chain?: Characteristics } = {}): Promise<void> {
    this.xa?.refuseTransactionControl();
    await this.commitWork();
    const ch = opts.chain ?? this.nextCharacteristics(opts.readOnly);
    this.next = {};
    this.explicit = true;
    this.open(ch);
    if (opts.consistentSnapshot) this.startSnapshot();
  }

  private startSnapshot(): void {
    let started = 0;
    for (const engine of this.services.engines()) {
      if (!engine.beginTransaction || this.participants.some((p) => p.engine === engine)) continue;
      this.enlist(engine, this.host.baseContext(engine.name), true);
      started++;
    }
    if (started === 0) this.host.warn({ level: 'Warning', code: 1105, message: NO_SNAPSHOT_ENGINE });
  }

  /** COMMIT. @req CORE-EXEC-010 */
  async commit(): Promise<void> {
    this.xa?.refuseTransactionControl();
    await this.commitWork();
  }

  /** ROLLBACK (1196 when non-transactional changes stay). @req CORE-EXEC-005 CORE-EXEC-010 */
  async rollback(): Promise<void> {
    this.xa?.refuseTransactionControl();
    await this.rollbackWork(true);
  }

  /** Refuse an implicit commit inside an XA transaction (1399), before anything changes. @req CORE-TXN-024 */
  checkImplicitCommit(): void {
    this.xa?.refuseTransactionControl();
  }

  /** The implicit commit of DDL, LOCK TABLES, SET autocommit=1, ... @req CORE-TXN-005 CORE-TXN-024 */
  async implicitCommit(): Promise<void> {
    this.checkImplicitCommit();
    const ended = this.inTransaction() || this.participants.length > 0;
    await this.commitWork();
    if (ended) this.next = {};
  }

  /**
   * End of a statement: on success its changes join the transaction, on failure only they are
   * undone; outside a transaction (autocommit) the statement's transaction commits or rolls
   * back. After an engine rolled back the whole transaction, every other participant is rolled
   * back and the transaction is over.
   * @req CORE-TXN-001 CORE-TXN-002 CORE-TXN-003 CORE-TXN-012
   */
  endStatement(error: SqlError | null): void | Promise<void> {
    if (this.rolledBackBy !== null) return this.rollbackForEngine(error);
    if (this.inTransaction()) return this.participants.length === 0 ? undefined : endStatementOn(this.participants, error === null);
    // Nothing joined (a read of non-transactional tables, a SET): nothing to end or commit.
    if (this.participants.length === 0) return;
    if (error === null && this.participants.length === 1 && this.participants[0]!.txn.wroteNothing?.() === true) return this.endReadOnlyAutocommit(this.participants[0]!);
    return this.endAutocommitStatement(error);
  }

  /**
   * An autocommitted statement that changed nothing in its one engine (a point SELECT): its
   * transaction is read-only, so it commits there and then, synchronously when the engine can,
   * without the commit lock or the coordinator's general path. MySQL does likewise: a
   * transaction no engine marked read-write takes no COMMIT lock and needs no two-phase commit.
   * Errors surface as the general path reports them.
   * @req CORE-PERF-030 CORE-PERF-031
   */
  private endReadOnlyAutocommit(p: Participant): void | Promise<void> {
    this.next = {};
    const txn = p.txn;
    if (p.inStatement) {
      p.inStatement = false;
      try {
        txn.endStatement();
      } catch (e) {
        return this.rollbackWork(false).then(() => {
          throw asSqlError(e, 'ER_ERROR_DURING_ROLLBACK');
        });
      }
    }
    // Outside a transaction the only state to forget is the participant (reset() would also
    // clear flags that are already clear under autocommit).
    this.participants.length = 0;
    let r: MaybePromise<void>;
    try {
      r = txn.commit();
    } catch (e) {
      throw asSqlError(e, 'ER_ERROR_DURING_COMMIT');
    }
    if (r instanceof Promise) {
      return r.catch((e: unknown) => {
        throw asSqlError(e, 'ER_ERROR_DURING_COMMIT');
      });
    }
  }

  /** Under autocommit the statement's work is its transaction: commit it, or roll it back. */
  private async endAutocommitStatement(error: SqlError | null): Promise<void> {
    this.next = {};
    if (error !== null) return this.rollbackWork(false);
    try {
      await endStatementOn(this.participants, true);
    } catch (e) {
      await this.rollbackWork(false);
      throw e;
    }
    await this.commitWork();
  }

  /** @req CORE-TXN-012 CORE-TXN-027 */
  private async rollbackForEngine(error: SqlError | null): Promise<void> {
    const engine = this.rolledBackBy;
    const others = this.participants.filter((p) => p.engine.name !== engine);
    this.reset();
    this.next = {};
    await rollbackQuietly(others);
    this.xa?.markRolledBack(error?.errno ?? 0);
  }

  /**
   * Commit the open work: the beforeCommit hook, then every participant (two-phase when two or
   * more can prepare), then the session's transaction state is cleared. If the hook refuses,
   * nothing changes; once the participants are asked, the transaction is over whatever they
   * answer.
   * @req CORE-TXN-030
   */
  async commitWork(): Promise<void> {
    const parts = this.participants;
    // A transaction that changed nothing takes no commit lock (MySQL takes it for read-write
    // transactions only). @req CORE-PERF-031
    if (parts.length > 0 && !wroteNothing(parts)) await this.allowCommit('commit');
    try {
      await commitParticipants(parts, this.services);
    } finally {
      this.reset();
    }
  }

  /** The session's beforeCommit hook (FLUSH TABLES WITH READ LOCK's COMMIT lock, later). */
  async allowCommit(kind: CommitKind): Promise<void> {
    await this.host.beforeCommit?.(kind);
  }

  /** Roll back the open work; `report`: errors are thrown and 1196 warned. */
  async rollbackWork(report: boolean): Promise<void> {
    const parts = this.participants;
    const nonTransactional = this.nonTransactionalChanged;
    this.reset();
    if (!report) return rollbackQuietly(parts);
    await rollbackEach(parts);
    if (nonTransactional) this.host.warn(diagnostic('Warning', 'ER_WARNING_NOT_COMPLETE_ROLLBACK'));
  }

  /** Forget the transaction (its participants were committed, rolled back or handed over). */
  reset(): void {
    this.participants = [];
    this.explicit = false;
    this.active = false;
    this.readOnly = false;
    this.nonTransactionalChanged = false;
    this.savepoints.clear();
    this.rolledBackBy = null;
  }

  /** SAVEPOINT name. @req CORE-EXEC-011 CORE-TXN-010 */
  savepoint(name: string): void {
    // Outside a transaction (autocommit) a savepoint is accepted and forgotten at once.
    if (!this.inTransaction()) return;
    this.xa?.refuseIfUncommitted();
    for (const p of this.participants) {
      if (!p.engine.capabilities.savepoints) throw sqlError('ER_CHECK_NOT_IMPLEMENTED', 'SAVEPOINT');
    }
    const old = this.savepoints.set(name, this.participants);
    if (old) for (const p of this.participants) if (old.participants.has(p)) p.txn.releaseSavepoint(old.name);
    for (const p of this.participants) p.txn.savepoint(name);
  }

  /**
   * ROLLBACK TO SAVEPOINT name: participants of the savepoint return to it; an engine that
   * joined after it is rolled back wholly and leaves the transaction. Later savepoints go.
   * @req CORE-EXEC-011 CORE-TXN-010 CORE-TXN-011
   */
  async rollbackToSavepoint(name: string): Promise<void> {
    const i = this.findSavepoint(name);
    this.xa?.refuseIfIdleOrPrepared();
    const sp = this.savepoints.at(i);
    const stay: Participant[] = [];
    const leave: Participant[] = [];
    for (const p of this.participants) (sp.participants.has(p) ? stay : leave).push(p);
    this.participants = stay;
    this.savepoints.keepThrough(i);
    let first: unknown = null;
    for (const p of stay) await Promise.resolve(p.txn.rollbackToSavepoint(sp.name)).catch((e: unknown) => (first ??= e));
    await rollbackEach(leave).catch((e: unknown) => (first ??= e));
    if (first) throw first;
    if (this.nonTransactionalChanged) this.host.warn(diagnostic('Warning', 'ER_WARNING_NOT_COMPLETE_ROLLBACK'));
  }

  /** RELEASE SAVEPOINT name: it and every later savepoint go. @req CORE-EXEC-011 CORE-TXN-010 */
  releaseSavepoint(name: string): void {
    const i = this.findSavepoint(name);
    this.xa?.refuseIfIdleOrPrepared();
    const sp = this.savepoints.at(i);
    for (const p of this.participants) if (sp.participants.has(p)) p.txn.releaseSavepoint(sp.name);
    this.savepoints.dropFrom(i);
  }

  private findSavepoint(name: string): number {
    const i = this.savepoints.find(name);
    if (i < 0) throw sqlError('ER_SP_DOES_NOT_EXIST', 'SAVEPOINT', name);
    return i;
  }

  /**
   * The session ends (disconnect, COM_RESET_CONNECTION): a prepared XA branch is detached and
   * survives; anything else is rolled back without a report.
   * @req CORE-TXN-025
   */
  async endSession(): Promise<void> {
    if (this.xa?.state === 'PREPARED') return this.detachXa();
    if (this.xa) this.services.xa.remove(this.xa.entry);
    this.xa = null;
    this.next = {};
    await this.rollbackWork(false);
  }

  /**
   * Hand the PREPARED XA branch over to the server: it stays prepared in its engines, decided
   * later by XID from any session; this session has no transaction any more.
   * @req CORE-TXN-025
   */
  async detachXa(): Promise<void> {
    const xa = this.xa!;
    const prepared = preparable(this.participants);
    const rest = this.participants.filter((p) => !prepared.includes(p));
    this.services.xa.detach(xa.entry, prepared.map((p) => p.engine));
    this.xa = null;
    this.next = {};
    this.reset();
    await rollbackQuietly(rest);
  }
}
