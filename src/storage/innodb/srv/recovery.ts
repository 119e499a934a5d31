/**
 * Startup and crash recovery, in the order of 15.18.2: the system tablespace (page size check),
 * the doublewrite file (a torn checkpoint write is repaired), tablespace discovery, loading each
 * table, then redo roll-forward of the transactions committed after each table's flushed LSN.
 * Prepared transactions come back prepared. Nothing else needs rolling back: stage 1 logs a
 * transaction's rows only when it commits or prepares.
 *
 * innodb_force_recovery: 1 reads past corrupt pages, 2 stops purge (in the engine), 5 treats
 * prepared transactions as committed, 6 skips the redo log altogether; 4 and above open
 * nothing for writing.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-recovery.html (15.18.2)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/forcing-innodb-recovery.html (15.21.3)
 * @req INNODB-REC-010 INNODB-REC-011 INNODB-REC-012 INNODB-REC-013 INNODB-REC-014 INNODB-REC-015
 * @req INNODB-REC-023 INNODB-REC-030 INNODB-REC-032 INNODB-RESTR-005 INNODB-FORCE-014 INNODB-FORCE-018 INNODB-FORCE-019
 */
import { mkdir, readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Xid } from '../../../kernel/xid.js';
import { decodeSdi } from '../dict/sdi.js';
import { discoverTablespaces } from '../fil/discovery.js';
import { recoverDoublewrite } from '../fil/doublewrite.js';
import { initSystemTablespace, readSystemTablespace } from '../fil/system-tablespace.js';
import { readTablespaceImage } from '../fil/tablespace-image.js';
import { InnodbTable } from '../index/innodb-table.js';
import { readRedoLog, RedoLog, REDO_FIRST_LSN } from '../log/redo-log.js';
import { decodeRecord } from '../row/record-codec.js';
import { BOOT_TRX } from '../trx/read-view.js';
import { decodeRedo, RedoType, type RowOp } from '../trx/redo-records.js';
import type { TrxSys } from '../trx/trx-sys.js';
import type { Space, SpaceRegistry } from './spaces.js';

export interface RecoveredPrepared {
  trxId: bigint;
  xid: Xid;
  /** Start LSN of the prepare record: checkpoints stay at or below it until it is decided. */
  lsn: bigint;
  ops: RowOp[];
}

export interface RecoveryInput {
  datadir: string;
  pageSize: number;
  forceRecovery: number;
  readOnly: boolean;
  capacity: number;
  directories: string[];
  spaces: SpaceRegistry;
  sys: TrxSys;
  log: (level: 'Error' | 'Warning' | 'Note' | 'System', code: string, message: string) => void;
}

export interface RecoveryResult {
  log: RedoLog | null;
  nextRowId: bigint;
  prepared: RecoveredPrepared[];
}

export class InnodbStartupError extends Error {}

