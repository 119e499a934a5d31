/**
 * The storage engine contract: what every engine declares it can do (capabilities) and the
 * operations the server calls (table lifecycle, read cursors, row changes, transactions with
 * statement rollback, savepoints and two-phase commit, maintenance). It plays the role of
 * MySQL's handler API and handlerton.
 *
 * The server layer turns unsupported uses into MySQL's documented errors by reading the
 * capabilities (BLOB/TEXT on MEMORY -> 1163, FULLTEXT -> 1214, ...), so engines implement only
 * what they claim.
 *
 * Waiting. An engine may have to wait: for a page read, or for a row lock another transaction
 * holds. Every operation that can wait returns `T | Promise<T>`: the value itself while the
 * data is at hand, a promise only when the engine really waits. The executor keeps its fast
 * path synchronous and awaits only promises (a per-row `await` costs several times a
 * synchronous row in V8). A wait must end when `ctx.signal` fires (KILL, timeouts), rejecting
 * with the signal's reason.
 *
 * Locking. Engines whose lock granularity is the table (MEMORY, MyISAM) rely on the server's
 * table locks, taken before a statement touches them: while a statement holds a table's write
 * lock no other statement reads or changes it. Engines with row locks take them as the cursor
 * options ask (`lock`), and report a deadlock or a lock-wait timeout by throwing the SqlError
 * (1213, 1205), after calling `ctx.transactionRolledBack()` when they rolled back the whole
 * transaction. The server tells them (`unlockRow`) about locked rows its own condition rejected,
 * so an engine may release those early.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * Concurrent inserts. A table-lock engine may let a plain INSERT append rows while other
 * sessions read (allowsConcurrentInsert); readers then see the table as it was when their
 * read lock was granted (startRead / endRead).
 *
 * @req PLUGGABLE-001 PLUGGABLE-030 PLUGGABLE-031 CORE-ENG-001 CORE-ENG-002 CORE-ENG-003 CORE-ENG-004
 */
import type { ColumnDef, ForeignKeyDef, TableDef } from '../kernel/table-def.js';
import type { Row, Value } from '../kernel/value.js';
import { NEVER_ABORTED, type WaitSignal } from '../kernel/wait-signal.js';
import type { Xid } from '../kernel/xid.js';

/** A value now, or a promise of it when the engine has to wait. */
export type MaybePromise<T> = T | Promise<T>;

export interface EngineCapabilities {
  transactions: boolean;
  /** Two-phase commit: prepare / commitByXid / rollbackByXid / recover (XA and internal 2PC). */
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
  /** REPAIR TABLE is supported (and CHECK TABLE with it, except FEDERATED, which forwards
   *  REPAIR TABLE to the remote table and has no CHECK TABLE, as ha_federated). An engine may
   *  answer CHECK TABLE without supporting REPAIR (InnoDB). */
  checkRepair: boolean;
  /** Lock granularity: 'table' engines are protected by the server's table locks
   *  (readers share, a writer excludes); 'row' engines lock rows themselves. */
  lockGranularity: 'table' | 'row' | 'page';
  /** A 'table' engine whose handlers let a plain INSERT run beside readers: they implement
   *  allowsConcurrentInsert, startRead and endRead (MyISAM, CSV). */
  concurrentInserts?: boolean;
  temporaryTables: boolean;
  /** scan() returns rows in the order of the clustering key: the primary key, else the first
   *  UNIQUE index whose columns are all NOT NULL (InnoDB). The server then knows the order a scan
   *  gives rows that tie on an ORDER BY, and may read an index instead (plan/order.ts). */
  clusteredScan?: boolean;
  /** The table's rows are the rows of other tables (MERGE: its children), so an ALTER that
   *  keeps this engine changes only the definition and never copies rows into itself. */
  rowsInUnderlyingTables?: boolean;
  /** TRUNCATE TABLE calls the handler's truncate() on the table as it is, instead of recreating
   *  its storage: an engine whose rows live elsewhere (FEDERATED: a remote TRUNCATE; MERGE: every child emptied), as MySQL
   *  does for engines without HTON_CAN_RECREATE. */
  truncateInPlace?: boolean;
  /** Every read waits for I/O (FEDERATED: each read is a query to a remote server), so a cursor
   *  opened with `canWait: false` cannot answer: its first fill() fails with
   *  ER_NOT_SUPPORTED_YET (1235) instead of returning rows. The executor runs a subquery over
   *  such a table as an asynchronous expression; readers that may not wait (CHECKSUM TABLE)
   *  refuse the statement rather than answer wrongly. Undefined: reads answer without waiting
   *  when the caller cannot wait. */
  readsWait?: boolean;
  /** LOCK TABLES ... READ LOCAL is taken as READ: other sessions' writes wait until UNLOCK
   *  TABLES (InnoDB, whose reads never let a concurrent insert through; MySQL's
   *  HA_NO_READ_LOCAL_LOCK). */
  noReadLocal?: boolean;
  /** Max keys per table, parts per key, key length in bytes. */
  maxKeys: number;
  maxKeyParts: number;
  maxKeyLength: number;
}

