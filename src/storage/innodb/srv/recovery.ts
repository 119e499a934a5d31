/**
 * Startup and crash recovery, in the order of 15.18.2: the system tablespace (page size check),
 * the doublewrite file (a torn checkpoint write is repaired), tablespace discovery, loading each
 * table, then redo roll-forward of the transactions committed after each table's flushed LSN.
 * Prepared transactions come back prepared. A transaction that was open at the crash comes
 * back from the images its statements logged (Active records without a commit, prepare or
 * rollback after them): its rows as its uncommitted versions, locked, for the engine to roll
 * back in the background once the server accepts connections.
 *
 * innodb_force_recovery: 1 reads past corrupt pages and skips the redo of tablespaces that
 * were not found, 2 stops purge (in the engine), 3 leaves the open transactions as they are
 * (the engine does not roll them back), 5 treats prepared and open transactions as committed,
 * 6 skips the redo log altogether; 4 and above open nothing for writing.
 *
 * Damage, by level. A table whose tablespace has corrupt pages is not loaded at level 0: its
 * pages are named in the error log and the table is handed to the engine as corrupt (statements
 * on it fail with 1877; MySQL itself aborts when it reads such a page, refmysqld keeps the
 * other tables available). Its redo records are kept, not applied. At level 1 the rows of its
 * healthy pages are loaded and the file is left as it is. A failed ibdata1, a page-size
 * mismatch, or redo for a tablespace that was not found (at level 0) stops the startup with
 * InnoDB's messages and "Plugin initialization aborted".
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-recovery.html (15.18.2)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/forcing-innodb-recovery.html (15.21.3)
 * @req INNODB-REC-010 INNODB-REC-011 INNODB-REC-012 INNODB-REC-013 INNODB-REC-014 INNODB-REC-015
 * @req INNODB-REC-018 INNODB-REC-023 INNODB-REC-030 INNODB-REC-032 INNODB-RESTR-005 INNODB-FORCE-014 INNODB-FORCE-018 INNODB-FORCE-019
 * @req INNODB-REC-003 INNODB-REC-017 INNODB-TRBL-010 INNODB-FORCE-025
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Xid } from '../../../kernel/xid.js';
import { decodeSdi } from '../dict/sdi.js';
import { discoverTablespaces } from '../fil/discovery.js';
import { recoverDoublewrite } from '../fil/doublewrite.js';
import { initSystemTablespace, readSystemTablespace, SystemTablespaceError, type StoredSystemState } from '../fil/system-tablespace.js';
import { readTablespaceHeader, readTablespaceImage, TablespaceCorruptError, type SpacePage, type TablespaceContents } from '../fil/tablespace-image.js';
import { SpaceFile } from '../fil/space-file.js';
import { scanTablespace } from '../fil/scan.js';
import type { BufferPool } from '../buf/buf-pool.js';
import { DiskTable } from '../index/disk-table.js';
import { FIL_NULL } from '../page/limits.js';
import { InnodbTable } from '../index/innodb-table.js';
import type { LogFileIo } from '../log/file-io.js';
import { readRedoLog, RedoLog, REDO_FIRST_LSN } from '../log/redo-log.js';
import { decodeRecord } from '../row/record-codec.js';
import { BOOT_TRX } from '../trx/read-view.js';
import { decodeRedo, RedoType, type RowOp } from '../trx/redo-records.js';
import type { TrxSys } from '../trx/trx-sys.js';
import { badDatafileLine, corruptTableLine, pageCorruptionLines, pluginInitAborted, type LogLine } from './messages.js';
import type { Space, SpaceRegistry } from './spaces.js';

export interface RecoveredPrepared {
  trxId: bigint;
  xid: Xid;
  /** Start LSN of the prepare record: checkpoints stay at or below it until it is decided. */
  lsn: bigint;
  ops: RowOp[];
}

/** A transaction that was open at the crash (its Active records, no end): rolled back in the
 *  background after startup. @req INNODB-REC-018 */
