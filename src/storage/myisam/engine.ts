/**
 * The MyISAM storage engine: non-transactional tables locked as a whole by the server, each
 * kept in a data file (.MYD) and an index file (.MYI) in its schema's directory.
 *
 * The engine keeps one {@link MyisamTable} per table it has opened; handlers share it. A table is
 * read from its files on first open; when its last handler closes (FLUSH TABLES, shutdown) its
 * pending key pages are written and its open counter drops.
 *
 * Another engine (MERGE) opens a MyISAM table's handler through {@link MyisamEngine.openTable}
 * (or {@link MyisamEngine.open} for the concrete handler) as the server does, and compares table
 * definitions with {@link tableSignature}.
 *
 * On opening a table that was not closed properly or is marked crashed, the engine checks and
 * repairs it when myisam_recover_options asks (logging to the error log as MySQL does);
 * otherwise a crashed table refuses use with 1194 until REPAIR TABLE.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/myisam-storage-engine.html (16.2)
 * @req MYISAM-002 MYISAM-003 MYISAM-004 MYISAM-006 MYISAM-011 MYISAM-012 MYISAM-013 MYISAM-023
 * @req MYISAM-024 MYISAM-005 MYISAM-060 MYISAM-061 MYISAM-062 MYISAM-063 MYISAM-064 MYISAM-065
 * @req MYISAM-102 MYISAM-122 MYISAM-123 MYISAM-134
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sqlError } from '../../kernel/errors.js';
import type { TableDef } from '../../kernel/table-def.js';
import type { Row, Value } from '../../kernel/value.js';
import type {
  AutoIncrementBlock,
  CursorOptions,
  EngineCapabilities,
  EngineContext,
  IndexRead,
  MaintenanceResult,
  RowCursor,
  RowId,
  RowRef,
  StorageEngine,
  TableHandler,
  TableStats,
} from '../handler.js';
import { hashKey, keyPart, type KeyPart } from '../keys.js';
import { PageCorrupt, readTree } from './key-pages.js';
import { MYISAM_MAX_KEY_LENGTH, MYISAM_MAX_KEY_PARTS, MYISAM_MAX_KEYS, STATE_CRASHED } from './limits.js';
import { decodeHeader, HeaderCorrupt } from './myi-header.js';
import { chooseFormat } from './record-codec.js';
import { MyisamTable, tableFiles } from './table-store.js';

export const MYISAM_CAPABILITIES: EngineCapabilities = {
  transactions: false,
  xa: false,
  savepoints: false,
  blobs: true,
  autoIncrement: true,
  indexes: true,
  // B-tree only here: USING HASH falls back to the default silently. @req MYISAM-002
  indexAlgorithms: ['BTREE'],
  defaultIndexAlgorithm: 'BTREE',
  nullableIndexColumns: true,
  foreignKeys: false,
  fulltext: false,
  spatial: false,
  geometry: true,
  partitioning: false,
  nullableColumns: true,
  checkRepair: true,
  lockGranularity: 'table',
  // @req MYISAM-021 CSV-015 a plain INSERT may run beside readers (concurrent inserts).
  concurrentInserts: true,
  temporaryTables: true,
  maxKeys: MYISAM_MAX_KEYS,
  maxKeyParts: MYISAM_MAX_KEY_PARTS,
  maxKeyLength: MYISAM_MAX_KEY_LENGTH,
};

export type MyisamLogLevel = 'Error' | 'Warning' | 'Note' | 'System';

export interface MyisamEngineOptions {
  /** Global value of a system variable (myisam_recover_options, delay_key_write, ...). */
  globalVar?: (name: string) => Value;
  /** The server's error log. */
  log?: (level: MyisamLogLevel, code: string, message: string) => void;
}

/** Error-log codes of the recovery messages (MySQL's ER_CHECKING_TABLE family; numbers ours). */
const LOG_CHECKING = 'MY-010757';
const LOG_RECOVERING = 'MY-010758';
const LOG_FOUND_ROWS = 'MY-010759';
const LOG_CANT_REPAIR = 'MY-010760';

/** The members of myisam_recover_options, upper-cased (empty or OFF: no automatic recovery). */
export function recoverOptions(v: Value): Set<string> {
  const s = new Set(
    String(v ?? 'OFF')
      .split(',')
      .map((x) => x.trim().toUpperCase())
      .filter((x) => x !== ''),
  );
  if (s.has('OFF')) s.clear();
  return s;
}

