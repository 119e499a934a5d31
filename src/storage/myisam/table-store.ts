/**
 * One MyISAM table: its two files (.MYD rows, .MYI header and key pages) and the in-memory
 * image that serves reads (the rows by handle, and one sorted index per key).
 *
 * The .MYD is the source of truth for rows: every insert, update and delete writes its record
 * (static format) or block (dynamic format) to the file before the call returns. Deleted
 * records stay in place as holes that later inserts reuse (Data_free). The .MYI holds the state
 * header, rewritten whenever the table changes state, and the key pages, written when the
 * table's writes pause (the end of a statement) or, with delayed key writes, only when the
 * table is closed or flushed.
 *
 * The open counter in the header is incremented on the first write after the table is opened
 * and decremented when it is closed cleanly, so a table left with a non-zero counter was not
 * closed properly (the server was killed while it was changed).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/myisam-storage-engine.html (16.2)
 * @req MYISAM-003 MYISAM-016 MYISAM-017 MYISAM-018 MYISAM-020 MYISAM-021 MYISAM-024 MYISAM-057
 * @req MYISAM-086 MYISAM-101 MYISAM-120 MYISAM-130 MYISAM-131 MYISAM-132 MYISAM-133 MYISAM-135
 * @req MYISAM-110 MYISAM-113 MYISAM-035
 *
 * Concurrent inserts (MYISAM-021, MYISAM-035): while sessions hold read locks, each sees the
 * rows the table had when its lock was granted (its read view: the insertion number then, as
 * MySQL keeps the data file length); a plain INSERT let in beside them appends at the end of
 * the data file instead of filling a hole, so that concurrent_insert=ALWAYS keeps the holes
 * until no one reads.
 *
 * A packed table (refmyisampack set the compress bit in the .MYI options) is read from its
 * compressed data file and refuses every change with 1036, as MySQL's read-only packed tables do.
 */
import { closeSync, existsSync, ftruncateSync, mkdirSync, statSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeFileName } from '../../kernel/file-names.js';
import { sqlError } from '../../kernel/errors.js';
import type { IndexDef, TableDef } from '../../kernel/table-def.js';
import type { Row, Value } from '../../kernel/value.js';
import { keyLength } from '../../kernel/column-size.js';
import { hashKey, hasNull, indexKeySpecs, keyPart, keyValueText, type KeyPart, type KeyPartSpec } from '../keys.js';
import { SortedIndex } from '../memory/sorted-index.js';
import { buildTree, keyImage, NO_ROOT, readTree, type KeyEntry } from './key-pages.js';
import {
  DEFAULT_DATA_POINTER_SIZE,
  DYNAMIC_BLOCK_HEADER,
  KEY_BLOCK_SIZE,
  LONG_KEY_BLOCK_SIZE,
  LONG_KEY_THRESHOLD,
  MAX_DATA_POINTER_SIZE,
  MIN_DATA_POINTER_SIZE,
  MIN_DYNAMIC_BLOCK,
  OPTION_CHECKSUM,
  OPTION_COMPRESS_RECORD,
  OPTION_DELAY_KEY_WRITE,
  OPTION_PACK_KEYS,
  OPTION_PACK_RECORD,
  STATE_CHANGED,
  STATE_CRASHED,
  STATE_NOT_ANALYZED,
  STATE_NOT_OPTIMIZED_KEYS,
} from './limits.js';
import { decodeHeader, encodeHeader, HeaderCorrupt, headerLength, type MyiHeader } from './myi-header.js';
import { unpackRecords } from './packed-codec.js';
import { dynamicBlock, readDynamicBlock, RECORD_DELETED, RecordCorrupt, RecordLayout } from './record-codec.js';
import { ReadViews } from '../read-views.js';

/** One row in memory: where its record lives and its insertion number (cursors hide later rows). */
interface Rec {
  row: Row;
  pos: number;
  blockLen: number;
  birth: number;
}

interface KeyState {
  def: IndexDef;
  specs: KeyPartSpec[];
  unique: boolean;
  tree: SortedIndex;
  uniq?: Map<string, number>;
  blockSize: number;
}

/** Paths of a table's files relative to the data directory. */
export function tableFiles(def: Pick<TableDef, 'schema' | 'name'>): { myd: string; myi: string; dir: string; base: string } {
  const dir = encodeFileName(def.schema);
  const base = encodeFileName(def.name);
  return { dir, base, myd: join(dir, `${base}.MYD`), myi: join(dir, `${base}.MYI`) };
}

/** Bytes needed to address `n` positions (MyISAM's pointer length rule). */
export function pointerLength(n: bigint, fallback: number): number {
  if (n <= 0n) return fallback;
  for (let bytes = MIN_DATA_POINTER_SIZE; bytes < MAX_DATA_POINTER_SIZE; bytes++) if (n < 1n << BigInt(8 * bytes)) return bytes;
  return MAX_DATA_POINTER_SIZE;
}

/** What a table learns from the engine: variables, logging. */
export interface TableEnv {
  datadir: string;
  globalVar(name: string): Value;
}

/** What reading the files found wrong. */
export interface LoadProblems {
  /** The .MYI header could not be read (message). */
  header?: string;
  /** Records of the .MYD that did not decode. */
  badRecords: number;
  /** Byte positions of the first few bad records. */
  badAt: number[];
}

function num(v: Value, dflt: number): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return dflt;
}

