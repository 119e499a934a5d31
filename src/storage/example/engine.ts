/**
 * The EXAMPLE storage engine: a stub that accepts CREATE TABLE but stores nothing. Reads return
 * no rows and writes fail with 1031 (the engine "doesn't have this option"). It exists to show
 * the pluggable architecture: it is not built in, but loaded with
 * `INSTALL PLUGIN example SONAME 'ha_example.so'`.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/example-storage-engine.html
 * @req PLUGGABLE-011 PLUGGABLE-015
 */
import type { TableDef } from '../../kernel/table-def.js';
import { sqlError } from '../../kernel/errors.js';
import type { Row } from '../../kernel/value.js';
import type { AutoIncrementBlock, EngineCapabilities, EngineContext, RowCursor, RowId, StorageEngine, TableHandler, TableStats } from '../handler.js';

/** Nothing is stored, so every read is over at once. */
const EMPTY_CURSOR: RowCursor = { fill: () => 0, close: () => undefined };

const CAPS: EngineCapabilities = {
  transactions: false,
  xa: false,
  savepoints: false,
  blobs: true,
  autoIncrement: false,
  indexes: false,
  indexAlgorithms: [],
  defaultIndexAlgorithm: 'BTREE',
  nullableIndexColumns: false,
  foreignKeys: false,
  fulltext: false,
  spatial: false,
  geometry: false,
  partitioning: false,
  nullableColumns: true,
  checkRepair: false,
  lockGranularity: 'table',
  // MySQL's EXAMPLE handlerton does not refuse TEMPORARY (no HTON_TEMPORARY_NOT_SUPPORTED).
  temporaryTables: true,
  maxKeys: 0,
  maxKeyParts: 0,
  maxKeyLength: 0,
};

class ExampleHandler implements TableHandler {
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
  stats(): TableStats {
    return { rows: 0, avgRowLength: 0, dataLength: 0, maxDataLength: 0, indexLength: 0, dataFree: 0, autoIncrement: null, rowFormat: 'Fixed' };
  }
  insert(_ctx: EngineContext, _row: Row): RowId {
    throw sqlError('ER_ILLEGAL_HA', this.def.name);
  }
  update(): void {
    throw sqlError('ER_ILLEGAL_HA', this.def.name);
  }
  delete(): void {
    throw sqlError('ER_ILLEGAL_HA', this.def.name);
  }
  truncate(): void {
    /* nothing stored */
  }
  reserveAutoIncrement(): AutoIncrementBlock {
    return { first: 1n, count: 1 };
  }
  observeAutoIncrement(): void {
    /* no counter */
  }
  close(): void {
    /* nothing held */
  }
}

export class ExampleEngine implements StorageEngine {
  readonly name = 'EXAMPLE';
  readonly aliases: readonly string[] = [];
  readonly comment = 'Example storage engine';
  readonly capabilities = CAPS;
  async init(): Promise<void> {}
  async shutdown(): Promise<void> {}
  async createTable(): Promise<void> {}
  async dropTable(): Promise<void> {}
  async renameTable(): Promise<void> {}
  async openTable(_ctx: EngineContext, def: TableDef): Promise<TableHandler> {
    return new ExampleHandler(def);
  }
}