/**
 * A cursor over handles chosen when it opened (index reads) or over the table in scan order;
 * rows inserted after `mark` (when it opened, or when its connection's read lock was granted)
 * are not returned.
 */
class MyisamCursor implements RowCursor {
  private readonly mark: number;
  private ids: Iterator<number> | null;

  constructor(
    private readonly table: MyisamTable,
    ids: Iterator<number>,
    mark: number,
  ) {
    this.mark = mark;
    this.ids = ids;
  }

  fill(out: RowRef[], max: number): number {
    const it = this.ids;
    if (!it) return 0;
    let n = 0;
    while (n < max) {
      const r = it.next();
      if (r.done) {
        this.ids = null;
        break;
      }
      const row = this.table.rowBefore(r.value, this.mark);
      if (!row) continue;
      out.push({ id: r.value, row });
      n++;
    }
    return n;
  }

  close(): void {
    this.ids = null;
  }
}

/** Handler of an open MyISAM table. */
export class MyisamHandler implements TableHandler {
  private closed = false;

  constructor(
    readonly def: TableDef,
    readonly table: MyisamTable,
    private readonly engine: MyisamEngine,
  ) {}

  scan(ctx: EngineContext, _opts: CursorOptions): RowCursor {
    this.table.assertUsable();
    return new MyisamCursor(this.table, this.table.scanIds(), this.table.visibleMark(ctx.connectionId));
  }

  indexRead(ctx: EngineContext, indexName: string, read: IndexRead, _opts: CursorOptions): RowCursor {
    this.table.assertUsable();
    return new MyisamCursor(this.table, this.matching(indexName, read)[Symbol.iterator](), this.table.visibleMark(ctx.connectionId));
  }

  /** @req MYISAM-021 MYISAM-035 */
  allowsConcurrentInsert(_ctx: EngineContext): boolean {
    return this.table.allowsConcurrentInsert();
  }

  /** The connection's read lock was granted: its reads stop at the rows there are now. @req MYISAM-021 */
  startRead(ctx: EngineContext): void {
    this.table.startRead(ctx.connectionId);
  }

  endRead(ctx: EngineContext): void {
    this.table.endRead(ctx.connectionId);
  }

  estimateRows(_ctx: EngineContext, indexName: string, read: IndexRead): number {
    if (this.table.unusable) return 1;
    return this.matching(indexName, read).length;
  }

  private matching(indexName: string, read: IndexRead): number[] {
    const k = this.table.keyState(indexName);
    if (!k) throw sqlError('ER_KEY_DOES_NOT_EXITS', indexName, this.def.name);
    const conv = (vals: readonly Value[]): KeyPart[] => vals.map((v, i) => keyPart(v, k.specs[i] ?? {}));
    if (read.kind === 'eq') return [...k.tree.eq(conv(read.key))].map((e) => e.slot);
    const low = read.low ? { key: conv(read.low.key), inclusive: read.low.inclusive } : undefined;
    const high = read.high ? { key: conv(read.high.key), inclusive: read.high.inclusive } : undefined;
    return [...k.tree.range(low, high, read.reverse ?? false)].map((e) => e.slot);
  }

  stats(_ctx: EngineContext): TableStats {
    const t = this.table;
    const rows = t.rowCount;
    const dataLength = t.dataLength;
    const free = t.dataFree();
    const hasAi = this.def.columns.some((c) => c.autoIncrement);
    const st: TableStats = {
      rows,
      avgRowLength: rows > 0 ? Math.floor((dataLength - free) / rows) : 0,
      dataLength,
      maxDataLength: Number(t.header.maxDataFileLength),
      indexLength: Number(t.header.keyFileLength),
      dataFree: free,
      autoIncrement: hasAi ? t.autoInc : null,
      rowFormat: t.packed ? 'Compressed' : t.layout.format === 'fixed' ? 'Fixed' : 'Dynamic', // @req MYISAM-080
    };
    if (t.header.checkTime > 0n) st.checkTime = Number(t.header.checkTime) * 1000;
    const updated = t.lastUpdate();
    if (updated !== undefined) st.updateTime = updated;
    // @req MYISAM-028 key distribution from the last ANALYZE TABLE (SHOW INDEX Cardinality)
    st.keyCardinality = keyCardinality(t);
    return st;
  }

