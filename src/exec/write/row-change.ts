/**
 * Row changes as the rest of the server observes them. Every row an INSERT, UPDATE, DELETE,
 * REPLACE, LOAD DATA or ALTER TABLE copy writes passes through the table writer, which tells the
 * registered observers after the engine accepted the change: the binary log (row events,
 * grouped per transaction until commit), the memcached plugin's cache, a replica applier's
 * bookkeeping. Observers see the change in the order the session made them.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/binary-log.html (5.4.4)
 * @req CORE-WRITE-002
 */
import type { TableDef } from '../../kernel/table-def.js';
import type { Row } from '../../kernel/value.js';

export type RowChange =
  | { readonly kind: 'insert'; readonly table: TableDef; readonly after: Row }
  | { readonly kind: 'update'; readonly table: TableDef; readonly before: Row; readonly after: Row }
  | { readonly kind: 'delete'; readonly table: TableDef; readonly before: Row }
  /** Every row of the table removed at once (TRUNCATE). */
  | { readonly kind: 'truncate'; readonly table: TableDef };

/** Who made a change: the connection, and whether the engine can still roll it back. */
export interface ChangeOrigin {
  readonly connectionId: number;
  /** The table's engine is transactional: the change is final only at commit. */
  readonly transactional: boolean;
  /**
   * Why the row changed: a statement changing data ('dml': INSERT, UPDATE, DELETE, REPLACE,
   * CREATE TABLE ... SELECT), or an ALTER TABLE copying rows into the table's new storage
   * ('copy', which changes no data: the binary log writes the ALTER itself, not its rows).
   */
  readonly purpose: 'dml' | 'copy';
}

/** Something that wants to know about row changes (registered once, server-wide). */
export interface RowChangeObserver {
  rowChanged(origin: ChangeOrigin, change: RowChange): void;
}

/** The server's observers; the table writer notifies every one of them. */
export class RowChangeObservers {
  private readonly list: RowChangeObserver[] = [];

  add(o: RowChangeObserver): () => void {
    this.list.push(o);
    return () => {
      const i = this.list.indexOf(o);
      if (i >= 0) this.list.splice(i, 1);
    };
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  notify(origin: ChangeOrigin, change: RowChange): void {
    for (const o of this.list) o.rowChanged(origin, change);
  }
}
