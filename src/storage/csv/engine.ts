/**
 * The CSV storage engine: each table is a comma-separated text file `t.CSV` with a metafile
 * `t.CSM` beside it in the schema's directory. Built in (it cannot be uninstalled). No
 * indexes, no AUTO_INCREMENT, no NULL, no partitioning, no transactions, no temporary tables;
 * table-level locking by the server. CHECK TABLE and REPAIR TABLE look at the text file.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/csv-storage-engine.html (16.4)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/se-csv-repair.html (16.4.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/se-csv-limitations.html (16.4.2)
 * @req CSV-001 CSV-002 CSV-004 CSV-005 CSV-011 CSV-013 CSV-030 CSV-033 CSV-050 CSV-051 CSV-052
 * @req CSV-015
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sqlError } from '../../kernel/errors.js';
import { encodeFileName } from '../../kernel/file-names.js';
import type { TableDef } from '../../kernel/table-def.js';
import type { Row } from '../../kernel/value.js';
import type {
  AutoIncrementBlock,
  CursorOptions,
  EngineCapabilities,
  EngineContext,
  MaintenanceResult,
  RowCursor,
  RowId,
  RowRef,
  StorageEngine,
  TableHandler,
  TableStats,
} from '../handler.js';
import { CSV_MAX_KEYS, CSV_MAX_KEY_LENGTH, CSV_MAX_KEY_PARTS } from './limits.js';
import { CsvTableFile, type TablePaths } from './table-file.js';

/** @req CSV-013 CSV-050 CSV-051 CSV-052 */
export const CSV_CAPABILITIES: EngineCapabilities = {
  transactions: false,
  xa: false,
  savepoints: false,
  // BLOB and TEXT columns are allowed when NOT NULL.
  blobs: true,
  // @req CSV-013: 1164 for an AUTO_INCREMENT column.
  autoIncrement: false,
  // @req CSV-050: any key is 1069 "max 0 keys allowed".
  indexes: false,
  indexAlgorithms: [],
  defaultIndexAlgorithm: 'BTREE',
  nullableIndexColumns: false,
  foreignKeys: false,
  fulltext: false,
  spatial: false,
  geometry: false,
  // @req CSV-051: PARTITION BY is 1178.
  partitioning: false,
  // @req CSV-052: a nullable column is 1178 "doesn't support nullable columns".
  nullableColumns: false,
  checkRepair: true,
  lockGranularity: 'table',
  // @req MYISAM-021 CSV-015 a plain INSERT may run beside readers (concurrent inserts).
  concurrentInserts: true,
  // MySQL's CSV handlerton refuses TEMPORARY tables (1478).
  temporaryTables: false,
  maxKeys: CSV_MAX_KEYS,
  maxKeyParts: CSV_MAX_KEY_PARTS,
  maxKeyLength: CSV_MAX_KEY_LENGTH,
};

/**
 * A scan over the handles the table had when it opened, in file order; rows deleted since are
 * skipped. A damaged line after them ends the scan with 1194, after the good rows.
 * @req CSV-033
 */
class CsvCursor implements RowCursor {
  private pos = 0;
  private ids: number[];
  private failed: boolean;

  constructor(
    private readonly file: CsvTableFile,
    conn: number,
  ) {
    const s = file.snapshot(conn);
    this.ids = s.ids;
    this.failed = s.tailDamaged;
  }

  fill(out: RowRef[], max: number): number {
    let n = 0;
    while (n < max && this.pos < this.ids.length) {
      const id = this.ids[this.pos++]!;
      const row = this.file.row(id);
      if (!row) continue;
      out.push({ id, row });
      n++;
    }
    if (n === 0 && this.failed) {
      this.failed = false;
      throw sqlError('ER_CRASHED_ON_USAGE', this.file.tableName);
    }
    return n;
  }

  close(): void {
    this.pos = this.ids.length;
    this.ids = [];
    this.failed = false;
  }
}

class CsvTableHandler implements TableHandler {
  private closed = false;

  constructor(
    readonly def: TableDef,
    private readonly file: CsvTableFile,
    private readonly release: () => void,
  ) {}

  scan(ctx: EngineContext, _opts: CursorOptions): RowCursor {
    return new CsvCursor(this.file, ctx.connectionId);
  }

  /** Concurrent inserts, as MySQL's CSV engine allows them. @req CSV-015 */
  allowsConcurrentInsert(_ctx: EngineContext): boolean {
    return this.file.allowsConcurrentInsert();
  }