/** Blank state header for a table definition. */
function newHeader(def: TableDef, layout: RecordLayout, recRef: number): MyiHeader {
  const keys = def.indexes.map((idx) => {
    const kl = keyLength(def, idx);
    return {
      flag: (idx.kind === 'PRIMARY' ? 2 : 0) | (idx.kind === 'PRIMARY' || idx.kind === 'UNIQUE' ? 1 : 0),
      blockSize: kl > LONG_KEY_THRESHOLD ? LONG_KEY_BLOCK_SIZE : KEY_BLOCK_SIZE,
      keyLength: Math.min(0xffff, kl),
      parts: idx.parts.map((p) => ({ column: p.column, length: p.length ?? 0, flags: (p.desc ? 1 : 0) | (def.columns[p.column]!.nullable ? 2 : 0) })),
    };
  });
  const partCount = keys.reduce((n, k) => n + k.parts.length, 0);
  const h: MyiHeader = {
    options:
      (layout.format === 'dynamic' ? OPTION_PACK_RECORD : 0) |
      (def.options['PACK_KEYS'] === '1' ? OPTION_PACK_KEYS : 0) |
      (def.options['CHECKSUM'] === '1' ? OPTION_CHECKSUM : 0) |
      (def.options['DELAY_KEY_WRITE'] === '1' ? OPTION_DELAY_KEY_WRITE : 0),
    uniques: 0,
    language: 255,
    blockSizeIndex: keys.some((k) => k.blockSize > KEY_BLOCK_SIZE) ? 2 : 1,
    openCount: 0,
    changed: 0,
    sortKey: 0xff,
    records: 0n,
    deleted: 0n,
    split: 0n,
    dellink: NO_ROOT,
    keyFileLength: 0n,
    dataFileLength: 0n,
    empty: 0n,
    keyEmpty: 0n,
    autoIncrement: 0n,
    checksum: 0n,
    process: process.pid,
    unique: 0,
    status: 0,
    updateCount: 0,
    keyRoots: keys.map(() => NO_ROOT),
    keyDel: NO_ROOT,
    version: 1,
    keyMap: def.indexes.length >= 64 ? (1n << 64n) - 1n : (1n << BigInt(def.indexes.length)) - 1n,
    createTime: BigInt(Math.floor(def.createTime / 1000)),
    recoverTime: 0n,
    checkTime: 0n,
    recPerKeyRows: 0n,
    recPerKeyPart: new Array<number>(partCount).fill(0),
    keystart: 0n,
    maxDataFileLength: 0n,
    maxKeyFileLength: (1n << 63n) - 1n,
    maxRows: BigInt(num(def.options['MAX_ROWS'] ?? null, 0)),
    meanRowLength: num(def.options['AVG_ROW_LENGTH'] ?? null, 0),
    reclength: layout.recordLength,
    minBlockLength: layout.format === 'dynamic' ? MIN_DYNAMIC_BLOCK : layout.recordLength,
    fields: def.columns.length,
    recRefLength: recRef,
    keyRefLength: 6,
    autoKey: autoKeyNumber(def),
    blobs: 0,
    keys,
    columns: layout.columns,
  };
  const hl = headerLength(h);
  h.keystart = BigInt(Math.ceil(hl / KEY_BLOCK_SIZE) * KEY_BLOCK_SIZE);
  h.keyFileLength = h.keystart;
  h.maxDataFileLength = maxDataLength(layout, recRef);
  return h;
}

/** 1-based number of the key MyISAM generates AUTO_INCREMENT values from (0: none). */
function autoKeyNumber(def: TableDef): number {
  const ai = def.columns.findIndex((c) => c.autoIncrement);
  if (ai < 0) return 0;
  const lead = def.indexes.findIndex((i) => i.parts[0]?.column === ai);
  if (lead >= 0) return lead + 1;
  const any = def.indexes.findIndex((i) => i.parts.some((p) => p.column === ai));
  return any + 1;
}

/**
 * Max_data_length: a static table addresses records, a dynamic one bytes, through a pointer of
 * `ptr` bytes (MYISAM-047).
 */
export function maxDataLength(layout: RecordLayout, ptr: number): bigint {
  const span = 1n << BigInt(8 * ptr);
  return layout.format === 'fixed' ? span * BigInt(layout.recordLength) - 1n : span - 1n;
}

/** The data pointer size a new table gets from MAX_ROWS / AVG_ROW_LENGTH or the variable. */
export function choosePointerSize(def: TableDef, layout: RecordLayout, variable: number): number {
  const maxRows = BigInt(num(def.options['MAX_ROWS'] ?? null, 0));
  const dflt = Math.min(MAX_DATA_POINTER_SIZE, Math.max(MIN_DATA_POINTER_SIZE, variable || DEFAULT_DATA_POINTER_SIZE));
  if (maxRows <= 0n) return dflt;
  if (layout.format === 'fixed') return pointerLength(maxRows, dflt);
  const avg = BigInt(num(def.options['AVG_ROW_LENGTH'] ?? null, 0) || layout.recordLength);
  return pointerLength(maxRows * (avg + BigInt(DYNAMIC_BLOCK_HEADER)), dflt);
}

/** concurrent_insert as a name (the variable also takes 0, 1, 2). */
export function concurrentInsertMode(v: Value): 'NEVER' | 'AUTO' | 'ALWAYS' {
  const s = String(v ?? 'AUTO').toUpperCase();
  if (s === 'NEVER' || s === '0') return 'NEVER';
  if (s === 'ALWAYS' || s === '2') return 'ALWAYS';
  return 'AUTO';
}

export class MyisamTable {
  def: TableDef;
  readonly layout: RecordLayout;
  header!: MyiHeader;
  /** Handles of live rows. Static format: the handle is the record number. */
  private recs = new Map<number, Rec>();
  private nextId = 0;
  private nextBirth = 0;
  /** Read views by connection: the insertion number when its first read lock was granted. @req MYISAM-021 */
  private readonly readViews = new ReadViews();
  /** Static format: number of record slots in the file, and the deleted ones (a stack). */
  private slotCount = 0;
  private freeSlots: number[] = [];
  /** Dynamic format: free blocks by position and by end. */
  private freeByPos = new Map<number, number>();
  private freeByEnd = new Map<number, number>();
  private dataEnd = 0;
  keys: KeyState[] = [];
  autoInc = 1n;
  /** This server incremented the open counter (its first write since opening). */
  counted = false;
  /** Why the table may not be used (1194 marked crashed, 1034 unreadable key file). */
  unusable: 'crashed' | 'keyfile' | null = null;
  /** Key pages differ from the in-memory index (written at the next flush). */
  private keysDirty = false;
  private flushTimer: NodeJS.Immediate | null = null;
  private writeGen = 0;
  private fdData: number | null = null;
  private fdIndex: number | null = null;
  refs = 0;
  updateTime: number | undefined;
  readonly problems: LoadProblems = { badRecords: 0, badAt: [] };