  insert(_ctx: EngineContext, row: Row): RowId {
    return this.table.insert(row);
  }

  update(_ctx: EngineContext, id: RowId, _oldRow: Row, newRow: Row): void {
    this.table.update(Number(id), newRow);
  }

  delete(_ctx: EngineContext, id: RowId, _row: Row): void {
    this.table.delete(Number(id));
  }

  truncate(_ctx: EngineContext): void {
    this.table.truncate();
  }

  /** The statement's key pages go to the .MYI now, unless key writes are delayed (MYISAM-120). */
  endStatement(): void {
    this.table.statementEnded();
  }

  /** The table counter, or MAX+1 within the row's prefix group (MYISAM-018). */
  reserveAutoIncrement(_ctx: EngineContext, count: number, row?: Row): AutoIncrementBlock {
    return this.table.nextAuto(row, count);
  }

  observeAutoIncrement(_ctx: EngineContext, value: bigint): void {
    if (!this.table.perPrefixAuto()) this.table.observeAuto(value);
  }

  async check(_ctx: EngineContext, options: string[]): Promise<MaintenanceResult[]> {
    return checkTable(this.table, options.map((o) => o.toUpperCase()));
  }

  async repair(_ctx: EngineContext, options: string[]): Promise<MaintenanceResult[]> {
    return repairTable(this.table, options.map((o) => o.toUpperCase()));
  }

  async analyze(_ctx: EngineContext): Promise<MaintenanceResult[]> {
    const t = this.table;
    if (t.unusable) return unusableResult(t);
    if (!(t.header.changed & 0x08) && t.header.recPerKeyRows === BigInt(t.rowCount)) return [{ msgType: 'status', msgText: 'Table is already up to date' }];
    analyzeKeys(t);
    return [{ msgType: 'status', msgText: 'OK' }];
  }

  async optimize(_ctx: EngineContext): Promise<MaintenanceResult[]> {
    const t = this.table;
    if (t.unusable) return unusableResult(t);
    // @req MYISAM-102 MYISAM-092 defragment: rows rewritten without holes, keys rebuilt sorted.
    if (t.dataFree() === 0 && !(t.header.changed & 0x08)) return [{ msgType: 'status', msgText: 'Table is already up to date' }];
    t.rebuild(false);
    analyzeKeys(t);
    return [{ msgType: 'status', msgText: 'OK' }];
  }

  /** CACHE INDEX ... IN DEFAULT: MyISAM's keys use the default key cache. */
  async assignKeyCache(_ctx: EngineContext, _cache: string): Promise<MaintenanceResult[]> {
    return [{ msgType: 'status', msgText: 'OK' }];
  }

  /** LOAD INDEX INTO CACHE: the key pages are read (and checked) from the .MYI. */
  async preloadKeys(_ctx: EngineContext, _ignoreLeaves: boolean): Promise<MaintenanceResult[]> {
    const t = this.table;
    if (t.unusable) return unusableResult(t);
    t.flushPending();
    const file = t.readKeyFile();
    if (!file || t.def.temporary) return [{ msgType: 'status', msgText: 'OK' }];
    try {
      const h = decodeHeader(file);
      h.keys.forEach((kd, i) => readTree(file, h.keyRoots[i]!, Number(h.keystart), { blockSize: kd.blockSize, recRef: h.recRefLength, keyRef: h.keyRefLength }));
    } catch (e) {
      if (!(e instanceof PageCorrupt) && !(e instanceof HeaderCorrupt)) throw e;
      return [
        { msgType: 'error', msgText: `Failed to read from index file: ${e.message}` },
        { msgType: 'status', msgText: 'Operation failed' },
      ];
    }
    return [{ msgType: 'status', msgText: 'OK' }];
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.engine.release(this.table);
  }
}

function unusableResult(t: MyisamTable): MaintenanceResult[] {
  const msg = t.unusable === 'keyfile' ? sqlError('ER_NOT_KEYFILE', t.name).message : sqlError('ER_CRASHED_ON_USAGE', t.name).message;
  return [
    { msgType: 'error', msgText: msg },
    { msgType: 'error', msgText: 'Corrupt' },
  ];
}

