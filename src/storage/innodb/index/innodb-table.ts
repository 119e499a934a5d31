/**
 * One InnoDB table in memory: its clustered index, whose entries carry version chains, and its
 * secondary indexes.
 *
 * The clustered index is keyed by the primary key; without one, by the first UNIQUE index whose
 * columns are all NOT NULL (and not prefixes); without that, by a hidden 6-byte DB_ROW_ID the
 * engine hands out. Every clustered entry ("record") points at its newest version; each version
 * knows the transaction that wrote it, whether it is a delete mark, and the version it replaced
 * (what InnoDB rebuilds from the undo log through DB_ROLL_PTR).
 *
 * Secondary entries map a key to a record. An entry is added when a version with that key
 * appears and stays while any version of the record still has that key, so a reader through a
 * secondary index checks that the version it may see has the key it came by.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-index-types.html (15.6.2.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-multi-versioning.html (15.3)
 * @req INNODB-MVCC-101 INNODB-MVCC-103 INNODB-IDX-101 INNODB-IDX-102 CORE-PERF-035
 */
import { sqlError } from '../../../kernel/errors.js';
import type { IndexDef, TableDef } from '../../../kernel/table-def.js';
import type { Row, Value } from '../../../kernel/value.js';
import { compareKeys, hashKey, indexKeySpecs, keyPart, keyValueText, type KeyPart, type KeyPartSpec } from '../../keys.js';
import { SortedIndex } from '../../memory/sorted-index.js';
import type { ReadView, TrxRecord } from '../trx/read-view.js';
import type { DiskRow, DiskTable } from './disk-table.js';

/** RowIds are a slot plus its generation times this, so a handle to an evicted record never
 *  names the record that reuses its slot. */
const SLOT_SPAN = 2 ** 32;

export interface Version {
  readonly row: Row;
  readonly trx: TrxRecord;
  readonly deleted: boolean;
  /** The version this one replaced; cut by purge once no view can reach it. */
  prev: Version | null;
}

export interface ClusterRec {
  /** Position in the table's record array (with its generation, the RowId cursors hand out). */
  slot: number;
  /** Changed since a checkpoint last captured it (its committed state is not on disk yet). */
  dirty: boolean;
  /** Captured by a checkpoint that has not finished writing it: it must stay in memory. */
  inFlight: boolean;
  /** The committed version the tablespace holds (as last captured; null: none, the key is not
   *  in the file), so a capture can pass over a record whose only change is not committed. */
  written?: Version | null;
  readonly key: KeyPart[];
  readonly hk: string;
  /** Hidden DB_ROW_ID, for tables clustered on it. */
  readonly rowId: bigint | null;
  head: Version;
  /** Removed from the index (rolled-back insert, or purged); cursors skip it. */
  removed: boolean;
  /** Removed because it was evicted: its one version is what the tablespace holds, so a reader
   *  that still has it may read it (or bring the record back into memory). */
  evicted?: boolean;
}

/** One record of a checkpoint's capture: what its clustered key holds now (null: nothing). */
export interface CapturedChange {
  /** Null for a record purged before its delete was written. */
  readonly rec: ClusterRec | null;
  readonly key: KeyPart[];
  readonly hk: string;
  readonly rowId: bigint | null;
  readonly row: Row | null;
  readonly trxId: bigint;
}

export interface SecondaryIndex {
  readonly def: IndexDef;
  readonly specs: KeyPartSpec[];
  readonly unique: boolean;
  readonly tree: SortedIndex;
  /** `hashKey(key)#slot` of every entry, to add each entry once. */
  readonly present: Set<string>;
}

/** The index InnoDB clusters on: PRIMARY, else the first UNIQUE NOT NULL index without prefixes. @req INNODB-IDX-101 */
export function clusteringIndex(def: TableDef): IndexDef | null {
  const pk = def.indexes.find((i) => i.kind === 'PRIMARY');
  if (pk) return pk;
  return (
    def.indexes.find(
      (i) => i.kind === 'UNIQUE' && i.parts.every((p) => p.length === undefined && !def.columns[p.column]!.nullable),
    ) ?? null
  );
}