  constructor(
    def: TableDef,
    private readonly env: TableEnv,
  ) {
    this.def = def;
    this.layout = new RecordLayout(def);
    this.initKeys();
  }

  private get files(): { myd: string; myi: string } | null {
    if (this.def.temporary) return null;
    const f = tableFiles(this.def);
    return { myd: join(this.env.datadir, f.myd), myi: join(this.env.datadir, f.myi) };
  }

  get name(): string {
    return this.def.name;
  }

  /** `./db/t` as MyISAM names tables in its messages. */
  get path(): string {
    const f = tableFiles(this.def);
    return `./${f.dir}/${f.base}`;
  }

  /** The data file is compressed and read-only (packed by refmyisampack). @req MYISAM-110 */
  get packed(): boolean {
    return this.header !== undefined && (this.header.options & OPTION_COMPRESS_RECORD) !== 0;
  }

  private initKeys(): void {
    this.keys = this.def.indexes.map((idx) => {
      const specs = indexKeySpecs(this.def, idx);
      const unique = idx.kind === 'PRIMARY' || idx.kind === 'UNIQUE';
      const st: KeyState = { def: idx, specs, unique, tree: new SortedIndex(specs), blockSize: keyLength(this.def, idx) > LONG_KEY_THRESHOLD ? LONG_KEY_BLOCK_SIZE : KEY_BLOCK_SIZE };
      if (unique) st.uniq = new Map();
      return st;
    });
  }

  // ---------------------------------------------------------------- creation and loading

  /** Create both files for a new, empty table. */
  create(): void {
    const ptr = choosePointerSize(this.def, this.layout, num(this.env.globalVar('myisam_data_pointer_size'), DEFAULT_DATA_POINTER_SIZE));
    this.header = newHeader(this.def, this.layout, ptr);
    this.autoInc = this.def.autoIncrementStart > 0n ? this.def.autoIncrementStart : 1n;
    this.header.autoIncrement = this.autoInc - 1n;
    const f = this.files;
    if (!f) return;
    mkdirSync(dirname(f.myd), { recursive: true });
    writeFileSync(f.myd, Buffer.alloc(0));
    this.writeKeyFile();
  }

  /** Read both files. Problems are recorded (and the table marked unusable) rather than thrown. */
  load(): void {
    const f = this.files;
    if (!f) return;
    let headerOk = true;
    try {
      this.header = decodeHeader(readFileSync(f.myi));
      if (this.header.keys.length !== this.def.indexes.length) throw new HeaderCorrupt('the .MYI has a different number of keys than the table');
      if (this.header.reclength !== this.layout.recordLength && this.layout.format === 'fixed') throw new HeaderCorrupt('record length differs from the table definition');
    } catch (e) {
      headerOk = false;
      this.problems.header = e instanceof Error ? e.message : String(e);
      this.header = newHeader(this.def, this.layout, DEFAULT_DATA_POINTER_SIZE);
      this.unusable = 'keyfile';
    }
    if (headerOk && this.header.changed & STATE_CRASHED) this.unusable = 'crashed';
    const data = existsSync(f.myd) ? readFileSync(f.myd) : Buffer.alloc(0);
    this.rebuildFrom(data);
    this.autoInc = headerOk ? this.header.autoIncrement + 1n : this.maxAutoValue() + 1n;
    if (this.autoInc <= this.maxAutoValue()) this.autoInc = this.maxAutoValue() + 1n;
    if (this.problems.badRecords > 0 && this.unusable === null) this.unusable = 'crashed';
    // An offline recovery (refmyisamchk --recover) left the keys to be rebuilt from the rows.
    if (this.unusable === null && this.header.changed & STATE_NOT_OPTIMIZED_KEYS) {
      this.header.changed &= ~STATE_NOT_OPTIMIZED_KEYS;
      this.writeKeyFile();
    }
  }

  /** Parse data file bytes into rows, free space and indexes; unreadable records are counted. */
  private rebuildFrom(data: Buffer): void {
    this.recs.clear();
    this.freeSlots = [];
    this.freeByPos.clear();
    this.freeByEnd.clear();
    this.slotCount = 0;
    this.nextId = 0;
    this.initKeys();
    this.problems.badRecords = 0;
    this.problems.badAt = [];
    const bad = (pos: number): void => {
      this.problems.badRecords++;
      if (this.problems.badAt.length < 10) this.problems.badAt.push(pos);
    };
    if (this.packed) {
      this.loadPacked(data, bad);
      return;
    }
    if (this.layout.format === 'fixed') {
      const rl = this.layout.recordLength;
      const n = Math.floor(data.length / rl);
      for (let slot = 0; slot < n; slot++) {
        const pos = slot * rl;
        const rec = data.subarray(pos, pos + rl);
        if (rec[0] === RECORD_DELETED) {
          this.freeSlots.push(slot);
          continue;
        }
        try {
          const row = this.layout.decode(rec);
          this.placeLoaded(slot, { row, pos, blockLen: rl, birth: this.nextBirth++ });
        } catch (e) {
          if (!(e instanceof RecordCorrupt)) throw e;
          bad(pos);
          this.freeSlots.push(slot);
        }
      }
      if (data.length % rl !== 0) bad(n * rl);
      this.slotCount = n;
      this.nextId = n;
      this.freeSlots.reverse();
      this.dataEnd = n * rl;
    } else {
      let pos = 0;
      while (pos < data.length) {
        const block = this.readBlock(data, pos);
        if (!block) {
          // Not a block: count it lost and look for the next plausible block header.
          bad(pos);
          let next = pos + 1;
          while (next < data.length && !this.readBlock(data, next)) next++;
          this.addFree(pos, next - pos);
          pos = next;
          continue;
        }
        if (block.row) this.placeLoaded(this.nextId++, { row: block.row, pos, blockLen: block.len, birth: this.nextBirth++ });
        else this.addFree(pos, block.len);
        pos += block.len;
      }
      this.dataEnd = data.length;
    }
  }

