/**
 * Foreign keys enforced by InnoDB, row by row, inside the statement that changes the row: the
 * check that a child row's key has a parent row (1452), and what a parent row's delete or key
 * update does to the rows referencing it: refuse (RESTRICT, NO ACTION, and SET DEFAULT, which
 * InnoDB accepts in DDL and treats as NO ACTION: 1451), delete them (ON DELETE CASCADE), give
 * them the new key (ON UPDATE CASCADE), or set their key to NULL (SET NULL).
 *
 * Why it lives in the engine. The checks must see rows other transactions are changing and
 * lock what they find, and cascaded changes must join the transaction's undo and redo like any
 * change, so that statement rollback and ROLLBACK undo them and a crash after COMMIT keeps them.
 * Cascaded changes go through the engine's own row operations, never through the server's table
 * writer, so the server's row-change observers (the binary log among them) do not see them, as
 * in MySQL where cascades are not logged (INNODB-REPL-006).
 *
 * Locks, as row0ins.cc takes them. The parent row a child's key found is share-locked until the
 * transaction ends, so nobody can delete it or change its key meanwhile; a matching parent that
 * another transaction is changing (or has delete-marked) is waited for first. A parent's delete
 * or key update share-locks the child rows it finds before refusing, and exclusively locks the
 * rows it cascades to.
 *
 * Cascades run depth first with the chain of tables above them. A cascade 15 levels below the
 * statement's row fails with 3008; a cascaded UPDATE of a table that an earlier level of the
 * same chain updates fails like RESTRICT (1451), so self-referencing ON UPDATE CASCADE or SET
 * NULL cannot recurse. A duplicate key caused in a child by ON UPDATE CASCADE is 1761. NULL in
 * any column of a key skips the check; foreign_key_checks=0 skips everything.
 *
 * Waits. Lock waits suspend the work: it is written as generators that yield a promise where
 * InnoDB would suspend the thread, and {@link drive} runs one synchronously until it must wait,
 * so a change that needs no wait stays synchronous.
 *
 * Sources: mysql-server 8.0 storage/innobase/row/row0ins.cc (row_ins_check_foreign_constraint,
 * row_ins_foreign_check_on_constraint, row_ins_cascade_calc_update_vec), row0upd.cc
 * (row_upd_check_references_constraints), dict0dd.cc (SET DEFAULT stored as NO ACTION).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html (13.1.20.5)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-locks-set.html (15.7.3)
 * @req INNODB-FK-105 INNODB-FK-108 INNODB-FK-109 INNODB-FK-110 INNODB-FK-111 INNODB-FK-112
 * @req INNODB-FK-113 INNODB-FK-114 INNODB-FK-115 INNODB-FK-116 INNODB-REPL-004 INNODB-REPL-006
 */
import { SqlError, sqlError } from '../../../kernel/errors.js';
import type { ForeignKeyDef, TableDef } from '../../../kernel/table-def.js';
import { Decimal, Temporal, type Row, type Value } from '../../../kernel/value.js';
import type { EngineContext, MaybePromise } from '../../handler.js';
import { candidates, closestRecord, keyAccess, keyOf, rowHasKey, scanAccess, type KeyAccess } from '../dict/foreign-index.js';
import { keyValueText } from '../../keys.js';
import type { ClusterRec, InnodbTable } from '../index/innodb-table.js';
import type { InnodbTrx } from '../trx/trx.js';
import { addFailureText, detailedError, entryColumns, missingParentText, parentFailureText, recordText, tupleText } from './foreign-report.js';

/** InnoDB's FK_MAX_CASCADE_DEL: a cascade this many levels below the statement's row fails (3008). INNODB-FK-113 */
export const FK_MAX_CASCADE_DEPTH = 15;

/** A wait inside foreign key work (a row lock another transaction holds). */
type Wait = Promise<unknown>;
/** Foreign key work: runs until it must wait, yields the wait, resumes when it ends. */
type Work<T = void> = Generator<Wait, T, unknown>;

/** A parent table a key names, as the engine has it. */
export interface ParentTable {
  readonly def: TableDef;
  readonly table: InnodbTable;
}

/** A foreign key naming a table as its parent, with the child table. */
export interface ChildKey {
  readonly def: TableDef;
  readonly fk: ForeignKeyDef;
  readonly table: InnodbTable;
}

