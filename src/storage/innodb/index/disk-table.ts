/**
 * A table's B+trees in its tablespace, read and written through the buffer pool: the clustered
 * index (key -> the committed row and the DB_TRX_ID that wrote it) and one tree per secondary
 * index (secondary key followed by the clustered key, no value), as InnoDB lays them out.
 *
 * Between checkpoints the trees hold each record's committed state as of the last checkpoint;
 * the records in memory (index/innodb-table.ts) say what changed since. Readers merge the two
 * (handler/merge-source.ts). A checkpoint applies its capture here, one record at a time
 * (clustered entry, off-page chain, secondary entries), and writes the pages it dirtied through
 * the doublewrite file with the header (srv/checkpoint.ts).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-index-types.html (15.6.2.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-buffer-pool.html (15.5.1)
 * @req INNODB-BTR-101 INNODB-BUF-101 INNODB-BUF-104 INNODB-LIMIT-011
 */
import type { Row } from '../../../kernel/value.js';
import { compareKeys, hashKey, type KeyPart, type KeyPartSpec } from '../../keys.js';
import { Btree } from '../btr/btree.js';
import { encodeKey } from '../btr/key-codec.js';
import { LeafWalker, type WalkOptions } from '../btr/leaf-walk.js';
import type { BtrPage, KeyCompare, LeafEntry, PageStore } from '../btr/page-store.js';
import type { BufferPool } from '../buf/buf-pool.js';
import type { SpaceFile } from '../fil/space-file.js';
import {
  blobCapacity,
  decodeClusterValue,
  encodeClusterValue,
  maxInlineRecord,
  TablespaceCorruptError,
  type BlobPage,
  type SpacePage,
  type StoredRecord,
} from '../fil/tablespace-image.js';
import { FIL_NULL } from '../page/limits.js';
import { decodeRecord, encodeRecord } from '../row/record-codec.js';
import type { CapturedChange, InnodbTable } from './innodb-table.js';

/** A committed record as the clustered tree holds it. */
export interface DiskRow {
  readonly key: KeyPart[];
  /** The key as the tree stores it (a consistent read's RowId is made from it). */
  readonly keyBytes: Buffer;
  readonly hk: string;
  readonly rowId: bigint | null;
  readonly row: Row;
  readonly trxId: bigint;
}

type Step<T> = T | Promise<T>;

/** A walk over one index (LeafWalker's `next`, started over when a page it reached was freed). */
export interface Walk {
  next(): Step<LeafEntry[] | null>;
}

/** A page a reader reached through a pointer read before it waited, since freed by a checkpoint. */
class StalePage extends TablespaceCorruptError {}

/** How often a read starts over after meeting a freed page before the page counts as corrupt. */
const STALE_RETRIES = 8;

/** Run `f`, again when it met a page freed under it (its state is unchanged when it throws). */
function retryStale<T>(f: () => Step<T>, left = STALE_RETRIES): Step<T> {
  const again = (e: unknown): Step<T> => {
    if (e instanceof StalePage && left > 0) return retryStale(f, left - 1);
    throw e;
  };
  let r: Step<T>;
  try {
    r = f();
  } catch (e) {
    return again(e);
  }
  return r instanceof Promise ? r.catch(again) : r;
}
const then = <T, U>(v: Step<T>, f: (x: T) => Step<U>): Step<U> => (v instanceof Promise ? v.then(f) : f(v));

const EMPTY = Buffer.alloc(0);

export class DiskTable {
  private readonly asyncStore: PageStore;
  private readonly syncStore: PageStore;
  readonly clustered: Btree;
  private readonly clusteredSync: Btree;
  /** Per secondary index (in the table's order): the tree, a synchronous twin, its key order. */
  readonly secondaries: { tree: Btree; sync: Btree; compare: KeyCompare; root: number }[] = [];
  private readonly clusterCompare: KeyCompare;