  /** Rows of a packed data file: handles 0..n-1 in file order, pointers are record offsets. */
  private loadPacked(data: Buffer, bad: (pos: number) => void): void {
    let records: { ptr: number; row: Row }[] = [];
    try {
      const r = unpackRecords(this.layout.columns, data);
      records = r.records;
      if (r.bad > 0) bad(records.length > 0 ? records[records.length - 1]!.ptr : 0);
    } catch (e) {
      if (!(e instanceof RecordCorrupt)) throw e;
      bad(0);
    }
    records.forEach((r, i) => {
      const end = i + 1 < records.length ? records[i + 1]!.ptr : data.length;
      this.placeLoaded(i, { row: r.row, pos: r.ptr, blockLen: end - r.ptr, birth: this.nextBirth++ });
    });
    this.slotCount = records.length;
    this.nextId = records.length;
    this.freeSlots = [];
    this.freeByPos.clear();
    this.freeByEnd.clear();
    this.dataEnd = data.length;
  }

  /** A dynamic block at `pos`: its length and row (null for a free block), or undefined if unreadable. */
  private readBlock(data: Buffer, pos: number): { len: number; row: Row | null } | undefined {
    return readDynamicBlock(data, pos, this.layout);
  }

  private placeLoaded(id: number, rec: Rec): void {
    // Rows read back that break a unique key (damaged files) are dropped as unreadable.
    for (const k of this.keys) {
      if (!k.uniq) continue;
      const key = this.keyOf(k, rec.row);
      if (!hasNull(key) && k.uniq.has(hashKey(key))) {
        this.problems.badRecords++;
        if (this.layout.format === 'fixed') this.freeSlots.push(id);
        else this.addFree(rec.pos, rec.blockLen);
        return;
      }
    }
    this.recs.set(id, rec);
    this.addKeys(rec.row, id);
  }

  maxAutoValue(): bigint {
    const ai = this.def.columns.findIndex((c) => c.autoIncrement);
    if (ai < 0) return 0n;
    let max = 0n;
    for (const r of this.recs.values()) {
      const v = r.row[ai];
      const n = typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : 0n;
      if (n > max) max = n;
    }
    return max;
  }

  // ---------------------------------------------------------------- keys

  keyOf(k: KeyState, row: Row): KeyPart[] {
    return k.def.parts.map((p, i) => keyPart(row[p.column] ?? null, k.specs[i]!));
  }

  private addKeys(row: Row, id: number): void {
    for (const k of this.keys) {
      const key = this.keyOf(k, row);
      k.tree.insert(key, id);
      if (k.uniq && !hasNull(key)) k.uniq.set(hashKey(key), id);
    }
  }

  private removeKeys(row: Row, id: number): void {
    for (const k of this.keys) {
      const key = this.keyOf(k, row);
      k.tree.delete(key, id);
      if (k.uniq && k.uniq.get(hashKey(key)) === id) k.uniq.delete(hashKey(key));
    }
  }

  private checkUnique(row: Row, ignore: number): void {
    for (const k of this.keys) {
      if (!k.uniq) continue;
      const key = this.keyOf(k, row);
      if (hasNull(key)) continue; // NULLs never collide in a UNIQUE index (MYISAM-024)
      const other = k.uniq.get(hashKey(key));
      if (other !== undefined && other !== ignore) {
        const text = k.def.parts
          .map((p) => {
            let v = row[p.column] ?? null;
            if (typeof v === 'string' && p.length !== undefined) v = [...v].slice(0, p.length).join('');
            return keyValueText(v);
          })
          .join('-');
        throw sqlError('ER_DUP_ENTRY', text, `${this.def.name}.${k.def.name}`);
      }
    }
  }

  keyState(name: string): KeyState | undefined {
    return this.keys.find((k) => k.def.name === name);
  }

  // ---------------------------------------------------------------- reads

  get rowCount(): number {
    return this.recs.size;
  }

  get insertMark(): number {
    return this.nextBirth;
  }

  /** A read lock of connection `conn` was granted: fix its view, unless one is open. @req MYISAM-021 */
  startRead(conn: number): void {
    this.readViews.start(conn, this.nextBirth);
  }

  /** One read lock of connection `conn` was released; the last one ends its view. */
  endRead(conn: number): void {
    this.readViews.end(conn);
  }

  /** The insertion number below which connection `conn` sees rows: its read view, or now. */
  visibleMark(conn: number): number {
    return this.readViews.markOf(conn) ?? this.nextBirth;
  }

  /** Whether the data file has holes: deleted records or free blocks. */
  get hasHoles(): boolean {
    return this.layout.format === 'fixed' ? this.freeSlots.length > 0 : this.freeByPos.size > 0;
  }

