/**
 * The ARCHIVE storage engine: rows compressed with zlib into one `.ARZ` file per table, written
 * only by INSERT and REPLACE and read by full scans. UPDATE, DELETE and TRUNCATE are refused
 * (1031); the one index allowed is on the AUTO_INCREMENT column and is answered by scanning.
 * OPTIMIZE and REPAIR rewrite the file in large members; CHECK reads every row back.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/archive-storage-engine.html (16.5)
 * @req ARCHIVE-001 ARCHIVE-002 ARCHIVE-003 ARCHIVE-004 ARCHIVE-005 ARCHIVE-010 ARCHIVE-011 ARCHIVE-012
 * @req ARCHIVE-014 ARCHIVE-020 ARCHIVE-021 ARCHIVE-023 ARCHIVE-024 ARCHIVE-025 ARCHIVE-026 ARCHIVE-042
 * @req ARCHIVE-043 ARCHIVE-050 ARCHIVE-051 ARCHIVE-052 ARCHIVE-053
 */
import { existsSync, mkdirSync, readdirSync, renameSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sqlError } from '../../kernel/errors.js';
import { encodeFileName } from '../../kernel/file-names.js';
import type { IndexDef, TableDef } from '../../kernel/table-def.js';
import { Decimal, type Row, type Value } from '../../kernel/value.js';
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
import { memberRecords } from './arz-file.js';
import { ARCHIVE_MAX_KEYS, ARCHIVE_MAX_KEY_LENGTH, ARCHIVE_MAX_KEY_PARTS, ARCHIVE_MIN_BULK_ROWS, ARN_EXTENSION, ARZ_EXTENSION } from './limits.js';
import { ArchiveCorruptError, unpackRow } from './row-codec.js';
import { ArchiveTableStore, type ReadSnapshot } from './table-store.js';

/** @req ARCHIVE-002 ARCHIVE-014 ARCHIVE-020 ARCHIVE-025 */
export const ARCHIVE_CAPABILITIES: EngineCapabilities = {
  transactions: false,
  xa: false,
  savepoints: false,
  blobs: true,
  autoIncrement: true,
  indexes: true,
  indexAlgorithms: ['BTREE'],
  defaultIndexAlgorithm: 'BTREE',
  nullableIndexColumns: true,
  foreignKeys: false,
  fulltext: false,
  spatial: false,
  geometry: true,
  partitioning: false,
  nullableColumns: true,
  checkRepair: true,
  lockGranularity: 'row',
  temporaryTables: true,
  maxKeys: ARCHIVE_MAX_KEYS,
  maxKeyParts: ARCHIVE_MAX_KEY_PARTS,
  maxKeyLength: ARCHIVE_MAX_KEY_LENGTH,
};

/** Prefix of the files of temporary ARCHIVE tables (removed at startup). */
const TEMP_PREFIX = '#sql_archive_';

/**
 * A full scan over the rows a snapshot fixed when it was opened, one member inflated at a time
 * (no row cache). Columns the statement does not read are stepped over. @req ARCHIVE-024
 * ARCHIVE-050 ARCHIVE-051
 */
class ScanCursor implements RowCursor {
  private snap: ReadSnapshot | null;
  private member = 0;
  private raw: Buffer | null = null;
  private records: Array<[number, number]> = [];
  private rec = 0;
  private firstRow = 0;
  private returned = 0;
  private readonly wanted: boolean[] | undefined;

  constructor(
    private readonly store: ArchiveTableStore,
    snap: ReadSnapshot,
    columns: readonly number[] | undefined,
  ) {
    this.snap = snap;
    if (columns) {
      this.wanted = new Array<boolean>(store.layout.columns).fill(false);
      for (const c of columns) this.wanted[c] = true;
    }
  }

