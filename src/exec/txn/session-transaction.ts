/**
 * A session's transaction: whether one is open (explicitly, or implicitly with autocommit=0),
 * its characteristics, the engines taking part and the savepoints. Every statement that touches
 * a transactional engine runs inside that engine's transaction; with autocommit on and no
 * explicit transaction it is committed at the end of the statement (rolled back if the
 * statement failed). Non-transactional engines (MEMORY) change data immediately, so a ROLLBACK
 * after such a change warns with 1196.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/commit.html (15.3.1)
 * @req CORE-EXEC-005 CORE-EXEC-006 CORE-EXEC-010 CORE-EXEC-011
 */
import type { Value } from '../../kernel/value.js';
import type { EngineContext, EngineTransaction, IsolationLevel, StorageEngine } from '../../storage/handler.js';

/** What the transaction needs of its session. */
export interface TransactionHost {
  sysvar(name: string): Value;
  autocommit(): boolean;
  /** Add a warning to the session's diagnostics area (1196). */
  warnNotCompleteRollback(): void;
}

const ISOLATION_LEVELS: readonly IsolationLevel[] = ['READ-UNCOMMITTED', 'READ-COMMITTED', 'REPEATABLE-READ', 'SERIALIZABLE'];

function isolationOf(v: Value): IsolationLevel {
  const s = String(v ?? 'REPEATABLE-READ').toUpperCase().replace(/ /g, '-');
  return (ISOLATION_LEVELS as readonly string[]).includes(s) ? (s as IsolationLevel) : 'REPEATABLE-READ';
}

function on(v: Value): boolean {
  if (v === null) return false;
  if (typeof v === 'string') return v.toUpperCase() === 'ON' || v === '1';
  return Number(v) !== 0;
}

export class SessionTransaction {
  /** START TRANSACTION / BEGIN, or autocommit=0 with work done. */
  active = false;
  explicit = false;
  readOnly = false;
  /** The engines taking part, by engine name. */
  engines = new Map<string, EngineTransaction>();
  /** A non-transactional table changed while the transaction was open. */
  nonTransactionalChanged = false;
  savepoints: string[] = [];
  /** Next transaction's characteristics from SET TRANSACTION (no scope). */
  next: { isolation?: string; readOnly?: boolean } = {};

  constructor(private readonly host: TransactionHost) {}

  inTransaction(): boolean {
    return this.explicit || this.active;
  }

  /** This session's transaction in `engine`, begun when the engine first takes part. */
  join(engine: StorageEngine, ctx: EngineContext): EngineTransaction | undefined {
    if (!engine.beginTransaction) return undefined;
    let t = this.engines.get(engine.name);
    if (!t) {
      const isolation = isolationOf(this.next.isolation ?? this.host.sysvar('transaction_isolation'));
      t = engine.beginTransaction(ctx, { isolation, readOnly: this.readOnly, consistentSnapshot: false });
      this.engines.set(engine.name, t);
      if (!this.host.autocommit() || this.explicit) this.active = true;
    }
    return t;
  }

  noteNonTransactionalChange(): void {
    if (this.explicit || !this.host.autocommit()) {
      this.nonTransactionalChanged = true;
      this.active = true;
    }
  }

  async begin(opts: { readOnly?: boolean }): Promise<void> {
    await this.commit();
    this.explicit = true;
    this.active = true;
    this.readOnly = opts.readOnly ?? this.next.readOnly ?? on(this.host.sysvar('transaction_read_only'));
    this.next = {};
  }

  async commit(): Promise<void> {
    const engines = [...this.engines.values()];
    this.reset();
    for (const t of engines) await t.commit();
  }

  async rollback(): Promise<void> {
    const engines = [...this.engines.values()];
    const nonTrans = this.nonTransactionalChanged;
    this.reset();
    for (const t of engines) await t.rollback();
    if (nonTrans) this.host.warnNotCompleteRollback();
  }

  /** Roll back without reporting (connection teardown). */
  async rollbackQuietly(): Promise<void> {
    const engines = [...this.engines.values()];
    this.reset();
    for (const t of engines) {
      try {
        await t.rollback();
      } catch {
        /* connection teardown: nothing to report to */
      }
    }
  }

  private reset(): void {
    this.engines = new Map();
    this.active = false;
    this.explicit = false;
    this.readOnly = false;
    this.nonTransactionalChanged = false;
    this.savepoints = [];
  }

  /** End of a statement outside an explicit transaction: commit or roll back the statement's work. */
  async endStatement(ok: boolean): Promise<void> {
    if (this.explicit || !this.host.autocommit()) return;
    if (this.engines.size === 0) return;
    const engines = [...this.engines.values()];
    this.engines = new Map();
    for (const t of engines) {
      if (ok) await t.commit();
      else await t.rollback();
    }
  }
}
