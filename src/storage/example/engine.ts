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
import type { EngineCapabilities, EngineContext, RowId, RowRef, StorageEngine, TableHandler, TableStats } from '../handler.js';

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
  temporaryTables: false,
  maxKeys: 0,
  maxKeyParts: 0,
  maxKeyLength: 0,
};

class ExampleHandler implements TableHandler {
  constructor(readonly def: TableDef) {}
  scan(_ctx: EngineContext): Iterable<RowRef> {
    return [];
  }
  indexRead(): Iterable<RowRef> {
    return [];
  }
  stats(): TableStats {
    return { rows: 0, avgRowLength: 0, dataLength: 0, maxDataLength: 0, indexLength: 0, dataFree: 0, autoIncrement: null, rowFormat: 'Fixed' };
  }
  async insert(_ctx: EngineContext, _row: Row): Promise<RowId> {
    throw sqlError('ER_ILLEGAL_HA', this.def.name);
  }
  async update(): Promise<void> {
    throw sqlError('ER_ILLEGAL_HA', this.def.name);
  }
  async delete(): Promise<void> {
    throw sqlError('ER_ILLEGAL_HA', this.def.name);
  }
  async truncate(): Promise<void> {
    /* nothing stored */
  }
  nextAutoIncrement(): bigint {
    return 1n;
  }
  observeAutoIncrement(): void {
    /* no counter */
  }
  async close(): Promise<void> {
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