export class InnodbTable {
  def: TableDef;
  readonly clustered: IndexDef | null;
  private readonly clusterSpecs: KeyPartSpec[];
  readonly recs: (ClusterRec | undefined)[] = [];
  private readonly free: number[] = [];
  readonly byKey = new Map<string, ClusterRec>();
  /** The same records again by their key when it is one number (an INT primary key): a point
   *  read finds its record without building the key's string. Always a mirror of byKey for
   *  such keys. @req CORE-PERF-035 */
  private readonly byNum = new Map<number, ClusterRec>();
  readonly tree: SortedIndex;
  readonly secondaries: SecondaryIndex[] = [];
  /** Next AUTO_INCREMENT value (persisted through the redo log and the tablespace). */
  autoInc: bigint;
  /** Records whose newest version is not a delete mark (the SHOW TABLE STATUS estimate). */
  liveRows = 0;
  updateTime: number | undefined;
  /** Changed since the last checkpoint wrote it. */
  dirty = false;
  /** The table's B+trees in its tablespace, through the buffer pool; null when every row lives
   *  in memory (temporary tables, tables loaded past corrupt pages). The records in memory are
   *  then an overlay: every record changed since the last checkpoint, every record still
   *  needed by a read view, locked, or read recently; the rest are on disk only. */
  disk: DiskTable | null = null;
  /** Records purged (deleted for every view) before a checkpoint wrote their delete: the file
   *  still has them, so readers of the file skip them until the next checkpoint removes them. */
  readonly purgedUnwritten = new Map<string, { key: KeyPart[]; rowId: bigint | null }>();
  /** Each slot's generation: bumped when the slot is freed. */
  private readonly slotGen: number[] = [];
  /** The row format the table was created with (ROW_FORMAT, else innodb_default_row_format then):
   *  DYNAMIC, COMPACT, REDUNDANT or COMPRESSED. Kept in its tablespace. @req INNODB-DDL-103 */
  rowFormat: string;

  constructor(def: TableDef, defaultRowFormat = 'DYNAMIC') {
    this.def = def;
    const declared = def.options['ROW_FORMAT']?.toUpperCase();
    this.rowFormat = declared && declared !== 'DEFAULT' && declared !== 'FIXED' ? declared : defaultRowFormat.toUpperCase();
    this.clustered = clusteringIndex(def);
    this.clusterSpecs = this.clustered ? indexKeySpecs(def, this.clustered) : [{}];
    this.tree = new SortedIndex(this.clusterSpecs);
    for (const idx of def.indexes) {
      if (idx === this.clustered) continue;
      const specs = indexKeySpecs(def, idx);
      // Equal secondary keys in clustering-key order, as in the secondary B+tree (whose key is
      // the secondary key followed by the clustering key): the entry after a given one is found
      // by binary search however many rows share a key.
      this.secondaries.push({ def: idx, specs, unique: idx.kind === 'UNIQUE', tree: new SortedIndex(specs, this.clusterSpecs), present: new Set() });
    }
    this.autoInc = def.autoIncrementStart > 0n ? def.autoIncrementStart : 1n;
  }

  get hidden(): boolean {
    return this.clustered === null;
  }

  /** Records in memory (the overlay, when the table has a tablespace). */
  get recordCount(): number {
    return this.byKey.size;
  }

  /** The RowId of a record. */
  handle(rec: ClusterRec): number {
    return rec.slot + (this.slotGen[rec.slot] ?? 0) * SLOT_SPAN;
  }

  /** The record a RowId names, if it is still in memory. */
  byHandle(id: number): ClusterRec | undefined {
    const slot = id % SLOT_SPAN;
    const rec = this.recs[slot];
    if (!rec || Math.floor(id / SLOT_SPAN) !== (this.slotGen[slot] ?? 0)) return undefined;
    return rec;
  }