  fill(out: RowRef[], max: number): number {
    const snap = this.snap;
    if (!snap) return 0;
    let n = 0;
    try {
      while (n < max && this.returned < snap.rows) {
        if (this.raw === null || this.rec >= this.records.length) {
          const m = snap.data.members[this.member++];
          if (!m) throw new ArchiveCorruptError('fewer rows than the table counts');
          const r = memberRecords(snap.data.read(m), this.store.layout);
          this.raw = r.raw;
          this.records = r.records;
          this.rec = 0;
          this.firstRow = m.firstRow;
          continue;
        }
        const [s, e] = this.records[this.rec]!;
        const row = unpackRow(this.store.layout, this.raw, s, e, this.wanted);
        out.push({ id: this.firstRow + this.rec, row });
        this.rec++;
        this.returned++;
        n++;
      }
    } catch (err) {
      if (!(err instanceof ArchiveCorruptError)) throw err;
      this.close();
      this.store.crashed = err.message;
      throw sqlError('ER_CRASHED_ON_USAGE', this.store.def.name);
    }
    if (n === 0) this.close();
    return n;
  }

  close(): void {
    if (!this.snap) return;
    this.snap.data.release();
    this.snap = null;
    this.raw = null;
    this.records = [];
  }
}

/** Rows already chosen (index reads), handed out in batches. */
class ListCursor implements RowCursor {
  private pos = 0;
  constructor(private rows: RowRef[]) {}
  fill(out: RowRef[], max: number): number {
    let n = 0;
    while (n < max && this.pos < this.rows.length) {
      out.push(this.rows[this.pos++]!);
      n++;
    }
    return n;
  }
  close(): void {
    this.pos = this.rows.length;
    this.rows = [];
  }
}

/** Order of key values: NULL first, integers by value, others by their number. */
function compareKey(a: Value, b: Value): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const na = a instanceof Decimal ? a.toNumber() : Number(a);
  const nb = b instanceof Decimal ? b.toNumber() : Number(b);
  return na < nb ? -1 : na > nb ? 1 : 0;
}

class ArchiveTableHandler implements TableHandler {
  private closed = false;

  constructor(
    readonly def: TableDef,
    private readonly store: ArchiveTableStore,
  ) {}

  scan(_ctx: EngineContext, opts: CursorOptions): RowCursor {
    return new ScanCursor(this.store, this.store.snapshot(), opts.columns);
  }

  private index(name: string): IndexDef {
    const idx = this.def.indexes.find((i) => i.name === name);
    if (!idx) throw sqlError('ER_KEY_DOES_NOT_EXITS', name, this.def.name);
    return idx;
  }

  /**
   * The AUTO_INCREMENT index holds no entries of its own: a read through it scans the table and
   * keeps the matching rows, in key order for ranges. @req ARCHIVE-020 ARCHIVE-051
   */
  indexRead(_ctx: EngineContext, indexName: string, read: IndexRead, _opts: CursorOptions): RowCursor {
    const idx = this.index(indexName);
    const col = idx.parts[0]!.column;
    const desc = idx.parts[0]!.desc === true;
    const cmp = (a: Value, b: Value): number => (desc ? -compareKey(a, b) : compareKey(a, b));
    const matches: RowRef[] = [];
    const all = new ScanCursor(this.store, this.store.snapshot(), undefined);
    const batch: RowRef[] = [];
    try {
      for (;;) {
        batch.length = 0;
        if (all.fill(batch, 512) === 0) break;
        for (const r of batch) {
          const v = r.row[col] ?? null;
          if (read.kind === 'eq') {
            if (read.key.length === 0 || cmp(v, read.key[0] ?? null) === 0) matches.push(r);
            continue;
          }
          if (read.low && read.low.key.length > 0) {
            const c = cmp(v, read.low.key[0] ?? null);
            if (c < 0 || (c === 0 && !read.low.inclusive)) continue;
          }
          if (read.high && read.high.key.length > 0) {
            const c = cmp(v, read.high.key[0] ?? null);
            if (c > 0 || (c === 0 && !read.high.inclusive)) continue;
          }
          matches.push(r);
        }
      }
    } finally {
      all.close();
    }
    matches.sort((a, b) => cmp(a.row[col] ?? null, b.row[col] ?? null) || Number(a.id) - Number(b.id));
    if (read.kind === 'range' && read.reverse) matches.reverse();
    return new ListCursor(matches);
  }