  constructor(
    readonly table: InnodbTable,
    readonly file: SpaceFile,
    private readonly pool: BufferPool<SpacePage>,
  ) {
    const spaceId = file.spaceId;
    const asBtr = (p: SpacePage, no: number): BtrPage => {
      if (p.kind === 'leaf' || p.kind === 'node') return p;
      // A page freed (or reused) by a checkpoint while a reader waited: the reader starts over.
      if (pool.isCurrent(spaceId, no, p)) throw new StalePage(spaceId, file.path, no, `a ${p.kind} page where an index page belongs`);
      throw new TablespaceCorruptError(spaceId, file.path, no, `a ${p.kind} page where an index page belongs`);
    };
    const common = {
      pageSize: file.pageSize,
      allocate: (page: BtrPage): number => {
        const no = file.allocate();
        pool.create(spaceId, no, page);
        return no;
      },
      modified: (no: number, page: BtrPage): void => pool.put(spaceId, no, page),
      free: (no: number): void => pool.put(spaceId, no, file.release(no)),
    };
    this.asyncStore = { ...common, get: (no) => then(pool.get(file, no), (p) => asBtr(p, no)) };
    this.syncStore = { ...common, get: (no) => asBtr(pool.getSync(file, no), no) };
    this.clusterCompare = (a, b) => table.compareCluster(a, b);
    const roots = file.header.indexes;
    const croot = roots[0]!;
    this.clustered = new Btree(this.asyncStore, croot.root, croot.id, this.clusterCompare);
    this.clusteredSync = new Btree(this.syncStore, croot.root, croot.id, this.clusterCompare);
    table.secondaries.forEach((s, i) => {
      const r = roots[i + 1];
      if (!r) throw new TablespaceCorruptError(spaceId, file.path, 0, `no root for index ${s.def.name}`);
      const specs: KeyPartSpec[] = [...s.specs, ...table.clusterKeySpecs];
      const compare: KeyCompare = (a, b) => compareKeys(a, b, specs);
      this.secondaries.push({ tree: new Btree(this.asyncStore, r.root, r.id, compare), sync: new Btree(this.syncStore, r.root, r.id, compare), compare, root: r.root });
    });
  }

  get spaceId(): number {
    return this.file.spaceId;
  }

  /** Committed records in the clustered index. */
  get recordCount(): number {
    return this.file.header.recordCount;
  }

  // ------------------------------------------------------------------ reading

  private blobPage(no: number, sync: boolean): Step<BlobPage> {
    const check = (p: SpacePage): BlobPage => {
      if (p.kind !== 'blob') throw new TablespaceCorruptError(this.spaceId, this.file.path, no, `a ${p.kind} page in a BLOB chain`);
      return p;
    };
    return sync ? check(this.pool.getSync(this.file, no)) : then(this.pool.get(this.file, no), check);
  }

  /** The bytes of an off-page record. */
  private readChain(first: number, length: number, sync: boolean): Step<Buffer> {
    const parts: Buffer[] = [];
    let got = 0;
    const step = (no: number): Step<Buffer> => {
      if (got >= length || no === FIL_NULL) return Buffer.concat(parts, got);
      return then(this.blobPage(no, sync), (p) => {
        parts.push(p.data);
        got += p.data.length;
        return step(p.next);
      });
    };
    return step(first);
  }

  /** The row a clustered leaf entry holds. */
  rowOf(e: LeafEntry, sync = false): Step<DiskRow> {
    const cached = e.decoded as DiskRow | undefined;
    if (cached) return cached;
    const r = decodeClusterValue(e.value);
    const make = (bytes: Buffer): DiskRow => {
      const values = decodeRecord(bytes).values;
      const rowId = this.table.hidden ? (values.shift() as bigint) : null;
      const d: DiskRow = { key: e.key, keyBytes: e.keyBytes, hk: hashKey(e.key), rowId, row: values, trxId: r.trxId };
      e.decoded = d;
      return d;
    };
    return 'inline' in r ? make(r.inline) : then(this.readChain(r.first, r.length, sync), make);
  }

  /** A clustered entry whose record was purged before a checkpoint removed it from the file. */
  gone(e: LeafEntry): boolean {
    return this.table.purgedUnwritten.size > 0 && this.table.purgedUnwritten.has(hashKey(e.key));
  }