/** What foreign key enforcement needs of its engine. */
export interface ForeignKeyServices {
  /** The InnoDB table `schema.name` (a foreign key's parent); undefined when missing or not InnoDB. */
  parent(schema: string, name: string): ParentTable | undefined;
  /** The keys whose parent is `schema.name`, with their (InnoDB) child tables. */
  children(schema: string, name: string): readonly ChildKey[];
  lockRecord(ctx: EngineContext, trx: InnodbTrx, table: InnodbTable, rec: ClusterRec, mode: 'S' | 'X'): 'granted' | 'skipped' | Promise<unknown>;
  /** Delete-mark a locked record (a cascaded delete). */
  deleteRow(trx: InnodbTrx, table: InnodbTable, rec: ClusterRec): void;
  /** Give a locked record a new row (a cascaded update); throws 1062 like any update. */
  updateRow(ctx: EngineContext, trx: InnodbTrx, table: InnodbTable, rec: ClusterRec, row: Row): MaybePromise<void>;
  /** Keep `body` as the latest foreign key error of `trx` (the monitor adds time and transaction). */
  report(ctx: EngineContext, trx: InnodbTrx, body: string): void;
}

/** One level of a cascade chain: the table changed there and whether by deleting. */
interface Level {
  readonly table: InnodbTable;
  readonly isDelete: boolean;
}

/** A duplicate key a cascaded update caused in a child: 1761 once it reaches the statement's row. */
class CascadeDuplicate extends Error {
  constructor(
    readonly childTable: string,
    readonly keyName: string,
  ) {
    super('duplicate key in a cascaded update');
  }
}

/** Run foreign key work: synchronously while it need not wait, else as a promise. */
export function drive<T>(work: Work<T>): MaybePromise<T> {
  return resume(work, work.next());
}

function resume<T>(work: Work<T>, r: IteratorResult<Wait, T>): MaybePromise<T> {
  if (r.done) return r.value;
  return r.value.then(
    () => resume(work, work.next()),
    (e: unknown) => resume(work, work.throw(e)),
  );
}

/** The session's foreign_key_checks (on unless set off). @req INNODB-FK-114 */
export function foreignKeyChecks(ctx: EngineContext): boolean {
  const v = ctx.sessionVar('foreign_key_checks');
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v === '1' || v.toUpperCase() === 'ON';
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  return true;
}

/** Whether two stored values are the same bytes (InnoDB compares changed key fields binary). */
function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === null || y === null) return x === y;
  if (Buffer.isBuffer(x) || Buffer.isBuffer(y)) return Buffer.isBuffer(x) && Buffer.isBuffer(y) && x.equals(y);
  if (x instanceof Decimal || x instanceof Temporal || y instanceof Decimal || y instanceof Temporal) return String(x) === String(y);
  return x === y;
}

function columnsOf(def: TableDef, names: readonly string[]): number[] {
  return names.map((n) => def.columns.findIndex((c) => c.name.toLowerCase() === n.toLowerCase()));
}

/** Whether the newest version of `rec` is another transaction's uncommitted change. */
function pendingOther(rec: ClusterRec, trx: InnodbTrx): boolean {
  const h = rec.head;
  return h.trx.commitSeq === Infinity && h.trx !== trx.record;
}

export class ForeignKeyEnforcer {
  constructor(private readonly s: ForeignKeyServices) {}

  /**
   * A row was inserted into `table`: each of its keys must find a parent row.
   * @req INNODB-FK-108 INNODB-FK-109
   */
  inserted(ctx: EngineContext, trx: InnodbTrx, table: InnodbTable, row: Row): MaybePromise<void> {
    const fks = table.def.foreignKeys;
    if (!fks || fks.length === 0 || !foreignKeyChecks(ctx)) return undefined;
    return drive(this.checkChild(ctx, trx, table, null, row, null));
  }

  /**
   * A row of `table` changed from `oldRow` to `newRow`: the children of a changed referenced key
   * follow its rules, and a changed key of the row's own must find a parent.
   * @req INNODB-FK-108 INNODB-FK-110 INNODB-FK-111 INNODB-FK-112
   */
  updated(ctx: EngineContext, trx: InnodbTrx, table: InnodbTable, oldRow: Row, newRow: Row): MaybePromise<void> {
    const children = this.childrenOf(table);
    const own = (table.def.foreignKeys?.length ?? 0) > 0;
    if ((children.length === 0 && !own) || !foreignKeyChecks(ctx)) return undefined;
    return drive(this.statementRow(ctx, trx, table, oldRow, newRow, children));
  }

  /**
   * A row of `table` was deleted: its children follow the ON DELETE rules.
   * @req INNODB-FK-110 INNODB-FK-111 INNODB-FK-112
   */
  deleted(ctx: EngineContext, trx: InnodbTrx, table: InnodbTable, oldRow: Row): MaybePromise<void> {
    const children = this.childrenOf(table);
    if (children.length === 0 || !foreignKeyChecks(ctx)) return undefined;
    return drive(this.statementRow(ctx, trx, table, oldRow, null, children));
  }

  private childrenOf(table: InnodbTable): readonly ChildKey[] {
    if (table.def.temporary) return [];
    return this.s.children(table.def.schema, table.def.name);
  }