  /**
   * Whether a plain INSERT may run beside readers now (MySQL's mi_check_status):
   * concurrent_insert NEVER: never; AUTO (the default): when the data file has no holes;
   * ALWAYS: always (the row then goes to the end of the file). A packed table takes no
   * inserts at all.
   * @req MYISAM-021 MYISAM-035 MYISAM-041
   */
  allowsConcurrentInsert(): boolean {
    if (this.packed || this.unusable !== null) return false;
    const mode = concurrentInsertMode(this.env.globalVar('concurrent_insert'));
    if (mode === 'NEVER') return false;
    return mode === 'ALWAYS' || !this.hasHoles;
  }

  /** Handles in scan order (file order for static rows, insertion order for dynamic ones). */
  scanIds(): Iterator<number> {
    if (this.layout.format === 'fixed') {
      const end = this.slotCount;
      let i = 0;
      return {
        next: (): IteratorResult<number> => {
          while (i < end) {
            const id = i++;
            if (this.recs.has(id)) return { value: id, done: false };
          }
          return { value: undefined, done: true };
        },
      };
    }
    return this.recs.keys();
  }

  rowBefore(id: number, mark: number): Row | undefined {
    const r = this.recs.get(id);
    return r !== undefined && r.birth < mark ? r.row : undefined;
  }

  row(id: number): Row | undefined {
    return this.recs.get(id)?.row;
  }

  // ---------------------------------------------------------------- writes

  /** Refuse use of a table marked crashed (1194) or with an unreadable key file (1034). @req MYISAM-065 MYISAM-122 */
  assertUsable(): void {
    if (this.unusable === 'crashed') throw sqlError('ER_CRASHED_ON_USAGE', this.def.name);
    if (this.unusable === 'keyfile') throw sqlError('ER_NOT_KEYFILE', this.def.name);
  }

  /** A packed table is read-only: every change is 1036 (MYISAM-113). */
  assertWritable(): void {
    // @req MYISAM-113
    if (this.packed) throw sqlError('ER_OPEN_AS_READONLY', this.def.name);
  }

  /** The first write after opening counts the table open in its header (MYISAM-131, MYISAM-132). */
  private beginWrite(): void {
    this.assertUsable();
    this.assertWritable();
    if (!this.counted) {
      this.counted = true;
      this.header.openCount++;
      this.header.changed |= STATE_CHANGED | STATE_NOT_ANALYZED;
      this.writeHeaderOnly();
    }
  }

  private afterWrite(): void {
    this.updateTime = Date.now();
    this.header.changed |= STATE_CHANGED | STATE_NOT_ANALYZED;
    this.header.updateCount = (this.header.updateCount + 1) >>> 0;
    this.keysDirty = true;
    this.writeGen++;
    this.writeHeaderOnly();
    if (!this.delayKeyWrites()) this.scheduleFlush();
  }

  /** Whether key pages wait for close / FLUSH TABLES (delay_key_write, MYISAM-042, MYISAM-057). */
  delayKeyWrites(): boolean {
    const v = String(this.env.globalVar('delay_key_write') ?? 'ON').toUpperCase();
    if (v === 'ALL') return true;
    if (v === 'OFF') return false;
    return (this.header.options & OPTION_DELAY_KEY_WRITE) !== 0;
  }

  /** Flush once the table's writes pause for a turn of the event loop (the statement ended). */
  private scheduleFlush(): void {
    if (this.flushTimer || !this.files) return;
    const gen = this.writeGen;
    this.flushTimer = setImmediate(() => {
      this.flushTimer = null;
      if (this.writeGen !== gen) {
        this.scheduleFlush();
        return;
      }
      try {
        if (this.keysDirty && this.unusable === null) this.flush();
      } catch {
        /* the next flush or close tries again */
      }
    });
  }

  private get maxData(): bigint {
    return this.header.maxDataFileLength;
  }

  insert(row: Row): number {
    this.beginWrite();
    this.checkUnique(row, -1);
    const data = this.layout.encode(row);
    let id: number;
    let rec: Rec;
    if (this.layout.format === 'fixed') {
      const rl = this.layout.recordLength;
      let slot: number;
      // @req MYISAM-021 beside readers a row goes to the end, leaving the holes alone.
      if (this.freeSlots.length > 0 && !this.readViews.active) slot = this.freeSlots.pop()!;
      else {
        // @req MYISAM-010 a full data file is 1114
        if (BigInt(this.slotCount + 1) * BigInt(rl) - 1n > this.maxData) throw sqlError('ER_RECORD_FILE_FULL', this.def.name);
        slot = this.slotCount++;
        this.dataEnd = this.slotCount * rl;
      }
      id = slot;
      rec = { row: row.slice(), pos: slot * rl, blockLen: rl, birth: this.nextBirth++ };
      this.writeData(data, rec.pos);
      this.header.deleted = BigInt(this.freeSlots.length);
    } else {
      const placed = this.allocBlock(DYNAMIC_BLOCK_HEADER + data.length, -1, this.readViews.active);
      id = this.nextId++;
      rec = { row: row.slice(), pos: placed.pos, blockLen: placed.len, birth: this.nextBirth++ };
      this.writeData(dynamicBlock(data, placed.len, true), placed.pos);
    }
    this.recs.set(id, rec);
    this.addKeys(rec.row, id);
    this.noteAuto(rec.row);
    this.afterWrite();
    return id;
  }

  update(id: number, newRow: Row): void {
    this.beginWrite();
    const rec = this.recs.get(id);
    if (!rec) throw sqlError('ER_KEY_NOT_FOUND', this.def.name);
    this.checkUnique(newRow, id);
    const data = this.layout.encode(newRow);
    if (this.layout.format === 'fixed') this.writeData(data, rec.pos);
    else if (DYNAMIC_BLOCK_HEADER + data.length <= rec.blockLen) this.writeData(dynamicBlock(data, rec.blockLen, true), rec.pos);
    else {
      // The row grew past its block: it moves, and its old block becomes a hole (MYISAM-021).
      const placed = this.allocBlock(DYNAMIC_BLOCK_HEADER + data.length, rec.pos);
      this.freeBlock(rec.pos, rec.blockLen);
      rec.pos = placed.pos;
      rec.blockLen = placed.len;
      this.writeData(dynamicBlock(data, placed.len, true), placed.pos);
    }
    this.removeKeys(rec.row, id);
    rec.row = newRow.slice();
    this.addKeys(rec.row, id);
    this.noteAuto(rec.row);
    this.afterWrite();
  }

