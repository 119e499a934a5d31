/**
 * Row handles of a FEDERATED table. The remote has no row addresses to give out (MySQL's
 * ha_federated positions a row inside one buffered result only), but the server keeps a row's
 * handle from reading the row to changing it and tells rows apart by their handles (a
 * multi-table DELETE or UPDATE visits a row once, however often a join meets it). So a handle
 * is given to the row's identity here: its primary key values when the table has a primary key,
 * else all of its values (rows a keyless table holds twice are told apart by their order within
 * a read). The same remote row then gets the same handle from every read, from the INSERT that
 * wrote it, and after an UPDATE through this table, as the engine contract asks.
 *
 * The map grows with the rows the table has seen; it is emptied by TRUNCATE and dropped with the
 * handler. A row changed on the remote by another client is a new row here (a new handle).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-usagenotes.html (16.8.3)
 * @req FEDERATED-076 CORE-ENG-014
 */
import type { Row, Value } from '../../kernel/value.js';

/** A value as a key part: integers of either JavaScript type compare equal, bytes as hex. */
function valueKey(v: Value): string {
  if (v === null) return 'N';
  if (typeof v === 'bigint' || typeof v === 'number') return 'n' + String(v);
  if (Buffer.isBuffer(v)) return 'x' + v.toString('hex');
  return 's' + String(v);
}

export class RowHandles {
  private next = 1;
  /** Handles by row identity; more than one only for equal rows of a keyless table. */
  private readonly byKey = new Map<string, number[]>();

  /** `keyColumns`: the primary key's column positions, or null to identify rows by all values. */
  constructor(private readonly keyColumns: readonly number[] | null) {}

  private keyOf(row: Row): string {
    const cols = this.keyColumns;
    const values = cols ? cols.map((c) => row[c] ?? null) : row;
    return values.map(valueKey).join('\u0001');
  }

  /** A handle for a row about to be written (registered once the write succeeded). */
  allocate(): number {
    return this.next++;
  }

  /** A written row has `id`. `keepExisting`: an INSERT IGNORE may have kept the row already there. */
  add(row: Row, id: number, keepExisting = false): void {
    const k = this.keyOf(row);
    const list = this.byKey.get(k);
    if (this.keyColumns) {
      // One row per primary key: the latest write owns it.
      if (!(keepExisting && list && list.length > 0)) this.byKey.set(k, [id]);
    } else if (list) list.push(id);
    else this.byKey.set(k, [id]);
  }

  /** The handles of one read's rows, in the order the read returned them. */
  assign(rows: readonly Row[]): number[] {
    const seen = new Map<string, number>();
    return rows.map((row) => {
      const k = this.keyOf(row);
      const nth = seen.get(k) ?? 0;
      seen.set(k, nth + 1);
      let list = this.byKey.get(k);
      if (!list) this.byKey.set(k, (list = []));
      if (this.keyColumns) return list[0] ?? this.push(list);
      return list[nth] ?? this.push(list);
    });
  }

  private push(list: number[]): number {
    const id = this.next++;
    list.push(id);
    return id;
  }

  /** The row under `id` was changed from `oldRow` to `newRow`: the handle follows it. */
  moved(id: number, oldRow: Row, newRow: Row): void {
    this.removed(id, oldRow);
    this.add(newRow, id);
  }

  /** The row under `id` was deleted. */
  removed(id: number, row: Row): void {
    const k = this.keyOf(row);
    const list = this.byKey.get(k);
    if (!list) return;
    if (this.keyColumns) {
      this.byKey.delete(k);
      return;
    }
    const at = list.indexOf(id);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.byKey.delete(k);
  }

  /** The table was emptied. */
  clear(): void {
    this.byKey.clear();
  }
}