export interface RecoveredActive {
  trxId: bigint;
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
  /** The redo log's file operations (a debug knob may inject failures). */
  io?: LogFileIo;
  /** The buffer pool the tables' pages are read through. */
  pool: BufferPool<SpacePage>;
}

/**
 * A tablespace found with corrupt pages at innodb_force_recovery=0 (not loaded), or whose page 0
 * cannot be read at all (at any level). The engine serves its table as corrupt.
 */
export interface DamagedSpace {
  /** Null when page 0 is unreadable. */
  spaceId: number | null;
  /** Relative to the data directory when inside it ('db/t.ibd'). */
  path: string;
  corruptPages: number[];
  /** Its redo from here on is kept in the log (0n when unknown). */
  flushedLsn: bigint;
}

export interface RecoveryResult {
  log: RedoLog | null;
  /** Where the redo log continues: the LSN a log opened later (read-only start) must use. */
  startLsn: bigint;
  nextRowId: bigint;
  prepared: RecoveredPrepared[];
  /** Transactions open at the crash, to roll back (or keep, at innodb_force_recovery >= 3). */
  active: RecoveredActive[];
  /** Tablespaces the engine must serve as corrupt (see DamagedSpace). */
  damaged: DamagedSpace[];
  /** Space ids loaded with corrupt pages skipped (innodb_force_recovery >= 1): never rewritten. */
  skippedPages: Set<number>;
  /** The engine's free area of the system tablespace (the discarded tables). */
  systemExtra: Buffer;
}

export class InnodbStartupError extends Error {}

/** Code of the lines naming a tablespace the redo log needs but discovery did not find (5.7's
 *  wording, which 8.0 keeps). */
const TABLESPACE_NOT_FOUND = 'MY-012265';
/** Code of the page-size mismatch line (ER_IB_MSG_378). */
const PAGE_SIZE_MISMATCH = 'MY-012203';

function emit(inp: RecoveryInput, lines: readonly LogLine[]): void {
  for (const l of lines) inp.log(l.level, l.code, l.message);
}

/** Log `lines` and InnoDB's "Plugin initialization aborted", then stop the startup. */
function abort(inp: RecoveryInput, lines: readonly LogLine[], what: string): never {
  emit(inp, [...lines, pluginInitAborted(what)]);
  throw new InnodbStartupError(lines.map((l) => l.message).join(' '));
}

/** A file as InnoDB names it in the log: './db/t.ibd' inside the data directory. */
function shown(datadir: string, path: string): string {
  const rel = relative(datadir, path);
  return rel.startsWith('..') ? path : `.${sep}${rel}`;
}

/** A path as the engine keys spaces: relative to the data directory when inside it. */
function keyOf(datadir: string, path: string): string {
  const rel = relative(datadir, path);
  return rel.startsWith('..') ? path : rel;
}

/** ibdata1, checked; a file that cannot be used stops the startup. @req INNODB-TRBL-010 INNODB-RESTR-005 */
async function systemState(inp: RecoveryInput): Promise<StoredSystemState | null> {
  let state: StoredSystemState | null;
  try {
    state = await readSystemTablespace(inp.datadir);
  } catch (e) {
    if (!(e instanceof SystemTablespaceError)) throw e;
    const unreadable = /empty|truncated/.test(e.message);
    abort(inp, [badDatafileLine(`.${sep}ibdata1`, unreadable ? 'Cannot read first page' : 'Header page contains inconsistent data', e.message)], 'Data structure corruption');
  }
  if (state && state.pageSize !== inp.pageSize) {
    const msg = `Data file '.${sep}ibdata1' uses page size ${state.pageSize}, but the innodb_page_size start-up parameter is ${inp.pageSize}`;
    abort(inp, [{ level: 'Error', code: PAGE_SIZE_MISMATCH, message: msg }], 'Generic error');
  }
  return state;
}

