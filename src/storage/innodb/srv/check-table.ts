/**
 * CHECK TABLE for InnoDB: the table's tablespace file is read back whole and every page is
 * verified (FIL header and trailer, crc32 checksum, page number and space id, page structure,
 * BLOB chains), then the records the data pages hold are counted against page 0's count and,
 * when the table has not changed since its last checkpoint, against the rows InnoDB serves.
 *
 * The answer follows ha_innobase::check: `status | OK` for a sound table; otherwise a warning
 * saying what is wrong ("InnoDB: The B-tree of index PRIMARY is corrupted.", "InnoDB: Index
 * 'PRIMARY' contains 3 entries, should be 4.") and `error | Corrupt`. The pages that failed go
 * to the error log with the lines InnoDB writes for a corrupt page read. Like the real check
 * (15.18.2) it cannot see every kind of damage: a page rewritten whole with a valid checksum
 * but wrong rows passes.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/check-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-recovery.html (15.18.2)
 * @req INNODB-REC-003 INNODB-TRBL-006
 */
import { readFile } from 'node:fs/promises';
import type { MaintenanceResult } from '../../handler.js';
import { readTablespaceImage, TablespaceCorruptError } from '../fil/tablespace-image.js';
import { errnoCodeOf } from '../log/errors.js';
import { pageCorruptionLines, type LogLine } from './messages.js';

export interface TablespaceCheckInput {
  /** The file to read. */
  path: string;
  /** The file as the error log names it ('./db/t.ibd'). */
  display: string;
  spaceId: number;
  pageSize: number;
  /** Name of the clustered index ('PRIMARY', 'GEN_CLUST_INDEX', ...). */
  indexName: string;
  /** Rows InnoDB serves when the file should hold exactly them (no change since the last
   *  checkpoint); null when the file is legitimately behind the table. */
  expectedRecords: number | null;
}

export interface TablespaceCheck {
  results: MaintenanceResult[];
  /** Error-log lines for what was found. */
  log: LogLine[];
  corruptPages: number[];
}

const OK: MaintenanceResult = { msgType: 'status', msgText: 'OK' };
const CORRUPT: MaintenanceResult = { msgType: 'error', msgText: 'Corrupt' };

/** The warning InnoDB gives for an index whose pages fail validation. */
export function btreeCorrupted(indexName: string): MaintenanceResult {
  return { msgType: 'warning', msgText: `InnoDB: The B-tree of index ${indexName} is corrupted.` };
}

/** Read `inp.path` back and verify it. @req INNODB-REC-003 */
export async function checkTablespaceFile(inp: TablespaceCheckInput): Promise<TablespaceCheck> {
  let file: Buffer;
  try {
    file = await readFile(inp.path);
  } catch (e) {
    const code = errnoCodeOf(e) ?? 'EIO';
    return {
      results: [{ msgType: 'error', msgText: `InnoDB: cannot read '${inp.display}' (${code})` }, CORRUPT],
      log: [],
      corruptPages: [],
    };
  }
  let corruptPages: number[];
  let records: number;
  let headerCount: number;
  try {
    const contents = readTablespaceImage(file, { ignoreCorrupt: true, path: inp.display });
    corruptPages = contents.corruptPages;
    // The first record is the table's definition (SDI), the rest are its rows; page 0's count
    // is of the clustered records alone (format 2), so it does not include the SDI.
    records = contents.records.length - 1;
    headerCount = contents.header.recordCount;
  } catch (e) {
    if (!(e instanceof TablespaceCorruptError)) throw e;
    corruptPages = [e.pageNo];
    records = 0;
    headerCount = 0;
  }
  if (corruptPages.length > 0) {
    const log = corruptPages.flatMap((n) => pageCorruptionLines(inp.display, inp.spaceId, n, inp.pageSize));
    return { results: [btreeCorrupted(inp.indexName), CORRUPT], log, corruptPages };
  }
  const should = inp.expectedRecords ?? headerCount;
  if (records !== should) {
    return {
      results: [{ msgType: 'warning', msgText: `InnoDB: Index '${inp.indexName}' contains ${records} entries, should be ${should}.` }, CORRUPT],
      log: [],
      corruptPages: [],
    };
  }
  return { results: [OK], log: [], corruptPages: [] };
}
