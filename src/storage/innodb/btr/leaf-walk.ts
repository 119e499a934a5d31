/**
 * A resumable walk over the leaves of a B+tree between two bounds, a leaf's worth of entries at a
 * time: what a cursor reads a table through. Each batch is found afresh from the root by the last
 * key the walk handed out, so a walk that let other work run between two batches never depends
 * on a page it read earlier still being what it was: a checkpoint may have split or freed it
 * meanwhile. Within one batch the walk may also have to wait for pages, and a writer may change
 * the tree while it waits; so, as the tree's own range scan does (btr/btree.ts, its module
 * comment), it trusts a page read before a wait only while the page's `gen` is what it was: a
 * descent that waited checks its whole path at the end and starts over if anything on it
 * changed, and a hop to a sibling that waited checks the leaf it left (unchanged, its link still
 * named the page just read, so the two were neighbours at that moment). Without that, a reverse
 * walk that waited for a leaf while the leaf split would miss the entries the split moved into
 * the new page on its right. It answers synchronously whenever the pages it needs are in the
 * buffer pool (or the store reads synchronously), with a promise otherwise.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-physical-structure.html (15.6.2.2)
 * @req INNODB-BTR-103
 */
import type { KeyPart } from '../../keys.js';
import { FIL_NULL } from '../page/limits.js';
import type { BtrPage, KeyCompare, LeafEntry, LeafPage } from './page-store.js';

export interface WalkBound {
  key: KeyPart[];
  inclusive: boolean;
}

export interface WalkOptions {
  low?: WalkBound | undefined;
  high?: WalkBound | undefined;
  reverse?: boolean | undefined;
}

export type PageGetter = (pageNo: number) => BtrPage | Promise<BtrPage>;

type Step<T> = T | Promise<T>;

function then<T, U>(v: Step<T>, f: (x: T) => Step<U>): Step<U> {
  return v instanceof Promise ? v.then(f) : f(v);
}

function noop(): void {}

/** A page as the walk read it, with its gen at that moment. */
interface Seen {
  no: number;
  page: BtrPage;
  gen: number;
}

/** A leaf as the walk read it. */
interface SeenLeaf extends Seen {
  page: LeafPage;
}

/** Leaves a walk may pass without handing out an entry (or restarts it may make) before it gives up. */
const MAX_HOPS = 1_000_000;

/**
 * The last index in [1, length) whose entry satisfies `pred`, or 0: `pred` holds for a prefix of
 * the separators (they are sorted), so a binary search finds its end. The first separator is a
 * placeholder and never compared.
 */
