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
import type { MaybePromise, RowCursor, RowId, RowRef, TableHandler } from '../handler.js';
import { compareKeys, indexKeySpecs, keyPart, type KeyPart } from '../keys.js';

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

/** Fill `into` from `cursor` until it ends; a promise only when the child waits. */
function drainInto(cursor: RowCursor, into: RowRef[]): MaybePromise<void> {
  for (;;) {
    const before = into.length;
    const n = cursor.fill(into, 256);
    if (typeof n !== 'number') {
      return n.then((k) => {
        if (k === 0 || into.length === before) return;
        return drainInto(cursor, into);
      });
    }
    if (n === 0 || into.length === before) return;
  }
}

export class MergeCursor implements RowCursor {
  private kids: OpenChild[] | null = null;
  private pending: Promise<OpenChild[]> | null = null;
  private at = 0;
  private current: RowCursor | null = null;
  private sorted: RowRef[] | null = null;
  private pos = 0;
  private closed = false;

  constructor(
    children: MaybePromise<OpenChild[]>,
    private readonly open: (child: OpenChild) => RowCursor,
    private readonly order: MergeOrder | null,
  ) {
    if (children instanceof Promise) this.pending = children;
    else this.kids = children;
  }

  fill(out: RowRef[], max: number): MaybePromise<number> {
    if (this.closed) return 0;
    if (!this.kids) {
      return this.pending!.then((k) => {
        this.kids = k;
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
      this.current?.close();
      this.current = null;
      this.at++;
    }
    return batch.length;
  }

  private fillSequential(out: RowRef[], max: number, n: number): MaybePromise<number> {
    const kids = this.kids!;
    while (n < max && this.at < kids.length) {
      this.current ??= this.open(kids[this.at]!);
      const batch: RowRef[] = [];
      const r = this.current.fill(batch, max - n);
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

  private fillOrdered(out: RowRef[], max: number): MaybePromise<number> {
    if (!this.sorted) {
      const done = this.collect();
      if (done instanceof Promise) return done.then(() => this.fillOrdered(out, max));
    }
    const rows = this.sorted!;
    let n = 0;
    while (n < max && this.pos < rows.length) {
      out.push(rows[this.pos++]!);
      n++;
    }
    return n;
  }

  /** Every child's matching rows, then one stable sort on the index's key. */
  private collect(): MaybePromise<void> {
    const kids = this.kids!;
    const all: RowRef[] = [];
    const step = (i: number): MaybePromise<void> => {
      for (; i < kids.length; i++) {
        const batch: RowRef[] = [];
        const cursor = this.open(kids[i]!);
        const child = i;
        const finish = (): void => {
          cursor.close();
          for (const r of batch) all.push({ id: encodeRowId(child, r.id), row: r.row });
        };
        const d = drainInto(cursor, batch);
        if (d instanceof Promise) {
          return d.then(() => {
            finish();
            return step(child + 1);
          });
        }
        finish();
      }
      this.sorted = this.sort(all);
    };
    return step(0);
  }

  private sort(rows: RowRef[]): RowRef[] {
    const { def, index, reverse } = this.order!;
    const specs = indexKeySpecs(def, index);
    const keyed = rows.map((r) => ({ r, k: index.parts.map((p, i): KeyPart => keyPart(r.row[p.column] ?? null, specs[i]!)) }));
    keyed.sort((a, b) => compareKeys(a.k, b.k, specs));
    if (reverse) keyed.reverse();
    return keyed.map((x) => x.r);
  }

  close(): void {
    this.closed = true;
    this.current?.close();
    this.current = null;
    this.sorted = null;
  }
}
