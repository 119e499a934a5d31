/**
 * The read views of a table that takes concurrent inserts (MyISAM, CSV): while a connection holds
 * a read lock, it sees only the rows that were there when the lock was granted, and rows a
 * concurrent insert appends after that stay out of its reads until its last read lock goes. A
 * view is a mark in the engine's own insertion order (MyISAM: a row's birth number, CSV: its row
 * number); nested read locks of one connection share the first one's view.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/concurrent-inserts.html (8.11.3)
 * @req MYISAM-021 CSV-015 CORE-ENG-028
 */
export class ReadViews {
  private readonly views = new Map<number, { mark: number; depth: number }>();

  /** A read lock of `conn` was granted: fix its view at `mark`, unless one is open. */
  start(conn: number, mark: number): void {
    const v = this.views.get(conn);
    if (v) v.depth++;
    else this.views.set(conn, { mark, depth: 1 });
  }

  /** One read lock of `conn` was released; the last one ends its view. */
  end(conn: number): void {
    const v = this.views.get(conn);
    if (!v) return;
    if (--v.depth <= 0) this.views.delete(conn);
  }

  /** The mark `conn` reads up to, or undefined when it has no view. */
  markOf(conn: number): number | undefined {
    return this.views.get(conn)?.mark;
  }

  /** Whether some connection reads through a view (a concurrent insert must then append). */
  get active(): boolean {
    return this.views.size > 0;
  }
}
