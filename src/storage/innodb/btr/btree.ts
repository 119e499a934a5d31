/**
 * A B+tree over decoded index pages ({@link PageStore}): the structure InnoDB keeps every index
 * in. Leaves hold the entries (key and value) in key order and are linked both ways; node pages
 * hold one pointer per child, keyed by the smallest key the child may hold, except that the
 * first pointer's key is a placeholder (InnoDB flags that record as the minimum record): the
 * first child takes every key below the second pointer's, so the placeholder is never compared
 * and need not be updated when smaller keys arrive or the pointer before it goes. The root's page
 * number never changes (the dictionary records it once): when the root fills up its content
 * moves down into two new pages and the root becomes a node one level higher, as in InnoDB.
 *
 * Concurrency model. The caller runs one writer at a time (upsert, remove, drop); readers
 * (lookup, first, range, validate) may run whenever the writer awaits. A writer does all its
 * page reads first and then changes every page it touches in one synchronous stretch, so a
 * reader never sees half an operation. What a reader can see is a tree that changed while *it*
 * awaited a page. So a reader records (page number, object, gen) for every page it read, and
 * trusts a page object only while its gen is what it was (and, when the store answers
 * synchronously, `store.get(no)` still returns that object). That rests on this contract:
 *
 *   A page object's `gen` moves whenever the object stops being the current content of its
 *   page. The tree increments it on every page it changes, on a root object it replaces, and on
 *   pages it frees. The store must increment it on an object it drops from memory (eviction)
 *   and on the object it held when `modified()` installs a different one for that page number;
 *   `modified()` may increment it too, but must never reset it. A page read back from disk is a
 *   new object (its gen starting anywhere).
 *
 * With that:
 *
 *  - a descent that had to await re-checks its whole path afterwards and starts again from the
 *    root if anything on it changed;
 *  - a scan, before it follows a leaf's prev/next link (and again after awaiting the page it
 *    leads to), checks the leaf it is leaving; if that leaf changed it descends again from the
 *    root to the first key after (before, in reverse) the last key it yielded. A leaf that is
 *    unchanged still holds exactly the tree's keys between its neighbours, so nothing is
 *    skipped, and resuming after the last key yielded means nothing is yielded twice.
 *
 * Pages are never merged: a leaf is freed only when its last entry goes, a node only when its
 * last child goes. Half-empty pages stay half empty (InnoDB merges below a fill factor; we keep
 * the tree simpler and accept the space).
 *
 * Keys are compared by the tree's `compare`, which compares over the shorter of two keys, so a
 * shorter key is a prefix bound. All keys stored in one tree are full keys of the same arity, and
 * two stored keys that compare equal are the same entry.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-physical-structure.html (15.6.2.2 The Physical Structure of an InnoDB Index)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/check-table.html (CHECK TABLE)
 * @req INNODB-BTR-101 INNODB-BTR-102 INNODB-BTR-103 INNODB-BTR-106
 */
import type { KeyPart } from '../../keys.js';
import { btrPageCapacity, computeBtrPageBytes, entryBytes, maxBtrEntryBytes } from '../page/btr-page.js';
import { FIL_NULL } from '../page/limits.js';
import { decodeKey } from './key-codec.js';
import type { BtrPage, KeyCompare, LeafEntry, LeafPage, NodeEntry, NodePage, PageStore } from './page-store.js';

/** One end of a range: a full key or a key prefix. */
export interface RangeBound {
  key: readonly KeyPart[];
  inclusive: boolean;
}

export interface RangeOptions {
  /** Entries whose key (over the bound's length) is >= key, or > key when not inclusive. */
  low?: RangeBound;
  /** Entries whose key (over the bound's length) is <= key, or < key when not inclusive. */
  high?: RangeBound;
  /** Descending key order. */
  reverse?: boolean;
}

/** What {@link Btree.validate} found. */
export interface BtreeCheck {
  entries: number;
  pages: number;
  leaves: number;
  problems: string[];
}

/** A page as a reader saw it: trustworthy while the store still returns `page` with this `gen`. */
interface Step {
  no: number;
  page: BtrPage;
  gen: number;
  /** On a node: the index of the child the descent took. */
  idx: number;
}