  /** Clustered key of a row (the hidden row id for tables without one). */
  clusterKey(row: Row, rowId: bigint | null): KeyPart[] {
    if (!this.clustered) return [rowId ?? 0n];
    const parts = this.clustered.parts;
    const out: KeyPart[] = new Array(parts.length);
    for (let i = 0; i < parts.length; i++) out[i] = keyPart(row[parts[i]!.column] ?? null, this.clusterSpecs[i]!);
    return out;
  }

  /** Key of a search on the clustered index (values for a prefix of its parts). */
  /** The record in memory whose clustered key is `key` (from searchKey), if any. A key of one
   *  number is looked up by that number first; whatever that misses goes through the key's
   *  string, so both ways find the same records. @req CORE-PERF-035 */
  recordFor(key: readonly KeyPart[]): ClusterRec | undefined {
    if (key.length === 1) {
      const k = key[0];
      if (typeof k === 'number') {
        const rec = this.byNum.get(k);
        if (rec) return rec;
      }
    }
    return this.byKey.get(hashKey(key));
  }

  searchKey(idx: IndexDef, values: readonly Value[]): KeyPart[] {
    const specs = idx === this.clustered ? this.clusterSpecs : this.secondary(idx.name)!.specs;
    return values.map((v, i) => keyPart(v, specs[i]!));
  }

  secondary(name: string): SecondaryIndex | undefined {
    const lower = name.toLowerCase();
    return this.secondaries.find((s) => s.def.name.toLowerCase() === lower);
  }

  secKey(s: SecondaryIndex, row: Row): KeyPart[] {
    const parts = s.def.parts;
    const out: KeyPart[] = new Array(parts.length);
    for (let i = 0; i < parts.length; i++) out[i] = keyPart(row[parts[i]!.column] ?? null, s.specs[i]!);
    return out;
  }


  /** The 1062 error for `row` on `idx`. */
  dupError(idx: IndexDef | null, row: Row): never {
    if (!idx) throw sqlError('ER_DUP_ENTRY', '', `${this.def.name}.PRIMARY`);
    const text = idx.parts
      .map((p) => {
        let v = row[p.column] ?? null;
        if (typeof v === 'string' && p.length !== undefined) v = [...v].slice(0, p.length).join('');
        return keyValueText(v);
      })
      .join('-');
    throw sqlError('ER_DUP_ENTRY', text, `${this.def.name}.${idx.name}`);
  }

  /** A new record for `key`, whose first version is `v`. */
  addRecord(key: KeyPart[], hk: string, rowId: bigint | null, v: Version): ClusterRec {
    const slot = this.free.length > 0 ? this.free.pop()! : this.recs.length;
    const rec: ClusterRec = { slot, key, hk, rowId, head: v, removed: false, dirty: true, inFlight: false };
    this.recs[slot] = rec;
    this.byKey.set(hk, rec);
    if (key.length === 1 && typeof key[0] === 'number') this.byNum.set(key[0], rec);
    this.tree.insert(key, slot);
    this.addSecondaryEntries(rec, v.row);
    if (!v.deleted) this.liveRows++;
    return rec;
  }

  /** Put `v` on top of the record's chain. */
  pushVersion(rec: ClusterRec, v: Version): void {
    const was = !rec.head.deleted;
    v.prev = rec.head;
    rec.head = v;
    rec.dirty = true;
    this.liveRows += (v.deleted ? 0 : 1) - (was ? 1 : 0);
    if (!v.deleted) this.addSecondaryEntries(rec, v.row);
  }

  /** Undo: make `prev` the record's newest version again, or remove the record when it had
   *  none (an insert undone). Secondary entries only the undone version had go too. */
  restore(rec: ClusterRec, undone: Version, prev: Version | null): void {
    const was = !rec.head.deleted;
    if (prev === null) {
      this.liveRows -= was ? 1 : 0;
      this.removeRecord(rec);
      return;
    }
    rec.head = prev;
    rec.dirty = true;
    this.liveRows += (prev.deleted ? 0 : 1) - (was ? 1 : 0);
    if (!undone.deleted) this.dropUnusedSecondaryEntries(rec, undone.row);
  }

