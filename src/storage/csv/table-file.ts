/**
 * One open CSV table: its rows read from `t.CSV` into memory, kept in file order, and the
 * writes that keep the file equal to them.
 *
 * - INSERT appends the row's line to the file at once (a synchronous write), so a row the
 *   server acknowledged is in the file even if the process dies right after.
 * - UPDATE and DELETE change the rows in memory and rewrite the whole file through `t.CSN`,
 *   renamed over `t.CSV`. The rewrite runs once for a burst of changes: it is queued as a
 *   microtask, which runs before the statement's own asynchronous completion is delivered (so
 *   before its OK packet is written), and it is also done first by every other operation.
 *   Updated rows move to the front of the file in the order they were updated, as MySQL's CSV
 *   engine writes them.
 * - The `.CSM` metafile holds the row count and a dirty flag: set when the table is first
 *   written after it was opened, cleared when it is closed (FLUSH TABLES, shutdown). A dirty,
 *   missing or malformed metafile at open means the server stopped without closing the table:
 *   the table is then repaired (rows up to the first damaged line kept) before it is used.
 * - A damaged line met while reading: the rows before it are returned, then 1194. CHECK TABLE
 *   that finds damage (or a row count different from the metafile's) marks the table crashed,
 *   in memory and in the metafile, and every access gives 1194 until REPAIR TABLE.
 *
 * Row handles are never reused while the table is open, so a statement's handles stay valid
 * across rewrites. They also grow with every insert, which gives readers their view under
 * concurrent inserts (MySQL's CSV engine allows them, keeping the file length a reader saw
 * when its lock was granted): a connection holding a read lock sees the handles below the
 * next handle there was when its lock was granted. An insert behind a damaged or unfinished
 * tail re-reads the file and renumbers the rows, so it is not let in beside readers.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/csv-storage-engine.html (16.4)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/se-csv-repair.html (16.4.1)
 * @req CSV-001 CSV-004 CSV-005 CSV-009 CSV-010 CSV-011 CSV-030 CSV-031 CSV-032 CSV-033 CSV-034
 * @req CSV-015
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { sqlError } from '../../kernel/errors.js';
import type { TableDef } from '../../kernel/table-def.js';
import type { Row } from '../../kernel/value.js';
import type { MaintenanceResult } from '../handler.js';
import { encodeRow, scanFile, type FileScan } from './codec.js';
import { CSV_DATA_EXT, CSV_META_EXT, CSV_REWRITE_EXT } from './limits.js';
import { decodeMeta, encodeMeta } from './meta.js';
import { ReadViews } from '../read-views.js';

/** The files of a table, without extension: `<datadir>/<schema dir>/<table file name>`. */
export interface TablePaths {
  base: string;
  /** How MySQL names the data file in messages: `./db/t.CSV`. */
  display: string;
}

function readOrNull(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

/** Write a file through a temporary name and rename it into place. */
function replaceFile(target: string, tmp: string, data: Buffer): void {
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, target);
}

export class CsvTableFile {
  /** Rows by handle. */
  private readonly rows = new Map<number, Row>();
  /** Encoded lines by handle (the file is their concatenation, in `order`, then `tail`). */
  private readonly lines = new Map<number, Buffer>();
  /** Handles in file order; may still list deleted handles until the next rewrite. */
  private order: number[] = [];
  /** Bytes after the last good line: a damaged line and what follows it, or an unfinished line. */
  private tail: Buffer = Buffer.alloc(0);
  private tailDamaged = false;
  private nextId = 1;
  /** Rows the metafile counts (CHECK TABLE compares the file with it). */
  private rowsRecorded = 0n;
  private crashed = false;
  /** The metafile says "open for writing" since the first write after opening. */
  private dirtyMarked = false;
  private rewritePending = false;
  private updatedFirst: number[] = [];
  private appendFd: number | null = null;
  private fileSize = 0;
  /** An error of a queued rewrite, raised by the next operation. */
  private deferredError: unknown = null;
  private closed = false;
  /** Read views by connection: the next handle when its first read lock was granted. @req CSV-015 */
  private readonly readViews = new ReadViews();
  /** Handlers sharing this open table. */
  refs = 0;

  constructor(
    private def: TableDef,
    private paths: TablePaths,
  ) {}

  get dataPath(): string {
    return this.paths.base + CSV_DATA_EXT;
  }
  get metaPath(): string {
    return this.paths.base + CSV_META_EXT;
  }
  get rewritePath(): string {
    return this.paths.base + CSV_REWRITE_EXT;
  }

  /** Create empty files for a new table. @req CSV-004 CSV-005 */
  static create(paths: TablePaths): void {
    writeFileSync(paths.base + CSV_DATA_EXT, Buffer.alloc(0));
    writeFileSync(paths.base + CSV_META_EXT, encodeMeta({ rows: 0n, dirty: false }));
  }