  startRead(ctx: EngineContext): void {
    this.file.startRead(ctx.connectionId);
  }

  endRead(ctx: EngineContext): void {
    this.file.endRead(ctx.connectionId);
  }

  indexRead(_ctx: EngineContext, indexName: string): RowCursor {
    // No indexes exist on a CSV table (CSV-050).
    throw sqlError('ER_KEY_DOES_NOT_EXITS', indexName, this.def.name);
  }

  estimateRows(): number {
    return Math.max(1, this.file.rowCount);
  }

  stats(_ctx: EngineContext): TableStats {
    const rows = this.file.rowCount;
    let size = 0;
    try {
      size = this.file.dataLength;
    } catch {
      size = 0;
    }
    return {
      rows,
      avgRowLength: rows > 0 ? Math.floor(size / rows) : 0,
      dataLength: size,
      maxDataLength: 0,
      indexLength: 0,
      dataFree: 0,
      autoIncrement: null,
      rowFormat: 'Fixed',
    };
  }

  insert(_ctx: EngineContext, row: Row): RowId {
    return this.file.insert(row);
  }

  update(_ctx: EngineContext, id: RowId, _oldRow: Row, newRow: Row): void {
    this.file.update(Number(id), newRow);
  }

  delete(_ctx: EngineContext, id: RowId, _row: Row): void {
    this.file.delete(Number(id));
  }

  truncate(_ctx: EngineContext): void {
    this.file.truncate();
  }

  reserveAutoIncrement(): AutoIncrementBlock {
    throw sqlError('ER_TABLE_CANT_HANDLE_AUTO_INCREMENT');
  }

  observeAutoIncrement(): void {
    /* no AUTO_INCREMENT columns (CSV-013) */
  }

  /** @req CSV-030 CSV-031 */
  async check(_ctx: EngineContext, _options: string[]): Promise<MaintenanceResult[]> {
    return this.file.check();
  }

  /** @req CSV-030 CSV-032 */
  async repair(_ctx: EngineContext, _options: string[]): Promise<MaintenanceResult[]> {
    return this.file.repair();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
  }
}

/** @req CSV-001 CSV-002 */
export class CsvEngine implements StorageEngine {
  readonly name = 'CSV';
  readonly aliases = [] as const;
  readonly comment = 'CSV storage engine';
  readonly capabilities = CSV_CAPABILITIES;
  private datadir = '';
  /** Open tables by file base path. */
  private readonly open = new Map<string, CsvTableFile>();

  async init(datadir: string): Promise<void> {
    this.datadir = datadir;
  }

  async shutdown(): Promise<void> {
    for (const f of this.open.values()) f.close();
    this.open.clear();
  }

  /** Where a table's files are. */
  paths(def: Pick<TableDef, 'schema' | 'name'>): TablePaths {
    const dir = encodeFileName(def.schema);
    const file = encodeFileName(def.name);
    return { base: join(this.datadir, dir, file), display: `./${dir}/${file}` };
  }

  private closeFile(p: TablePaths): void {
    const f = this.open.get(p.base);
    if (!f) return;
    this.open.delete(p.base);
    f.close();
  }

  /** @req CSV-004 CSV-005 */
  async createTable(_ctx: EngineContext, def: TableDef): Promise<void> {
    const p = this.paths(def);
    this.closeFile(p);
    mkdirSync(join(this.datadir, encodeFileName(def.schema)), { recursive: true });
    CsvTableFile.create(p);
  }

  async dropTable(_ctx: EngineContext, def: TableDef): Promise<void> {
    const p = this.paths(def);
    this.closeFile(p);
    CsvTableFile.remove(p);
  }

  async renameTable(_ctx: EngineContext, from: TableDef, to: TableDef): Promise<void> {
    const a = this.paths(from);
    const b = this.paths(to);
    this.closeFile(a);
    this.closeFile(b);
    mkdirSync(join(this.datadir, encodeFileName(to.schema)), { recursive: true });
    CsvTableFile.move(a, b);
  }

  async openTable(_ctx: EngineContext, def: TableDef): Promise<TableHandler> {
    const p = this.paths(def);
    let f = this.open.get(p.base);
    if (!f) {
      f = new CsvTableFile(def, p);
      f.open();
      this.open.set(p.base, f);
    } else {
      f.redefine(def, p);
    }
    f.refs++;
    const file = f;
    return new CsvTableHandler(def, file, () => {
      file.refs--;
      if (file.refs <= 0 && this.open.get(p.base) === file) {
        this.open.delete(p.base);
        file.close();
      }
    });
  }
}