  private removeRecord(rec: ClusterRec): void {
    if (rec.removed) return;
    rec.removed = true;
    this.byKey.delete(rec.hk);
    if (rec.key.length === 1 && typeof rec.key[0] === 'number') this.byNum.delete(rec.key[0]);
    this.tree.delete(rec.key, rec.slot);
    for (let v: Version | null = rec.head; v; v = v.prev) this.dropUnusedSecondaryEntries(rec, v.row, true);
    this.recs[rec.slot] = undefined;
    this.slotGen[rec.slot] = (this.slotGen[rec.slot] ?? 0) + 1;
    this.free.push(rec.slot);
  }

  /**
   * A record read from the tablespace joins the records in memory (or the one already there is
   * returned): its one version is the committed row the file holds, written by `trxId`. It
   * adds nothing to the secondary indexes in memory, whose entries the file already has.
   * @req INNODB-BUF-104
   */
  adopt(d: DiskRow): ClusterRec {
    const had = this.byKey.get(d.hk);
    if (had) return had;
    const slot = this.free.length > 0 ? this.free.pop()! : this.recs.length;
    const v: Version = { row: d.row, trx: { id: d.trxId, commitSeq: 0 }, deleted: false, prev: null };
    const rec: ClusterRec = { slot, key: d.key, hk: d.hk, rowId: d.rowId, head: v, removed: false, dirty: false, inFlight: false, written: v };
    this.recs[slot] = rec;
    this.byKey.set(d.hk, rec);
    if (d.key.length === 1 && typeof d.key[0] === 'number') this.byNum.set(d.key[0], rec);
    this.tree.insert(d.key, slot);
    return rec;
  }

  /** The record for an evicted one a reader still holds: the one in memory now, or the same
   *  committed version brought back. */
  readopt(rec: ClusterRec): ClusterRec {
    return this.byKey.get(rec.hk) ?? this.adopt({ key: rec.key, keyBytes: Buffer.alloc(0), hk: rec.hk, rowId: rec.rowId, row: rec.head.row, trxId: rec.head.trx.id });
  }

  /** Whether a record may leave memory: its newest version is committed, seen by every open
   *  view, alone in its chain, and on disk. */
  evictable(rec: ClusterRec, horizon: number): boolean {
    return !rec.removed && !rec.dirty && !rec.inFlight && rec.head.prev === null && rec.head.trx.commitSeq <= horizon;
  }

  /**
   * Drop records from memory that the tablespace holds as they are (`locked` keeps those a
   * transaction has locked: its handle must stay valid). Returns how many left.
   * @req INNODB-BUF-104
   */
  evict(horizon: number, locked: (hk: string) => boolean, keep: number): number {
    if (!this.disk) return 0;
    let n = 0;
    for (const rec of this.byKey.values()) {
      if (this.byKey.size <= keep) break;
      if (!this.evictable(rec, horizon) || locked(rec.hk)) continue;
      // A deleted record the file no longer has goes like a purged one; a live one is on disk.
      const live = !rec.head.deleted;
      this.removeRecord(rec);
      rec.evicted = true;
      if (!live) continue;
      n++;
    }
    return n;
  }

  addSecondaryEntries(rec: ClusterRec, row: Row): void {
    for (const s of this.secondaries) {
      const key = this.secKey(s, row);
      const id = hashKey(key) + '#' + rec.slot;
      if (s.present.has(id)) continue;
      s.present.add(id);
      s.tree.insert(key, rec.slot, rec.key);
    }
  }

  /** Remove the secondary entries of `row`'s keys that no remaining version of the record has
   *  (all of them when `all`: the record is going away). */
  private dropUnusedSecondaryEntries(rec: ClusterRec, row: Row, all = false): void {
    for (const s of this.secondaries) {
      const key = this.secKey(s, row);
      const h = hashKey(key);
      if (!all) {
        let used = false;
        for (let v: Version | null = rec.head; v && !used; v = v.prev) used = hashKey(this.secKey(s, v.row)) === h;
        if (used) continue;
      }
      const id = h + '#' + rec.slot;
      if (!s.present.delete(id)) continue;
      s.tree.delete(key, rec.slot, rec.key);
    }
  }