/** Key distribution (ANALYZE TABLE): rows per distinct value of each key prefix, in the header. */
export function analyzeKeys(t: MyisamTable): void {
  const per: number[] = [];
  for (const k of t.keys) {
    const n = k.def.parts.length;
    const distinct = new Array<Set<string>>(n).fill(null as never).map(() => new Set<string>());
    for (const e of k.tree.range()) for (let i = 0; i < n; i++) distinct[i]!.add(hashKey(e.key.slice(0, i + 1)));
    for (let i = 0; i < n; i++) per.push(distinct[i]!.size > 0 ? Math.ceil(t.rowCount / distinct[i]!.size) : 0);
  }
  t.header.recPerKeyPart = per;
  t.header.recPerKeyRows = BigInt(t.rowCount);
  t.header.changed &= ~0x08;
  t.writeHeaderOnly();
}

/** Cardinality of each key part from the last ANALYZE (null before one). */
export function keyCardinality(t: MyisamTable): Map<string, (number | null)[]> {
  const out = new Map<string, (number | null)[]>();
  let i = 0;
  const analyzed = t.header.recPerKeyRows > 0n || t.rowCount === 0;
  for (const k of t.keys) {
    out.set(
      k.def.name,
      k.def.parts.map(() => {
        const rpk = t.header.recPerKeyPart[i++] ?? 0;
        return analyzed && rpk > 0 ? Math.floor(Number(t.header.recPerKeyRows) / rpk) : null;
      }),
    );
  }
  return out;
}

/**
 * What is wrong with the table's files: the data file's records, the header's counts, and each
 * key's pages against the rows. `quick` leaves out the data file scan.
 * @req MYISAM-122 MYISAM-123
 */
export function inspect(t: MyisamTable, quick: boolean): { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  if (t.unusable === 'keyfile') {
    errors.push(sqlError('ER_NOT_KEYFILE', t.name).message);
    return { warnings, errors };
  }
  if (t.header.changed & STATE_CRASHED) warnings.push('Table is marked as crashed');
  if (t.notClosedProperly()) warnings.push(`${t.header.openCount} client is using or hasn't closed the table properly`);
  if (!t.def.temporary) {
    if (!t.delayKeyWrites()) t.flushPending();
    const file = t.readKeyFile();
    let header;
    try {
      if (!file) throw new HeaderCorrupt("Can't find file: the .MYI is missing");
      header = decodeHeader(file);
    } catch (e) {
      errors.push(`${sqlError('ER_NOT_KEYFILE', t.name).message}: ${(e as Error).message}`);
    }
    if (header && file) {
      if (header.records !== BigInt(t.rowCount)) errors.push(`Record-count is not ok; is ${t.rowCount}   Should be: ${header.records}`);
      header.keys.forEach((kd, i) => {
        const k = t.keys[i];
        if (!k) return;
        try {
          const got = readTree(file, header.keyRoots[i]!, Number(header.keystart), { blockSize: kd.blockSize, recRef: header.recRefLength, keyRef: header.keyRefLength });
          const want = t.expectedEntries(k);
          if (got.length !== want.length) errors.push(`Found ${got.length} keys of ${want.length}`);
          else if (got.some((g, j) => !g.image.equals(want[j]!.image) || g.rowPtr !== want[j]!.rowPtr)) errors.push(`Key ${i + 1} doesn't point at same records as in data file`);
        } catch (e) {
          if (!(e instanceof PageCorrupt)) throw e;
          errors.push(`Key ${i + 1}: ${e.message}`);
        }
      });
    }
    if (!quick) {
      const seen = t.inspectData(t.readDataFile());
      for (const pos of seen.problems.badAt) errors.push(`Found wrong record at position ${pos}`);
      if (seen.problems.badRecords === 0 && seen.rows !== t.rowCount) errors.push(`Found ${seen.rows} rows in the data file; the table has ${t.rowCount}`);
    }
  }
  return { warnings, errors };
}

