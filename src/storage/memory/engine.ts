/**
 * The MEMORY storage engine (formerly HEAP): tables whose rows live only in the server's
 * memory. Definitions are kept by the data dictionary; contents vanish at restart. No files.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/memory-storage-engine.html
 * @req MEMORY-001 MEMORY-002 MEMORY-030 MEMORY-033 MEMORY-035 MEMORY-041 MEMORY-042 MEMORY-043
 * @req MEMORY-044 MEMORY-051 MEMORY-070 MEMORY-120 ENGINE-CHOOSE-008 ENGINE-CHOOSE-009 ENGINE-CHOOSE-011
 * @req CORE-ENG-001 CORE-ENG-006 CORE-ENG-008
 */
import type { TableDef } from '../../kernel/table-def.js';
import { sqlError } from '../../kernel/errors.js';
import type { Row, Value } from '../../kernel/value.js';
import type {
  AutoIncrementBlock,
  CursorOptions,
  EngineCapabilities,
  EngineContext,
  IndexRead,
  MaintenanceResult,
  RowCursor,
  RowId,
  RowRef,
  StorageEngine,
  TableHandler,
  TableStats,
} from '../handler.js';
import { compareKeys, hashKey, keyPart, type KeyPart } from '../keys.js';
import {
  DEFAULT_MAX_HEAP_TABLE_SIZE,
  HASH_MIN_ROWS_PER_KEY,
  MEMORY_MAX_KEYS,
  MEMORY_MAX_KEY_LENGTH,
  MEMORY_MAX_KEY_PARTS,
  MIN_MAX_HEAP_TABLE_SIZE,
} from './limits.js';
import { MemoryTableStore, type IndexState } from './table-store.js';

export const MEMORY_CAPABILITIES: EngineCapabilities = {
  transactions: false,
  xa: false,
  savepoints: false,
  blobs: false,
  autoIncrement: true,
  indexes: true,
  indexAlgorithms: ['HASH', 'BTREE'],
  defaultIndexAlgorithm: 'HASH',
  nullableIndexColumns: true,
  foreignKeys: false,
  fulltext: false,
  spatial: false,
  geometry: false,
  partitioning: false,
  nullableColumns: true,
  checkRepair: false,
  lockGranularity: 'table',
  temporaryTables: true,
  maxKeys: MEMORY_MAX_KEYS,
  maxKeyParts: MEMORY_MAX_KEY_PARTS,
  maxKeyLength: MEMORY_MAX_KEY_LENGTH,
};

/** Read a byte size from a variable value, rounding down to a multiple of 1024 (as MySQL's block size does). */
function capFrom(v: Value | undefined): number {
  let n = DEFAULT_MAX_HEAP_TABLE_SIZE;
  if (typeof v === 'bigint') n = Number(v);
  else if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^\d+$/.test(v)) n = Number(v);
  n = Math.floor(n / 1024) * 1024;
  return Math.max(MIN_MAX_HEAP_TABLE_SIZE, n);
}

export interface MemoryEngineOptions {
  /** Global value of a system variable (max_heap_table_size after a restart, MEMORY-044). */
  globalVar?: (name: string) => Value;
}

/**
 * A cursor over row slots chosen when it was opened (index reads) or over every slot that
 * existed then (scans). It returns only rows inserted before it opened: rows deleted since are
 * skipped, and so are rows inserted since, also when they reuse a deleted row's slot or arrive
 * after the table was emptied.
 * @req CORE-ENG-001 CORE-ENG-006 CORE-ENG-008
 */
class SlotCursor implements RowCursor {
  private pos = 0;
  private slots: readonly number[] | null;
  private end: number;
  private readonly mark: number;

  constructor(
    private readonly store: MemoryTableStore,
    slots: readonly number[] | null,
  ) {
    this.slots = slots;
    this.end = slots ? slots.length : store.slotCount;
    this.mark = store.insertMark;
  }

  fill(out: RowRef[], max: number): number {
    let n = 0;
    const store = this.store;
    const slots = this.slots;
    const mark = this.mark;
    while (n < max && this.pos < this.end) {
      const slot = slots ? slots[this.pos]! : this.pos;
      this.pos++;
      const row = store.rowBefore(slot, mark);
      if (!row) continue;
      out.push({ id: slot, row });
      n++;
    }
    return n;
  }