/**
 * Handle of a row inside one table (engine-defined, opaque to the server). It stays valid until
 * the row is deleted and may then be reused for another row (MEMORY reuses slots), so the
 * server holds its table or row locks from reading a row to changing it.
 */
export type RowId = number | bigint | string;

/** A row as a cursor returns it: its handle and its values (to be read, never modified). */
export interface RowRef {
  id: RowId;
  row: Row;
}

/** Isolation levels as transaction_isolation spells them. */
export type IsolationLevel = 'READ-UNCOMMITTED' | 'READ-COMMITTED' | 'REPEATABLE-READ' | 'SERIALIZABLE';

/** Per-statement context handed to engines. */
export interface EngineContext {
  /** Connection id, for locks and diagnostics. */
  readonly connectionId: number;
  /** This session's transaction in the engine, when the coordinator enlisted it. */
  readonly txn?: EngineTransaction;
  /** Fires when the statement must stop waiting (KILL, max_execution_time, lock timeouts). */
  readonly signal: WaitSignal;
  /** Session variables an engine may consult (max_heap_table_size, innodb_lock_wait_timeout). */
  sessionVar(name: string): Value;
  /** The engine rolled back the session's whole transaction (deadlock victim, lock-wait timeout
   *  with innodb_rollback_on_timeout): the coordinator rolls back the other participants and
   *  ends the transaction. */
  transactionRolledBack(): void;
}

/** How a read locks the rows it returns. */
export type ReadLock =
  /** A plain SELECT: a consistent read, no row locks. */
  | 'consistent'
  /** SELECT ... FOR SHARE / LOCK IN SHARE MODE; reads under SERIALIZABLE. */
  | 'shared'
  /** SELECT ... FOR UPDATE; the rows an UPDATE or DELETE is about to change. */
  | 'exclusive';

export interface CursorOptions {
  lock: ReadLock;
  /** Columns the statement reads (positions in def.columns); an engine may leave the others
   *  out (null). Undefined: all columns. */
  columns?: readonly number[];
  /** Whether the caller can await a promise from fill(). False inside expression evaluation
   *  (a subquery): the engine must then answer synchronously. */
  canWait: boolean;
  /** FOR UPDATE / FOR SHARE ... NOWAIT (a lock that must be waited for is error 3572) or
   *  SKIP LOCKED (rows locked by others are left out). Undefined: wait. */
  wait?: 'NOWAIT' | 'SKIP LOCKED';
}

/**
 * A read in progress. `fill` appends up to `max` rows to `out` and returns how many it added;
 * 0 means the cursor is exhausted. It returns a promise only when the engine must wait; rows
 * already in memory come back synchronously.
 */
export interface RowCursor {
  fill(out: RowRef[], max: number): MaybePromise<number>;
  /** Stop early and release what the cursor holds; idempotent. */
  close(): void;
}