  /**
   * Read the table from its files. A missing data file is error 13 (EE_STAT: the server could
   * not stat it), at every access until a file is put back; a metafile that is missing, malformed or left dirty makes the open a
   * repair. @req CSV-010 CSV-034
   */
  open(): void {
    const data = readOrNull(this.dataPath);
    if (data === null) {
      throw sqlError('EE_STAT', this.paths.display + CSV_DATA_EXT, 2, 'No such file or directory');
    }
    const meta = decodeMeta(readOrNull(this.metaPath));
    const scan = scanFile(this.def.columns, data);
    if (!meta || meta.dirty) {
      // The server did not close the table (or the metafile is gone): repair it now. @req CSV-034
      this.load(scan.rows, Buffer.alloc(0), false);
      this.writeAll();
      this.rowsRecorded = BigInt(scan.rows.length);
      this.writeMeta(false);
      return;
    }
    this.load(scan.rows, data.subarray(scan.goodEnd), scan.damaged);
    this.fileSize = data.length;
    this.rowsRecorded = meta.rows;
  }

  private load(rows: readonly Row[], tail: Buffer, tailDamaged: boolean): void {
    this.rows.clear();
    this.lines.clear();
    this.order = [];
    this.updatedFirst = [];
    for (const r of rows) {
      const id = this.nextId++;
      this.rows.set(id, r);
      this.lines.set(id, encodeRow(this.def.columns, r));
      this.order.push(id);
    }
    this.tail = Buffer.from(tail);
    this.tailDamaged = tailDamaged;
  }

  /** The table's definition changed (ALTER that keeps the files: a rename). */
  redefine(def: TableDef, paths: TablePaths): void {
    this.def = def;
    this.paths = paths;
  }

  get tableName(): string {
    return this.def.name;
  }

  get rowCount(): number {
    return this.rows.size;
  }

  get dataLength(): number {
    this.settle();
    return this.fileSize;
  }

  private writeMeta(dirty: boolean): void {
    writeFileSync(this.metaPath, encodeMeta({ rows: this.rowsRecorded, dirty }));
    this.dirtyMarked = dirty;
  }

  /** Before the first write after opening: the metafile says the table is open for writing. */
  private markDirty(): void {
    if (!this.dirtyMarked) this.writeMeta(true);
  }

  /** 1194 while the table is marked crashed. @req CSV-033 */
  checkUsable(): void {
    this.settle();
    if (this.crashed) throw sqlError('ER_CRASHED_ON_USAGE', this.def.name);
  }

  /** Carry out a queued rewrite now (and raise its error, if it failed). */
  settle(): void {
    if (this.rewritePending) this.rewrite();
    if (this.deferredError !== null) {
      const e = this.deferredError;
      this.deferredError = null;
      throw e;
    }
  }

  private closeAppend(): void {
    if (this.appendFd !== null) {
      closeSync(this.appendFd);
      this.appendFd = null;
    }
  }

  /** Write every row (updated ones first) and the tail to `t.CSN`, renamed over `t.CSV`. @req CSV-011 */
  private rewrite(): void {
    this.rewritePending = false;
    const seen = new Set<number>();
    const order: number[] = [];
    for (const id of this.updatedFirst) {
      if (!seen.has(id) && this.rows.has(id)) {
        seen.add(id);
        order.push(id);
      }
    }
    for (const id of this.order) {
      if (!seen.has(id) && this.rows.has(id)) {
        seen.add(id);
        order.push(id);
      }
    }
    this.order = order;
    this.updatedFirst = [];
    this.writeAll();
  }

  private writeAll(): void {
    this.closeAppend();
    const parts = this.order.map((id) => this.lines.get(id)!);
    parts.push(this.tail);
    const data = Buffer.concat(parts);
    replaceFile(this.dataPath, this.rewritePath, data);
    this.fileSize = data.length;
  }

  private queueRewrite(): void {
    if (this.rewritePending) return;
    this.rewritePending = true;
    queueMicrotask(() => {
      if (!this.rewritePending || this.closed) return;
      try {
        this.rewrite();
      } catch (e) {
        this.deferredError = e;
      }
    });
  }

  /** Rows in file order with their handles, as connection `conn` may see them now (all of
   *  them, or those of its read view). */
  snapshot(conn?: number): { ids: number[]; tailDamaged: boolean } {
    this.checkUsable();
    const mark = conn === undefined ? undefined : this.readViews.markOf(conn);
    const ids = this.order.filter((id) => this.rows.has(id) && (mark === undefined || id < mark));
    return { ids, tailDamaged: this.tailDamaged };
  }

  /** A read lock of connection `conn` was granted: fix its view, unless one is open. @req CSV-015 */
  startRead(conn: number): void {
    this.readViews.start(conn, this.nextId);
  }

  /** One read lock of connection `conn` was released; the last one ends its view. */
  endRead(conn: number): void {
    this.readViews.end(conn);
  }

  /** Whether a plain INSERT may append beside readers: yes, unless the file ends in a damaged
   *  or unfinished line (or the table is marked crashed). @req CSV-015 */
  allowsConcurrentInsert(): boolean {
    return !this.crashed && this.tail.length === 0;
  }

  row(id: number): Row | undefined {
    return this.rows.get(id);
  }