  /**
   * Purge one record: versions older than the newest one every open view sees are cut; a record
   * whose surviving newest version is a committed delete mark leaves the index.
   * @req INNODB-REC-020 INNODB-MVCC-104
   */
  purge(rec: ClusterRec, horizon: number): void {
    if (rec.removed) return;
    let v: Version | null = rec.head;
    while (v && v.trx.commitSeq > horizon) v = v.prev;
    if (!v) return;
    const cut = v.prev;
    v.prev = null;
    if (v === rec.head && v.deleted) {
      // With a tablespace whose file still has the row, the delete is remembered for the next
      // checkpoint to write, and readers of the file skip the row meanwhile.
      if (this.disk && (rec.dirty || rec.inFlight)) this.purgedUnwritten.set(rec.hk, { key: rec.key, rowId: rec.rowId });
      this.removeRecord(rec);
      return;
    }
    for (let old: Version | null = cut; old; old = old.prev) if (!old.deleted) this.dropUnusedSecondaryEntries(rec, old.row);
  }

  /**
   * Exchange the slots (RowIds) of two records. When an UPDATE changes the clustering key, the
   * row moves to another record; the server still holds the old record's handle for the row,
   * so the record now holding the row takes that handle over.
   * @req INNODB-IDX-103
   */
  swapSlots(a: ClusterRec, b: ClusterRec): void {
    const sa = a.slot;
    const sb = b.slot;
    const aKeys = this.detachSlot(a);
    const bKeys = this.detachSlot(b);
    a.slot = sb;
    b.slot = sa;
    this.recs[sb] = a;
    this.recs[sa] = b;
    this.attachSlot(a, aKeys);
    this.attachSlot(b, bKeys);
  }

  /** Remove a record's index entries (clustered and secondary); returns the secondary keys it had. */
  private detachSlot(rec: ClusterRec): { s: SecondaryIndex; key: KeyPart[] }[] {
    this.tree.delete(rec.key, rec.slot);
    const had: { s: SecondaryIndex; key: KeyPart[] }[] = [];
    for (const s of this.secondaries) {
      for (let v: Version | null = rec.head; v; v = v.prev) {
        const key = this.secKey(s, v.row);
        const id = hashKey(key) + '#' + rec.slot;
        if (!s.present.delete(id)) continue;
        s.tree.delete(key, rec.slot, rec.key);
        had.push({ s, key });
      }
    }
    return had;
  }

  private attachSlot(rec: ClusterRec, keys: { s: SecondaryIndex; key: KeyPart[] }[]): void {
    this.tree.insert(rec.key, rec.slot);
    for (const { s, key } of keys) {
      s.present.add(hashKey(key) + '#' + rec.slot);
      s.tree.insert(key, rec.slot, rec.key);
    }
  }

  /**
   * Loading and redo replay: make `row` the committed content of its record (or remove the
   * record when `deleted`), with no history. Only at startup, when no view or transaction exists.
   * @req INNODB-REC-010
   */
  applyCommitted(row: Row, rowId: bigint | null, deleted: boolean, trx: TrxRecord): void {
    const key = this.clusterKey(row, rowId);
    const hk = hashKey(key);
    let rec = this.byKey.get(hk);
    if (!rec && this.disk) {
      const d = this.disk.lookupSync(key);
      if (d) rec = this.adopt(d);
    }
    if (rec && this.disk) {
      // The record stays, with the replayed row (or a delete mark) for the next checkpoint to write.
      this.liveRows += (deleted ? 0 : 1) - (rec.head.deleted ? 0 : 1);
      rec.head = { row, trx, deleted, prev: null };
      rec.dirty = true;
      if (!deleted) this.addSecondaryEntries(rec, row);
      return;
    }
    if (rec) {
      this.liveRows -= rec.head.deleted ? 0 : 1;
      this.removeRecord(rec);
    }
    if (!deleted) this.addRecord(key, hk, rowId, { row, trx, deleted: false, prev: null });
  }