function lastWhere<T>(e: readonly T[], pred: (x: T) => boolean): number {
  let lo = 1;
  let hi = e.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(e[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export class LeafWalker {
  /** Full key of the last entry handed out. */
  private last: KeyPart[] | null = null;
  private done = false;

  constructor(
    private readonly get: PageGetter,
    private readonly root: number,
    private readonly compare: KeyCompare,
    private readonly opts: WalkOptions = {},
  ) {}

  /** Whether `k` is past the far end of the range (in walk direction). */
  private pastEnd(k: readonly KeyPart[]): boolean {
    const { high, low, reverse } = this.opts;
    if (!reverse) {
      if (!high) return false;
      const c = this.compare(k, high.key);
      return high.inclusive ? c > 0 : c >= 0;
    }
    if (!low) return false;
    const c = this.compare(k, low.key);
    return low.inclusive ? c < 0 : c <= 0;
  }

  /** Whether `k` is before the near end of the range, or at/before the last key handed out. */
  private beforeStart(k: readonly KeyPart[]): boolean {
    const { low, high, reverse } = this.opts;
    if (!reverse) {
      if (this.last) return this.compare(k, this.last) <= 0;
      if (!low) return false;
      const c = this.compare(k, low.key);
      return low.inclusive ? c < 0 : c <= 0;
    }
    if (this.last) return this.compare(k, this.last) >= 0;
    if (!high) return false;
    const c = this.compare(k, high.key);
    return high.inclusive ? c > 0 : c >= 0;
  }

  /** The child of a node to descend into towards the walk's next position. */
  private childOf(node: Extract<BtrPage, { kind: 'node' }>): number {
    const e = node.entries;
    const { low, high, reverse } = this.opts;
    // target key and whether entries equal to it (as a prefix) are wanted
    let key: readonly KeyPart[] | null;
    let wantEqual: boolean;
    if (!reverse) {
      if (this.last) [key, wantEqual] = [this.last, false];
      else if (low) [key, wantEqual] = [low.key, low.inclusive];
      else return e[0]!.child;
      // forward: wanting equal keys, go left of the first separator equal to the key
      const k = key;
      const eq = !wantEqual;
      return e[lastWhere(e, (x) => {
        const c = this.compare(x.key, k);
        return c < 0 || (c === 0 && eq);
      })]!.child;
    }
    if (this.last) [key, wantEqual] = [this.last, false];
    else if (high) [key, wantEqual] = [high.key, high.inclusive];
    else return e[e.length - 1]!.child;
    // reverse: the last child whose separator is below the key (or equal, when equal keys are wanted)
    const k = key;
    const eq = wantEqual;
    return e[lastWhere(e, (x) => {
      const c = this.compare(x.key, k);
      return c < 0 || (c === 0 && eq);
    })]!.child;
  }

  /**
   * Whether a page read before a wait is still what the walk read: its gen has not moved and,
   * when the getter answers at once, it is still the page's object. A getter that answers with a
   * promise (the page left memory) gives no object to compare: then the gen is all there is.
   */
  private current(s: Seen): boolean {
    if (s.page.gen !== s.gen) return false;
    const got = this.get(s.no);
    if (got instanceof Promise) {
      got.catch(noop);
      return true;
    }
    return got === s.page;
  }

  /**
   * The leaf for the walk's next position. A page that cannot be where the descent found it (a
   * node without entries, or a level that is not one below its parent's: a stale pointer to a
   * page reused elsewhere) ends the descent; when the descent waited for a page, its whole path
   * is checked at the end (synchronously, so it is consistent at that moment) and it starts over
   * from the root if anything on it changed. A broken page on a path that holds is corruption.
   */
  private descend(): Step<SeenLeaf> {
    const path: Seen[] = [];
    let waited = false;
    const down = (no: number, level: number): Step<SeenLeaf | null> => {
      const got = this.get(no);
      if (got instanceof Promise) waited = true;
      return then(got, (p) => {
        const s: Seen = { no, page: p, gen: p.gen };
        path.push(s);
        const at = p.kind === 'leaf' ? 0 : p.level;
        if (level >= 0 && at !== level) return null;
        if (p.kind === 'leaf') return s as SeenLeaf;
        if (p.entries.length === 0 || at < 1) return null;
        return down(this.childOf(p), at - 1);
      });
    };
    return then(down(this.root, -1), (leaf) => {
      if (waited && !path.every((s) => this.current(s))) return this.descend();
      if (!leaf) throw new Error(`B+tree rooted at page ${this.root}: page ${path[path.length - 1]!.no} is broken (no entries, or not one level below its parent)`);
      return leaf;
    });
  }

  /** The entries of `leaf` the walk wants next, in walk order; `end` when the range is over. */
  private take(leaf: LeafPage): { batch: LeafEntry[]; end: boolean } {
    const es = leaf.entries;
    const batch: LeafEntry[] = [];
    const rev = this.opts.reverse === true;
    // Entries before the start form a prefix in walk order: skip it by binary search.
    let lo = 0;
    let hi = es.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.beforeStart(es[rev ? es.length - 1 - mid : mid]!.key)) lo = mid + 1;
      else hi = mid;
    }
    for (let n = lo; n < es.length; n++) {
      const e = es[rev ? es.length - 1 - n : n]!;
      if (this.pastEnd(e.key)) return { batch, end: true };
      batch.push(e);
    }
    return { batch, end: false };
  }

  /** Go on from the leaf a descent found; if the descent waited, the leaf is checked once more
   *  right before it is used (other work may have run between the descent's end and now). */
  private fromDescent(leaf: Step<SeenLeaf>, hops: number): Step<LeafEntry[] | null> {
    return leaf instanceof Promise ? leaf.then((l) => this.from(l, hops, true)) : this.from(leaf, hops, false);
  }

  /** Find the walk's position again from the root, and go on from there. */
  private restart(hops: number): Step<LeafEntry[] | null> {
    return this.fromDescent(this.descend(), hops + 1);
  }

  /**
   * The next batch from `s` on: its entries the walk wants, else those of the leaves after it
   * (before it, in reverse). With `recheck` (there may have been a wait since `s` was read) its
   * entries are used only if it is still current, otherwise the walk finds its place again.
   */
  private from(s: SeenLeaf, hops: number, recheck: boolean): Step<LeafEntry[] | null> {
    if (hops > MAX_HOPS) {
      this.done = true;
      return null;
    }
    if (recheck && !this.current(s)) return this.restart(hops);
    const leaf = s.page;
    const { batch, end } = this.take(leaf);
    if (batch.length > 0) {
      this.last = batch[batch.length - 1]!.key;
      if (end) this.done = true;
      return batch;
    }
    const sibling = this.opts.reverse ? leaf.prev : leaf.next;
    if (end || sibling === FIL_NULL) {
      this.done = true;
      return null;
    }
    const got = this.get(sibling);
    return then(got, (p) => {
      // After a wait the link may be stale: the page read is the neighbour only if the leaf
      // holding the link is unchanged now (a split or free of either page changes that leaf).
      if (got instanceof Promise && !this.current(s)) return this.restart(hops);
      if (p.kind !== 'leaf') throw new Error(`B+tree rooted at page ${this.root}: page ${sibling} next to leaf ${s.no} is not a leaf`);
      return this.from({ no: sibling, page: p, gen: p.gen }, hops + 1, false);
    });
  }

  /** The next entries (one leaf's worth, at least one), or null when the range is exhausted. */
  next(): Step<LeafEntry[] | null> {
    if (this.done) return null;
    return this.fromDescent(this.descend(), 0);
  }
}
