/**
 * The contents of one MEMORY table: fixed-size row slots, a free list of deleted slots, the
 * HASH and BTREE indexes, the AUTO_INCREMENT counter and the size cap. It lives as long as the
 * server process (a restart empties it; the definition survives in the dictionary).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/memory-storage-engine.html
 * @req MEMORY-001 MEMORY-030 MEMORY-031 MEMORY-032 MEMORY-034 MEMORY-041 MEMORY-042 MEMORY-043
 * @req MEMORY-050 MEMORY-053 MEMORY-054 MEMORY-101 MEMORY-102 MEMORY-104 CORE-DDL-042 CORE-ENG-008
 */
import type { IndexDef, TableDef } from '../../kernel/table-def.js';
import { recordLength, storedKeyLength } from '../../kernel/column-size.js';
import { sqlError } from '../../kernel/errors.js';
import type { Row, Value } from '../../kernel/value.js';
import { hashKey, hasNull, indexKeySpecs, keyPart, keyValueText, type KeyPart, type KeyPartSpec } from '../keys.js';
import { BTREE_KEY_ROW_OVERHEAD, HASH_KEY_ROW_COST, POINTER_SIZE } from './limits.js';
import { SortedIndex } from './sorted-index.js';

interface HashIndexState {
  kind: 'hash';
  def: IndexDef;
  unique: boolean;
  specs: KeyPartSpec[];
  map: Map<string, number[]>;
}

interface SortedIndexState {
  kind: 'btree';
  def: IndexDef;
  unique: boolean;
  specs: KeyPartSpec[];
  tree: SortedIndex;
  /** Unique checks go through a hash of the folded key, for speed. */
  uniq?: Map<string, number>;
}

export type IndexState = HashIndexState | SortedIndexState;

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

export class MemoryTableStore {
  def: TableDef;
  private slots: (Row | undefined)[] = [];
  /** Insertion number of the row in each slot: a cursor returns only rows numbered below the
   *  mark taken when it opened, so rows inserted later (also into reused slots) stay unseen. */
  private births: number[] = [];
  private nextBirth = 0;
  private free: number[] = [];
  private live = 0;
  readonly indexes: IndexState[] = [];
  autoInc: bigint;
  /** Byte cap taken from max_heap_table_size at CREATE / TRUNCATE / ALTER (or restart). */
  capBytes: number;
  maxRecords = 0;
  readonly rowBytes: number;
  readonly keyBytesPerRow: number;
  updateTime: number | undefined;

  constructor(def: TableDef, capBytes: number) {
    this.def = def;
    this.autoInc = def.autoIncrementStart > 0n ? def.autoIncrementStart : 1n;
    this.capBytes = capBytes;
    let keyBytes = 0;
    for (const idx of def.indexes) {
      const specs = indexKeySpecs(def, idx);
      const unique = idx.kind === 'PRIMARY' || idx.kind === 'UNIQUE';
      if (idx.algorithm === 'BTREE') {
        const st: SortedIndexState = { kind: 'btree', def: idx, unique, specs, tree: new SortedIndex(specs) };
        if (unique) st.uniq = new Map();
        this.indexes.push(st);
        keyBytes += storedKeyLength(def, idx) + BTREE_KEY_ROW_OVERHEAD;
      } else {
        this.indexes.push({ kind: 'hash', def: idx, unique, specs, map: new Map() });
        keyBytes += HASH_KEY_ROW_COST;
      }
    }
    // The manual's per-row formula (MEMORY-102): ALIGN(row length + 1, pointer size).
    this.rowBytes = align(recordLength(def) + 1, POINTER_SIZE);
    this.keyBytesPerRow = keyBytes;
    this.computeMaxRecords();
  }

  /**
   * Take a new definition of the same table (rename, metadata-only ALTER). The key structure is
   * unchanged, so the index states keep their data and only pick up the new index definitions
   * (names, comments, visibility) by position.
   * @req CORE-DDL-042
   */
  redefine(def: TableDef): void {
    this.def = def;
    if (def.indexes.length !== this.indexes.length) return;
    def.indexes.forEach((idx, i) => {
      this.indexes[i]!.def = idx;
    });
  }

  /** Rows that fit under the cap (MEMORY-102), further limited by MAX_ROWS (MEMORY-104, A-16). */
  private computeMaxRecords(): void {
    const perRow = this.rowBytes + this.keyBytesPerRow;
    let max = Math.max(1, Math.floor(this.capBytes / perRow));
    const maxRowsOpt = this.def.options['MAX_ROWS'];
    if (maxRowsOpt !== undefined) {
      const m = Number(maxRowsOpt);
      if (Number.isFinite(m) && m > 0 && m < max) max = m;
    }
    this.maxRecords = max;
  }

  /** Bytes per row by the MEMORY-102 formula. */
  memPerRow(): number {
    return this.rowBytes + this.keyBytesPerRow;
  }

  get rowCount(): number {
    return this.live;
  }

  get slotCount(): number {
    return this.slots.length;
  }

  private keyOf(st: IndexState, row: Row): KeyPart[] {
    return st.def.parts.map((p, i) => keyPart(row[p.column] ?? null, st.specs[i]!));
  }

  private dupError(st: IndexState, row: Row): never {
    const text = st.def.parts
      .map((p) => {
        let v = row[p.column] ?? null;
        if (typeof v === 'string' && p.length !== undefined) v = [...v].slice(0, p.length).join('');
        return keyValueText(v);
      })
      .join('-');
    throw sqlError('ER_DUP_ENTRY', text, `${this.def.name}.${st.def.name}`);
  }

