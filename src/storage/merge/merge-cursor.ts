/**
 * Reading a MERGE table: one cursor over its children. A scan reads the children one after the
 * other, in UNION order (the manual's worked example shows t1's rows, then t2's). An index read
 * asks every child and hands the rows back in the index's order over all of them, which is what
 * the server expects of a B-tree read; rows with equal keys keep the children's order.
 *
 * A row's handle names its child and the child's own handle, so that UPDATE and DELETE go to
 * the row where it lives.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/merge-table-advantages.html (16.7.1)
 * @req MERGE-008 MERGE-014 MERGE-066
 */
import type { IndexDef, TableDef } from '../../kernel/table-def.js';
import type { Row } from '../../kernel/value.js';
import type { MaybePromise, RowCursor, RowId, RowRef, TableHandler } from '../handler.js';
import { compareKeys, indexKeySpecs, keyPart, type KeyPart, type KeyPartSpec } from '../keys.js';

/** A child table as the MERGE table uses it: its definition and the server's handler. */
export interface OpenChild {
  def: TableDef;
  handler: TableHandler;
}

/** The handle of a child's row as the MERGE table hands it out: `<child>:<kind><id>`. */
export function encodeRowId(child: number, id: RowId): string {
  const kind = typeof id === 'number' ? 'n' : typeof id === 'bigint' ? 'b' : 's';
  return `${child}:${kind}${String(id)}`;
}

export function decodeRowId(id: RowId): { child: number; id: RowId } {
  const s = String(id);
  const colon = s.indexOf(':');
  const child = Number(s.slice(0, colon));
  const kind = s[colon + 1];
  const text = s.slice(colon + 2);
  return { child, id: kind === 'n' ? Number(text) : kind === 'b' ? BigInt(text) : text };
}

/** The index order an index read must keep. */
export interface MergeOrder {
  def: TableDef;
  index: IndexDef;
  reverse: boolean;
}

export class MergeCursor implements RowCursor {
  private kids: OpenChild[] | null = null;
  private pending: Promise<OpenChild[]> | null = null;
  private at = 0;
  /** Per child: the row looked at next (undefined: to fetch; null: the child is done). */
  private heads: ({ ref: RowRef } | null | undefined)[] = [];
  private specs: KeyPartSpec[] | null = null;
  private closed = false;

  /** Every child's cursor, opened together when the children are known, so that the read sees
   *  each child as it was then (rows added to a later child meanwhile are not returned). */
  private cursors: RowCursor[] = [];

  constructor(
    children: MaybePromise<OpenChild[]>,
    private readonly open: (child: OpenChild) => RowCursor,
    private readonly order: MergeOrder | null,
  ) {
    if (children instanceof Promise) this.pending = children;
    else this.start(children);
  }

  private start(kids: OpenChild[]): void {
    this.kids = kids;
    this.cursors = kids.map((k) => this.open(k));
  }

  fill(out: RowRef[], max: number): MaybePromise<number> {
    if (this.closed) return 0;
    if (!this.kids) {
      return this.pending!.then((k) => {
        this.start(k);
        return this.fill(out, max);
      });
    }
    if (this.order) return this.fillOrdered(out, max);
    return this.fillSequential(out, max, 0);
  }

  /** Rows a child returned, relabelled; an empty batch means the child is done. */
  private absorb(batch: RowRef[], out: RowRef[]): number {
    const child = this.at;
    for (const r of batch) out.push({ id: encodeRowId(child, r.id), row: r.row });
    if (batch.length === 0) {
      this.cursors[this.at]?.close();
      this.at++;
    }
    return batch.length;
  }

  private fillSequential(out: RowRef[], max: number, n: number): MaybePromise<number> {
    while (n < max && this.at < this.cursors.length) {
      const batch: RowRef[] = [];
      const r = this.cursors[this.at]!.fill(batch, max - n);
      if (typeof r !== 'number') {
        return r.then(() => {
          const got = n + this.absorb(batch, out);
          return got > 0 ? got : this.fillSequential(out, max, got);
        });
      }
      n += this.absorb(batch, out);
    }
    return n;
  }

  /**
   * An index read over several children is a merge of their ordered reads: each child's next
   * row is looked at (one row of lookahead per child, as MySQL's MERGE keeps a read buffer per
   * child) and the smallest key goes out, children in UNION order on equal keys. A single child
   * is read straight through.
   */
  private fillOrdered(out: RowRef[], max: number): MaybePromise<number> {
    if (this.cursors.length === 1) return this.fillSequential(out, max, 0);
    let n = 0;
    while (n < max) {
      const waiting = this.fetchHeads();
      if (waiting) return waiting.then(() => (n > 0 ? n : this.fillOrdered(out, max)));
      let best = -1;
      for (let i = 0; i < this.heads.length; i++) {
        const h = this.heads[i];
        if (!h) continue;
        if (best < 0 || this.compareRows(h.ref.row, this.heads[best]!.ref.row) < 0) best = i;
      }
      if (best < 0) break;
      out.push({ id: encodeRowId(best, this.heads[best]!.ref.id), row: this.heads[best]!.ref.row });
      this.heads[best] = undefined;
      n++;
    }
    return n;
  }

  /** Look at the next row of every child whose row went out; a promise when one waits. */
  private fetchHeads(): Promise<void> | null {
    if (this.heads.length === 0) this.heads = this.cursors.map(() => undefined);
    for (let i = 0; i < this.cursors.length; i++) {
      if (this.heads[i] !== undefined) continue;
      const batch: RowRef[] = [];
      const r = this.cursors[i]!.fill(batch, 1);
      const take = (): void => {
        this.heads[i] = batch.length > 0 ? { ref: batch[0]! } : null;
      };
      if (typeof r !== 'number') return r.then(take).then(() => this.fetchHeads() ?? undefined);
      take();
    }
    return null;
  }

  /** Index order of two rows (the read's direction included). */
  private compareRows(a: Row, b: Row): number {
    const { def, index, reverse } = this.order!;
    this.specs ??= indexKeySpecs(def, index);
    const specs = this.specs;
    const key = (r: Row): KeyPart[] => index.parts.map((p, i) => keyPart(r[p.column] ?? null, specs[i]!));
    const c = compareKeys(key(a), key(b), specs);
    return reverse ? -c : c;
  }

  close(): void {
    this.closed = true;
    for (const c of this.cursors) c.close();
    this.cursors = [];
    this.heads = [];
  }
}