/**
 * Where a descent goes. With a key, each node sends it to the last child whose separator is
 * < key (strict) or <= key (not strict); the first child's separator never counts. Without a key,
 * to the leftmost leaf, or the rightmost when `right`.
 */
interface Target {
  key: readonly KeyPart[] | null;
  strict: boolean;
  right?: boolean;
}

/** The descent reached a leaf / a page that cannot be where it is (stale or corrupt). */
const AT_LEAF = -1;
const BROKEN = -2;

function isPromise<T>(x: T | Promise<T>): x is Promise<T> {
  return typeof (x as { then?: unknown }).then === 'function';
}

function noop(): void {}

function leafOf(s: Step): LeafPage {
  if (s.page.kind !== 'leaf') throw new Error(`btree: page ${s.no} is not a leaf`);
  return s.page;
}

const leafEntrySize = (e: LeafEntry): number => entryBytes(e.keyBytes, e.value);
const nodeEntrySize = (e: NodeEntry): number => entryBytes(e.keyBytes, null);

export class Btree {
  /** An empty tree: a leaf root. Returns the root's page number, which stays the tree's for good. */
  static create(store: PageStore, indexId: number): number {
    const root: LeafPage = { kind: 'leaf', indexId, gen: 0, bytes: 0, entries: [], prev: FIL_NULL, next: FIL_NULL };
    return store.allocate(root);
  }

  constructor(
    readonly store: PageStore,
    readonly root: number,
    readonly indexId: number,
    readonly compare: KeyCompare,
  ) {}

  // ---------------------------------------------------------------- searching within a page