  delete(id: number): void {
    this.beginWrite();
    const rec = this.recs.get(id);
    if (!rec) throw sqlError('ER_KEY_NOT_FOUND', this.def.name);
    this.removeKeys(rec.row, id);
    this.recs.delete(id);
    if (this.layout.format === 'fixed') {
      // A deleted record links to the previously deleted one; the header points at the latest.
      const b = Buffer.alloc(this.layout.recordLength);
      b[0] = RECORD_DELETED;
      b.writeBigUInt64BE(this.freeSlots.length > 0 ? BigInt(this.freeSlots[this.freeSlots.length - 1]! * this.layout.recordLength) : NO_ROOT, 1);
      this.writeData(b, rec.pos);
      this.freeSlots.push(id);
      this.header.deleted = BigInt(this.freeSlots.length);
    } else this.freeBlock(rec.pos, rec.blockLen);
    this.afterWrite();
  }

  /** TRUNCATE: empty files, counters back to the start. */
  truncate(): void {
    this.assertUsable();
    this.assertWritable();
    this.recs.clear();
    this.freeSlots = [];
    this.freeByPos.clear();
    this.freeByEnd.clear();
    this.slotCount = 0;
    this.dataEnd = 0;
    this.initKeys();
    this.autoInc = this.def.autoIncrementStart > 0n ? this.def.autoIncrementStart : 1n;
    const f = this.files;
    if (f) {
      this.closeData();
      writeFileSync(f.myd, Buffer.alloc(0));
    }
    this.updateTime = Date.now();
    this.flush();
  }

  private noteAuto(row: Row): void {
    const ai = this.def.columns.findIndex((c) => c.autoIncrement);
    if (ai < 0) return;
    const v = row[ai];
    // The counter follows values stored by INSERT and by UPDATE (MYISAM-016).
    const n = typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : 0n;
    if (n >= this.autoInc && !this.perPrefixAuto()) this.autoInc = n + 1n;
  }

  /**
   * The key whose leading parts group MyISAM's per-prefix AUTO_INCREMENT (MYISAM-018): the AUTO_INCREMENT
   * column is a later part of it and no key starts with that column. Undefined otherwise.
   */
  perPrefixAuto(): { key: KeyState; at: number; ai: number } | undefined {
    const ai = this.def.columns.findIndex((c) => c.autoIncrement);
    const n = this.header?.autoKey ?? 0;
    if (ai < 0 || n === 0) return undefined;
    const key = this.keys[n - 1];
    if (!key) return undefined;
    const at = key.def.parts.findIndex((p) => p.column === ai);
    return at > 0 ? { key, at, ai } : undefined;
  }

  /** Next AUTO_INCREMENT value for `row`: MAX(ai)+1 within its prefix group, or the table counter. */
  nextAuto(row: Row | undefined, count: number): { first: bigint; count: number } {
    // A refused insert into a packed table must not use up a value (1036 comes first).
    this.assertWritable();
    const pp = this.perPrefixAuto();
    if (pp && row) {
      const prefix = pp.key.def.parts.slice(0, pp.at).map((p, i) => keyPart(row[p.column] ?? null, pp.key.specs[i]!));
      let max = 0n;
      for (const e of pp.key.tree.eq(prefix)) {
        const v = this.recs.get(e.slot)?.row[pp.ai];
        const n = typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : 0n;
        if (n > max) max = n;
      }
      return { first: max + 1n, count: 1 };
    }
    const first = this.autoInc;
    const n = Math.max(1, Math.floor(count));
    this.autoInc = first + BigInt(n);
    return { first, count: n };
  }

  observeAuto(value: bigint): void {
    if (this.packed) return; // the write that brought the value is refused (1036)
    if (value >= this.autoInc) this.autoInc = value + 1n;
  }

  // ---------------------------------------------------------------- dynamic free space

  private addFree(pos: number, len: number): void {
    this.freeByPos.set(pos, len);
    this.freeByEnd.set(pos + len, pos);
  }

  private takeFree(pos: number): void {
    const len = this.freeByPos.get(pos);
    if (len === undefined) return;
    this.freeByPos.delete(pos);
    this.freeByEnd.delete(pos + len);
  }

  /** A block of at least `need` bytes: a hole that fits (split when the rest is usable), else the end of the file. */
  private allocBlock(need: number, avoid = -1, atEnd = false): { pos: number; len: number } {
    need = Math.max(MIN_DYNAMIC_BLOCK, need);
    for (const [pos, len] of atEnd ? [] : this.freeByPos) {
      if (len < need || pos === avoid) continue;
      this.takeFree(pos);
      if (len - need >= MIN_DYNAMIC_BLOCK) {
        this.addFree(pos + need, len - need);
        this.writeData(dynamicBlock(Buffer.alloc(0), len - need, false), pos + need);
        return { pos, len: need };
      }
      return { pos, len };
    }
    if (BigInt(this.dataEnd + need) - 1n > this.maxData) throw sqlError('ER_RECORD_FILE_FULL', this.def.name);
    const pos = this.dataEnd;
    this.dataEnd += need;
    return { pos, len: need };
  }

  /** Free a block, merging it with free neighbours (MYISAM-020). */
  private freeBlock(pos: number, len: number): void {
    const next = this.freeByPos.get(pos + len);
    if (next !== undefined) {
      this.takeFree(pos + len);
      len += next;
    }
    const prev = this.freeByEnd.get(pos);
    if (prev !== undefined) {
      const plen = this.freeByPos.get(prev)!;
      this.takeFree(prev);
      pos = prev;
      len += plen;
    }
    this.addFree(pos, len);
    this.writeData(dynamicBlock(Buffer.alloc(0), len, false), pos);
  }

