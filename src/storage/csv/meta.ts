/**
 * The `.CSM` metafile: 35 bytes holding a check header, a version, the row count and a
 * dirty/crashed flag (plus three reserved counters written as zero). The flag is set while the
 * table is open for writing and cleared when it is closed cleanly, so a metafile found with the
 * flag set (the server stopped without closing the table), missing, short or with a wrong
 * header means the table must be checked: the engine then repairs it when it opens it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/csv-storage-engine.html (16.4)
 * @req CSV-005 CSV-034
 */
import {
  CSM_AUTO_INCREMENT_OFFSET,
  CSM_CHECKPOINT_OFFSET,
  CSM_CHECK_HEADER,
  CSM_DIRTY_OFFSET,
  CSM_FORCED_FLUSHES_OFFSET,
  CSM_ROWS_OFFSET,
  CSM_SIZE,
  CSM_VERSION,
} from './limits.js';

export interface MetaState {
  rows: bigint;
  /** Set while open for writing, or after CHECK TABLE found the table damaged. */
  dirty: boolean;
}

/** The metafile's bytes for a state. @req CSV-005 */
export function encodeMeta(state: MetaState): Buffer {
  const b = Buffer.alloc(CSM_SIZE);
  b[0] = CSM_CHECK_HEADER;
  b[1] = CSM_VERSION;
  b.writeBigUInt64LE(state.rows < 0n ? 0n : state.rows, CSM_ROWS_OFFSET);
  b.writeBigUInt64LE(0n, CSM_CHECKPOINT_OFFSET);
  b.writeBigUInt64LE(0n, CSM_AUTO_INCREMENT_OFFSET);
  b.writeBigUInt64LE(0n, CSM_FORCED_FLUSHES_OFFSET);
  b[CSM_DIRTY_OFFSET] = state.dirty ? 1 : 0;
  return b;
}

/** Read a metafile; null when it is short or its header or version is wrong. @req CSV-034 */
export function decodeMeta(b: Buffer | null): MetaState | null {
  if (!b || b.length < CSM_SIZE) return null;
  if (b[0] !== CSM_CHECK_HEADER || b[1] !== CSM_VERSION) return null;
  return { rows: b.readBigUInt64LE(CSM_ROWS_OFFSET), dirty: b[CSM_DIRTY_OFFSET] !== 0 };
}
