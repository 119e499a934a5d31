/**
 * The table writer: the one path every row change takes on its way to an engine (INSERT,
 * UPDATE, DELETE, REPLACE, INSERT ... ON DUPLICATE KEY UPDATE, CREATE TABLE ... SELECT, the
 * ALTER TABLE copy, and later LOAD DATA, the memcached plugin and replica appliers). It calls
 * the engine, records a change to a non-transactional table in the session's transaction
 * (ROLLBACK then warns 1196), and tells the row-change observers, so that each of those
 * concerns lives in one place instead of in every statement.
 *
 * Engine writes may return a promise (a row-lock wait, a page read); the writer passes the
 * value through untouched when the engine answered at once, so the fast path stays
 * synchronous.
 *
 * CHECK constraints are enforced here too, on every row inserted or changed, whatever the
 * statement (see exec/check/enforce.ts).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table-check-constraints.html
 * @req CORE-WRITE-001 CORE-WRITE-002 CORE-CHECK-001
 */
import type { TableDef } from '../../kernel/table-def.js';
import type { Row } from '../../kernel/value.js';
import type { AutoIncrementBlock, EngineContext, MaybePromise, RowId, RowRef, StorageEngine, TableHandler } from '../../storage/handler.js';
import type { ChangeOrigin, RowChange, RowChangeObservers } from './row-change.js';
import type { Runtime } from '../../sql/eval/index.js';
import { RowChecks } from '../check/enforce.js';

/** What the writer needs of the session that writes. */
export interface WriterSession {
  readonly connectionId: number;
  /** A table that cannot roll back was changed inside a transaction (1196 on ROLLBACK). */
  noteNonTransactionalChange(): void;
  /** A table whose handler wants to hear of the end of a statement that changed it
   *  (`TableHandler.endStatement`) was changed by this statement. */
  noteTableWritten?(handler: TableHandler): void;
  /** The runtime CHECK constraints are evaluated in; without it they are not checked (unit
   *  tests' bare sessions). @req CORE-CHECK-001 */
  constraintRuntime?(): Runtime;
}

/** A table opened for writing by one statement. */
export interface WriteTarget {
  readonly def: TableDef;
  readonly handler: TableHandler;
  readonly engine: StorageEngine;
  readonly ctx: EngineContext;
}

function after<T>(v: MaybePromise<T>, then: (x: T) => void): MaybePromise<T> {
  if (v instanceof Promise) {
    return v.then((x) => {
      then(x);
      return x;
    });
  }
  then(v);
  return v;
}

export class TableWriter {
  readonly transactional: boolean;
  private readonly origin: ChangeOrigin;
  /** The table's enforced CHECK constraints; null when it has none. @req CORE-CHECK-001 */
  private readonly checks: RowChecks | null;

  constructor(
    private readonly session: WriterSession,
    readonly target: WriteTarget,
    /** The server's observers; undefined when nobody observes (sessions of unit tests). */
    private readonly observers: RowChangeObservers | undefined,
    purpose: ChangeOrigin['purpose'] = 'dml',
  ) {
    this.transactional = !!target.engine.capabilities.transactions;
    this.origin = { connectionId: session.connectionId, transactional: this.transactional, purpose };
    this.checks = RowChecks.forTable(target.def, session.constraintRuntime ? () => session.constraintRuntime!() : undefined);
  }

  get def(): TableDef {
    return this.target.def;
  }

  /** Insert a row; throws 3819 for a CHECK violation, the engine's 1062/1114. @req CORE-WRITE-001 CORE-CHECK-001 */
  insert(row: Row): MaybePromise<RowId> {
    this.checks?.verify(row);
    return after(this.target.handler.insert(this.target.ctx, row), () => this.changed({ kind: 'insert', table: this.target.def, after: row }));
  }

  /** Replace a row read by this statement; 3819 when the new row violates a CHECK constraint. @req CORE-WRITE-001 CORE-CHECK-001 */
  update(ref: RowRef, newRow: Row): MaybePromise<void> {
    this.checks?.verify(newRow);
    return after(this.target.handler.update(this.target.ctx, ref.id, ref.row, newRow), () =>
      this.changed({ kind: 'update', table: this.target.def, before: ref.row, after: newRow }),
    );
  }

  /** {@link update} given the row id and old values separately. */
  updateById(id: RowId, oldRow: Row, newRow: Row): MaybePromise<void> {
    return this.update({ id, row: oldRow }, newRow);
  }

  /** Delete a row read by this statement. @req CORE-WRITE-001 */
  delete(ref: RowRef): MaybePromise<void> {
    return after(this.target.handler.delete(this.target.ctx, ref.id, ref.row), () => this.changed({ kind: 'delete', table: this.target.def, before: ref.row }));
  }

  /** {@link delete} given the row id and values separately. */
  deleteById(id: RowId, row: Row): MaybePromise<void> {
    return this.delete({ id, row });
  }

  /** Remove every row (TRUNCATE). @req CORE-WRITE-001 */
  truncate(): MaybePromise<void> {
    return after(this.target.handler.truncate(this.target.ctx), () => this.changed({ kind: 'truncate', table: this.target.def }));
  }

  /** The next AUTO_INCREMENT values for this statement (see the engine contract). */
  reserveAutoIncrement(count: number): AutoIncrementBlock {
    return this.target.handler.reserveAutoIncrement(this.target.ctx, count);
  }

  /** An explicit AUTO_INCREMENT value was stored. */
  observeAutoIncrement(value: bigint): void {
    this.target.handler.observeAutoIncrement(this.target.ctx, value);
  }

  private changed(change: RowChange): void {
    if (!this.transactional) {
      this.session.noteNonTransactionalChange();
      if (this.target.handler.endStatement) this.session.noteTableWritten?.(this.target.handler);
    }
    if (this.observers && !this.observers.empty) this.observers.notify(this.origin, change);
  }
}