  /**
   * A checkpoint's capture, with a tablespace: the newest committed state of every record
   * changed since the last capture (a row, or null for a record that has none), in clustering
   * key order. Records are marked in flight until {@link captured} says they are written; one
   * whose newest version is not committed yet stays dirty for the next checkpoint.
   * @req INNODB-CKPT-101
   */
  captureDirty(): CapturedChange[] {
    const out: CapturedChange[] = [];
    for (const rec of this.byKey.values()) {
      if (!rec.dirty) continue;
      let v: Version | null = rec.head;
      while (v && v.trx.commitSeq === Infinity) v = v.prev;
      rec.dirty = v !== rec.head;
      // Only uncommitted changes since the last capture: the file already holds the committed one.
      if (rec.dirty && rec.written !== undefined && (rec.written === v || (rec.written?.deleted && v?.deleted) || (rec.written === null && (v === null || v.deleted)))) continue;
      rec.written = v;
      rec.inFlight = true;
      out.push({ rec, key: rec.key, hk: rec.hk, rowId: rec.rowId, row: v && !v.deleted ? v.row : null, trxId: v ? v.trx.id : 0n });
    }
    for (const [hk, p] of this.purgedUnwritten) {
      // a record in memory with that key says what the key holds now
      if (this.byKey.has(hk)) this.purgedUnwritten.delete(hk);
      else out.push({ rec: null, key: p.key, hk, rowId: p.rowId, row: null, trxId: 0n });
    }
    out.sort((a, b) => compareKeys(a.key, b.key, this.clusterSpecs));
    return out;
  }

  /** The capture is on disk (or failed: `ok` false makes its records dirty again). */
  captured(list: readonly CapturedChange[], ok: boolean): void {
    for (const c of list) {
      if (!c.rec) {
        if (ok) this.purgedUnwritten.delete(c.hk);
        continue;
      }
      c.rec.inFlight = false;
      if (!ok) {
        c.rec.dirty = true;
        c.rec.written = undefined;
      }
    }
  }

  /** Key order of the clustered index. */
  compareCluster(a: readonly KeyPart[], b: readonly KeyPart[]): number {
    return compareKeys(a, b, this.clusterSpecs);
  }

  get clusterKeySpecs(): readonly KeyPartSpec[] {
    return this.clusterSpecs;
  }

  /** Largest hidden row id in use (the row-id counter restarts above it). */
  maxRowId(): bigint {
    let m = 0n;
    for (const rec of this.byKey.values()) if (rec.rowId !== null && rec.rowId > m) m = rec.rowId;
    return m;
  }

  /** Drop every record (TRUNCATE recreates the table; nothing survives). */
  clear(): void {
    this.recs.length = 0;
    this.free.length = 0;
    this.byKey.clear();
    this.byNum.clear();
    this.tree.clear();
    for (const s of this.secondaries) {
      s.tree.clear();
      s.present.clear();
    }
    this.liveRows = 0;
  }
}

/**
 * The version of `rec` a reader sees: through `view` (consistent read), the newest committed
 * one (`view` null and `latestCommitted`), or the newest of all (READ UNCOMMITTED, current
 * reads under a lock). Null when none is visible or the visible one is a delete mark.
 * @req INNODB-MVCC-101 INNODB-MVCC-102
 */
export function visibleVersion(rec: ClusterRec, view: ReadView | null, creator: bigint, latestCommitted: boolean): Version | null {
  let v: Version | null = rec.head;
  if (view) {
    while (v && !view.sees(v.trx.id, creator)) v = v.prev;
  } else if (latestCommitted) {
    while (v && v.trx.commitSeq === Infinity && !(creator !== 0n && v.trx.id === creator)) v = v.prev;
  }
  if (!v || v.deleted) return null;
  return v;
}