  // ---------------------------------------------------------------- files

  private writeData(buf: Buffer, pos: number): void {
    const f = this.files;
    if (!f) return;
    if (this.fdData === null) this.fdData = openSync(f.myd, existsSync(f.myd) ? 'r+' : 'w+');
    writeSync(this.fdData, buf, 0, buf.length, pos);
  }

  private closeData(): void {
    if (this.fdData !== null) closeSync(this.fdData);
    this.fdData = null;
  }

  /** Bytes of free space in the data file (Data_free). */
  dataFree(): number {
    if (this.layout.format === 'fixed') return this.freeSlots.length * this.layout.recordLength;
    let n = 0;
    for (const len of this.freeByPos.values()) n += len;
    return n;
  }

  get dataLength(): number {
    return this.dataEnd;
  }

  /** Refresh the state fields from memory. */
  private syncState(): void {
    const h = this.header;
    h.records = BigInt(this.recs.size);
    h.deleted = BigInt(this.layout.format === 'fixed' ? this.freeSlots.length : this.freeByPos.size);
    h.dataFileLength = BigInt(this.dataEnd);
    h.empty = BigInt(this.dataFree());
    h.autoIncrement = this.autoInc - 1n;
    h.dellink =
      this.layout.format === 'fixed'
        ? this.freeSlots.length > 0
          ? BigInt(this.freeSlots[this.freeSlots.length - 1]! * this.layout.recordLength)
          : NO_ROOT
        : this.freeByPos.size > 0
          ? BigInt(Math.min(...this.freeByPos.keys()))
          : NO_ROOT;
  }

  private indexFd(path: string): number {
    if (this.fdIndex === null) this.fdIndex = openSync(path, existsSync(path) ? 'r+' : 'w+');
    return this.fdIndex;
  }

  private closeIndex(): void {
    if (this.fdIndex !== null) closeSync(this.fdIndex);
    this.fdIndex = null;
  }

  /** Rewrite the header alone (state changes: open counter, counts, crashed flag). */
  writeHeaderOnly(sync = true): void {
    const f = this.files;
    if (!f || this.unusable === 'keyfile') return;
    // A table whose files did not load cleanly keeps the counts its header had: they are what
    // a repair compares the rows it finds with.
    if (sync && this.problems.badRecords === 0) this.syncState();
    const b = encodeHeader(this.header);
    writeSync(this.indexFd(f.myi), b, 0, b.length, 0);
  }

  /** Record pointer stored in key entries: record number (static) or byte offset (dynamic). */
  private rowPtr(id: number): number {
    return this.layout.format === 'fixed' && !this.packed ? id : this.recs.get(id)!.pos;
  }

  /** The entries of key `k` as the key pages must hold them, in key order. */
  expectedEntries(k: KeyState): KeyEntry[] {
    const out: KeyEntry[] = [];
    for (const e of k.tree.range()) out.push({ image: keyImage(e.key), rowPtr: this.rowPtr(e.slot) });
    return out;
  }

  /** Write the whole .MYI: header and every key's pages. */
  writeKeyFile(): void {
    const f = this.files;
    if (!f) return;
    this.syncState();
    const h = this.header;
    const pages: Buffer[] = [];
    let at = h.keystart;
    this.keys.forEach((k, i) => {
      const t = buildTree(this.expectedEntries(k), at, { blockSize: k.blockSize, recRef: h.recRefLength, keyRef: h.keyRefLength });
      h.keyRoots[i] = t.root;
      pages.push(...t.pages);
      at += BigInt(t.pages.length * k.blockSize);
    });
    h.keyFileLength = at;
    const head = encodeHeader(h);
    const file = Buffer.alloc(Number(at));
    head.copy(file, 0);
    let p = Number(h.keystart);
    for (const pg of pages) {
      pg.copy(file, p);
      p += pg.length;
    }
    const fd = this.indexFd(f.myi);
    writeSync(fd, file, 0, file.length, 0);
    ftruncateSync(fd, file.length);
    this.keysDirty = false;
  }

  /** A statement that changed the table ended: its key pages are written unless delayed. */
  statementEnded(): void {
    if (this.keysDirty && !this.delayKeyWrites() && this.unusable === null) this.flush();
  }

  /** Write key pages only if some are pending (before reading the files back for a check). */
  flushPending(): void {
    if (this.keysDirty) this.flush();
  }

  /** Write what is pending: key pages (if dirty) and the state header. */
  flush(): void {
    if (!this.files || this.unusable === 'keyfile') return;
    if (this.flushTimer) {
      clearImmediate(this.flushTimer);
      this.flushTimer = null;
    }
    this.writeKeyFile();
  }

  /** Files' identity (inode, size, modification time) when the table was last closed, else null. */
  private closedStamp: string | null = null;

  private fileStamp(): string {
    const f = this.files;
    if (!f) return '';
    return [f.myd, f.myi]
      .map((p) => {
        if (!existsSync(p)) return '-';
        const st = statSync(p);
        return `${st.ino}:${st.size}:${st.mtimeMs}`;
      })
      .join('|');
  }

  /**
   * An offline tool (refmyisampack, refmyisamchk) rewrote the files after the table was closed
   * (FLUSH TABLES): the in-memory image is stale and the table must be read again.
   */
  changedOnDisk(): boolean {
    return this.closedStamp !== null && this.fileStamp() !== this.closedStamp;
  }

  /** A handler opens the table again after it was closed. */
  reopened(): void {
    this.closedStamp = null;
  }