  /** The committed record with clustered key `key`, or null. */
  lookup(key: readonly KeyPart[], sync = false): Step<DiskRow | null> {
    return retryStale(() => {
      const found = (sync ? this.clusteredSync : this.clustered).lookup(key);
      return then(found, (e) => (e && !this.gone(e) ? this.rowOf(e, sync) : null));
    });
  }

  lookupSync(key: readonly KeyPart[]): DiskRow | null {
    return this.lookup(key, true) as DiskRow | null;
  }

  /** A walk over the clustered index (`index` -1) or a secondary index. */
  walk(index: number, opts: WalkOptions, sync: boolean): Walk {
    const get = sync ? this.syncStore.get : this.asyncStore.get;
    const w = index < 0 ? new LeafWalker(get, this.file.header.indexes[0]!.root, this.clusterCompare, opts) : new LeafWalker(get, this.secondaries[index]!.root, this.secondaries[index]!.compare, opts);
    return { next: () => retryStale(() => w.next()) };
  }

  /** The first clustered record at or after (`inclusive`) or after `key`. */
  firstAfter(key: readonly KeyPart[], inclusive: boolean, sync: boolean): Step<DiskRow | null> {
    const w = this.walk(-1, { low: { key: [...key], inclusive } }, sync);
    // records purged but still in the file are passed over
    const step = (): Step<DiskRow | null> =>
      then(w.next(), (batch) => {
        if (!batch) return null;
        const e = batch.find((x) => !this.gone(x));
        return e ? this.rowOf(e, sync) : step();
      });
    return step();
  }

  /**
   * Bring every committed record whose key on index `index` (-1: clustered) starts with
   * `prefix` into memory, so that code working on the records in memory (uniqueness checks,
   * foreign keys) sees them. An empty prefix brings the whole index in.
   */
  faultIn(index: number, prefix: readonly KeyPart[], sync: boolean): Step<void> {
    const bound = prefix.length > 0 ? { key: [...prefix], inclusive: true } : undefined;
    const w = this.walk(index, { low: bound, high: bound }, sync);
    const step = (): Step<void> =>
      then(w.next(), (batch) => {
        if (!batch) return undefined;
        const waits: Promise<unknown>[] = [];
        for (const e of batch) {
          if (index < 0 && this.gone(e)) continue;
          const r = index < 0 ? this.rowOf(e, sync) : this.adoptFromSecondary(index, e, sync);
          if (r instanceof Promise) waits.push(r.then((d) => d && this.table.adopt(d)));
          else if (r) this.table.adopt(r);
        }
        return waits.length > 0 ? Promise.all(waits).then(step) : step();
      });
    return step();
  }

  private adoptFromSecondary(index: number, e: LeafEntry, sync: boolean): Step<DiskRow | null> {
    const pk = e.key.slice(this.table.secondaries[index]!.specs.length);
    if (this.table.byKey.has(hashKey(pk))) return null;
    return this.lookup(pk, sync);
  }

  /**
   * Bring into memory the first committed record of index `index` (-1: clustered) at or after
   * `key` (`null`: from the start), or with `last`, the last record of the index.
   */
  faultInEnd(index: number, key: readonly KeyPart[] | null, last: boolean, sync: boolean): Step<void> {
    const w = this.walk(index, last ? { reverse: true } : key ? { low: { key: [...key], inclusive: true } } : {}, sync);
    const step = (): Step<void> =>
      then(w.next(), (batch) => {
        if (!batch) return undefined;
        const e = index < 0 ? batch.find((x) => !this.gone(x)) : batch[0];
        if (!e) return step();
        const r = index < 0 ? this.rowOf(e, sync) : this.adoptFromSecondary(index, e, sync);
        return then(r, (d) => {
          if (d) this.table.adopt(d);
        });
      });
    return step();
  }

  /** Bring the first committed record after `key` (at or after it when `inclusive`) into memory. */
  faultInAfter(key: readonly KeyPart[], inclusive: boolean, sync: boolean): Step<void> {
    return then(this.firstAfter(key, inclusive, sync), (d) => {
      if (d) this.table.adopt(d);
    });
  }

  // ------------------------------------------------------------------ writing (checkpoints)

