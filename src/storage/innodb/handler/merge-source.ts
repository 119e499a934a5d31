/**
 * Where a cursor's records come from: the records in memory (what changed since the last
 * checkpoint, and what readers brought in) merged, in index order, with the table's B+trees in
 * its tablespace, read a leaf at a time through the buffer pool.
 *
 * The records in memory in the range are taken when the cursor opens (as stage 1 did), so rows
 * the same statement adds later are not visited. The trees are walked as the cursor goes; a key
 * found in both is the record in memory (its version chain is the truth). A tree entry whose
 * key came into memory after the cursor opened is resolved to that record when it is handed
 * out (handler/cursor.ts).
 *
 * Through a secondary index, the tree's entries carry the clustered key; the record is found
 * in memory or in the clustered tree. Entries for one secondary key come from memory first, so
 * a pair already handed out from memory is not handed out again from the tree.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-index-types.html (15.6.2.1)
 * @req INNODB-BUF-104 INNODB-BTR-103
 */
import { compareKeys, hashKey, type KeyPart, type KeyPartSpec } from '../../keys.js';
import type { LeafEntry } from '../btr/page-store.js';
import type { DiskRow, DiskTable, Walk } from '../index/disk-table.js';
import type { ClusterRec, InnodbTable } from '../index/innodb-table.js';

export interface Candidate {
  /** A record in memory, or (when absent) `disk`, a committed record read from the tree. */
  rec?: ClusterRec;
  disk?: DiskRow;
  /** For secondary reads: the key hash the entry had (the version read must still have it). */
  secHash?: string;
  /** For secondary reads: the secondary key the entry had. */
  secKey?: KeyPart[];
}

type Step<T> = T | Promise<T>;
const then = <T, U>(v: Step<T>, f: (x: T) => Step<U>): Step<U> => (v instanceof Promise ? v.then(f) : f(v));

/** Batches of candidates, in index order; null when there are no more. */
export interface CandidateSource {
  next(): Step<Candidate[] | null>;
}

/** Only records in memory (a table without a tablespace). */
export class MemorySource implements CandidateSource {
  private given = false;
  constructor(private readonly list: Candidate[]) {}
  next(): Candidate[] | null {
    if (this.given) return null;
    this.given = true;
    return this.list;
  }
}

/** An overlay entry of a secondary read: its record and the secondary key it was found under. */
export interface OverlayEntry {
  rec: ClusterRec;
  key: KeyPart[];
}

/**
 * The merge of the records in memory (`overlay`, in walk order) with a tree walk.
 * `index` is -1 for the clustered index, else the secondary index's position.
 */
export class MergeSource implements CandidateSource {
  private oi = 0;
  private pending: LeafEntry[] = [];
  private pi = 0;
  private walkDone = false;
  /** Secondary reads: `secHash#recHk` of pairs handed out from memory. */
  private readonly fromMemory = new Set<string>();
  private readonly nsec: number;
  private readonly specs: readonly KeyPartSpec[];

  constructor(
    private readonly table: InnodbTable,
    private readonly disk: DiskTable,
    private readonly index: number,
    private readonly overlay: OverlayEntry[],
    private readonly walker: Walk,
    private readonly reverse: boolean,
    private readonly sync: boolean,
  ) {
    this.nsec = index < 0 ? 0 : table.secondaries[index]!.specs.length;
    this.specs = index < 0 ? table.clusterKeySpecs : table.secondaries[index]!.specs;
  }

  /** Order of an overlay key against a tree entry's key (for secondary entries, the secondary part). */
  private order(overlayKey: readonly KeyPart[], treeKey: readonly KeyPart[]): number {
    const k = this.index < 0 ? treeKey : treeKey.slice(0, this.nsec);
    const c = compareKeys(overlayKey, k, this.specs);
    return this.reverse ? -c : c;
  }

  private fill(): Step<boolean> {
    if (this.pi < this.pending.length || this.walkDone) return true;
    return then(this.walker.next(), (batch) => {
      if (!batch) this.walkDone = true;
      else {
        this.pending = batch;
        this.pi = 0;
      }
      return true;
    });
  }

  next(): Step<Candidate[] | null> {
    return then(this.fill(), () => this.merge());
  }

  private merge(): Step<Candidate[] | null> {
    const out: Candidate[] = [];
    const waits: Promise<unknown>[] = [];
    const clustered = this.index < 0;
    while (this.pi < this.pending.length || (this.walkDone && this.oi < this.overlay.length)) {
      const e = this.pending[this.pi];
      const o = this.overlay[this.oi];
      if (o && (!e || this.order(o.key, e.key) <= 0)) {
        this.oi++;
        if (clustered) {
          // the same key in the tree is this record
          if (e && this.order(o.key, e.key) === 0) this.pi++;
          out.push({ rec: o.rec });
        } else {
          const h = hashKey(o.key);
          this.fromMemory.add(h + '#' + o.rec.hk);
          out.push({ rec: o.rec, secHash: h, secKey: o.key });
        }
        continue;
      }
      if (!e) break;
      this.pi++;
      if (clustered) {
        if (this.disk.gone(e)) continue;
        const slot = out.length;
        out.push({});
        const r = this.disk.rowOf(e, this.sync);
        if (r instanceof Promise) waits.push(r.then((d) => (out[slot] = { disk: d })));
        else out[slot] = { disk: r };
        continue;
      }
      const secKey = e.key.slice(0, this.nsec);
      const pk = e.key.slice(this.nsec);
      const h = hashKey(secKey);
      const phk = hashKey(pk);
      if (this.fromMemory.has(h + '#' + phk)) continue;
      const rec = this.table.byKey.get(phk);
      if (rec) {
        out.push({ rec, secHash: h, secKey });
        continue;
      }
      const slot = out.length;
      out.push({});
      const r = this.disk.lookup(pk, this.sync);
      const put = (d: DiskRow | null): void => {
        out[slot] = d ? { disk: d, secHash: h, secKey } : {};
      };
      if (r instanceof Promise) waits.push(r.then(put));
      else put(r);
    }
    const done = (): Candidate[] | null => {
      const list = out.filter((c) => c.rec || c.disk);
      if (list.length > 0) return list;
      if (this.walkDone && this.oi >= this.overlay.length && this.pi >= this.pending.length) return null;
      return [];
    };
    if (waits.length > 0) return Promise.all(waits).then(done);
    return done();
  }
}