/** CHECK TABLE: QUICK, FAST, MEDIUM (default), EXTENDED, CHANGED. @req MYISAM-123 MYISAM-134 */
export function checkTable(t: MyisamTable, options: string[]): MaintenanceResult[] {
  const fast = options.includes('FAST') || options.includes('CHANGED');
  const crashedFlag = (t.header.changed & STATE_CRASHED) !== 0;
  if (fast && !t.unusable && !crashedFlag && !t.notClosedProperly() && (options.includes('FAST') || t.header.checkTime > 0n)) {
    return [{ msgType: 'status', msgText: 'Table is already up to date' }];
  }
  const { warnings, errors } = inspect(t, options.includes('QUICK'));
  const out: MaintenanceResult[] = warnings.map((w) => ({ msgType: 'warning' as const, msgText: w }));
  for (const e of errors) out.push({ msgType: 'error', msgText: e });
  if (errors.length > 0 || t.unusable) {
    if (t.unusable !== 'keyfile') t.markCrashed();
    if (t.unusable === 'crashed' && errors.length === 0) out.push({ msgType: 'error', msgText: sqlError('ER_CRASHED_ON_USAGE', t.name).message });
    out.push({ msgType: 'error', msgText: 'Corrupt' });
    return out;
  }
  // A check that finds the table fine resets its open counter and records the check time.
  t.header.openCount = t.counted ? 1 : 0;
  t.header.checkTime = BigInt(Math.floor(Date.now() / 1000));
  t.writeHeaderOnly();
  out.push({ msgType: 'status', msgText: 'OK' });
  return out;
}

/** REPAIR TABLE [QUICK] [EXTENDED] [USE_FRM]: rows recovered from the .MYD, keys rebuilt. */
export function repairTable(t: MyisamTable, options: string[]): MaintenanceResult[] {
  const before = t.unusable === 'keyfile' ? null : t.header.records;
  const found = t.rebuild(options.includes('QUICK'));
  const out: MaintenanceResult[] = [];
  if (before !== null && BigInt(found) !== before) out.push({ msgType: 'warning', msgText: `Number of rows changed from ${before} to ${found}` });
  out.push({ msgType: 'status', msgText: 'OK' });
  return out;
}

/**
 * What makes MyISAM tables identical for an engine built on them (MERGE's underlying tables):
 * the columns in order (type, length, scale, sign, members, NULL, character set and collation),
 * the keys (kind and parts) and the row format; names of tables, columns and keys aside.
 */
export function tableSignature(def: TableDef): string {
  return JSON.stringify({
    columns: def.columns.map((c) => [c.type.name, c.type.length ?? null, c.type.scale ?? null, c.type.unsigned ?? false, c.type.values ?? null, c.nullable, c.charset ?? null, c.collation ?? null]),
    keys: def.indexes.map((i) => [i.kind, i.parts.map((p) => [p.column, p.length ?? null, p.desc ?? false])]),
    format: chooseFormat(def),
  });
}