  /** The work for the statement's own row: the top of every cascade chain. */
  private *statementRow(ctx: EngineContext, trx: InnodbTrx, table: InnodbTable, oldRow: Row, newRow: Row | null, children: readonly ChildKey[]): Work {
    try {
      yield* this.parentSide(ctx, trx, table, oldRow, newRow, [{ table, isDelete: newRow === null }], children);
      if (newRow) yield* this.checkChild(ctx, trx, table, oldRow, newRow, null);
    } catch (e) {
      if (!(e instanceof CascadeDuplicate)) throw e;
      // The record is the statement row's first index, as the server prints it.
      const row = newRow ?? oldRow;
      const first = table.def.indexes[0];
      const record = first ? first.parts.map((p) => keyValueText(row[p.column] ?? null)).join('-') : '';
      throw sqlError('ER_FOREIGN_DUPLICATE_KEY_WITH_CHILD_INFO', table.def.name, record, e.childTable, e.keyName);
    }
  }

  // -------------------------------------------------------------- the child side

  /** Each key of `row` (changed since `oldRow`, when given) must find its parent row. */
  private *checkChild(ctx: EngineContext, trx: InnodbTrx, table: InnodbTable, oldRow: Row | null, row: Row, skip: string | null): Work {
    for (const fk of table.def.foreignKeys ?? []) {
      if (skip !== null && fk.name === skip) continue;
      if (oldRow && fk.columns.every((c) => sameValue(oldRow[c], row[c]))) continue;
      const values = fk.columns.map((c) => row[c] ?? null);
      if (values.some((v) => v === null)) continue;
      yield* this.findParent(ctx, trx, table, fk, values, row);
    }
  }

  /**
   * Find and share-lock the parent row of `values`, or fail with 1452. The search reads each
   * matching record's newest version after locking it: a parent that another transaction is
   * inserting, changing or deleting is waited for, then judged by what that transaction did.
   * @req INNODB-FK-108 INNODB-FK-109
   */
  private *findParent(ctx: EngineContext, trx: InnodbTrx, child: InnodbTable, fk: ForeignKeyDef, values: Value[], row: Row): Work {
    const childAccess = keyAccess(child, fk.columns, false);
    const childIndex = childAccess?.indexName ?? child.clustered?.name ?? 'GEN_CLUST_INDEX';
    const childColumns = entryColumns(childAccess?.index ?? null, child.clustered);
    const tuple = (): string => tupleText(child.def, childColumns, childColumns.map((c) => row[c] ?? null));
    const parent = this.s.parent(fk.refSchema, fk.refTable);
    const cols = parent ? columnsOf(parent.def, fk.refColumns) : [];
    const access = parent && cols.every((c) => c >= 0) ? keyAccess(parent.table, cols, true) : null;
    if (!parent || !access) {
      this.s.report(ctx, trx, missingParentText(child.def, fk, childIndex, tuple()));
      throw sqlError('ER_NO_REFERENCED_ROW_2', detailedError(child.def, fk));
    }
    const key = keyOf(access, values);
    for (const rec of candidates(access, values)) {
      if (rec.removed) continue;
      if (!pendingOther(rec, trx) && !rowHasKey(access, rec.head.row, key)) continue;
      const r = this.s.lockRecord(ctx, trx, parent.table, rec, 'S');
      if (typeof r !== 'string') yield r;
      if (rec.removed) continue;
      const h = rec.head;
      if (!h.deleted && rowHasKey(access, h.row, key)) return;
    }
    const near = closestRecord(access, values);
    const parentColumns = entryColumns(access.index, parent.table.clustered);
    this.s.report(
      ctx,
      trx,
      addFailureText(child.def, fk, childIndex, tuple(), parent.def, access.indexName, recordText(parent.def, parentColumns, near ? near.head.row : null)),
    );
    throw sqlError('ER_NO_REFERENCED_ROW_2', detailedError(child.def, fk));
  }

  // -------------------------------------------------------------- the parent side

  /**
   * The row of `table` changed its referenced keys (or was deleted: `newRow` null): every key
   * naming the table whose referenced columns changed acts on the child rows of the old key.
   */
  private *parentSide(
    ctx: EngineContext,
    trx: InnodbTrx,
    table: InnodbTable,
    oldRow: Row,
    newRow: Row | null,
    chain: readonly Level[],
    known?: readonly ChildKey[],
  ): Work {
    const children = known ?? this.childrenOf(table);
    for (const c of children) {
      const cols = columnsOf(table.def, c.fk.refColumns);
      if (cols.some((p) => p < 0)) continue;
      const oldValues = cols.map((p) => oldRow[p] ?? null);
      if (oldValues.some((v) => v === null)) continue;
      if (newRow && cols.every((p) => sameValue(oldRow[p], newRow[p]))) continue;
      const newValues = newRow ? cols.map((p) => newRow[p] ?? null) : null;
      yield* this.actOnChildren(ctx, trx, table, cols, c, oldValues, newValues, chain);
    }
  }