  /** Append a row: its line goes to the file before the call returns. @req CSV-004 */
  insert(row: Row): number {
    this.checkUsable();
    this.markDirty();
    const line = encodeRow(this.def.columns, row);
    if (this.tail.length > 0) {
      // After a damaged or unfinished line the new line is only bytes of the tail (the reader
      // never gets past the damage); an unfinished line and the new one may even join up.
      this.closeAppend();
      const fd = openSync(this.dataPath, 'a');
      try {
        writeSync(fd, line);
      } finally {
        closeSync(fd);
      }
      this.rowsRecorded++;
      const data = readFileSync(this.dataPath);
      const scan = scanFile(this.def.columns, data);
      this.load(scan.rows, data.subarray(scan.goodEnd), scan.damaged);
      this.fileSize = data.length;
      return this.order[this.order.length - 1] ?? this.nextId - 1;
    }
    if (this.appendFd === null) this.appendFd = openSync(this.dataPath, 'a');
    writeSync(this.appendFd, line);
    this.fileSize += line.length;
    const id = this.nextId++;
    // The engine keeps its own copy: the caller may reuse its array.
    this.rows.set(id, row.slice());
    this.lines.set(id, line);
    this.order.push(id);
    this.rowsRecorded++;
    return id;
  }

  update(id: number, row: Row): void {
    this.checkUsable();
    if (!this.rows.has(id)) return;
    this.markDirty();
    this.rows.set(id, row.slice());
    this.lines.set(id, encodeRow(this.def.columns, row));
    this.updatedFirst.push(id);
    this.queueRewrite();
  }

  delete(id: number): void {
    this.checkUsable();
    if (!this.rows.delete(id)) return;
    this.markDirty();
    this.lines.delete(id);
    this.rowsRecorded--;
    this.queueRewrite();
  }

  /** TRUNCATE: an empty data file. @req CSV-011 */
  truncate(): void {
    this.rewritePending = false;
    this.deferredError = null;
    this.load([], Buffer.alloc(0), false);
    this.writeAll();
    this.rowsRecorded = 0n;
    this.crashed = false;
    this.writeMeta(this.dirtyMarked);
  }

  /**
   * CHECK TABLE: read the file as it is on disk now; damage, or a row count different from
   * the metafile's, marks the table crashed. @req CSV-030 CSV-031
   */
  check(): MaintenanceResult[] {
    this.settle();
    const meta = existsSync(this.metaPath);
    const scan = scanFile(this.def.columns, readFileSync(this.dataPath));
    if (!meta || scan.damaged || BigInt(scan.rows.length) !== this.rowsRecorded) {
      this.crashed = true;
      this.writeMeta(true);
      // CHECK lists no warning for the field (REPAIR does, as MySQL does).
      return [{ msgType: 'error', msgText: 'Corrupt' }];
    }
    return [{ msgType: 'status', msgText: 'OK' }];
  }

  /**
   * REPAIR TABLE: keep the rows up to the first damaged line, drop everything from it on, and
   * write them back through `t.CSN`. @req CSV-030 CSV-032
   */
  repair(): MaintenanceResult[] {
    this.rewritePending = false;
    this.deferredError = null;
    const data = readOrNull(this.dataPath) ?? Buffer.alloc(0);
    const scan = scanFile(this.def.columns, data);
    this.load(scan.rows, Buffer.alloc(0), false);
    this.writeAll();
    this.rowsRecorded = BigInt(scan.rows.length);
    this.crashed = false;
    this.writeMeta(false);
    return [...this.warningsOf(scan), { msgType: 'status', msgText: 'OK' }];
  }

  /** The warning MySQL raises for the field that damaged a line (none for a badly shaped line). */
  private warningsOf(scan: FileScan): MaintenanceResult[] {
    const d = scan.damage;
    if (!d) return [];
    const column = this.def.columns[d.column]!.name;
    const msgText = d.problem === 'range' ? `Out of range value for column '${column}' at row ${d.row}` : `Data truncated for column '${column}' at row ${d.row}`;
    return [{ msgType: 'Warning', msgText }];
  }

  /** Close: finish a queued rewrite and leave a clean metafile (dirty only if crashed). @req CSV-005 */
  close(): void {
    if (this.closed) return;
    try {
      if (this.rewritePending) this.rewrite();
    } finally {
      this.closed = true;
      this.closeAppend();
      if (existsSync(this.dataPath)) this.writeMeta(this.crashed);
    }
  }

  /** Remove the files of a table (DROP TABLE). */
  static remove(paths: TablePaths): void {
    for (const ext of [CSV_DATA_EXT, CSV_META_EXT, CSV_REWRITE_EXT]) {
      try {
        unlinkSync(paths.base + ext);
      } catch {
        /* absent */
      }
    }
  }

  /** Move the files of a table (RENAME TABLE). */
  static move(from: TablePaths, to: TablePaths): void {
    for (const ext of [CSV_DATA_EXT, CSV_META_EXT]) {
      if (existsSync(from.base + ext)) renameSync(from.base + ext, to.base + ext);
    }
  }
}