/**
 * Index read requests. `key` holds values for a prefix of the index's parts. Bounds follow the
 * index's own order, as MySQL's key ranges do: on a DESC key part `low` is the bound read
 * first (the largest value), so the server swaps `<` and `>` bounds for such parts. A B-tree
 * index returns rows in its order ('eq' reads of a prefix too), a 'range' with `reverse` from
 * `high` down to `low`; the server relies on that to skip an ORDER BY's sort. A HASH index
 * answering a range promises no order.
 */
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
  /** When the table's data last changed (ms since epoch), for engines that know (MyISAM: the
   *  data file's modification time). */
  updateTime?: number;
  /** Cardinality of each key prefix by index name (one entry per key part; null where not
   *  known), for engines that keep key statistics (MyISAM after ANALYZE TABLE). */
  keyCardinality?: ReadonlyMap<string, readonly (number | null)[]>;
  /** keyCardinality is the engine's whole answer: a null there is shown as NULL (MEMORY's
   *  estimates), rather than left to the default for unique keys. */
  keyCardinalityComplete?: boolean;
}

export interface MaintenanceResult {
  /** 'Error' and 'Warning' (capitalised) rows carry the conditions raised while the operation
   *  ran, listed as MySQL lists the statement's diagnostics among the result rows (MERGE names
   *  the child that makes it unusable); the others are the engine's own messages. */
  msgType: 'status' | 'error' | 'info' | 'note' | 'warning' | 'Error' | 'Warning';
  msgText: string;
}

/** A block of AUTO_INCREMENT values handed to one statement. */
export interface AutoIncrementBlock {
  first: bigint;
  /** How many consecutive values from `first` the statement may use (at least 1). */
  count: number;
}

/** An open table: the per-table operations. */
export interface TableHandler {
  readonly def: TableDef;

  /** Full scan in the engine's natural order. */
  scan(ctx: EngineContext, opts: CursorOptions): RowCursor;
  /** Index lookup; only for indexes whose algorithm the engine supports. A HASH index serves
   *  'eq' reads over all its parts; other reads are answered correctly but by scanning. An index
   *  the table does not have is error 1176 (ER_KEY_DOES_NOT_EXITS). */
  indexRead(ctx: EngineContext, indexName: string, read: IndexRead, opts: CursorOptions): RowCursor;
  /** Estimated number of rows an index read returns (the planner's records-in-range); never 0
   *  when a row matches, since a planner may read 0 as "certainly empty". */
  estimateRows(ctx: EngineContext, indexName: string, read: IndexRead): number;
  /** Table statistics (planner, SHOW TABLE STATUS, information_schema.TABLES). */
  stats(ctx: EngineContext): TableStats;

  /** Insert; throws SqlError ER_DUP_ENTRY (1062) on a unique violation, ER_RECORD_FILE_FULL
   *  (1114) on a full table. Returns the new row's handle. AUTO_INCREMENT values are chosen by
   *  the server from reserveAutoIncrement. */
  insert(ctx: EngineContext, row: Row): MaybePromise<RowId>;
  /** Replace the row `id` (read by a cursor of this statement) with `newRow`. */
  update(ctx: EngineContext, id: RowId, oldRow: Row, newRow: Row): MaybePromise<void>;
  delete(ctx: EngineContext, id: RowId, row: Row): MaybePromise<void>;
  /**
   * The server's verdict on a row a locking read (`lock` 'shared' or 'exclusive') of this
   * statement just returned: the row `id` failed the condition the server checked, so the
   * statement will not use it. The engine may give back the lock that read took on it (InnoDB
   * does below REPEATABLE READ, keeping locks it held before the read and rows the transaction
   * changed). Called only for rows read with a lock and rejected, never for rows that matched;
   * engines without row locks leave it out. The MySQL handler's unlock_row.
   */
  unlockRow?(ctx: EngineContext, id: RowId): void;
  /** A statement that changed this table ended (MySQL's unlock of the table): an engine without
   *  transactions writes back what it held for the statement (MyISAM's key pages). Called after
   *  the statement's last change, before its table locks are released. */
  endStatement?(): void;
  /**
   * Concurrent inserts (engines locked by the server's table locks; MySQL's
   * TL_WRITE_CONCURRENT_INSERT). A plain INSERT into a table whose handler has this method
   * takes a lock that other sessions' read locks (a statement's read, LOCK TABLES ... READ
   * LOCAL) do not block, as long as this answers true; when it answers false the INSERT waits
   * for the readers as any write does. Asked while the lock is checked, so the answer may
   * change while the INSERT waits (MyISAM: no holes in the data file, or concurrent_insert =
   * ALWAYS). Two inserts still exclude each other. Engines without it never insert concurrently.
   * @req MYISAM-021 MYISAM-035
   */
  allowsConcurrentInsert?(ctx: EngineContext): boolean;
  /**
   * A read lock of the connection of `ctx` on this table was granted: from now until the
   * matching endRead, that connection's cursors must not return rows inserted after this call
   * (MyISAM keeps the data file length it had when the read lock was taken). Calls may nest
   * (each startRead has its endRead); the first one fixes the view. Engines that allow
   * concurrent inserts implement it, with endRead.
   */
  startRead?(ctx: EngineContext): void;
  /** The read lock startRead announced was released. */
  endRead?(ctx: EngineContext): void;
  /**
   * An INSERT, INSERT IGNORE or REPLACE (not ON DUPLICATE KEY UPDATE) is about to write `rows`
   * rows (null when not known in advance: INSERT ... SELECT) for the connection of `ctx`, and
   * says how it treats duplicates (`mode`, MySQL's HA_EXTRA_IGNORE_DUP_KEY /
   * HA_EXTRA_WRITE_CAN_REPLACE). The engine may hold the rows back until endBulkInsert: ARCHIVE
   * makes a bulk insert visible only once it completes, FEDERATED sends the rows together as one
   * multi-row INSERT. The server calls endBulkInsert after the last row, also when the statement
   * fails part way, so that rows already accepted are written, as in MySQL's start_bulk_insert /
   * end_bulk_insert. Engines without it write row by row.
   */
  startBulkInsert?(ctx: EngineContext, rows: number | null, mode: 'insert' | 'ignore' | 'replace'): MaybePromise<void>;
  /** Write what startBulkInsert let the engine hold back; its errors are the statement's. */
  endBulkInsert?(ctx: EngineContext): MaybePromise<void>;
  /** Remove all rows (TRUNCATE). */
  truncate(ctx: EngineContext): MaybePromise<void>;