  /**
   * The child rows of `c` whose key is `oldValues`: refused, deleted, updated to `newValues`
   * or set to NULL as the key's rule says.
   * @req INNODB-FK-110 INNODB-FK-111 INNODB-FK-112 INNODB-FK-113
   */
  private *actOnChildren(
    ctx: EngineContext,
    trx: InnodbTrx,
    parent: InnodbTable,
    parentCols: readonly number[],
    c: ChildKey,
    oldValues: Value[],
    newValues: Value[] | null,
    chain: readonly Level[],
  ): Work {
    const { fk, table: child } = c;
    const isDelete = newValues === null;
    const rule = isDelete ? fk.onDelete : fk.onUpdate;
    const action = rule === 'CASCADE' ? 'cascade' : rule === 'SET NULL' ? 'null' : 'refuse';
    const access: KeyAccess = keyAccess(child, fk.columns, false) ?? scanAccess(child, fk.columns);
    const key = keyOf(access, oldValues);
    const parentAccess = keyAccess(parent, parentCols, true);
    const parentIndex = parentAccess?.indexName ?? parent.clustered?.name ?? 'GEN_CLUST_INDEX';
    const fail = (what: string, rec: ClusterRec, error: SqlError): never => {
      const childColumns = entryColumns(access.index, child.clustered);
      const tuple = tupleText(parent.def, parentCols as number[], oldValues);
      this.s.report(ctx, trx, parentFailureText(what, child.def, fk, parentIndex, tuple, access.indexName, recordText(child.def, childColumns, rec.head.row)));
      throw error;
    };
    for (const rec of candidates(access, oldValues)) {
      if (rec.removed) continue;
      if (!pendingOther(rec, trx) && (rec.head.deleted || !rowHasKey(access, rec.head.row, key))) continue;
      const r = this.s.lockRecord(ctx, trx, child, rec, action === 'refuse' ? 'S' : 'X');
      if (typeof r !== 'string') yield r;
      if (rec.removed) continue;
      const h = rec.head;
      // Gone or changed meanwhile, or already deleted by this very cascade (a cycle of rows).
      if (h.deleted || !rowHasKey(access, h.row, key)) continue;
      const referenced = (): SqlError => sqlError('ER_ROW_IS_REFERENCED_2', detailedError(c.def, fk));
      if (action === 'refuse') {
        const what = fk.onDelete === 'RESTRICT' && fk.onUpdate === 'RESTRICT' ? 'Trying to delete or update' : isDelete ? 'Trying to delete' : 'Trying to update';
        fail(what, rec, referenced());
      }
      const deletes = isDelete && action === 'cascade';
      if (!deletes && chain.some((l) => l.table === child && !l.isDelete)) {
        fail('Trying an update, possibly causing a cyclic cascaded update\nin the child table,', rec, referenced());
      }
      if (chain.length >= FK_MAX_CASCADE_DEPTH) {
        fail('Trying a too deep cascaded delete or update\n', rec, sqlError('ER_FK_DEPTH_EXCEEDED', FK_MAX_CASCADE_DEPTH));
      }
      const level: Level = { table: child, isDelete: deletes };
      const old = h.row;
      if (deletes) {
        this.s.deleteRow(trx, child, rec);
        yield* this.parentSide(ctx, trx, child, old, null, [...chain, level]);
        continue;
      }
      const next = old.slice();
      for (let i = 0; i < fk.columns.length; i++) {
        const col = fk.columns[i]!;
        const v = action === 'null' ? null : newValues![i]!;
        if (v === null && !(c.def.columns[col]?.nullable ?? true)) {
          fail(
            'Trying a cascaded update where the updated value in the child\ntable would not fit in the length of the column, or the value would\nbe NULL and the column is declared as not NULL in the child table,',
            rec,
            referenced(),
          );
        }
        next[col] = v;
      }
      if (fk.columns.every((col) => sameValue(old[col], next[col]))) continue;
      try {
        const u = this.s.updateRow(ctx, trx, child, rec, next);
        if (u instanceof Promise) yield u;
      } catch (e) {
        if (e instanceof SqlError && e.errno === 1062) throw new CascadeDuplicate(c.def.name, /for key '(?:[^']*?\.)?([^'.]*)'$/.exec(e.message)?.[1] ?? '');
        throw e;
      }
      yield* this.parentSide(ctx, trx, child, old, next, [...chain, level]);
      // The child's other keys over the changed columns must still find parents; the key being
      // cascaded is skipped (its parent row is the one half way through its change).
      yield* this.checkChild(ctx, trx, child, old, next, fk.name);
    }
  }
}
