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
 * Triggers fire here as well (BEFORE ones ahead of the CHECK constraints and the engine, AFTER
 * ones once the row is written), so every statement that writes rows fires them.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/trigger-syntax.html
 * @req CORE-WRITE-001 CORE-WRITE-002 CORE-CHECK-001 CORE-TRG-004
 */
import type { TableDef } from '../../kernel/table-def.js';
import type { Row } from '../../kernel/value.js';
import type { AutoIncrementBlock, EngineContext, MaybePromise, RowId, RowRef, StorageEngine, TableHandler } from '../../storage/handler.js';
import type { ChangeOrigin, RowChange, RowChangeObservers } from './row-change.js';
import type { Runtime } from '../../sql/eval/index.js';
import { RowChecks } from '../check/enforce.js';
import { sameStored } from '../dml/common.js';

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
  /** Run the table's triggers of one timing and event for a row (exec/triggers/fire.ts); BEFORE
   *  triggers may change `newRow` in place. Without it triggers do not fire (unit tests' bare
   *  sessions). @req CORE-TRG-004 */
  fireTriggers?(table: TableDef, timing: 'BEFORE' | 'AFTER', event: 'INSERT' | 'UPDATE' | 'DELETE', newRow: Row | null, oldRow: Row | null): Promise<void>;
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
  /** Fires the table's triggers; null when it has none or they do not fire (the ALTER TABLE
   *  copy), so the write path without triggers stays one null check. @req CORE-TRG-004 */
  private readonly triggers: WriterSession['fireTriggers'] | null;
  /** Rows whose BEFORE INSERT triggers already ran: REPLACE's second attempt after deleting the
   *  conflicting row does not run them again. */
  private beforeInsertDone: WeakSet<Row> | null = null;
  /** The last {@link update} found the row unchanged after the BEFORE UPDATE triggers, so
   *  nothing was written (UPDATE counts it as matched, not changed). */
  lastUpdateUnchanged = false;

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
    this.triggers = purpose !== 'copy' && target.def.triggers !== undefined && target.def.triggers.length > 0 && session.fireTriggers ? session.fireTriggers.bind(session) : null;
  }

  get def(): TableDef {
    return this.target.def;
  }

  /** Whether the table has triggers for `event` that fire here: UPDATE then hands the writer
   *  rows whose values it did not change, as the BEFORE UPDATE triggers may change them. @req CORE-TRG-004 */
  firesOn(event: 'INSERT' | 'UPDATE' | 'DELETE'): boolean {
    return this.triggers !== null && (this.target.def.triggers ?? []).some((t) => t.event === event);
  }

  /** Insert a row; throws 3819 for a CHECK violation, the engine's 1062/1114. @req CORE-WRITE-001 CORE-CHECK-001 */
  insert(row: Row): MaybePromise<RowId> {
    if (this.triggers !== null) return this.insertFiring(row);
    this.checks?.verify(row);
    return after(this.target.handler.insert(this.target.ctx, row), () => this.changed({ kind: 'insert', table: this.target.def, after: row }));
  }

  /** Replace a row read by this statement; 3819 when the new row violates a CHECK constraint. @req CORE-WRITE-001 CORE-CHECK-001 */
  update(ref: RowRef, newRow: Row): MaybePromise<void> {
    if (this.triggers !== null) return this.updateFiring(ref, newRow);
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
    if (this.triggers !== null) return this.deleteFiring(ref);
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

  /**
   * An UPDATE that set the AUTO_INCREMENT column above the counter moves the counter past it
   * (InnoDB since 8.0, and the other engines), so the next generated value does not collide.
   * @req CORE-DET-003
   */
  private advanceAutoIncrement(before: Row, after: Row): void {
    const ai = (this.aiColumn ??= this.target.def.columns.findIndex((c) => c.autoIncrement));
    if (ai < 0) return;
    const v = after[ai];
    if (typeof v === 'bigint' && v > 0n && v !== before[ai]) this.target.handler.observeAutoIncrement(this.target.ctx, v);
  }

  /** Position of the AUTO_INCREMENT column (-1: none), found on first use. */
  private aiColumn: number | undefined;

  /** An explicit AUTO_INCREMENT value was stored. */
  observeAutoIncrement(value: bigint): void {
    this.target.handler.observeAutoIncrement(this.target.ctx, value);
  }

  /** INSERT with triggers: BEFORE (may change the row), CHECK, the engine, AFTER. @req CORE-TRG-004 */
  private async insertFiring(row: Row): Promise<RowId> {
    const fire = this.triggers as NonNullable<WriterSession['fireTriggers']>;
    const done = (this.beforeInsertDone ??= new WeakSet());
    if (!done.has(row)) {
      await fire(this.target.def, 'BEFORE', 'INSERT', row, null);
      done.add(row);
    }
    this.checks?.verify(row);
    const id = await this.target.handler.insert(this.target.ctx, row);
    done.delete(row);
    this.changed({ kind: 'insert', table: this.target.def, after: row });
    await fire(this.target.def, 'AFTER', 'INSERT', row, null);
    return id;
  }

  /** UPDATE with triggers (also ON DUPLICATE KEY UPDATE's update). @req CORE-TRG-004 */
  private async updateFiring(ref: RowRef, newRow: Row): Promise<void> {
    const fire = this.triggers as NonNullable<WriterSession['fireTriggers']>;
    await fire(this.target.def, 'BEFORE', 'UPDATE', newRow, ref.row);
    // A row the statement and its triggers left as it was is not written; the AFTER UPDATE
    // triggers still fire for it, as for every matched row.
    this.lastUpdateUnchanged = ref.row.length === newRow.length && ref.row.every((v, i) => sameStored(v, newRow[i] ?? null));
    if (this.lastUpdateUnchanged) {
      await fire(this.target.def, 'AFTER', 'UPDATE', newRow, ref.row);
      return;
    }
    this.checks?.verify(newRow);
    await this.target.handler.update(this.target.ctx, ref.id, ref.row, newRow);
    this.changed({ kind: 'update', table: this.target.def, before: ref.row, after: newRow });
    await fire(this.target.def, 'AFTER', 'UPDATE', newRow, ref.row);
  }

  /** DELETE with triggers (also REPLACE's delete of a conflicting row). @req CORE-TRG-004 */
  private async deleteFiring(ref: RowRef): Promise<void> {
    const fire = this.triggers as NonNullable<WriterSession['fireTriggers']>;
    await fire(this.target.def, 'BEFORE', 'DELETE', null, ref.row);
    await this.target.handler.delete(this.target.ctx, ref.id, ref.row);
    this.changed({ kind: 'delete', table: this.target.def, before: ref.row });
    await fire(this.target.def, 'AFTER', 'DELETE', null, ref.row);
  }

  private changed(change: RowChange): void {
    if (change.kind === 'update') this.advanceAutoIncrement(change.before, change.after);
    if (!this.transactional) {
      this.session.noteNonTransactionalChange();
      if (this.target.handler.endStatement) this.session.noteTableWritten?.(this.target.handler);
    }
    if (this.observers && !this.observers.empty) this.observers.notify(this.origin, change);
  }
}