  close(): void {
    this.pos = this.end;
    this.slots = null;
  }
}

class MemoryTableHandler implements TableHandler {
  constructor(
    readonly def: TableDef,
    private readonly store: MemoryTableStore,
  ) {}

  scan(_ctx: EngineContext, _opts: CursorOptions): RowCursor {
    return new SlotCursor(this.store, null);
  }

  indexRead(_ctx: EngineContext, indexName: string, read: IndexRead, _opts: CursorOptions): RowCursor {
    return new SlotCursor(this.store, this.matchingSlots(indexName, read));
  }

  estimateRows(_ctx: EngineContext, indexName: string, read: IndexRead): number {
    return this.matchingSlots(indexName, read).length;
  }

  /** The slots an index read returns, in the order it returns them. */
  private matchingSlots(indexName: string, read: IndexRead): number[] {
    const st = this.store.indexState(indexName);
    if (!st) throw sqlError('ER_KEY_DOES_NOT_EXITS', indexName, this.def.name);
    if (st.kind === 'hash') {
      // A HASH index answers equality on all its parts; anything else is answered by a scan.
      if (read.kind !== 'eq' || read.key.length !== st.def.parts.length) return this.filterScan(st, read);
      return [...(st.map.get(hashKey(this.store.keyFromValues(st, read.key))) ?? [])];
    }
    if (read.kind === 'eq') return [...st.tree.eq(this.store.keyFromValues(st, read.key))].map((e) => e.slot);
    const low = read.low ? { key: this.store.keyFromValues(st, read.low.key), inclusive: read.low.inclusive } : undefined;
    const high = read.high ? { key: this.store.keyFromValues(st, read.high.key), inclusive: read.high.inclusive } : undefined;
    return [...st.tree.range(low, high, read.reverse ?? false)].map((e) => e.slot);
  }

  private filterScan(st: IndexState, read: IndexRead): number[] {
    const cols = st.def.parts.map((p) => p.column);
    const keyOf = (row: Row): KeyPart[] => cols.map((c, i) => keyPart(row[c] ?? null, st.specs[i]!));
    const conv = (vals: Value[]): KeyPart[] => vals.map((v, i) => keyPart(v, st.specs[i] ?? {}));
    const matches: { slot: number; key: KeyPart[] }[] = [];
    for (const r of this.store.scan()) {
      const k = keyOf(r.row);
      if (read.kind === 'eq') {
        if (compareKeys(k, conv(read.key), st.specs) === 0) matches.push({ slot: r.id, key: k });
        continue;
      }
      if (read.low) {
        const c = compareKeys(k, conv(read.low.key), st.specs);
        if (c < 0 || (c === 0 && !read.low.inclusive)) continue;
      }
      if (read.high) {
        const c = compareKeys(k, conv(read.high.key), st.specs);
        if (c > 0 || (c === 0 && !read.high.inclusive)) continue;
      }
      matches.push({ slot: r.id, key: k });
    }
    if (read.kind === 'range') {
      matches.sort((a, b) => compareKeys(a.key, b.key, st.specs));
      if (read.reverse) matches.reverse();
    }
    return matches.map((m) => m.slot);
  }

  stats(_ctx: EngineContext): TableStats {
    const s = this.store;
    const hasAi = this.def.columns.some((c) => c.autoIncrement);
    const st: TableStats = {
      rows: s.rowCount,
      avgRowLength: s.rowBytes,
      dataLength: s.dataLength(),
      maxDataLength: s.maxRecords * s.rowBytes,
      indexLength: s.indexLength(),
      dataFree: s.dataFree(),
      autoIncrement: hasAi ? s.autoInc : null,
      rowFormat: 'Fixed',
    };
    st.keyCardinality = keyCardinality(s);
    st.keyCardinalityComplete = true;
    return st;
  }

  insert(_ctx: EngineContext, row: Row): RowId {
    return this.store.insert(row);
  }