  /** Reserve `count` consecutive AUTO_INCREMENT values (the engine may grant fewer, at least
   *  one). Values handed out are never handed out again, used or not. Called only when the
   *  engine claims `capabilities.autoIncrement`. `row` is the row being inserted, its other
   *  columns filled: MyISAM numbers an AUTO_INCREMENT column that is a later part of a key per
   *  group of the key's leading values (MAX + 1 within the group), so it needs them. An engine
   *  that keeps no rows may keep no counter either: BLACKHOLE starts every statement (every
   *  context) at 1, as MySQL's does. */
  reserveAutoIncrement(ctx: EngineContext, count: number, row?: Row): AutoIncrementBlock;
  /** An explicit value was stored: later reservations start above it. */
  observeAutoIncrement(ctx: EngineContext, value: bigint): void;

  check?(ctx: EngineContext, options: string[]): Promise<MaintenanceResult[]>;
  repair?(ctx: EngineContext, options: string[]): Promise<MaintenanceResult[]>;
  analyze?(ctx: EngineContext): Promise<MaintenanceResult[]>;
  optimize?(ctx: EngineContext): Promise<MaintenanceResult[]>;
  /** CACHE INDEX ... IN cache: the table's indexes go to that key cache (engines with one). */
  assignKeyCache?(ctx: EngineContext, cache: string): Promise<MaintenanceResult[]>;
  /** LOAD INDEX INTO CACHE: read the table's index pages in ahead of use (leaves too unless
   *  `ignoreLeaves`). */
  preloadKeys?(ctx: EngineContext, ignoreLeaves: boolean): Promise<MaintenanceResult[]>;

  /** Release resources held by this handle (files). */
  close(): MaybePromise<void>;
}

export interface TransactionOptions {
  isolation: IsolationLevel;
  readOnly: boolean;
  /** START TRANSACTION WITH CONSISTENT SNAPSHOT: take the read view now. */
  consistentSnapshot: boolean;
  /** The transaction is one autocommitted statement (no BEGIN, autocommit on): SERIALIZABLE
   *  then reads without locking, as InnoDB does. Undefined: not known (treated as false). */
  singleStatement?: boolean;
  /** A transaction on the server's own system tables (the data dictionary, the grant tables):
   *  its commit is durable when it returns whatever the engine's log-flush setting says
   *  (innodb_flush_log_at_trx_commit 0 or 2), since a DDL or GRANT that answered must survive a
   *  crash, and innodb_force_recovery 1 to 3 lets it write, as MySQL lets DDL update its
   *  dictionary at those levels. */
  system?: boolean;
}