  /** Put `data` in a new chain of BLOB pages; its first page. */
  private writeChain(data: Buffer): number {
    const cap = blobCapacity(this.file.pageSize);
    const pages: { no: number; page: BlobPage }[] = [];
    for (let at = 0; at < data.length; at += cap) {
      const no = this.file.allocate();
      pages.push({ no, page: { kind: 'blob', data: data.subarray(at, at + cap), next: FIL_NULL, gen: 0 } });
    }
    for (let i = 0; i < pages.length; i++) {
      const p = pages[i]!;
      p.page.next = pages[i + 1]?.no ?? FIL_NULL;
      this.pool.create(this.spaceId, p.no, p.page);
    }
    return pages[0]?.no ?? FIL_NULL;
  }

  /** Give an off-page record's pages back to the free list. */
  private async freeChain(first: number, length: number): Promise<void> {
    let left = Math.ceil(length / blobCapacity(this.file.pageSize));
    for (let no = first; no !== FIL_NULL && left > 0; left--) {
      const p = await this.blobPage(no, false);
      const next = p.next;
      this.pool.put(this.spaceId, no, this.file.release(no));
      no = next;
    }
  }

  private stored(keyBytes: number, row: Row, rowId: bigint | null, trxId: bigint): StoredRecord {
    const bytes = encodeRecord(rowId !== null ? [rowId, ...row] : row);
    if (bytes.length <= maxInlineRecord(this.file.pageSize, keyBytes)) return { trxId, inline: bytes };
    return { trxId, first: this.writeChain(bytes), length: bytes.length };
  }

  private secKey(i: number, row: Row, key: readonly KeyPart[]): KeyPart[] {
    return [...this.table.secKey(this.table.secondaries[i]!, row), ...key];
  }

  /**
   * Make the trees hold `c`: its row under its key (with its secondary entries), or nothing.
   * Writers are serialised by the caller (one checkpoint at a time).
   * @req INNODB-CKPT-101 INNODB-BTR-101 INNODB-BTR-102
   */
  async apply(c: CapturedChange): Promise<void> {
    // the entry as the file has it (a record purged but not yet removed from the file included)
    const entry = await retryStale(() => this.clustered.lookup(c.key));
    const old = entry ? await this.rowOf(entry) : null;
    const oldStored = entry ? decodeClusterValue(entry.value) : null;
    const h = this.file.header;
    if (c.row === null) {
      if (!old) return;
      await this.clustered.remove(c.key);
      h.recordCount--;
      for (let i = 0; i < this.secondaries.length; i++) await this.secondaries[i]!.tree.remove(this.secKey(i, old.row, c.key));
    } else {
      const keyBytes = encodeKey(c.key);
      await this.clustered.upsert(c.key, keyBytes, encodeClusterValue(this.stored(keyBytes.length, c.row, c.rowId, c.trxId)));
      if (!old) h.recordCount++;
      for (let i = 0; i < this.secondaries.length; i++) {
        const s = this.secondaries[i]!;
        const k = this.secKey(i, c.row, c.key);
        if (old) {
          const was = this.secKey(i, old.row, c.key);
          if (hashKey(was) === hashKey(k)) continue;
          await s.tree.remove(was);
        }
        await s.tree.upsert(k, encodeKey(k), EMPTY);
      }
    }
    if (oldStored && 'first' in oldStored) await this.freeChain(oldStored.first, oldStored.length);
  }

  /** Pages of this space changed since they were last written. */
  dirtyPages(): { pageNo: number; page: SpacePage }[] {
    return this.pool.dirtyOf(this.spaceId);
  }

  /** Count and check every tree (CHECK TABLE). */
  async validate(): Promise<{ records: number; problems: string[] }> {
    const c = await this.clustered.validate();
    const problems = [...c.problems];
    for (const [i, s] of this.secondaries.entries()) {
      const v = await s.tree.validate();
      problems.push(...v.problems.map((p) => `${this.table.secondaries[i]!.def.name}: ${p}`));
      if (v.entries !== c.entries) problems.push(`index ${this.table.secondaries[i]!.def.name} has ${v.entries} entries, the clustered index ${c.entries}`);
    }
    return { records: c.entries, problems };
  }

  close(): void {
    this.pool.dropSpace(this.spaceId);
    this.file.close();
  }
}