  estimateRows(_ctx: EngineContext, indexName: string, read: IndexRead): number {
    const idx = this.index(indexName);
    const unique = idx.kind === 'PRIMARY' || idx.kind === 'UNIQUE';
    if (read.kind === 'eq' && unique && read.key.length > 0 && read.key[0] !== null) return 1;
    return Math.max(1, this.store.rows);
  }

  /** @req ARCHIVE-005 ARCHIVE-052 */
  stats(_ctx: EngineContext): TableStats {
    const s = this.store;
    const rows = s.rows;
    const size = s.fileSize;
    return {
      rows,
      avgRowLength: rows > 0 ? Math.floor(size / rows) : 0,
      dataLength: size,
      maxDataLength: 0,
      indexLength: 0,
      dataFree: 0,
      autoIncrement: s.autoCol >= 0 ? s.nextAuto : null,
      rowFormat: 'Compressed',
    };
  }

  /** @req ARCHIVE-010 ARCHIVE-023 ARCHIVE-044 */
  insert(ctx: EngineContext, row: Row): RowId {
    return this.store.insert(ctx.connectionId, row);
  }

  /** @req ARCHIVE-011 */
  update(): void {
    throw sqlError('ER_ILLEGAL_HA', this.def.name);
  }

  /** @req ARCHIVE-011 */
  delete(): void {
    throw sqlError('ER_ILLEGAL_HA', this.def.name);
  }

  /** Rows can only be removed by dropping the table. @req ARCHIVE-026 */
  truncate(): void {
    throw sqlError('ER_ILLEGAL_HA', this.def.name);
  }

  /** @req ARCHIVE-045 */
  startBulkInsert(ctx: EngineContext, rows: number | null): void {
    if (rows === null || rows >= ARCHIVE_MIN_BULK_ROWS) this.store.startBulk(ctx.connectionId);
  }

  /** @req ARCHIVE-045 */
  endBulkInsert(ctx: EngineContext): void {
    this.store.endBulk(ctx.connectionId);
  }

  /** One value at a time: each is above every value stored or handed out. @req ARCHIVE-020 ARCHIVE-022 */
  reserveAutoIncrement(_ctx: EngineContext, _count: number): AutoIncrementBlock {
    return { first: this.store.reserveAuto(), count: 1 };
  }

  observeAutoIncrement(_ctx: EngineContext, value: bigint): void {
    this.store.observeAuto(value);
  }

  /** @req ARCHIVE-043 */
  async check(_ctx: EngineContext, _options: string[]): Promise<MaintenanceResult[]> {
    const bad = this.store.check();
    return bad === null ? [{ msgType: 'status', msgText: 'OK' }] : [{ msgType: 'error', msgText: 'Corrupt' }];
  }

  /** Keeps every row that reads back, in new members. @req ARCHIVE-043 ARCHIVE-053 */
  async repair(_ctx: EngineContext, _options: string[]): Promise<MaintenanceResult[]> {
    this.store.rebuild();
    return [{ msgType: 'status', msgText: 'OK' }];
  }

  async analyze(_ctx: EngineContext): Promise<MaintenanceResult[]> {
    return [{ msgType: 'status', msgText: 'OK' }];
  }

  /** @req ARCHIVE-042 ARCHIVE-053 */
  async optimize(_ctx: EngineContext): Promise<MaintenanceResult[]> {
    if (this.store.crashed !== null) {
      return [
        { msgType: 'error', msgText: sqlError('ER_CRASHED_ON_USAGE', this.def.name).message },
        { msgType: 'error', msgText: 'Corrupt' },
      ];
    }
    this.store.rebuild();
    return [{ msgType: 'status', msgText: 'OK' }];
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.store.opens--;
    if (this.store.opens <= 0 && this.store.data) this.store.flushClean();
  }
}