/**
 * One session's transaction inside one engine (a participant of the server's transaction
 * coordinator). Statement boundaries let the engine undo a failed statement alone; savepoints
 * undo back to a named point; prepare / commit make it a two-phase-commit participant.
 */
export interface EngineTransaction {
  readonly engine: string;
  /** A statement starts: the engine remembers where a statement rollback returns to. */
  beginStatement(): void;
  /** The statement succeeded: its changes join the transaction. */
  endStatement(): void;
  /** The statement failed: undo its changes only. */
  rollbackStatement(): MaybePromise<void>;
  savepoint(name: string): void;
  rollbackToSavepoint(name: string): MaybePromise<void>;
  releaseSavepoint(name: string): void;
  /** Phase one: make the transaction's changes durable but undecided, under `xid`. */
  prepare(xid: Xid): MaybePromise<void>;
  /** Commit: one-phase, or phase two after prepare. */
  commit(): MaybePromise<void>;
  rollback(): MaybePromise<void>;
  /**
   * True while the transaction has changed nothing and holds nothing prepared: its commit needs
   * no coordination (no two-phase commit, no commit lock), as MySQL commits a transaction that
   * no engine marked read-write. Absent: the coordinator assumes it wrote.
   * @req CORE-PERF-030
   */
  wroteNothing?(): boolean;
}

/** What an engine's validation may consult and report. */
export interface ValidationEnv {
  /** Session value of a system variable. */
  sessionVar(name: string): Value;
  statement: 'CREATE' | 'ALTER';
  /** Add a warning to the statement's diagnostics. */
  warn(code: number, message: string): void;
}

/** A foreign key that names a table as its parent, with the (child) table that holds it. */
export interface ForeignKeyChild {
  readonly child: TableDef;
  readonly fk: ForeignKeyDef;
}

/**
 * The data dictionary as an engine that enforces foreign keys reads it: parents by name and the
 * children of a parent. The dictionary is the authority, since a parent is named rather than
 * pointed to (renames retarget children there first).
 */
export interface EngineDictionary {
  /** A base (non-temporary) table by name; undefined when there is none. */
  table(schema: string, name: string): TableDef | undefined;
  /** The foreign keys whose parent is `schema.table`, each with its child table. */
  referencedBy(schema: string, table: string): readonly ForeignKeyChild[];
  /** A temporary table of the session `connectionId` (a temporary MERGE table's children). */
  temporaryTable?(connectionId: number, schema: string, name: string): TableDef | undefined;
  /** The server's open handler of a base table (one per table, shared with the statements that
   *  name it), for an engine whose tables are made of other tables (MERGE). */
  openHandler?(def: TableDef): MaybePromise<TableHandler>;
  /** The engine of a base table (MERGE checks its children are MyISAM). */
  engineOf?(def: TableDef): StorageEngine | undefined;
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

  /** Validate a definition against engine-specific rules beyond capabilities; throw SqlError.
   *  `env` gives the session's variables (innodb_strict_mode) and takes the warnings MySQL
   *  raises with an accepted definition. */
  validate?(def: TableDef, env?: ValidationEnv): void;
  /** Create the table's storage (files). */
  createTable(ctx: EngineContext, def: TableDef): Promise<void>;
  dropTable(ctx: EngineContext, def: TableDef): Promise<void>;
  /** Refuse DROP TABLE up front (throw its SqlError), before the dictionary changes: dropTable
   *  itself runs only once the drop is committed. A read-only InnoDB refuses here. */
  checkDropTable?(def: TableDef): void;
  /** Refuse TRUNCATE TABLE up front (throw its SqlError), before the dictionary changes: an
   *  engine whose rows can only go with the table (ARCHIVE: 1031). */
  checkTruncateTable?(def: TableDef): void;
  renameTable(ctx: EngineContext, from: TableDef, to: TableDef): Promise<void>;
  openTable(ctx: EngineContext, def: TableDef): Promise<TableHandler>;
  /** Whether the engine holds storage for `def` (found at startup or created since), damaged
   *  or not: the server creates its own system tables only where this is false. */
  hasTable?(def: TableDef): boolean;
  /** The data dictionary is open (after init and DDL recovery): these are the persistent tables
   *  it holds for this engine. An engine may check its storage against them (InnoDB logs each
   *  table whose tablespace file is missing, as MySQL does at startup). */
  dictionaryLoaded?(tables: readonly TableDef[]): void | Promise<void>;

