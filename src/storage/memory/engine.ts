/**
 * The MEMORY storage engine (formerly HEAP): tables whose rows live only in the server's
 * memory. Definitions are kept by the data dictionary; contents vanish at restart. No files.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/memory-storage-engine.html
 * @req MEMORY-001 MEMORY-002 MEMORY-030 MEMORY-033 MEMORY-035 MEMORY-041 MEMORY-042 MEMORY-043
 * @req MEMORY-044 MEMORY-051 MEMORY-070 MEMORY-120 ENGINE-CHOOSE-008 ENGINE-CHOOSE-009 ENGINE-CHOOSE-011
 */
import type { TableDef } from '../../kernel/table-def.js';
import type { Row, Value } from '../../kernel/value.js';
import type {
  EngineCapabilities,
  EngineContext,
  IndexRead,
  MaintenanceResult,
  RowId,
  RowRef,
  StorageEngine,
  TableHandler,
  TableStats,
} from '../handler.js';
import { compareKeys, hashKey, keyPart, type KeyPart, type KeyPartSpec } from '../keys.js';
import {
  DEFAULT_MAX_HEAP_TABLE_SIZE,
  MEMORY_MAX_KEYS,
  MEMORY_MAX_KEY_LENGTH,
  MEMORY_MAX_KEY_PARTS,
  MIN_MAX_HEAP_TABLE_SIZE,
} from './limits.js';
import { MemoryTableStore } from './table-store.js';

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

class MemoryTableHandler implements TableHandler {
  constructor(
    readonly def: TableDef,
    private readonly store: MemoryTableStore,
  ) {}

  scan(_ctx: EngineContext): Iterable<RowRef> {
    return this.store.scan();
  }

  *indexRead(_ctx: EngineContext, indexName: string, read: IndexRead): Iterable<RowRef> {
    const st = this.store.indexState(indexName);
    if (!st) return;
    if (st.kind === 'hash') {
      if (read.kind !== 'eq') {
        // A HASH index cannot serve ranges; answer by filtering a scan so callers stay correct.
        yield* this.filterScan(st.def.parts.map((p) => p.column), st, read);
        return;
      }
      const key = this.store.keyFromValues(st, read.key);
      if (read.key.length === st.def.parts.length) {
        const slots = st.map.get(hashKey(key));
        if (!slots) return;
        for (const s of [...slots]) {
          const row = this.store.row(s);
          if (row) yield { id: s, row };
        }
        return;
      }
      yield* this.filterScan(st.def.parts.map((p) => p.column), st, read);
      return;
    }
    if (read.kind === 'eq') {
      const key = this.store.keyFromValues(st, read.key);
      for (const e of [...st.tree.eq(key)]) {
        const row = this.store.row(e.slot);
        if (row) yield { id: e.slot, row };
      }
      return;
    }
    const low = read.low ? { key: this.store.keyFromValues(st, read.low.key), inclusive: read.low.inclusive } : undefined;
    const high = read.high ? { key: this.store.keyFromValues(st, read.high.key), inclusive: read.high.inclusive } : undefined;
    for (const e of [...st.tree.range(low, high, read.reverse ?? false)]) {
      const row = this.store.row(e.slot);
      if (row) yield { id: e.slot, row };
    }
  }

  private *filterScan(
    cols: number[],
    st: { specs: KeyPartSpec[] },
    read: IndexRead,
  ): Iterable<RowRef> {
    const keyOf = (row: Row): KeyPart[] => cols.map((c, i) => keyPart(row[c] ?? null, st.specs[i]!));
    const conv = (vals: Value[]): KeyPart[] => vals.map((v, i) => keyPart(v, st.specs[i] ?? {}));
    const matches: RowRef[] = [];
    for (const r of this.store.scan()) {
      const k = keyOf(r.row);
      if (read.kind === 'eq') {
        if (compareKeys(k, conv(read.key), st.specs) === 0) matches.push(r);
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
      matches.push(r);
    }
    if (read.kind === 'range') {
      matches.sort((a, b) => compareKeys(keyOf(a.row), keyOf(b.row), st.specs));
      if (read.reverse) matches.reverse();
    }
    yield* matches;
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
    return st;
  }

  async insert(_ctx: EngineContext, row: Row): Promise<RowId> {
    return this.store.insert(row);
  }

  async update(_ctx: EngineContext, id: RowId, _oldRow: Row, newRow: Row): Promise<void> {
    this.store.update(Number(id), newRow);
  }

  async delete(_ctx: EngineContext, id: RowId, _row: Row): Promise<void> {
    this.store.delete(Number(id));
  }

  async truncate(ctx: EngineContext): Promise<void> {
    this.store.truncate(capFrom(ctx.sessionVar('max_heap_table_size')));
  }

  nextAutoIncrement(_ctx: EngineContext): bigint {
    const v = this.store.autoInc;
    this.store.autoInc = v + 1n;
    return v;
  }

  observeAutoIncrement(_ctx: EngineContext, value: bigint): void {
    if (value >= this.store.autoInc) this.store.autoInc = value + 1n;
  }

  async analyze(_ctx: EngineContext): Promise<MaintenanceResult[]> {
    return [{ msgType: 'status', msgText: 'OK' }];
  }

  async close(): Promise<void> {
    /* nothing held */
  }
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