  /**
   * The first index in [from, length) whose key is >= key (or > key when `after`), by binary
   * search. Prefix comparison is monotone over sorted full keys, so this works for prefixes too.
   */
  private search(entries: readonly { key: readonly KeyPart[] }[], key: readonly KeyPart[], after: boolean, from = 0): number {
    let lo = from;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compare(entries[mid]!.key, key);
      if (c < 0 || (after && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private childIndex(node: NodePage, t: Target): number {
    if (t.key === null) return t.right ? node.entries.length - 1 : 0;
    // search from 1: the first separator is only a placeholder for "everything below the second"
    return this.search(node.entries, t.key, !t.strict, 1) - 1;
  }

  // ---------------------------------------------------------------- descending

  /**
   * Record `page` on the path; the child page to read next, AT_LEAF, or BROKEN for a page that
   * cannot be there: a node without entries, or a level that is not one below its parent's (a
   * reader that followed a stale pointer may land on a page reused elsewhere; the level check
   * also keeps such a walk from going round in circles).
   */
  private step(path: Step[], no: number, page: BtrPage, t: Target): number {
    const above = path[path.length - 1];
    const level = page.kind === 'leaf' ? 0 : page.level;
    if (above !== undefined && (above.page as NodePage).level !== level + 1) return BROKEN;
    if (page.kind === 'leaf') {
      path.push({ no, page, gen: page.gen, idx: -1 });
      return AT_LEAF;
    }
    if (page.entries.length === 0 || level < 1) return BROKEN;
    const idx = this.childIndex(page, t);
    path.push({ no, page, gen: page.gen, idx });
    return page.entries[idx]!.child;
  }

  /**
   * Whether a reader may still trust what it read of `s`, checked synchronously right before it
   * uses the page (see the module comment). The gen says it on its own under the store contract;
   * the identity check is a second line for a store that answers synchronously. A store that
   * answers even a page in memory with a promise gives no "now" to compare with: then the gen
   * is all there is (the read it started is not needed).
   */
  private current(s: Step): boolean {
    if (s.page.gen !== s.gen) return false;
    const got = this.store.get(s.no);
    if (isPromise(got)) {
      got.catch(noop);
      return true;
    }
    return got === s.page;
  }

  /**
   * The path from the root to the leaf `t` leads to. Synchronous when every page is in memory:
   * then nothing can change the tree during the walk, and the path is consistent as it stands.
   */
  private descend(t: Target): Step[] | Promise<Step[]> {
    const path: Step[] = [];
    let no = this.root;
    for (;;) {
      const got = this.store.get(no);
      if (isPromise(got)) return this.descendSlow(t, path, no, got);
      const child = this.step(path, no, got, t);
      if (child === AT_LEAF) return path;
      if (child === BROKEN) throw new Error(`btree index ${this.indexId}: page ${no} is broken (no entries, or not one level below its parent)`);
      no = child;
    }
  }

  /**
   * The rest of a descent that has to wait for pages. Pages read before an await may have
   * changed by the time the walk ends, so the whole path is checked at the end (synchronously,
   * so that it is consistent at that moment) and the walk starts over from the root if it
   * does not hold. A pool that keeps evicting the pages just read could make this loop; the
   * buffer pool keeps recently read pages young, so in practice the second walk is in memory.
   */
  private async descendSlow(t: Target, path: Step[], no: number, pending: Promise<BtrPage>): Promise<Step[]> {
    let got: BtrPage | Promise<BtrPage> = pending;
    for (;;) {
      let broken = -1;
      for (;;) {
        const page = isPromise(got) ? await got : got;
        const child = this.step(path, no, page, t);
        if (child === AT_LEAF) break;
        if (child === BROKEN) {
          broken = no;
          break;
        }
        no = child;
        got = this.store.get(no);
      }
      if (path.every((s) => this.current(s))) {
        if (broken >= 0) throw new Error(`btree index ${this.indexId}: page ${broken} is broken (no entries, or not one level below its parent)`);
        return path;
      }
      path = [];
      no = this.root;
      got = this.store.get(no);
    }
  }

  // ---------------------------------------------------------------- point reads

  /** The entry with exactly `key` (a full key), or null. Synchronous when the path is in memory. */
  lookup(key: readonly KeyPart[]): LeafEntry | null | Promise<LeafEntry | null> {
    const path = this.descend({ key, strict: false });
    if (isPromise(path)) return this.lookupSlow(key, path);
    return this.exact(leafOf(path[path.length - 1]!), key);
  }

  private exact(leaf: LeafPage, key: readonly KeyPart[]): LeafEntry | null {
    const i = this.search(leaf.entries, key, false);
    const e = leaf.entries[i];
    return e !== undefined && this.compare(e.key, key) === 0 ? e : null;
  }

  /** After an awaited descent: the leaf must still be the one the checked path ended in. */
  private async lookupSlow(key: readonly KeyPart[], pending: Promise<Step[]>): Promise<LeafEntry | null> {
    for (;;) {
      const path = await pending;
      const s = path[path.length - 1]!;
      if (this.current(s)) return this.exact(leafOf(s), key);
      const again = this.descend({ key, strict: false });
      if (!isPromise(again)) return this.exact(leafOf(again[again.length - 1]!), key);
      pending = again;
    }
  }

  /**
   * The first entry at or after `key` (inclusive) or after every entry with prefix `key`
   * (exclusive), or null. Synchronous when the pages it needs are in memory.
   */
  first(key: readonly KeyPart[], inclusive: boolean): LeafEntry | null | Promise<LeafEntry | null> {
    const path = this.descend({ key, strict: inclusive });
    if (isPromise(path)) {
      return path.then((p) => {
        const s = p[p.length - 1]!;
        return this.current(s) ? this.firstFrom(s, key, inclusive) : this.firstSlow(key, inclusive);
      });
    }
    return this.firstFrom(path[path.length - 1]!, key, inclusive);
  }

  /** Scan forward from a leaf known to be current; hand over to the range scan at the first await. */
  private firstFrom(s: Step, key: readonly KeyPart[], inclusive: boolean): LeafEntry | null | Promise<LeafEntry | null> {
    let leaf = leafOf(s);
    for (;;) {
      const i = this.search(leaf.entries, key, !inclusive);
      if (i < leaf.entries.length) return leaf.entries[i]!;
      if (leaf.next === FIL_NULL) return null;
      const got = this.store.get(leaf.next);
      if (isPromise(got)) {
        got.catch(noop);
        return this.firstSlow(key, inclusive);
      }
      if (got.kind !== 'leaf') throw new Error(`btree index ${this.indexId}: page ${leaf.next} after a leaf is not a leaf`);
      leaf = got;
    }
  }

  /** The range scan already knows how to survive awaits; the first entry is its first entry. */
  private async firstSlow(key: readonly KeyPart[], inclusive: boolean): Promise<LeafEntry | null> {
    for await (const batch of this.range({ low: { key, inclusive } })) return batch[0]!;
    return null;
  }

  // ---------------------------------------------------------------- range scans

  /**
   * The entries between `low` and `high` (either may be a key prefix), one leaf's worth per
   * yield, in key order or, with `reverse`, in descending order. Safe against a writer changing
   * the tree between two yields or while the scan awaits a page (see the module comment): each
   * key present during the whole scan is yielded exactly once, and no key twice.
   */
  async *range(opts: RangeOptions = {}): AsyncGenerator<LeafEntry[]> {
    const reverse = opts.reverse === true;
    let last: readonly KeyPart[] | null = null;
    // where to (re)start: the bound at first, then just past the last key yielded
    const target = (): Target => {
      if (last !== null) return { key: last, strict: reverse };
      const bound = reverse ? opts.high : opts.low;
      if (bound === undefined) return { key: null, strict: false, right: reverse };
      return { key: bound.key, strict: reverse ? !bound.inclusive : bound.inclusive };
    };
    const position = async (): Promise<Step> => {
      const r = this.descend(target());
      const path = isPromise(r) ? await r : r;
      return path[path.length - 1]!;
    };

    const start = this.descend(target());
    const startPath = isPromise(start) ? await start : start;
    let s = startPath[startPath.length - 1]!;
    for (;;) {
      // there may have been an await since `s` was read: use its entries only if it is still current
      if (!this.current(s)) {
        s = await position();
        continue;
      }
      const leaf = leafOf(s);
      const { batch, done } = this.collect(leaf, opts, last, reverse);
      if (batch.length > 0) {
        last = batch[batch.length - 1]!.key;
        yield batch;
        if (!this.current(s)) {
          s = await position();
          continue;
        }
      }
      if (done) return;
      const link = reverse ? leaf.prev : leaf.next;
      if (link === FIL_NULL) return;
      const got = this.store.get(link);
      if (!isPromise(got)) {
        s = { no: link, page: got, gen: got.gen, idx: -1 };
        continue;
      }
      const page = await got;
      // its gen as read now; the leaf holding the link is checked after this read, so the two
      // were neighbours at this moment if that check passes
      const gen = page.gen;
      if (!this.current(s)) {
        s = await position();
        continue;
      }
      s = { no: link, page, gen, idx: -1 };
    }
  }

  /**
   * The entries of one leaf that the scan yields next, and whether the scan ends on this leaf
   * (an entry beyond the far bound is on it).
   */
  private collect(leaf: LeafPage, opts: RangeOptions, last: readonly KeyPart[] | null, reverse: boolean): { batch: LeafEntry[]; done: boolean } {
    const es = leaf.entries;
    if (!reverse) {
      let from = 0;
      if (last !== null) from = this.search(es, last, true);
      else if (opts.low) from = this.search(es, opts.low.key, !opts.low.inclusive);
      const to = opts.high ? this.search(es, opts.high.key, opts.high.inclusive) : es.length;
      return { batch: to > from ? es.slice(from, to) : [], done: to < es.length };
    }
    let to = es.length;
    if (last !== null) to = this.search(es, last, false);
    else if (opts.high) to = this.search(es, opts.high.key, opts.high.inclusive);
    const from = opts.low ? this.search(es, opts.low.key, !opts.low.inclusive) : 0;
    return { batch: to > from ? es.slice(from, to).reverse() : [], done: from > 0 };
  }

  // ---------------------------------------------------------------- writing

  /** The page changed: its gen moves (readers holding it notice) and the store marks it dirty. */
  private touch(no: number, page: BtrPage): void {
    page.gen++;
    this.store.modified(no, page);
  }

  /** The page leaves the tree; its gen moves so that a reader still holding it lets go. */
  private release(no: number, page: BtrPage): void {
    page.gen++;
    this.store.free(no);
  }

  private async read(no: number): Promise<BtrPage> {
    const got = this.store.get(no);
    return isPromise(got) ? await got : got;
  }

  private async readLeaf(no: number): Promise<LeafPage> {
    const page = await this.read(no);
    if (page.kind !== 'leaf') throw new Error(`btree index ${this.indexId}: sibling page ${no} is not a leaf`);
    return page;
  }

  private async writePath(key: readonly KeyPart[]): Promise<Step[]> {
    const r = this.descend({ key, strict: false });
    return isPromise(r) ? await r : r;
  }

  /**
   * Insert `key` with `value`, or replace the value of the entry with that key; returns the
   * replaced entry. `keyBytes` must be encodeKey(key). The tree keeps `key`, `keyBytes` and
   * `value` as given (no copies): the caller must not change them afterwards. Throws a RangeError
   * for an entry larger than maxBtrEntryBytes (the caller stores long values off-page).
   */
  async upsert(key: KeyPart[], keyBytes: Buffer, value: Buffer): Promise<LeafEntry | null> {
    const size = entryBytes(keyBytes, value);
    const max = maxBtrEntryBytes(this.store.pageSize);
    if (size > max) throw new RangeError(`btree index ${this.indexId}: entry of ${size} bytes exceeds the limit of ${max}`);
    const capacity = btrPageCapacity(this.store.pageSize);

    // reads first: the path, and the right neighbour whose prev link a split rewrites
    const path = await this.writePath(key);
    const s = path[path.length - 1]!;
    const leaf = leafOf(s);
    const pos = this.search(leaf.entries, key, false);
    const found = leaf.entries[pos];
    const old = found !== undefined && this.compare(found.key, key) === 0 ? found : null;
    const bytes = leaf.bytes + size - (old ? leafEntrySize(old) : 0);
    const next = bytes > capacity && leaf.next !== FIL_NULL ? await this.readLeaf(leaf.next) : null;

    // from here on no await: readers see the tree before or after this insert, never during
    const entry: LeafEntry = { key, keyBytes, value };
    if (old) leaf.entries[pos] = entry;
    else leaf.entries.splice(pos, 0, entry);
    leaf.bytes = bytes;
    if (bytes <= capacity) this.touch(s.no, leaf);
    else this.splitLeaf(path, next, old === null && pos === leaf.entries.length - 1 && leaf.next === FIL_NULL);
    return old;
  }

  /**
   * Where to cut an overfull page: the cut in [1, n) that leaves the larger half smallest.
   * With every entry at most half a page and the page at most one entry over, both halves fit.
   * `append` cuts before the last entry instead: an insert at the very end of the rightmost page
   * is most likely an ascending load (AUTO_INCREMENT), and leaving the old page full instead
   * of half empty packs such a tree densely, as InnoDB's split heuristic does.
   */
  private cutPoint<E>(entries: readonly E[], sizeOf: (e: E) => number, total: number, append: boolean): number {
    if (append) return entries.length - 1;
    let best = 1;
    let bestMax = Infinity;
    let left = 0;
    for (let i = 1; i < entries.length; i++) {
      left += sizeOf(entries[i - 1]!);
      const m = Math.max(left, total - left);
      if (m < bestMax) {
        bestMax = m;
        best = i;
      }
    }
    return best;
  }

  private sumBytes<E>(entries: readonly E[], sizeOf: (e: E) => number): number {
    let n = 0;
    for (const e of entries) n += sizeOf(e);
    return n;
  }

  private pointerTo(first: { key: KeyPart[]; keyBytes: Buffer }, child: number): NodeEntry {
    return { key: first.key, keyBytes: first.keyBytes, child };
  }

  /** Split the overfull leaf at the end of `path` into itself and a new right sibling. */
  private splitLeaf(path: Step[], next: LeafPage | null, append: boolean): void {
    const d = path.length - 1;
    const s = path[d]!;
    const leaf = leafOf(s);
    const cut = this.cutPoint(leaf.entries, leafEntrySize, leaf.bytes, append);
    if (d === 0) {
      this.splitRoot(path[0]!.page, cut);
      return;
    }
    const rightEntries = leaf.entries.slice(cut);
    const rightBytes = this.sumBytes(rightEntries, leafEntrySize);
    const right: LeafPage = { kind: 'leaf', indexId: this.indexId, gen: 0, bytes: rightBytes, entries: rightEntries, prev: s.no, next: leaf.next };
    const rightNo = this.store.allocate(right);
    if (next !== null) {
      next.prev = rightNo;
      this.touch(leaf.next, next);
    }
    leaf.entries = leaf.entries.slice(0, cut);
    leaf.bytes -= rightBytes;
    leaf.next = rightNo;
    this.touch(s.no, leaf);
    this.insertPointer(path, d - 1, this.pointerTo(rightEntries[0]!, rightNo));
  }

  /** Whether the page at depth d of `path` is the last of its level (every step above took the last child). */
  private rightmost(path: Step[], d: number): boolean {
    for (let j = 0; j < d; j++) if (path[j]!.idx !== path[j]!.page.entries.length - 1) return false;
    return true;
  }

  /** Add the pointer to a new right sibling of path[d + 1]'s page to the node path[d], splitting it if it overflows. */
  private insertPointer(path: Step[], d: number, entry: NodeEntry): void {
    const s = path[d]!;
    const node = s.page as NodePage;
    const at = s.idx + 1;
    node.entries.splice(at, 0, entry);
    node.bytes += nodeEntrySize(entry);
    if (node.bytes <= btrPageCapacity(this.store.pageSize)) {
      this.touch(s.no, node);
      return;
    }
    const cut = this.cutPoint(node.entries, nodeEntrySize, node.bytes, at === node.entries.length - 1 && this.rightmost(path, d));
    if (d === 0) {
      this.splitRoot(path[0]!.page, cut);
      return;
    }
    const rightEntries = node.entries.slice(cut);
    const rightBytes = this.sumBytes(rightEntries, nodeEntrySize);
    // the right node keeps its first separator: it is the one that goes up to the parent
    const right: NodePage = { kind: 'node', indexId: this.indexId, gen: 0, bytes: rightBytes, level: node.level, entries: rightEntries };
    const rightNo = this.store.allocate(right);
    node.entries = node.entries.slice(0, cut);
    node.bytes -= rightBytes;
    this.touch(s.no, node);
    this.insertPointer(path, d - 1, this.pointerTo(rightEntries[0]!, rightNo));
  }

  /**
   * The root overflowed: its entries move to two new pages cut at `cut`, and the root page
   * becomes a node one level higher pointing at them, so the root's page number stays.
   */
  private splitRoot(old: BtrPage, cut: number): void {
    let level: number;
    let leftNo: number;
    let rightNo: number;
    let leftFirst: { key: KeyPart[]; keyBytes: Buffer };
    let rightFirst: { key: KeyPart[]; keyBytes: Buffer };
    if (old.kind === 'leaf') {
      const le = old.entries.slice(0, cut);
      const re = old.entries.slice(cut);
      const left: LeafPage = { kind: 'leaf', indexId: this.indexId, gen: 0, bytes: this.sumBytes(le, leafEntrySize), entries: le, prev: FIL_NULL, next: FIL_NULL };
      const right: LeafPage = { kind: 'leaf', indexId: this.indexId, gen: 0, bytes: this.sumBytes(re, leafEntrySize), entries: re, prev: FIL_NULL, next: FIL_NULL };
      leftNo = this.store.allocate(left);
      rightNo = this.store.allocate(right);
      left.next = rightNo;
      right.prev = leftNo;
      this.touch(leftNo, left);
      this.touch(rightNo, right);
      level = 1;
      leftFirst = le[0]!;
      rightFirst = re[0]!;
    } else {
      const le = old.entries.slice(0, cut);
      const re = old.entries.slice(cut);
      const left: NodePage = { kind: 'node', indexId: this.indexId, gen: 0, bytes: this.sumBytes(le, nodeEntrySize), level: old.level, entries: le };
      const right: NodePage = { kind: 'node', indexId: this.indexId, gen: 0, bytes: this.sumBytes(re, nodeEntrySize), level: old.level, entries: re };
      leftNo = this.store.allocate(left);
      rightNo = this.store.allocate(right);
      level = old.level + 1;
      leftFirst = le[0]!;
      rightFirst = re[0]!;
    }
    const entries = [this.pointerTo(leftFirst, leftNo), this.pointerTo(rightFirst, rightNo)];
    const root: NodePage = { kind: 'node', indexId: this.indexId, gen: old.gen + 1, bytes: this.sumBytes(entries, nodeEntrySize), level, entries };
    // a reader still holding the old object must see it as changed, whatever the store does with it
    old.gen++;
    this.store.modified(this.root, root);
  }

  /**
   * Remove the entry with exactly `key`; returns it, or null when there is none. A leaf left
   * empty (other than the root) is unlinked and freed, and so is a node left without children;
   * a root node left without children becomes an empty leaf again. No merging (module comment).
   */
  async remove(key: readonly KeyPart[]): Promise<LeafEntry | null> {
    const path = await this.writePath(key);
    const s = path[path.length - 1]!;
    const leaf = leafOf(s);
    const pos = this.search(leaf.entries, key, false);
    const old = leaf.entries[pos];
    if (old === undefined || this.compare(old.key, key) !== 0) return null;
    if (leaf.entries.length > 1 || path.length === 1) {
      leaf.entries.splice(pos, 1);
      leaf.bytes -= leafEntrySize(old);
      this.touch(s.no, leaf);
      return old;
    }
    // the leaf goes: read both neighbours (their links change) before changing anything
    const prev = leaf.prev !== FIL_NULL ? await this.readLeaf(leaf.prev) : null;
    const next = leaf.next !== FIL_NULL ? await this.readLeaf(leaf.next) : null;
    if (prev !== null) {
      prev.next = leaf.next;
      this.touch(leaf.prev, prev);
    }
    if (next !== null) {
      next.prev = leaf.prev;
      this.touch(leaf.next, next);
    }
    leaf.entries = [];
    leaf.bytes = 0;
    this.release(s.no, leaf);
    this.removePointer(path, path.length - 2);
    return old;
  }

  /** Drop the pointer path[d].idx from the node path[d]; free the node too if that was its last. */
  private removePointer(path: Step[], d: number): void {
    const s = path[d]!;
    const node = s.page as NodePage;
    const [gone] = node.entries.splice(s.idx, 1);
    node.bytes -= nodeEntrySize(gone!);
    // removing the first pointer is fine: the next one's separator becomes the ignored placeholder
    if (node.entries.length > 0) {
      this.touch(s.no, node);
      return;
    }
    if (d > 0) {
      this.release(s.no, node);
      this.removePointer(path, d - 1);
      return;
    }
    const empty: LeafPage = { kind: 'leaf', indexId: this.indexId, gen: node.gen + 1, bytes: 0, entries: [], prev: FIL_NULL, next: FIL_NULL };
    node.gen++;
    this.store.modified(this.root, empty);
  }

  // ---------------------------------------------------------------- whole-tree walks

  /** Every page of the tree with its number, root first, level by level. */
  private async walk(): Promise<{ no: number; page: BtrPage }[]> {
    const out: { no: number; page: BtrPage }[] = [];
    let level = [this.root];
    while (level.length > 0) {
      const below: number[] = [];
      for (const no of level) {
        const page = await this.read(no);
        out.push({ no, page });
        if (page.kind === 'node') for (const e of page.entries) below.push(e.child);
      }
      level = below;
    }
    return out;
  }

  /** The page numbers of every page of the tree (root included). Run it with writers held off. */
  async pageNumbers(): Promise<number[]> {
    return (await this.walk()).map((p) => p.no);
  }

  /** Free every page of the tree, the root included; the tree is unusable afterwards. */
  async drop(): Promise<void> {
    const pages = await this.walk();
    for (const { no, page } of pages) this.release(no, page);
  }

  /**
   * Check the whole tree (CHECK TABLE): every page belongs to this index and sits at the right
   * level, its byte count is right and fits, keys ascend within each page and stay inside the
   * range the parent's separators give the page, leaves are linked in key order, and each key
   * decodes from its bytes. Problems are returned as text; run it with writers held off.
   */
  async validate(): Promise<BtreeCheck> {
    const problems: string[] = [];
    const capacity = btrPageCapacity(this.store.pageSize);
    const seen = new Set<number>();
    const leaves: { no: number; page: LeafPage }[] = [];
    let entries = 0;
    let pages = 0;
    const show = (k: readonly KeyPart[]): string =>
      JSON.stringify(k, (_n, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? 'x' + Buffer.from((v as { data: number[] }).data).toString('hex') : v));

    const visit = async (no: number, lo: readonly KeyPart[] | null, hi: readonly KeyPart[] | null, level: number | null): Promise<void> => {
      if (seen.has(no)) {
        problems.push(`page ${no} is reached twice`);
        return;
      }
      seen.add(no);
      let page: BtrPage;
      try {
        page = await this.read(no);
      } catch (e) {
        problems.push(`page ${no} cannot be read: ${(e as Error).message}`);
        return;
      }
      pages++;
      const isRoot = no === this.root;
      const at = `page ${no}`;
      if (page.indexId !== this.indexId) problems.push(`${at}: index id ${page.indexId}, expected ${this.indexId}`);
      const pageLevel = page.kind === 'leaf' ? 0 : page.level;
      if (page.kind === 'node' && pageLevel < 1) problems.push(`${at}: node page at level ${pageLevel}`);
      if (level !== null && pageLevel !== level) problems.push(`${at}: level ${pageLevel}, expected ${level}`);
      const bytes = computeBtrPageBytes(page);
      if (page.bytes !== bytes) problems.push(`${at}: byte count ${page.bytes}, entries take ${bytes}`);
      if (bytes > capacity) problems.push(`${at}: entries take ${bytes} bytes, more than the page holds (${capacity})`);
      if (page.entries.length === 0 && (!isRoot || page.kind === 'node')) problems.push(`${at}: no entries`);
      const es: readonly (LeafEntry | NodeEntry)[] = page.entries;
      for (let i = 0; i < es.length; i++) {
        const e = es[i]!;
        try {
          const k = decodeKey(e.keyBytes);
          if (k.length !== e.key.length || this.compare(k, e.key) !== 0) problems.push(`${at}: entry ${i}: key bytes decode to ${show(k)}, not ${show(e.key)}`);
        } catch (err) {
          problems.push(`${at}: entry ${i}: ${(err as Error).message}`);
        }
        // a node's first separator is a placeholder (like InnoDB's minimum-record flag): it may
        // be stale, even above the next one, after the pointer before it was removed
        if (i > 0 && (page.kind === 'leaf' || i > 1) && this.compare(es[i - 1]!.key, e.key) >= 0) problems.push(`${at}: entry ${i} ${show(e.key)} is not above entry ${i - 1} ${show(es[i - 1]!.key)}`);
        // and its child's range starts at the parent's bound
        if (page.kind === 'leaf' || i > 0) {
          if (lo !== null && this.compare(e.key, lo) < 0) problems.push(`${at}: entry ${i} ${show(e.key)} is below its separator ${show(lo)}`);
          if (hi !== null && this.compare(e.key, hi) >= 0) problems.push(`${at}: entry ${i} ${show(e.key)} is not below the next separator ${show(hi)}`);
        }
      }
      if (page.kind === 'leaf') {
        entries += page.entries.length;
        leaves.push({ no, page });
        return;
      }
      for (let i = 0; i < page.entries.length; i++) {
        const childLo = i === 0 ? lo : page.entries[i]!.key;
        const childHi = i + 1 < page.entries.length ? page.entries[i + 1]!.key : hi;
        await visit(page.entries[i]!.child, childLo, childHi, pageLevel - 1);
      }
    };
    await visit(this.root, null, null, null);

    for (let i = 0; i < leaves.length; i++) {
      const { no, page } = leaves[i]!;
      const prev = i > 0 ? leaves[i - 1]!.no : FIL_NULL;
      const next = i + 1 < leaves.length ? leaves[i + 1]!.no : FIL_NULL;
      if (page.prev !== prev) problems.push(`leaf ${no}: prev link ${page.prev}, expected ${prev}`);
      if (page.next !== next) problems.push(`leaf ${no}: next link ${page.next}, expected ${next}`);
      if (i > 0) {
        const a = leaves[i - 1]!.page.entries;
        const b = page.entries;
        if (a.length > 0 && b.length > 0 && this.compare(a[a.length - 1]!.key, b[0]!.key) >= 0) problems.push(`leaf ${no}: first key ${show(b[0]!.key)} is not above the previous leaf's last ${show(a[a.length - 1]!.key)}`);
      }
    }
    return { entries, pages, leaves: leaves.length, problems };
  }
}