/** @req INNODB-REC-010 INNODB-REC-012 */
export async function recoverInnodb(inp: RecoveryInput): Promise<RecoveryResult> {
  const { datadir, pageSize, spaces, sys } = inp;
  if (!inp.readOnly) await mkdir(datadir, { recursive: true });
  // 1. The system tablespace: the instance's page size and counters.
  let state = await readSystemTablespace(datadir);
  if (state && state.pageSize !== pageSize) {
    const msg = `InnoDB: Data file './ibdata1' uses page size ${state.pageSize}, but the innodb_page_size start-up parameter is ${pageSize}`;
    inp.log('Error', 'MY-012203', msg);
    throw new InnodbStartupError(msg);
  }
  if (!state) {
    if (inp.readOnly) throw new InnodbStartupError('InnoDB: cannot initialise a new data directory in read-only mode');
    const fresh = { nextSpaceId: 1n, nextTrxId: 1n, nextRowId: 1n, extra: Buffer.alloc(0) };
    await initSystemTablespace(datadir, pageSize, fresh);
    state = { ...fresh, pageSize };
  }
  spaces.nextSpaceId = Math.max(spaces.nextSpaceId, Number(state.nextSpaceId));
  sys.nextTrxId = state.nextTrxId > sys.nextTrxId ? state.nextTrxId : sys.nextTrxId;
  let nextRowId = state.nextRowId;

  // 2. A checkpoint write that a crash interrupted is finished from the doublewrite file.
  if (!inp.readOnly) {
    const dw = await recoverDoublewrite(datadir, pageSize);
    for (const p of dw.applied) inp.log('Note', 'MY-012179', `InnoDB: Restored page(s) of '${p}' from the doublewrite buffer`);
  }

  // 3. Tablespace discovery over datadir and innodb_directories. @req INNODB-REC-011 INNODB-REC-030
  const disc = await discoverTablespaces([datadir, ...inp.directories]);
  for (const p of disc.problems) inp.log('Warning', 'MY-012351', `InnoDB: Ignoring tablespace '${p.path}': ${p.error}`);
  for (const [spaceId, found] of disc.found) {
    const file = await readFile(found.path);
    const contents = readTablespaceImage(file, { ignoreCorrupt: inp.forceRecovery >= 1, path: found.path });
    for (const n of contents.corruptPages) inp.log('Error', 'MY-011906', `InnoDB: Database page corruption on disk or a failed file read of page [page id: space=${spaceId}, page number=${n}] in '${found.path}'; skipped (innodb_force_recovery=${inp.forceRecovery})`);
    const [sdi, ...rows] = contents.records;
    if (!sdi) continue;
    const def = decodeSdi(sdi);
    const table = new InnodbTable(def);
    if (contents.header.autoIncrement !== null) table.autoInc = contents.header.autoIncrement;
    for (const r of rows) {
      const values = decodeRecord(r).values;
      const rowId = table.hidden ? (values.shift() as bigint) : null;
      table.applyCommitted(values, rowId, false, BOOT_TRX);
    }
    if (contents.header.nextRowId > nextRowId) nextRowId = contents.header.nextRowId;
    const path = relative(datadir, found.path);
    const space: Space = { spaceId, path: path.startsWith('..') ? found.path : path, table, flushedLsn: contents.header.flushedLsn };
    spaces.add(space);
  }

  // 4. Redo roll-forward. @req INNODB-REC-012 INNODB-REC-014
  const redo = await readRedoLog(datadir);
  for (const w of redo.warnings) inp.log('Warning', 'MY-013041', `InnoDB: ${w}`);
  const prepared = new Map<bigint, RecoveredPrepared>();
  let startLsn = redo.endLsn;
  for (const s of spaces.all()) if (s.flushedLsn > startLsn) startLsn = s.flushedLsn;
  if (redo.exists && inp.forceRecovery < 6) {
    const entries = redo.records.map((r) => ({ start: r.lsn, lsn: r.end, e: decodeRedo(r.payload) }));
    const dropped = new Set<number>();
    for (const { e } of entries) if (e.type === RedoType.SpaceDrop) dropped.add(e.spaceId);
    if (entries.length > 0) inp.log('Note', 'MY-013083', `InnoDB: Starting crash recovery: applying redo log from LSN ${redo.checkpointLsn} to ${redo.endLsn}`);
    const apply = (ops: RowOp[], lsn: bigint): void => {
      for (const op of ops) {
        const space = spaces.get(op.spaceId);
        if (!space) {
          if (dropped.has(op.spaceId)) continue;
          const msg = `InnoDB: Tablespace ${op.spaceId} was not found, but the redo log refers to it. Add its directory to innodb_directories, or start with innodb_force_recovery to skip it.`;
          inp.log('Error', 'MY-012265', msg);
          throw new InnodbStartupError(msg);
        }
        if (space.flushedLsn >= lsn) continue;
        space.table.applyCommitted(op.row, op.rowId, op.deleted, BOOT_TRX);
        if (op.rowId !== null && op.rowId >= nextRowId) nextRowId = op.rowId + 1n;
        space.table.dirty = true;
      }
    };
    for (const { start, lsn, e } of entries) {
      if ('trxId' in e && e.trxId >= sys.nextTrxId) sys.nextTrxId = e.trxId + 1n;
      switch (e.type) {
        case RedoType.Commit:
          apply(e.ops, lsn);
          break;
        case RedoType.Prepare:
          prepared.set(e.trxId, { trxId: e.trxId, xid: e.xid, lsn: start, ops: e.ops });
          break;
        case RedoType.CommitPrepared: {
          const p = prepared.get(e.trxId);
          if (p) apply(p.ops, lsn);
          prepared.delete(e.trxId);
          break;
        }
        case RedoType.RollbackPrepared:
          prepared.delete(e.trxId);
          break;
        case RedoType.AutoInc: {
          // @req INNODB-REC-015
          const space = spaces.get(e.spaceId);
          if (space && space.flushedLsn < lsn && e.value > space.table.autoInc) space.table.autoInc = e.value;
          break;
        }
        case RedoType.SpaceCreate:
          if (e.spaceId >= spaces.nextSpaceId) spaces.nextSpaceId = e.spaceId + 1;
          break;
        case RedoType.SpaceDrop: {
          const space = spaces.get(e.spaceId);
          if (space) spaces.remove(space);
          break;
        }
        case RedoType.SpaceRename: {
          const space = spaces.get(e.spaceId);
          if (space && space.path !== e.path) spaces.move(space, e.path);
          break;
        }
      }
    }
    if (entries.length > 0) inp.log('Note', 'MY-013086', `InnoDB: Apply batch completed; ${entries.length} redo record(s) applied`);
  }
  let stillPrepared = [...prepared.values()];
  if (inp.forceRecovery >= 5) {
    // SRV_FORCE_NO_UNDO_LOG_SCAN: incomplete transactions count as committed. @req INNODB-FORCE-018
    for (const p of stillPrepared) for (const op of p.ops) spaces.get(op.spaceId)?.table.applyCommitted(op.row, op.rowId, op.deleted, BOOT_TRX);
    stillPrepared = [];
  }
  for (const s of spaces.all()) {
    const m = s.table.maxRowId();
    if (m >= nextRowId) nextRowId = m + 1n;
  }
  for (const p of stillPrepared) inp.log('Note', 'MY-013023', `InnoDB: Transaction ${p.trxId} was in the XA prepared state.`);

  // 5. The log, opened for writing where the old one ended.
  if (startLsn < REDO_FIRST_LSN) startLsn = REDO_FIRST_LSN;
  const log = inp.readOnly ? null : await RedoLog.open(datadir, { startLsn, capacity: inp.capacity });
  return { log, nextRowId, prepared: stillPrepared };
}

