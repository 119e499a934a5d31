/**
 * What the engine contract suite needs to know about an engine beyond its capability record:
 * how to build one, how SQL reaches it, and the few behaviours the capability record does not
 * say (whether rows are stored at all, what a restart keeps, which variable caps a table).
 * Everything else the scenarios read from `engine.capabilities`, so that an engine is judged by
 * what it declares.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * @req PLUGGABLE-001 PLUGGABLE-030
 */
import type { StorageEngine } from '../../src/storage/handler.js';
import type { Evidence } from '../helpers/req.js';
import { req } from '../helpers/req.js';

/** How SQL reaches the engine in a freshly started server. */
export type SqlAvailability =
  /** Compiled in: usable at once (MEMORY). */
  | { kind: 'builtin' }
  /** A loadable plugin: the statement that installs it (EXAMPLE). */
  | { kind: 'plugin'; install: string }
  /** Not registered with the server (a test double): SQL scenarios are skipped with `reason`. */
  | { kind: 'none'; reason: string };

/** A table the SQL scenarios ask for: its name, its column and key list, whether it is
 *  TEMPORARY, and the port of the second server when the recipe stands on one. */
export interface SqlTableSpec {
  readonly name: string;
  readonly columns: string;
  readonly temporary: boolean;
  readonly remotePort: number;
}

/**
 * How the SQL scenarios make a table of the engine when `CREATE TABLE t (...) ENGINE=X` alone
 * does not give one that holds rows: a MERGE table needs its MyISAM children, a FEDERATED table
 * a table on another server and a CONNECTION naming it.
 */
export interface SqlTableRecipe {
  /** The tables stand on a second server (FEDERATED's remote), which the harness starts once
   *  per test file; `prepare` then runs there. */
  readonly remote: boolean;
  /** Statements run before the table's CREATE TABLE: on the second server when `remote`, in the
   *  scenario's session otherwise. */
  prepare(t: SqlTableSpec): readonly string[];
  /** Table options written after ENGINE=X, also on tables the scenarios expect to be refused. */
  options(t: SqlTableSpec): string;
}

/** What the engine does with rows. */
export type RowBehaviour =
  /** Rows are kept and read back; `afterRestart` says whether a restart keeps them. */
  | { kind: 'stored'; afterRestart: 'kept' | 'lost' }
  /** Nothing is stored: every read returns no row and INSERT fails with `errno` (EXAMPLE: 1031). */
  | { kind: 'rejected'; errno: number }
  /** Nothing is stored, but writes succeed: INSERT reports its rows as written and every read
   *  returns no row (BLACKHOLE). */
  | { kind: 'discarded' };

/** Scenario groups; a descriptor may add its own requirement IDs to any of them. */
export type ScenarioKey =
  | 'lifecycle'
  | 'restart'
  | 'cursor'
  | 'index'
  | 'hash'
  | 'unique'
  | 'writes'
  | 'truncate'
  | 'rejected'
  | 'discarded'
  | 'full'
  | 'autoIncrement'
  | 'estimate'
  | 'stats'
  | 'capabilities'
  | 'model'
  | 'transactions'
  | 'sqlTypes'
  | 'refuseBlob'
  | 'refuseGeometry'
  | 'refuseFulltext'
  | 'refuseKeys'
  | 'refuseKeyLimits'
  | 'refuseNullKey'
  | 'refuseAutoIncrement'
  | 'refuseNullable'
  | 'refusePartitioning'
  | 'sqlDml'
  | 'sqlTemporary'
  | 'sqlEngines'
  | 'sqlStatus'
  | 'sqlExplain'
  | 'sqlDefaultKey'
  | 'sqlNoTransactions'
  | 'sqlRestart';