/** @req ARCHIVE-003 */
export class ArchiveEngine implements StorageEngine {
  readonly name = 'ARCHIVE';
  readonly aliases: readonly string[] = [];
  readonly comment = 'Archive storage engine';
  readonly capabilities = ARCHIVE_CAPABILITIES;
  private datadir = '';
  private readonly stores = new Map<number, ArchiveTableStore>();

  async init(datadir: string): Promise<void> {
    this.datadir = datadir;
    mkdirSync(datadir, { recursive: true });
    // Temporary tables do not outlive the server.
    for (const f of readdirSync(datadir)) if (f.startsWith(TEMP_PREFIX)) unlinkSync(join(datadir, f));
  }

  async shutdown(): Promise<void> {
    for (const s of this.stores.values()) {
      s.flushClean();
      s.closeFile();
    }
    this.stores.clear();
  }

  /** The table's data file. @req ARCHIVE-004 */
  path(def: Pick<TableDef, 'id' | 'schema' | 'name' | 'temporary'>): string {
    if (def.temporary) return join(this.datadir, `${TEMP_PREFIX}${def.id}${ARZ_EXTENSION}`);
    return join(this.datadir, encodeFileName(def.schema), `${encodeFileName(def.name)}${ARZ_EXTENSION}`);
  }

  /** Any index must consist of the AUTO_INCREMENT column only. @req ARCHIVE-021 */
  validate(def: TableDef): void {
    for (const idx of def.indexes) {
      for (const p of idx.parts) if (!def.columns[p.column]?.autoIncrement) throw sqlError('ER_ILLEGAL_HA', def.name);
    }
  }

  /** TRUNCATE TABLE is refused before the dictionary changes. @req ARCHIVE-026 */
  checkTruncateTable(def: TableDef): void {
    throw sqlError('ER_ILLEGAL_HA', def.name);
  }

  hasTable(def: TableDef): boolean {
    return existsSync(this.path(def));
  }

  async createTable(_ctx: EngineContext, def: TableDef): Promise<void> {
    const p = this.path(def);
    mkdirSync(dirname(p), { recursive: true });
    this.stores.get(def.id)?.closeFile();
    this.stores.set(def.id, ArchiveTableStore.create(def, p));
  }

  async dropTable(_ctx: EngineContext, def: TableDef): Promise<void> {
    const st = this.stores.get(def.id);
    this.stores.delete(def.id);
    st?.closeFile();
    const p = st?.path ?? this.path(def);
    for (const f of [p, p.slice(0, -ARZ_EXTENSION.length) + ARN_EXTENSION]) if (existsSync(f)) unlinkSync(f);
  }

  async renameTable(_ctx: EngineContext, from: TableDef, to: TableDef): Promise<void> {
    const st = this.stores.get(from.id);
    const src = st?.path ?? this.path(from);
    const dst = this.path(to);
    st?.flushClean();
    if (src !== dst && existsSync(src)) {
      mkdirSync(dirname(dst), { recursive: true });
      renameSync(src, dst);
    }
    if (st) {
      this.stores.delete(from.id);
      st.path = dst;
      st.redefine(to);
      this.stores.set(to.id, st);
    }
  }

  async openTable(_ctx: EngineContext, def: TableDef): Promise<TableHandler> {
    let st = this.stores.get(def.id);
    if (!st) {
      const p = this.path(def);
      if (!existsSync(p)) throw sqlError('ER_NO_SUCH_TABLE', def.schema, def.name);
      st = ArchiveTableStore.open(def, p);
      this.stores.set(def.id, st);
    }
    st.redefine(def);
    st.opens++;
    return new ArchiveTableHandler(def, st);
  }

  /** For tests: the store of a table id, if open. */
  storeOf(id: number): ArchiveTableStore | undefined {
    return this.stores.get(id);
  }
}
