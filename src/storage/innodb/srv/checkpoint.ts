/**
 * Checkpoints (the page cleaner's work in stage 1): write each changed table's committed rows
 * into its tablespace, through the doublewrite file, then move the redo log's checkpoint so the
 * log before it can be dropped.
 *
 * The rows are captured in one turn of the event loop at a known LSN: every transaction whose
 * commit record is at or below it is in the capture and none after it (commits append their
 * record and become committed in the same turn). Encoding the pages then runs in slices.
 * The checkpoint LSN is the capture LSN, held back to the prepare record of the oldest prepared
 * transaction, whose rows are in no tablespace yet.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-checkpoints.html (15.11.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-doublewrite-buffer.html (15.6.4)
 * @req INNODB-CKPT-101 INNODB-CKPT-102 INNODB-REC-013
 */
import { join } from 'node:path';
import type { Doublewrite } from '../fil/doublewrite.js';
import { buildTablespaceImage, type TablespaceHeader } from '../fil/tablespace-image.js';
import { encodeSdi } from '../dict/sdi.js';
import { encodeRecord } from '../row/record-codec.js';
import type { Row } from '../../../kernel/value.js';
import { CHECKPOINT_ENCODE_BATCH } from './limits.js';
import type { Space } from './spaces.js';

export interface CheckpointTarget {
  space: Space;
  rows: { rowId: bigint | null; row: Row }[];
  autoInc: bigint;
}

/** The record a tablespace stores for a row: the hidden row id first when the table has one. */
export function rowRecord(rowId: bigint | null, row: Row): Buffer {
  return encodeRecord(rowId !== null ? [rowId, ...row] : row);
}

export function headerFor(space: Space, lsn: bigint, recordCount: number, pageSize: number, nextRowId: bigint, autoInc: bigint): TablespaceHeader {
  const def = space.table.def;
  return {
    spaceId: space.spaceId,
    pageSize,
    rowFormat: space.table.rowFormat,
    schema: def.schema,
    name: def.name,
    tableId: def.id,
    flushedLsn: lsn,
    recordCount,
    autoIncrement: def.columns.some((c) => c.autoIncrement) ? autoInc : null,
    nextRowId,
    extra: Buffer.alloc(0),
  };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Build the pages of one table's tablespace: the SDI record, then one record per row. */
export async function buildImage(t: CheckpointTarget, lsn: bigint, pageSize: number, nextRowId: bigint): Promise<Buffer[]> {
  const records: Buffer[] = [encodeSdi(t.space.table.def)];
  for (let i = 0; i < t.rows.length; i++) {
    const r = t.rows[i]!;
    records.push(rowRecord(r.rowId, r.row));
    if (i % CHECKPOINT_ENCODE_BATCH === CHECKPOINT_ENCODE_BATCH - 1) await turn();
  }
  return buildTablespaceImage(headerFor(t.space, lsn, t.rows.length, pageSize, nextRowId, t.autoInc), records, pageSize, lsn);
}

/** Write the images of `targets` at `lsn` through the doublewrite file. */
export async function writeImages(datadir: string, dblwr: Doublewrite, targets: CheckpointTarget[], lsn: bigint, pageSize: number, nextRowId: bigint): Promise<void> {
  const batch: { path: string; pages: Buffer[] }[] = [];
  for (const t of targets) batch.push({ path: join(datadir, t.space.path), pages: await buildImage(t, lsn, pageSize, nextRowId) });
  if (batch.length > 0) await dblwr.writeBatch(batch);
}