  /** Other tables a table is made of (MERGE: the UNION list), opened and locked with it by
   *  every statement that names it, with the same intent (read or write). */
  underlyingTables?(def: TableDef): readonly { schema: string; name: string }[];

  /** The dictionary, handed to the engine before init (engines enforcing foreign keys use it). */
  attachDictionary?(dictionary: EngineDictionary): void;
  /** Whether a referencing column may reference a referenced column of these types (the
   *  handlerton's check_fk_column_compat); `checkCharsets` is false when foreign_key_checks=0
   *  allows a collation change on one side. Absent: the engine accepts any pair. */
  foreignKeyColumnsCompatible?(child: ColumnDef, parent: ColumnDef, checkCharsets: boolean): boolean;

  /** Start a session's transaction in this engine (transactional engines only). */
  beginTransaction?(ctx: EngineContext, options: TransactionOptions): EngineTransaction;
  /** Decide a prepared transaction by its XID (crash recovery; XA COMMIT / XA ROLLBACK of a
   *  transaction prepared by a session that is gone). */
  commitByXid?(xid: Xid): Promise<void>;
  rollbackByXid?(xid: Xid): Promise<void>;
  /** The prepared, undecided transactions the engine holds (after a restart: recovery). */
  recover?(): Promise<Xid[]>;

  /** SHOW ENGINE name STATUS */
  status?(): Promise<{ type: string; name: string; status: string }[]>;

  /** Transportable tablespaces (15.6.1.3). FLUSH TABLES t FOR EXPORT: the table's file is made
   *  complete and its metadata file written beside it, while the server holds the table read
   *  locked; UNLOCK TABLES then calls unexportTable. */
  exportTable?(ctx: EngineContext, def: TableDef): Promise<void>;
  unexportTable?(ctx: EngineContext, def: TableDef): Promise<void>;
  /** ALTER TABLE t DISCARD TABLESPACE: the table's file is removed; the table stays defined and
   *  unusable until IMPORT. */
  discardTablespace?(ctx: EngineContext, def: TableDef): Promise<void>;
  /** ALTER TABLE t IMPORT TABLESPACE: the file placed where the discarded one was becomes the
   *  table's storage; returns the warnings of the import. */
  importTablespace?(ctx: EngineContext, def: TableDef): Promise<{ code: number; message: string }[]>;
  /** SHOW ENGINE name MUTEX (engines without it answer an empty result). */
  mutexStatus?(): Promise<{ type: string; name: string; status: string }[]>;
}

/** Drain a cursor that must answer synchronously (canWait false, or an engine that never
 *  waits); a promise here is a contract violation by the engine. */
export function drainSync(cursor: RowCursor, max = 256): RowRef[] {
  const out: RowRef[] = [];
  try {
    for (;;) {
      const before = out.length;
      const n = cursor.fill(out, max);
      if (typeof n !== 'number') throw new Error('storage engine returned a promise to a cursor that cannot wait');
      if (n === 0 || out.length === before) return out;
    }
  } finally {
    cursor.close();
  }
}

/** Drain a cursor, awaiting when the engine waits. */
export async function drain(cursor: RowCursor, max = 256): Promise<RowRef[]> {
  const out: RowRef[] = [];
  try {
    for (;;) {
      const before = out.length;
      let n = cursor.fill(out, max);
      if (typeof n !== 'number') n = await n;
      if (n === 0 || out.length === before) return out;
    }
  } finally {
    cursor.close();
  }
}

/** An engine context for server-internal work outside any session (startup, recovery,
 *  information_schema statistics): connection 0, no transaction, never cancelled. */
export function internalEngineContext(sessionVar: (name: string) => Value, connectionId = 0): EngineContext {
  return { connectionId, signal: NEVER_ABORTED, sessionVar, transactionRolledBack: () => undefined };
}
