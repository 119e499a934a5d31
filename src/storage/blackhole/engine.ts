/**
 * The BLACKHOLE storage engine: it accepts every write and keeps nothing. The table definition
 * lives in the data dictionary; the engine writes no file. Reads find no row, so UPDATE and
 * DELETE match nothing, while INSERT reports the rows it was given as written. Those rows still
 * pass through the server's table writer, and so reach the row-change observers: that is how a
 * BLACKHOLE server relays changes to the binary log without storing them.
 *
 * AUTO_INCREMENT: the engine has no counter. Like MySQL's default handler implementation, it
 * answers a statement's first request for a generated value by looking at the largest stored
 * key, and finds none, so every statement's generated values start again at 1 and then count up
 * within that statement; an explicit value is taken into account only after the statement
 * generated one.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/blackhole-storage-engine.html
 * @req BLACKHOLE-001 BLACKHOLE-003 BLACKHOLE-004 BLACKHOLE-005 BLACKHOLE-006 BLACKHOLE-007 BLACKHOLE-016 BLACKHOLE-017 BLACKHOLE-018 BLACKHOLE-030
 * @req CORE-ENG-001
 */
import { isBlobLike } from '../../kernel/column-size.js';
import type { TableDef } from '../../kernel/table-def.js';
import type { Row } from '../../kernel/value.js';
import type {
  AutoIncrementBlock,
  EngineCapabilities,
  EngineContext,
  RowCursor,
  RowId,
  StorageEngine,
  TableHandler,
  TableStats,
} from '../handler.js';
import {
  BLACKHOLE_FIRST_AUTO_INCREMENT,
  BLACKHOLE_MAX_KEYS,
  BLACKHOLE_MAX_KEY_LENGTH,
  BLACKHOLE_MAX_KEY_PARTS,
} from './limits.js';

/**
 * What BLACKHOLE declares. Every kind of index is accepted (B-tree, FULLTEXT, SPATIAL as RTREE;
 * USING HASH falls back to BTREE), NULLable and BLOB columns too; no partitioning (1178) and no
 * transactions, so SHOW ENGINES says NO, NO, NO.
 * @req BLACKHOLE-004 BLACKHOLE-005 BLACKHOLE-006 BLACKHOLE-016
 */
export const BLACKHOLE_CAPABILITIES: EngineCapabilities = {
  transactions: false,
  xa: false,
  savepoints: false,
  blobs: true,
  autoIncrement: true,
  indexes: true,
  indexAlgorithms: ['BTREE', 'FULLTEXT', 'SPATIAL', 'RTREE'],
  defaultIndexAlgorithm: 'BTREE',
  nullableIndexColumns: true,
  foreignKeys: false,
  fulltext: true,
  spatial: true,
  geometry: true,
  partitioning: false,
  nullableColumns: true,
  checkRepair: false,
  lockGranularity: 'table',
  temporaryTables: true,
  maxKeys: BLACKHOLE_MAX_KEYS,
  maxKeyParts: BLACKHOLE_MAX_KEY_PARTS,
  maxKeyLength: BLACKHOLE_MAX_KEY_LENGTH,
};

/** Nothing is stored, so every read is over at once. @req BLACKHOLE-001 */
const EMPTY_CURSOR: RowCursor = { fill: () => 0, close: () => undefined };

/** Statistics of a table that holds nothing. */
const EMPTY_STATS: TableStats = {
  rows: 0,
  avgRowLength: 0,
  dataLength: 0,
  maxDataLength: 0,
  indexLength: 0,
  dataFree: 0,
  autoIncrement: null,
  rowFormat: 'Fixed',
};

class BlackholeHandler implements TableHandler {
  /**
   * The next AUTO_INCREMENT value of each statement that has generated one. An engine context
   * lives for one statement on one table, so a statement that never asked has no entry and its
   * first request starts at 1 again (BLACKHOLE-030).
   */
  private readonly nextAuto = new WeakMap<EngineContext, bigint>();
  /** Handles for accepted rows: distinct per row, never read back. */
  private nextId = 0;

  constructor(readonly def: TableDef) {}

  scan(): RowCursor {
    return EMPTY_CURSOR;
  }

  indexRead(): RowCursor {
    return EMPTY_CURSOR;
  }

  estimateRows(): number {
    return 0;
  }

  /** Nothing stored; a table with an AUTO_INCREMENT column reports 1 as its next value, which
   *  is what its next statement would generate. The row format is the one MySQL's server gives
   *  an engine that does not choose its own: Dynamic when a column has variable length. */
  stats(): TableStats {
    const variable = this.def.columns.some((c) => c.type.name === 'VARCHAR' || c.type.name === 'VARBINARY' || isBlobLike(c));
    return {
      ...EMPTY_STATS,
      autoIncrement: this.def.columns.some((c) => c.autoIncrement) ? BLACKHOLE_FIRST_AUTO_INCREMENT : null,
      rowFormat: variable ? 'Dynamic' : 'Fixed',
    };
  }

  /** The row is accepted and dropped. @req BLACKHOLE-001 */
  insert(_ctx: EngineContext, _row: Row): RowId {
    this.nextId = (this.nextId + 1) % Number.MAX_SAFE_INTEGER;
    return this.nextId;
  }

  /** Never called through SQL (no row is ever read); accepted and dropped like an insert. */
  update(): void {
    /* nothing stored */
  }

  delete(): void {
    /* nothing stored */
  }

  truncate(): void {
    /* nothing stored */
  }

  /**
   * A statement's first generated value is 1 (the engine finds no largest key); later ones in
   * the same statement follow it.
   * @req BLACKHOLE-030
   */
  reserveAutoIncrement(ctx: EngineContext, count: number): AutoIncrementBlock {
    const first = this.nextAuto.get(ctx) ?? BLACKHOLE_FIRST_AUTO_INCREMENT;
    const n = Math.max(1, count);
    this.nextAuto.set(ctx, first + BigInt(n));
    return { first, count: n };
  }

  /** An explicit value moves the statement's sequence past it only once the statement has one. @req BLACKHOLE-030 */
  observeAutoIncrement(ctx: EngineContext, value: bigint): void {
    const next = this.nextAuto.get(ctx);
    if (next !== undefined && value >= next) this.nextAuto.set(ctx, value + 1n);
  }

  close(): void {
    /* nothing held */
  }
}

/** The BLACKHOLE handlerton. @req BLACKHOLE-003 BLACKHOLE-007 */
export class BlackholeEngine implements StorageEngine {
  readonly name = 'BLACKHOLE';
  readonly aliases: readonly string[] = [];
  readonly comment = '/dev/null storage engine (anything you write to it disappears)';
  readonly capabilities = BLACKHOLE_CAPABILITIES;

  async init(): Promise<void> {
    /* no files: BLACKHOLE-003 */
  }

  async shutdown(): Promise<void> {}

  async createTable(): Promise<void> {
    /* the definition is the dictionary's; nothing to create (BLACKHOLE-003) */
  }

  async dropTable(): Promise<void> {}

  async renameTable(): Promise<void> {}

  async openTable(_ctx: EngineContext, def: TableDef): Promise<TableHandler> {
    return new BlackholeHandler(def);
  }
}