export interface EngineDescriptor {
  /** Canonical name (SHOW ENGINES, ENGINE=). */
  readonly name: string;
  /** A new engine instance (not yet initialised) for contract-level scenarios. Two instances
   *  initialised on the same data directory one after the other model a server restart. */
  create(): StorageEngine;
  readonly sql: SqlAvailability;
  /** Server options the engine needs to be usable (FEDERATED: `federated`). */
  readonly serverOptions?: Readonly<Record<string, string | number | boolean>>;
  /** How SQL scenarios make its tables, when a plain CREATE TABLE is not enough. */
  readonly sqlTables?: SqlTableRecipe;
  readonly rows: RowBehaviour;
  /** The session variable whose value (in bytes) caps a table when it is created or truncated;
   *  an insert past it fails with 1114 (MEMORY: max_heap_table_size). */
  readonly sizeCap?: { variable: string; small: number };
  /** A transactional engine hides a transaction's uncommitted rows from other sessions; only a
   *  test double may say false here (the checks that need it are then left out). */
  readonly isolation?: boolean;
  /** Rows can only be added: UPDATE, DELETE and TRUNCATE fail with `errno` and change nothing
   *  (ARCHIVE: 1031). Scenarios that need those changes expect the refusal instead. */
  readonly insertOnly?: { errno: number };
  /** Which columns may be indexed: any (the default), or only the AUTO_INCREMENT column
   *  (ARCHIVE), so scenarios that index other columns do not apply. */
  readonly keys?: 'any' | 'auto-increment-only';
  /** The engine keeps no AUTO_INCREMENT counter of its own and hands out one above the largest
   *  value stored (MERGE, over its children), so the counter scenarios do not apply. */
  readonly autoIncrementFromRows?: boolean;
  /** The engine reports a duplicate key without naming the key or the entry: `errno` with
   *  `message(table)` instead of 1062 "Duplicate entry 'v' for key 'table.index'" (FEDERATED:
   *  the remote table finds the duplicate, and MySQL's ha_federated turns the remote 1062 into
   *  1022 "Can't write; duplicate key in table 't'", knowing no key number). Which writes fail is
   *  unchanged: the scenarios still expect exactly the duplicates the unique keys make. Through
   *  SQL, INSERT IGNORE and REPLACE are resolved where the keys are (this server counts the rows
   *  it handed on as written, and the warning stays there), and ON DUPLICATE KEY UPDATE fails on
   *  a duplicate with the same error. */
  readonly duplicateKey?: { errno: number; message(table: string): string };
  /** REPAIR TABLE without CHECK TABLE: `checkRepair` is declared for REPAIR alone (FEDERATED
   *  forwards REPAIR TABLE to the remote table and, like ha_federated, has no CHECK TABLE). */
  readonly repairWithoutCheck?: boolean;
  /** Figures the engine knows exactly (table-lock engines count rows exactly; InnoDB estimates). */
  readonly exact: { rowCount: boolean; estimates: boolean };
  /** Requirement IDs of the engine's own chapter that a scenario group proves for it. */
  readonly reqs?: Partial<Record<ScenarioKey, readonly string[]>>;
}

/** A test title carrying the scenario's IDs plus the engine's own IDs for that group. */
export function title(engine: EngineDescriptor, key: ScenarioKey, ids: readonly string[], evidence: Evidence, text: string): string {
  const all = [...ids, ...(engine.reqs?.[key] ?? [])];
  return req([...new Set(all)], evidence, text);
}

/** The capability record of an engine kind (read from a fresh instance). */
export function capabilitiesOf(engine: EngineDescriptor): StorageEngine['capabilities'] {
  return engine.create().capabilities;
}

export function storesRows(engine: EngineDescriptor): boolean {
  return engine.rows.kind === 'stored';
}

/** Whether tables of the engine may index any column (not only the AUTO_INCREMENT one). */
export function indexesAnyColumn(engine: EngineDescriptor): boolean {
  return capabilitiesOf(engine).indexes && engine.keys !== 'auto-increment-only';
}

/** Why a scenario that updates, deletes or truncates does not apply, or null when it does. */
export function needsChanges(engine: EngineDescriptor): string | null {
  if (engine.rows.kind !== 'stored') return 'the engine stores no rows';
  return engine.insertOnly ? `the engine only adds rows (UPDATE, DELETE and TRUNCATE: ${engine.insertOnly.errno})` : null;
}

/** The error a duplicate on `table`'s key `key` (entry `entry`) gives: 1062 naming the key, or
 *  the engine's own report (`duplicateKey`). */
export function duplicateError(engine: EngineDescriptor, table: string, key: string, entry: string): { errno: number; message: string } {
  if (engine.duplicateKey) return { errno: engine.duplicateKey.errno, message: engine.duplicateKey.message(table) };
  return { errno: 1062, message: `Duplicate entry '${entry}' for key '${table}.${key}'` };
}