function stamp(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getFullYear(), 4)}${p(d.getMonth() + 1)}${p(d.getDate())}${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** @req MYISAM-002 MYISAM-004 */
export class MyisamEngine implements StorageEngine {
  readonly name = 'MyISAM';
  readonly aliases: readonly string[] = [];
  readonly comment = 'MyISAM storage engine';
  readonly capabilities = MYISAM_CAPABILITIES;
  private datadir = '';
  private readonly tables = new Map<number, MyisamTable>();

  constructor(private readonly options: MyisamEngineOptions = {}) {}

  globalVar(name: string): Value {
    return this.options.globalVar?.(name) ?? null;
  }

  private log(level: MyisamLogLevel, code: string, message: string): void {
    this.options.log?.(level, code, message);
  }

  async init(datadir: string): Promise<void> {
    this.datadir = datadir;
    mkdirSync(datadir, { recursive: true });
  }

  async shutdown(): Promise<void> {
    for (const t of this.tables.values()) t.close();
    this.tables.clear();
  }

  private env(ctx: EngineContext | null): { datadir: string; globalVar(name: string): Value } {
    return {
      datadir: this.datadir,
      globalVar: (n: string): Value => {
        const g = this.options.globalVar?.(n);
        if (g !== undefined && g !== null) return g;
        return ctx?.sessionVar(n) ?? null;
      },
    };
  }

  hasTable(def: TableDef): boolean {
    return existsSync(join(this.datadir, tableFiles(def).myi));
  }

  async createTable(ctx: EngineContext, def: TableDef): Promise<void> {
    const old = this.tables.get(def.id);
    if (old) old.detach();
    const t = new MyisamTable(def, this.env(ctx));
    t.create();
    this.tables.set(def.id, t);
  }

  async dropTable(_ctx: EngineContext, def: TableDef): Promise<void> {
    const t = this.tables.get(def.id) ?? new MyisamTable(def, this.env(null));
    t.removeFiles();
    this.tables.delete(def.id);
  }

  async renameTable(ctx: EngineContext, from: TableDef, to: TableDef): Promise<void> {
    let t = this.tables.get(from.id);
    if (!t) {
      t = new MyisamTable(from, this.env(ctx));
      t.load();
    }
    t.rename(to);
    this.tables.delete(from.id);
    this.tables.set(to.id, t);
  }

  /** Open a table (also for engines built on MyISAM, such as MERGE). */
  async openTable(ctx: EngineContext, def: TableDef): Promise<TableHandler> {
    return this.open(ctx, def);
  }

  /** {@link openTable} with its concrete type. */
  open(ctx: EngineContext, def: TableDef): MyisamHandler {
    let t = this.tables.get(def.id);
    if (t && t.refs === 0 && t.changedOnDisk()) {
      // Rewritten offline while closed (refmyisampack after FLUSH TABLES): read the files again.
      t.detach();
      this.tables.delete(def.id);
      t = undefined;
    }
    if (t) t.reopened();
    if (!t) {
      t = new MyisamTable(def, this.env(ctx));
      if (def.temporary) t.create();
      else t.load();
      this.tables.set(def.id, t);
      this.recoverIfNeeded(t);
    } else t.redefine(def);
    t.refs++;
    return new MyisamHandler(def, t, this);
  }

  /**
   * The last handler of a table closed (FLUSH TABLES, table cache eviction): its pending key
   * pages and state are written and its open counter drops. The rows stay in memory, so a
   * handler still in use elsewhere keeps working on the same table.
   * @req MYISAM-133
   */
  release(t: MyisamTable): void {
    t.refs = Math.max(0, t.refs - 1);
    if (t.refs > 0 || t.def.temporary) return;
    t.close();
  }

  /**
   * Automatic recovery on open (myisam_recover_options): check a table that was not closed
   * properly or is marked crashed; repair it when the check finds damage, unless rows would be
   * lost and FORCE is not given.
   * @req MYISAM-060 MYISAM-061 MYISAM-062 MYISAM-063 MYISAM-064
   */
  private recoverIfNeeded(t: MyisamTable): void {
    if (t.def.temporary) return;
    const opts = recoverOptions(this.globalVar('myisam_recover_options'));
    if (opts.size === 0) return;
    if (!t.unusable && !t.notClosedProperly() && t.problems.badRecords === 0) return;
    this.log('Warning', LOG_CHECKING, `Checking table:   '${t.path}'`);
    const expected = t.unusable === 'keyfile' ? null : t.header.records;
    const crashedFlag = t.unusable !== null;
    const quickOk = opts.has('QUICK') && t.header.deleted === 0n && !crashedFlag;
    const { errors } = inspect(t, quickOk);
    if (!crashedFlag && errors.length === 0) {
      t.header.openCount = 0;
      t.writeHeaderOnly();
      return;
    }
    this.log('Warning', LOG_RECOVERING, `Recovering table: '${t.path}'`);
    const readable = t.inspectData(t.readDataFile()).rows;
    if (expected !== null && BigInt(readable) < expected && !opts.has('FORCE')) {
      this.log('Error', LOG_CANT_REPAIR, `Couldn't repair table: ${t.def.schema}.${t.def.name}`);
      t.markCrashed();
      return;
    }
    if (opts.has('BACKUP') && !t.def.temporary) {
      const f = tableFiles(t.def);
      const src = join(this.datadir, f.myd);
      if (existsSync(src)) copyFileSync(src, join(this.datadir, f.dir, `${f.base}-${stamp(new Date())}.BAK`));
    }
    const found = t.rebuild(false);
    if (expected !== null && BigInt(found) !== expected) {
      this.log('Warning', LOG_FOUND_ROWS, `Found ${found} of ${expected} rows when repairing '${t.path}'`);
    }
  }

  /** FLUSH TABLES: every open table writes its pending key pages and state. */
  flushAll(): void {
    for (const t of this.tables.values()) t.flush();
  }

  /** For tests: the in-memory table of a definition, if open. */
  tableOf(id: number): MyisamTable | undefined {
    return this.tables.get(id);
  }
}
