/**
 * The storage engine contract: what every engine declares it can do (capabilities) and the
 * operations the server layer calls (table lifecycle, scans, index reads, row changes,
 * transactions, maintenance). It plays the role of MySQL's handler API / handlerton.
 *
 * The server layer turns unsupported uses into MySQL's documented errors by reading the
 * capabilities (for example BLOB/TEXT on MEMORY -> 1163, FULLTEXT -> 1214), so engines only
 * implement what they claim.
 *
 * Reads are synchronous iterators (engines hold rows in memory or read pages through their
 * own caches); row changes and lock acquisition return promises so that a transactional
 * engine can make a session wait for a row lock.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * @req PLUGGABLE-001 PLUGGABLE-030 PLUGGABLE-031
 */
import type { TableDef } from '../kernel/table-def.js';
import type { Row, Value } from '../kernel/value.js';

export interface EngineCapabilities {
  transactions: boolean;
  xa: boolean;
  savepoints: boolean;
  /** BLOB, TEXT, JSON, GEOMETRY columns */
  blobs: boolean;
  autoIncrement: boolean;
  /** Indexes at all; which algorithms; NULLable index columns */
  indexes: boolean;
  indexAlgorithms: ReadonlyArray<'BTREE' | 'HASH' | 'FULLTEXT' | 'SPATIAL' | 'RTREE'>;
  /** Default algorithm when CREATE TABLE says nothing (MEMORY: HASH, others: BTREE). */
  defaultIndexAlgorithm: 'BTREE' | 'HASH';
  nullableIndexColumns: boolean;
  foreignKeys: boolean;
  fulltext: boolean;
  spatial: boolean;
  geometry: boolean;
  partitioning: boolean;
  /** Nullable columns allowed at all (CSV: no) */
  nullableColumns: boolean;
  checkRepair: boolean;
  /** Table lock granularity, for documentation and the lock manager. */
  lockGranularity: 'table' | 'row' | 'page';
  temporaryTables: boolean;
  /** Max keys per table, parts per key, key length in bytes. */
  maxKeys: number;
  maxKeyParts: number;
  maxKeyLength: number;
}

/** Stable handle of a row inside one table (engine-defined, opaque to the server). */
export type RowId = number | bigint | string;

export interface RowRef {
  id: RowId;
  row: Row;
}

/** Per-statement / per-transaction context handed to engines. */
export interface EngineContext {
  /** Connection id, for locks and diagnostics. */
  connectionId: number;
  /** Engine transaction handle if the session has one open for this engine. */
  txn?: EngineTransaction;
  /** Session variables an engine may consult (e.g. max_heap_table_size). */
  sessionVar(name: string): Value;
}

export interface EngineTransaction {
  readonly engine: string;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  savepoint?(name: string): void;
  rollbackToSavepoint?(name: string): Promise<void>;
  releaseSavepoint?(name: string): void;
}

/** Index read requests. `key` holds values for a prefix of the index's parts. */
export type IndexRead =
  | { kind: 'eq'; key: Value[] }
  | {
      kind: 'range';
      low?: { key: Value[]; inclusive: boolean };
      high?: { key: Value[]; inclusive: boolean };
      reverse?: boolean;
    };

export interface TableStats {
  rows: number;
  avgRowLength: number;
  dataLength: number;
  maxDataLength: number;
  indexLength: number;
  dataFree: number;
  /** Next AUTO_INCREMENT value, or null if the table has none. */
  autoIncrement: bigint | null;
  rowFormat: string;
  checkTime?: number;
}

export interface MaintenanceResult {
  msgType: 'status' | 'error' | 'info' | 'note' | 'warning';
  msgText: string;
}

/** An open table: the per-table operations. */
export interface TableHandler {
  readonly def: TableDef;

  /** Full scan in the engine's natural order. */
  scan(ctx: EngineContext): Iterable<RowRef>;
  /** Index lookup; only for indexes whose algorithm the engine supports. HASH indexes only
   *  serve 'eq' reads over all parts (the server checks before calling). */
  indexRead(ctx: EngineContext, indexName: string, read: IndexRead): Iterable<RowRef>;
  /** Estimated number of rows (for the planner and SHOW TABLE STATUS). */
  stats(ctx: EngineContext): TableStats;

  /** Insert; throws SqlError ER_DUP_ENTRY (1062) on a unique violation, ER_RECORD_FILE_FULL on a full table.
   *  Returns the new row id. AUTO_INCREMENT values are assigned by the server via nextAutoIncrement. */
  insert(ctx: EngineContext, row: Row): Promise<RowId>;
  update(ctx: EngineContext, id: RowId, oldRow: Row, newRow: Row): Promise<void>;
  delete(ctx: EngineContext, id: RowId, row: Row): Promise<void>;
  /** Remove all rows (TRUNCATE / DELETE without WHERE when the engine can do it fast). */
  truncate(ctx: EngineContext): Promise<void>;

  /** Reserve the next AUTO_INCREMENT value (engine-owned counter, as in MySQL). `atLeast` raises
   *  the counter after an explicit value was inserted. */
  nextAutoIncrement(ctx: EngineContext): bigint;
  observeAutoIncrement(ctx: EngineContext, value: bigint): void;

  /** Row locking for transactional engines (SELECT ... FOR UPDATE/SHARE); no-op elsewhere. */
  lockRow?(ctx: EngineContext, id: RowId, mode: 'S' | 'X'): Promise<void>;

  check?(ctx: EngineContext, options: string[]): Promise<MaintenanceResult[]>;
  repair?(ctx: EngineContext, options: string[]): Promise<MaintenanceResult[]>;
  analyze?(ctx: EngineContext): Promise<MaintenanceResult[]>;
  optimize?(ctx: EngineContext): Promise<MaintenanceResult[]>;

  /** Release resources held by this handle (files). */
  close(): Promise<void>;
}

/** An engine (handlerton). One instance per engine per server. */
export interface StorageEngine {
  /** Canonical name as in SHOW ENGINES. */
  readonly name: string;
  /** Other accepted names for ENGINE= (HEAP for MEMORY, MERGE for MRG_MYISAM, ...). */
  readonly aliases: readonly string[];
  readonly comment: string;
  readonly capabilities: EngineCapabilities;

  /** Called once at server start with the data directory. */
  init(datadir: string): Promise<void>;
  shutdown(): Promise<void>;

  /** Validate a definition against engine-specific rules beyond capabilities; throw SqlError. */
  validate?(def: TableDef): void;
  /** Create the table's storage (files). The catalog has already recorded the definition. */
  createTable(ctx: EngineContext, def: TableDef): Promise<void>;
  dropTable(ctx: EngineContext, def: TableDef): Promise<void>;
  renameTable(ctx: EngineContext, from: TableDef, to: TableDef): Promise<void>;
  openTable(ctx: EngineContext, def: TableDef): Promise<TableHandler>;

  /** Start a transaction for a session (transactional engines only). */
  beginTransaction?(ctx: EngineContext, options: { isolation: string; readOnly: boolean }): EngineTransaction;

  /** SHOW ENGINE name STATUS */
  status?(): Promise<{ type: string; name: string; status: string }[]>;
}