/** A tablespace file whose page 0 fails: why, for the log (null when page 0 is sound). */
async function pageZeroDamage(path: string): Promise<TablespaceCorruptError | null> {
  try {
    await readTablespaceHeader(path);
    return null;
  } catch (e) {
    return e instanceof TablespaceCorruptError ? e : null;
  }
}

/** @req INNODB-REC-010 INNODB-REC-012 */
export async function recoverInnodb(inp: RecoveryInput): Promise<RecoveryResult> {
  const { datadir, pageSize, spaces, sys } = inp;
  if (!inp.readOnly) await mkdir(datadir, { recursive: true });
  // 1. The system tablespace: the instance's page size and counters.
  let state = await systemState(inp);
  if (!state) {
    if (inp.readOnly) abort(inp, [badDatafileLine(`.${sep}ibdata1`, 'Cannot read first page', 'the file is missing, and a read-only InnoDB cannot create it')], 'Generic error');
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
  const damaged: DamagedSpace[] = [];
  const skippedPages = new Set<number>();
  const disc = await discoverTablespaces([datadir, ...inp.directories]);
  for (const p of disc.problems) {
    const bad = p.path.endsWith('.ibd') ? await pageZeroDamage(p.path) : null;
    if (!bad) {
      inp.log('Warning', 'MY-012351', `InnoDB: Ignoring tablespace '${p.path}': ${p.error}`);
      continue;
    }
    // Page 0 names the table and its space: without it nothing of the file can be used.
    emit(inp, pageCorruptionLines(shown(datadir, p.path), bad.spaceId ?? 0, bad.pageNo, pageSize));
    damaged.push({ spaceId: bad.spaceId, path: keyOf(datadir, p.path), corruptPages: [bad.pageNo], flushedLsn: 0n });
  }
  for (const [spaceId, found] of disc.found) {
    // Every page is checked as it is read, a few at a time: a corrupt page is found at startup
    // without the whole file in memory.
    const scan = await scanTablespace(found.path, found.header.pageCount, pageSize, spaceId);
    const { header } = found;
    if (scan.corruptPages.length > 0) {
      // @req INNODB-REC-003 INNODB-FORCE-014
      for (const n of scan.corruptPages) emit(inp, pageCorruptionLines(shown(datadir, found.path), spaceId, n, pageSize));
      emit(inp, [corruptTableLine(`\`${header.schema}\`.\`${header.name}\``, inp.forceRecovery, scan.corruptPages)]);
      if (inp.forceRecovery < 1) {
        damaged.push({ spaceId, path: keyOf(datadir, found.path), corruptPages: scan.corruptPages, flushedLsn: header.flushedLsn });
        continue;
      }
      // Level 1: the rows of the healthy pages are loaded into memory; the file stays as it is.
      skippedPages.add(spaceId);
      let contents: TablespaceContents;
      try {
        contents = readTablespaceImage(await readFile(found.path), { ignoreCorrupt: true, path: found.path });
      } catch (e) {
        if (!(e instanceof TablespaceCorruptError)) throw e;
        damaged.push({ spaceId, path: keyOf(datadir, found.path), corruptPages: [e.pageNo], flushedLsn: header.flushedLsn });
        continue;
      }
      const [sdi, ...rows] = contents.records;
      if (!sdi || header.sdiPage === FIL_NULL) continue;
      const table = new InnodbTable(decodeSdi(sdi), header.rowFormat);
      if (header.autoIncrement !== null) table.autoInc = header.autoIncrement;
      for (const r of rows) {
        const values = decodeRecord(r).values;
        const rowId = table.hidden ? (values.shift() as bigint) : null;
        table.applyCommitted(values, rowId, false, BOOT_TRX);
      }
      if (header.nextRowId > nextRowId) nextRowId = header.nextRowId;
      spaces.add({ spaceId, path: keyOf(datadir, found.path), table, flushedLsn: header.flushedLsn });
      continue;
    }
    let file: SpaceFile;
    try {
      file = SpaceFile.open(found.path);
    } catch (e) {
      if (!(e instanceof TablespaceCorruptError)) throw e;
      emit(inp, pageCorruptionLines(shown(datadir, found.path), spaceId, e.pageNo, pageSize));
      damaged.push({ spaceId, path: keyOf(datadir, found.path), corruptPages: [e.pageNo], flushedLsn: header.flushedLsn });
      continue;
    }
    if (!file.sdi || file.sdi.length === 0) {
      file.close();
      continue;
    }
    const table = new InnodbTable(decodeSdi(file.sdi), header.rowFormat);
    if (header.autoIncrement !== null) table.autoInc = header.autoIncrement;
    table.disk = new DiskTable(table, file, inp.pool);
    table.liveRows = header.recordCount;
    if (header.nextRowId > nextRowId) nextRowId = header.nextRowId;
    const space: Space = { spaceId, path: keyOf(datadir, found.path), table, flushedLsn: header.flushedLsn };
    spaces.add(space);
  }
  const damagedIds = new Map<number, DamagedSpace>();
  for (const d of damaged) {
    // A page 0 that fails may carry any space id: it must not stand for a sound tablespace.
    if (d.spaceId === null || spaces.get(d.spaceId)) continue;
    damagedIds.set(d.spaceId, d);
    if (d.spaceId >= spaces.nextSpaceId) spaces.nextSpaceId = d.spaceId + 1;
  }

  // 4. Redo roll-forward. @req INNODB-REC-012 INNODB-REC-014 INNODB-REC-017
  const redo = await readRedoLog(datadir);
  for (const w of redo.warnings) inp.log('Warning', 'MY-013041', `InnoDB: ${w}`);
  const prepared = new Map<bigint, RecoveredPrepared>();
  const active = new Map<bigint, RecoveredActive>();
  let startLsn = redo.endLsn;
  for (const s of spaces.all()) if (s.flushedLsn > startLsn) startLsn = s.flushedLsn;
  for (const d of damaged) if (d.flushedLsn > startLsn) startLsn = d.flushedLsn;
  if (redo.exists && inp.forceRecovery < 6) {
    const entries = redo.records.map((r) => ({ start: r.lsn, lsn: r.end, e: decodeRedo(r.payload) }));
    const dropped = new Set<number>();
    const created = new Map<number, string>();
    for (const { e } of entries) {
      if (e.type === RedoType.SpaceDrop) dropped.add(e.spaceId);
      if (e.type === RedoType.SpaceCreate) created.set(e.spaceId, e.path);
    }
    const skipped = new Set<number>();
    if (entries.length > 0) inp.log('Note', 'MY-013083', `InnoDB: Starting crash recovery: applying redo log from LSN ${redo.checkpointLsn} to ${redo.endLsn}`);
    const apply = (ops: RowOp[], lsn: bigint): void => {
      for (const op of ops) {
        const space = spaces.get(op.spaceId);
        if (!space) {
          // A dropped tablespace needs nothing; a damaged one keeps its redo in the log.
          if (dropped.has(op.spaceId) || damagedIds.has(op.spaceId) || skipped.has(op.spaceId)) continue;
          const where = created.has(op.spaceId) ? ` at .${sep}${created.get(op.spaceId)!}` : '';
          if (inp.forceRecovery >= 1) {
            // @req INNODB-FORCE-014: level 1 goes on without the tablespace.
            skipped.add(op.spaceId);
            inp.log('Warning', TABLESPACE_NOT_FOUND, `Tablespace ${op.spaceId} was not found${where}; innodb_force_recovery=${inp.forceRecovery} skips its changes in the redo log.`);
            continue;
          }
          // @req INNODB-REC-032
          abort(
            inp,
            [
              { level: 'Error', code: TABLESPACE_NOT_FOUND, message: `Tablespace ${op.spaceId} was not found${where}, but the redo log refers to it. Add its directory to innodb_directories.` },
              { level: 'Error', code: TABLESPACE_NOT_FOUND, message: 'Set innodb_force_recovery=1 to ignore this and to permanently lose all changes to the tablespace.' },
            ],
            'Tablespace not found',
          );
        }
        if (space.flushedLsn >= lsn) continue;
        space.table.applyCommitted(op.row, op.rowId, op.deleted, BOOT_TRX);
        if (op.rowId !== null && op.rowId >= nextRowId) nextRowId = op.rowId + 1n;
        space.table.dirty = true;
      }
    };
    for (const { start, lsn, e } of entries) {
      if ('trxId' in e && e.trxId >= sys.nextTrxId) sys.nextTrxId = e.trxId + 1n;
      // The end of a transaction supersedes the images its open statements logged.
      if (e.type === RedoType.Commit || e.type === RedoType.Prepare || e.type === RedoType.Rollback) active.delete(e.trxId);
      switch (e.type) {
        case RedoType.Commit:
          apply(e.ops, lsn);
          break;
        case RedoType.Prepare:
          prepared.set(e.trxId, { trxId: e.trxId, xid: e.xid, lsn: start, ops: e.ops });
          break;
        case RedoType.Active: {
          const a = active.get(e.trxId);
          if (a) a.ops.push(...e.ops);
          else active.set(e.trxId, { trxId: e.trxId, ops: [...e.ops] });
          break;
        }
        case RedoType.Rollback:
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
          const d = damagedIds.get(e.spaceId);
          if (d) damaged.splice(damaged.indexOf(d), 1);
          break;
        }
        case RedoType.SpaceRename: {
          const space = spaces.get(e.spaceId);
          if (space && space.path !== e.path) spaces.move(space, e.path);
          const d = damagedIds.get(e.spaceId);
          if (d) d.path = e.path;
          break;
        }
      }
    }
    if (entries.length > 0) inp.log('Note', 'MY-013086', `InnoDB: Apply batch completed; ${entries.length} redo record(s) applied`);
  }
  let stillPrepared = [...prepared.values()];
  let incomplete = [...active.values()].filter((a) => a.ops.length > 0);
  if (inp.forceRecovery >= 5) {
    // SRV_FORCE_NO_UNDO_LOG_SCAN: incomplete transactions count as committed. @req INNODB-FORCE-018
    for (const p of [...stillPrepared, ...incomplete]) for (const op of p.ops) spaces.get(op.spaceId)?.table.applyCommitted(op.row, op.rowId, op.deleted, BOOT_TRX);
    stillPrepared = [];
    incomplete = [];
  }
  for (const s of spaces.all()) {
    // (with a tablespace, rows on disk are below the header's next row id, already counted)
    const m = s.table.maxRowId();
    if (m >= nextRowId) nextRowId = m + 1n;
  }
  for (const p of stillPrepared) inp.log('Note', 'MY-013023', `InnoDB: Transaction ${p.trxId} was in the XA prepared state.`);
  const toUndo = [...stillPrepared, ...incomplete];
  if (toUndo.length > 0) {
    const rows = toUndo.reduce((n, t) => n + t.ops.length, 0);
    inp.log('Note', 'MY-013024', `InnoDB: ${toUndo.length} transaction(s) which must be rolled back or cleaned up in total ${rows} row operations to undo`);
  }

  // 5. The log, opened for writing where the old one ended.
  if (startLsn < REDO_FIRST_LSN) startLsn = REDO_FIRST_LSN;
  const log = inp.readOnly ? null : await RedoLog.open(datadir, { startLsn, capacity: inp.capacity, ...(inp.io ? { io: inp.io } : {}) });
  return { log, startLsn, nextRowId, prepared: stillPrepared, active: incomplete, damaged, skippedPages, systemExtra: state.extra };
}

/** The tablespace file of `path` (a key of the space registry) in `datadir`. */
export function spaceFile(datadir: string, path: string): string {
  return path.startsWith(sep) ? path : join(datadir, path);
}