  update(_ctx: EngineContext, id: RowId, _oldRow: Row, newRow: Row): void {
    this.store.update(Number(id), newRow);
  }

  delete(_ctx: EngineContext, id: RowId, _row: Row): void {
    this.store.delete(Number(id));
  }

  truncate(ctx: EngineContext): void {
    this.store.truncate(capFrom(ctx.sessionVar('max_heap_table_size')));
  }

  /** The table lock keeps other writers out, so a block is simply the next `count` values. */
  reserveAutoIncrement(_ctx: EngineContext, count: number): AutoIncrementBlock {
    const first = this.store.autoInc;
    const n = Math.max(1, Math.floor(count));
    this.store.autoInc = first + BigInt(n);
    return { first, count: n };
  }

  observeAutoIncrement(_ctx: EngineContext, value: bigint): void {
    if (value >= this.store.autoInc) this.store.autoInc = value + 1n;
  }

  // No analyze(): MySQL's MEMORY engine does not implement ANALYZE TABLE, which then answers
  // with the note "The storage engine for the table doesn't support analyze". @req CORE-DET-001

  close(): void {
    /* nothing held */
  }
}

/**
 * Index cardinality as MySQL's MEMORY (HEAP) engine estimates it. Only the last column of a
 * HASH index has an estimate: a unique index one row per key (the cardinality is the row
 * count); a non-unique one the rows divided by the distinct keys, at least 2 rows per key (the
 * cardinality is the rows divided by that). The other columns, and BTREE indexes, have none.
 * @req CORE-DET-002
 */
function keyCardinality(s: MemoryTableStore): Map<string, (number | null)[]> {
  const out = new Map<string, (number | null)[]>();
  const rows = s.rowCount;
  for (const idx of s.indexes) {
    const parts: (number | null)[] = idx.def.parts.map(() => null);
    if (idx.kind === 'hash') {
      const buckets = idx.map.size;
      const perKey = idx.unique ? 1 : Math.max(HASH_MIN_ROWS_PER_KEY, buckets > 0 ? Math.floor(rows / buckets) : HASH_MIN_ROWS_PER_KEY);
      parts[parts.length - 1] = Math.floor(rows / perKey);
    }
    out.set(idx.def.name, parts);
  }
  return out;
}

/** @req MEMORY-001 MEMORY-030 MEMORY-044 */
export class MemoryEngine implements StorageEngine {
  readonly name = 'MEMORY';
  readonly aliases = ['HEAP'] as const;
  readonly comment = 'Hash based, stored in memory, useful for temporary tables';
  readonly capabilities = MEMORY_CAPABILITIES;
  private readonly tables = new Map<number, MemoryTableStore>();

  constructor(private readonly options: MemoryEngineOptions = {}) {}

  async init(_datadir: string): Promise<void> {
    /* no files: MEMORY-030 */
  }

  async shutdown(): Promise<void> {
    this.tables.clear();
  }

  async createTable(ctx: EngineContext, def: TableDef): Promise<void> {
    this.tables.set(def.id, new MemoryTableStore(def, capFrom(ctx.sessionVar('max_heap_table_size'))));
  }

  async dropTable(_ctx: EngineContext, def: TableDef): Promise<void> {
    this.tables.delete(def.id);
  }

  async renameTable(_ctx: EngineContext, from: TableDef, to: TableDef): Promise<void> {
    const st = this.tables.get(from.id);
    if (!st) return;
    this.tables.delete(from.id);
    st.redefine(to);
    this.tables.set(to.id, st);
  }

  async openTable(_ctx: EngineContext, def: TableDef): Promise<TableHandler> {
    let st = this.tables.get(def.id);
    if (!st) {
      // First open after a restart: the table is empty and its cap is the global value (MEMORY-044).
      st = new MemoryTableStore(def, capFrom(this.options.globalVar?.('max_heap_table_size') ?? undefined));
      this.tables.set(def.id, st);
    }
    st.redefine(def);
    return new MemoryTableHandler(def, st);
  }

  /** For tests and SHOW TABLE STATUS: the store of a table id, if loaded. */
  storeOf(id: number): MemoryTableStore | undefined {
    return this.tables.get(id);
  }
}