  /** Slot of a row with the same unique key, or -1. */
  private findUnique(st: IndexState, key: KeyPart[]): number {
    const h = hashKey(key);
    if (st.kind === 'hash') {
      const list = st.map.get(h);
      return list && list.length > 0 ? list[0]! : -1;
    }
    return st.uniq?.get(h) ?? -1;
  }

  private checkUnique(row: Row, ignoreSlot: number): void {
    for (const st of this.indexes) {
      if (!st.unique) continue;
      const key = this.keyOf(st, row);
      if (hasNull(key)) continue; // NULLs never collide in a UNIQUE index
      const other = this.findUnique(st, key);
      if (other !== -1 && other !== ignoreSlot) this.dupError(st, row);
    }
  }

  private addKeys(row: Row, slot: number): void {
    for (const st of this.indexes) {
      const key = this.keyOf(st, row);
      const h = hashKey(key);
      if (st.kind === 'hash') {
        const list = st.map.get(h);
        if (list) list.push(slot);
        else st.map.set(h, [slot]);
      } else {
        st.tree.insert(key, slot);
        if (st.uniq && !hasNull(key)) st.uniq.set(h, slot);
      }
    }
  }

  private removeKeys(row: Row, slot: number): void {
    for (const st of this.indexes) {
      const key = this.keyOf(st, row);
      const h = hashKey(key);
      if (st.kind === 'hash') {
        const list = st.map.get(h);
        if (!list) continue;
        const i = list.indexOf(slot);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) st.map.delete(h);
      } else {
        st.tree.delete(key, slot);
        if (st.uniq && st.uniq.get(h) === slot) st.uniq.delete(h);
      }
    }
  }

  /** Insert a row; 1062 on a unique violation, 1114 when the cap is reached. Deleted slots are reused first. */
  insert(row: Row): number {
    this.checkUnique(row, -1);
    let slot: number;
    if (this.free.length > 0) slot = this.free.pop()!;
    else {
      if (this.slots.length >= this.maxRecords) throw sqlError('ER_RECORD_FILE_FULL', this.def.name);
      slot = this.slots.length;
      this.slots.push(undefined);
    }
    const copy = row.slice();
    this.slots[slot] = copy;
    this.births[slot] = this.nextBirth++;
    this.addKeys(copy, slot);
    this.live++;
    this.updateTime = Date.now();
    return slot;
  }

  update(slot: number, newRow: Row): void {
    const old = this.slots[slot];
    if (!old) throw sqlError('ER_KEY_NOT_FOUND', this.def.name);
    this.checkUnique(newRow, slot);
    this.removeKeys(old, slot);
    const copy = newRow.slice();
    this.slots[slot] = copy;
    this.addKeys(copy, slot);
    this.updateTime = Date.now();
  }

  delete(slot: number): void {
    const old = this.slots[slot];
    if (!old) throw sqlError('ER_KEY_NOT_FOUND', this.def.name);
    this.removeKeys(old, slot);
    this.slots[slot] = undefined;
    this.free.push(slot);
    this.live--;
    this.updateTime = Date.now();
    // Deleting the last row releases everything, as MEMORY does when the table becomes empty.
    if (this.live === 0) this.clearRows();
  }

  private clearRows(): void {
    // Insertion numbers keep growing, so cursors opened before the table emptied see none of
    // the rows inserted after.
    this.slots = [];
    this.births = [];
    this.free = [];
    this.live = 0;
    for (const st of this.indexes) {
      if (st.kind === 'hash') st.map.clear();
      else {
        st.tree.clear();
        st.uniq?.clear();
      }
    }
  }

  /** TRUNCATE: drop all rows and take the cap anew (MEMORY-043). */
  truncate(capBytes: number): void {
    this.clearRows();
    this.capBytes = capBytes;
    this.computeMaxRecords();
    this.autoInc = this.def.autoIncrementStart > 0n ? this.def.autoIncrementStart : 1n;
    this.updateTime = Date.now();
  }

  row(slot: number): Row | undefined {
    return this.slots[slot];
  }

  /** The mark a cursor takes when it opens: rows inserted from now on are numbered at or above it. */
  get insertMark(): number {
    return this.nextBirth;
  }

  /**
   * The row in `slot` if it was inserted before `mark` (a cursor's opening mark) and is still
   * there; rows deleted since, and rows inserted since (also into a reused slot), are skipped.
   * @req CORE-ENG-008
   */
  rowBefore(slot: number, mark: number): Row | undefined {
    const row = this.slots[slot];
    return row !== undefined && this.births[slot]! < mark ? row : undefined;
  }

  *scan(): Iterable<{ id: number; row: Row }> {
    // Bounded by the slot count at the start, so rows inserted during the scan are not revisited.
    const n = this.slots.length;
    for (let i = 0; i < n; i++) {
      const r = this.slots[i];
      if (r) yield { id: i, row: r };
    }
  }

  indexState(name: string): IndexState | undefined {
    return this.indexes.find((s) => s.def.name === name);
  }

  keyFromValues(st: IndexState, values: readonly Value[]): KeyPart[] {
    return values.map((v, i) => keyPart(v, st.specs[i] ?? {}));
  }

  dataLength(): number {
    return this.slots.length * this.rowBytes;
  }

  indexLength(): number {
    return this.slots.length * this.keyBytesPerRow;
  }

  dataFree(): number {
    return this.free.length * this.rowBytes;
  }
}
