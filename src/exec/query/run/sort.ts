/**
 * ORDER BY: rows sorted by their key values, ties kept in arrival order. With a LIMIT the sorter
 * keeps only the first offset+count rows seen so far in a bounded heap (top-N), so ORDER BY ...
 * LIMIT n over a big table holds about n rows, not the table.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/limit-optimization.html
 * @req CORE-EXEC-034 CORE-CONC-011 CORE-PERF-049
 */
import type { Row, Value } from '../../../kernel/value.js';
import { compareValues } from '../compare.js';
import { stringComparator } from '../../../kernel/charset/index.js';

interface Entry<T> {
  row: T;
  key: Value[];
  seq: number;
}

export class Sorter<T = Row> {
  private readonly entries: Entry<T>[] = [];
  private seq = 0;
  /** Per key part, how two strings compare (the collation looked up once). CORE-PERF-049 */
  private readonly strings: ((a: string, b: string) => number)[];

  constructor(
    /** Rows to keep (offset + count), or -1 for all. */
    private readonly keep: number,
    private readonly desc: readonly boolean[],
    private readonly collations: readonly (string | undefined)[],
  ) {
    this.strings = desc.map((_, i) => stringComparator(collations[i]));
  }

  /** Rows held now (at most `keep` when there is a limit). */
  get held(): number {
    return this.entries.length;
  }

  /** Under a limit, as many rows are held as are kept: a new row must beat one of them. */
  get full(): boolean {
    return this.keep >= 0 && this.entries.length >= this.keep;
  }

  /**
   * Whether `key` sorts strictly after every row held, on its first `n` parts alone (a tie
   * there is not after: a later part may still put the row first). Only meaningful when
   * {@link full}; with nothing held, nothing is after.
   */
  sortsAfterKept(key: readonly Value[], n: number): boolean {
    const worst = this.entries[0];
    if (!worst || this.keep < 0) return false;
    const parts = Math.min(n, this.desc.length);
    for (let i = 0; i < parts; i++) {
      const c = compareValues(key[i]!, worst.key[i]!, this.collations[i]);
      if (c !== 0) return this.desc[i] ? c < 0 : c > 0;
    }
    return false;
  }

  push(row: T, key: Value[]): void {
    const e: Entry<T> = { row, key, seq: this.seq++ };
    const keep = this.keep;
    if (keep < 0) {
      this.entries.push(e);
      return;
    }
    if (keep === 0) return;
    const h = this.entries;
    if (h.length < keep) {
      h.push(e);
      this.siftUp(h.length - 1);
    } else if (this.cmp(e, h[0]!) < 0) {
      // Better than the worst row kept: it takes that row's place.
      h[0] = e;
      this.siftDown(0);
    }
  }

  /** The rows kept, in order. */
  result(): T[] {
    const sorted = this.entries.slice().sort((a, b) => this.cmp(a, b));
    return sorted.map((e) => e.row);
  }

  /** Key order, then arrival order (a stable sort). */
  private cmp(a: Entry<T>, b: Entry<T>): number {
    const n = this.desc.length;
    for (let i = 0; i < n; i++) {
      const x = a.key[i]!;
      const y = b.key[i]!;
      const c = typeof x === 'string' && typeof y === 'string' ? this.strings[i]!(x, y) : compareValues(x, y, this.collations[i]);
      if (c !== 0) return this.desc[i] ? -c : c;
    }
    return a.seq - b.seq;
  }

  // A max-heap: the root is the row that sorts last among those kept.
  private siftUp(i: number): void {
    const h = this.entries;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.cmp(h[i]!, h[p]!) <= 0) return;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private siftDown(i: number): void {
    const h = this.entries;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.cmp(h[l]!, h[m]!) > 0) m = l;
      if (r < h.length && this.cmp(h[r]!, h[m]!) > 0) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

/** Sort rows by precomputed keys, ties in their order (set operations, VALUES). */
export function sortRows(rows: Row[], keys: Value[][], desc: boolean[], collations: (string | undefined)[]): Row[] {
  const s = new Sorter(-1, desc, collations);
  for (let i = 0; i < rows.length; i++) s.push(rows[i]!, keys[i]!);
  const out = s.result();
  for (let i = 0; i < out.length; i++) rows[i] = out[i]!;
  return rows;
}