  /** Clean close: pending writes go out and the open counter drops (MYISAM-133, MYISAM-135). */
  close(): void {
    // Closed already and not used since: nothing is pending, and the files may have been
    // rewritten by an offline tool since then, so they are not touched.
    if (this.closedStamp !== null) {
      this.closeData();
      this.closeIndex();
      return;
    }
    if (this.flushTimer) {
      clearImmediate(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.files && this.unusable !== 'keyfile') {
      if (this.counted) {
        this.header.openCount = Math.max(0, this.header.openCount - 1);
        this.counted = false;
      }
      if (this.keysDirty) this.writeKeyFile();
      else this.writeHeaderOnly();
    }
    this.closeData();
    this.closeIndex();
    if (this.files) this.closedStamp = this.fileStamp();
  }

  /** Forget the table's files (DROP TABLE). */
  removeFiles(): void {
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = null;
    this.closeData();
    this.closeIndex();
    const f = this.files;
    if (!f) return;
    rmSync(f.myd, { force: true });
    rmSync(f.myi, { force: true });
  }

  /** Drop pending timers and descriptors without writing (the engine is going away after a crash test). */
  detach(): void {
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = null;
    this.closeData();
    this.closeIndex();
  }

  // ---------------------------------------------------------------- maintenance support

  /** The .MYD bytes as on disk (every write reached the file already). */
  readDataFile(): Buffer {
    const f = this.files;
    if (!f || !existsSync(f.myd)) return Buffer.alloc(0);
    return readFileSync(f.myd);
  }

  readKeyFile(): Buffer | null {
    const f = this.files;
    if (!f || !existsSync(f.myi)) return null;
    return readFileSync(f.myi);
  }

  /**
   * Rebuild from the rows readable in the data file: the data file is rewritten without holes
   * (unless `keepData`), and the key file from the definition and the rows (REPAIR, OPTIMIZE,
   * automatic recovery). Returns how many rows were found.
   */
  rebuild(keepData: boolean): number {
    const f = this.files;
    const data = this.readDataFile();
    const oldHeader = this.header;
    // A packed table stays packed: only its keys are rebuilt (its rows cannot be rewritten).
    if (this.packed) keepData = true;
    this.rebuildFrom(data);
    if (this.unusable === 'keyfile' || !oldHeader) {
      this.header = newHeader(this.def, this.layout, DEFAULT_DATA_POINTER_SIZE);
    }
    this.unusable = null;
    this.header.changed &= ~STATE_CRASHED;
    if (!keepData && f) {
      const rows = [...this.scanAllRows()];
      this.recs.clear();
      this.freeSlots = [];
      this.freeByPos.clear();
      this.freeByEnd.clear();
      this.slotCount = 0;
      this.nextId = 0;
      this.dataEnd = 0;
      this.initKeys();
      const parts: Buffer[] = [];
      for (const row of rows) {
        const enc = this.layout.encode(row);
        const id = this.layout.format === 'fixed' ? this.slotCount++ : this.nextId++;
        const pos = this.dataEnd;
        const block = this.layout.format === 'fixed' ? enc : dynamicBlock(enc, Math.max(MIN_DYNAMIC_BLOCK, DYNAMIC_BLOCK_HEADER + enc.length), true);
        parts.push(block);
        this.dataEnd += block.length;
        this.recs.set(id, { row, pos, blockLen: block.length, birth: this.nextBirth++ });
        this.addKeys(row, id);
      }
      this.closeData();
      const tmp = `${f.myd}.tmp`;
      writeFileSync(tmp, Buffer.concat(parts));
      renameSync(tmp, f.myd);
    }
    const maxAi = this.maxAutoValue();
    if (this.autoInc <= maxAi) this.autoInc = maxAi + 1n;
    this.header.openCount = this.counted ? 1 : 0;
    this.header.recoverTime = BigInt(Math.floor(Date.now() / 1000));
    this.writeKeyFile();
    return this.recs.size;
  }

  private *scanAllRows(): Iterable<Row> {
    const it = this.scanIds();
    for (let r = it.next(); !r.done; r = it.next()) yield this.recs.get(r.value)!.row;
  }

  /** When the rows last changed: the last write, else the data file's modification time. */
  lastUpdate(): number | undefined {
    if (this.updateTime !== undefined) return this.updateTime;
    const f = this.files;
    if (!f || !existsSync(f.myd)) return undefined;
    const st = statSync(f.myd);
    return st.size > 0 ? Math.floor(st.mtimeMs) : undefined;
  }

  /** Parse data file bytes without touching this table: live rows and what did not decode. */
  inspectData(data: Buffer): { rows: number; problems: LoadProblems } {
    const scratch = new MyisamTable({ ...this.def, temporary: true }, this.env);
    scratch.header = this.header;
    scratch.rebuildFrom(data);
    return { rows: scratch.recs.size, problems: scratch.problems };
  }

  /** Mark the table crashed in its header (CHECK found damage, or recovery gave up). */
  markCrashed(): void {
    this.header.changed |= STATE_CRASHED;
    if (this.unusable === null) this.unusable = 'crashed';
    this.writeHeaderOnly(false);
  }

  /** Whether the header says the table was not closed properly or is marked crashed. */
  notClosedProperly(): boolean {
    return this.header.openCount !== (this.counted ? 1 : 0);
  }

  redefine(def: TableDef): void {
    this.def = def;
    if (def.indexes.length === this.keys.length) def.indexes.forEach((idx, i) => (this.keys[i]!.def = idx));
  }

  /** Move the files with a RENAME TABLE. */
  rename(to: TableDef): void {
    const from = this.files;
    this.flush();
    this.closeData();
    this.closeIndex();
    this.def = to;
    const dest = this.files;
    if (from && dest) {
      mkdirSync(dirname(dest.myd), { recursive: true });
      renameSync(from.myd, dest.myd);
      renameSync(from.myi, dest.myi);
    }
    this.redefine(to);
  }
}
