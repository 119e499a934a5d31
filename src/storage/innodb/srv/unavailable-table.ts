/**
 * An InnoDB table the dictionary knows but InnoDB cannot serve: its tablespace file is missing
 * (15.21.4, "Cannot Open Datafile") or has corrupt pages and innodb_force_recovery is 0. As in
 * MySQL, the table still opens, so that DROP TABLE can remove it and CHECK TABLE can report on
 * it; every read and every change fails with the reason: 1812 "Tablespace is missing for table"
 * or 1877 "... is missing, corrupt or contains bad data.". CHECK TABLE answers `error |
 * Corrupt` after a line saying why; SHOW TABLE STATUS sees an empty table.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-troubleshooting-datadict.html (15.21.4)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/forcing-innodb-recovery.html (15.21.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/check-table.html
 * @req INNODB-DD-002 INNODB-DD-003 INNODB-REC-003 INNODB-TRBL-006
 */
import type { SqlError } from '../../../kernel/errors.js';
import type { TableDef } from '../../../kernel/table-def.js';
import type {
  AutoIncrementBlock,
  CursorOptions,
  EngineContext,
  IndexRead,
  MaintenanceResult,
  RowCursor,
  RowId,
  TableHandler,
  TableStats,
} from '../../handler.js';
import { rowFormatName } from '../handler/table-handler.js';

export class UnavailableTableHandler implements TableHandler {
  /**
   * @param error what every access throws (a fresh error per access: diagnostics keep them)
   * @param findings the lines CHECK TABLE reports before `error | Corrupt`
   */
  constructor(
    readonly def: TableDef,
    private readonly error: () => SqlError,
    private readonly findings: readonly MaintenanceResult[],
  ) {}

  scan(_ctx: EngineContext, _opts: CursorOptions): RowCursor {
    throw this.error();
  }

  indexRead(_ctx: EngineContext, _indexName: string, _read: IndexRead, _opts: CursorOptions): RowCursor {
    throw this.error();
  }

  estimateRows(): number {
    return 1;
  }

  stats(): TableStats {
    return { rows: 0, avgRowLength: 0, dataLength: 0, maxDataLength: 0, indexLength: 0, dataFree: 0, autoIncrement: null, rowFormat: rowFormatName(this.def.options['ROW_FORMAT'] ?? 'DYNAMIC') };
  }

  insert(): RowId {
    throw this.error();
  }

  update(): void {
    throw this.error();
  }

  delete(): void {
    throw this.error();
  }

  truncate(): void {
    throw this.error();
  }

  reserveAutoIncrement(): AutoIncrementBlock {
    throw this.error();
  }

  observeAutoIncrement(): void {
    throw this.error();
  }

  /** @req INNODB-REC-003 */
  async check(): Promise<MaintenanceResult[]> {
    return [...this.findings, { msgType: 'error', msgText: 'Corrupt' }];
  }

  async analyze(): Promise<MaintenanceResult[]> {
    return [...this.findings, { msgType: 'error', msgText: 'Corrupt' }];
  }

  close(): void {
    /* nothing held */
  }
}
