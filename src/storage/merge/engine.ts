/**
 * The MERGE storage engine (MRG_MYISAM): a table made of identical MyISAM tables, read as one.
 * It stores no rows of its own. Its definition lives in the data dictionary and its `.MRG` file
 * lists the children; each statement that opens it opens and locks the children too (the
 * engine names them through `underlyingTables`), and reads, writes and maintenance go to the
 * children's own handlers, the ones the server holds for those tables.
 *
 * Children are resolved from the dictionary on every use, so a child dropped, re-created or
 * altered since is seen as it is now (spec decision A-30): there are no stale mappings to
 * flush away.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/merge-storage-engine.html (16.7)
 * @req MERGE-001 MERGE-002 MERGE-006 MERGE-008 MERGE-011 MERGE-012 MERGE-013 MERGE-015 MERGE-020
 * @req MERGE-024 MERGE-061 MERGE-062 MERGE-063 MERGE-083 MERGE-085
 */
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { encodeFileName } from '../../kernel/file-names.js';
import { SqlError, sqlError } from '../../kernel/errors.js';
import type { TableDef } from '../../kernel/table-def.js';
import type { Row } from '../../kernel/value.js';
import { drainSync } from '../handler.js';
import type {
  AutoIncrementBlock,
  CursorOptions,
  EngineCapabilities,
  EngineContext,
  EngineDictionary,
  IndexRead,
  MaintenanceResult,
  MaybePromise,
  RowCursor,
  RowId,
  RowRef,
  StorageEngine,
  TableHandler,
  TableStats,
  ValidationEnv,
} from '../handler.js';
import { conformanceProblem } from './conformance.js';
import { CHILD_ENGINE, MERGE_MAX_KEYS, MERGE_MAX_KEY_LENGTH, MERGE_MAX_KEY_PARTS, MRG_FILE_EXT } from './limits.js';
import { MergeCursor, decodeRowId, encodeRowId, type OpenChild } from './merge-cursor.js';
import { formatMrgFile } from './mrg-file.js';
import { insertMethod, unionList, type MergeChildName } from './union-list.js';

export const MERGE_CAPABILITIES: EngineCapabilities = {
  transactions: false,
  xa: false,
  savepoints: false,
  blobs: true,
  autoIncrement: true,
  indexes: true,
  indexAlgorithms: ['BTREE'],
  defaultIndexAlgorithm: 'BTREE',
  nullableIndexColumns: true,
  foreignKeys: false,
  // MERGE-063: no FULLTEXT on a MERGE table, whatever its children have.
  fulltext: false,
  spatial: false,
  geometry: true,
  // MERGE-085
  partitioning: false,
  nullableColumns: true,
  checkRepair: false,
  lockGranularity: 'table',
  temporaryTables: true,
  rowsInUnderlyingTables: true,
  // TRUNCATE empties every child (MySQL's MERGE handler deletes all rows of each child).
  truncateInPlace: true,
  maxKeys: MERGE_MAX_KEYS,
  maxKeyParts: MERGE_MAX_KEY_PARTS,
  maxKeyLength: MERGE_MAX_KEY_LENGTH,
};

/** The message of 1168 as CHECK TABLE names one child (MERGE-024). */
function childProblemText(c: MergeChildName): string {
  return `Table '${c.schema}.${c.name}' is differently defined or of non-MyISAM type or doesn't exist`;
}

/** The first row a synchronous cursor returns, if any (one batch of one row is read). */
function firstRows(cursor: RowCursor): RowRef[] {
  const out: RowRef[] = [];
  try {
    const n = cursor.fill(out, 1);
    if (typeof n !== 'number') throw new Error('MERGE child cursor waited');
  } finally {
    cursor.close();
  }
  return out.slice(0, 1);
}

class MergeTableHandler implements TableHandler {
  /** The UNION list, read once: the definition of an open handler does not change. */
  private readonly union: readonly MergeChildName[];
  /** Conformance of each child definition seen (the dictionary hands out a new object when a
   *  child changes), so the check is not repeated for every row a statement writes. */
  private readonly checked = new WeakMap<TableDef, string | null>();

  constructor(
    readonly def: TableDef,
    private readonly dictionary: EngineDictionary,
    private readonly childEngine: string,
  ) {
    this.union = unionList(def);
  }

  /** The child `c` as a usable table, or why not. A temporary MERGE table sees the temporary
   *  tables of its session first (MERGE-064: it may mix them with base tables); a base one sees
   *  base tables only. */
  private child(ctx: EngineContext, c: MergeChildName): { def: TableDef } | { problem: string } {
    const temp = this.def.temporary ? this.dictionary.temporaryTable?.(ctx.connectionId, c.schema, c.name) : undefined;
    const def = temp ?? this.dictionary.table(c.schema, c.name);
    if (!def) return { problem: 'missing' };
    // MERGE-062: only MyISAM tables.
    if (def.engine !== this.childEngine) return { problem: `engine ${def.engine}` };
    let p = this.checked.get(def);
    if (p === undefined) {
      p = conformanceProblem(this.def, def);
      this.checked.set(def, p);
    }
    return p ? { problem: p } : { def };
  }

  /**
   * The children, each with the server's handler for it, in UNION order; 1168 when one is
   * missing, not MyISAM, or differently defined (MERGE-020: checked at use, not at CREATE).
   */
  private children(ctx: EngineContext): MaybePromise<OpenChild[]> {
    const defs: TableDef[] = [];
    for (const c of this.union) {
      const r = this.child(ctx, c);
      if ('problem' in r) throw sqlError('ER_WRONG_MRG_TABLE');
      defs.push(r.def);
    }
    const open = this.dictionary.openHandler;
    if (!open) throw new Error('MERGE needs the dictionary to open its children');
    const handlers = defs.map((d) => open(d));
    if (handlers.some((h) => h instanceof Promise)) {
      return Promise.all(handlers).then((hs) => hs.map((handler, i) => ({ def: defs[i]!, handler })));
    }
    return handlers.map((handler, i) => ({ def: defs[i]!, handler: handler as TableHandler }));
  }

  /** The children, for operations that may not wait (the statement opened them already). */
  private childrenNow(ctx: EngineContext): OpenChild[] {
    const c = this.children(ctx);
    if (c instanceof Promise) throw new Error('MERGE children are not open');
    return c;
  }

  scan(ctx: EngineContext, opts: CursorOptions): RowCursor {
    return new MergeCursor(this.children(ctx), (ch) => ch.handler.scan(ctx, opts), null);
  }

  /** Every child answers the read on its index at the same position (names may differ:
   *  MERGE-004); the rows come back in index order over all children (MERGE-066). */
  indexRead(ctx: EngineContext, indexName: string, read: IndexRead, opts: CursorOptions): RowCursor {
    const pos = this.def.indexes.findIndex((i) => i.name.toLowerCase() === indexName.toLowerCase());
    if (pos < 0) throw sqlError('ER_KEY_DOES_NOT_EXITS', indexName, this.def.name);
    const order = { def: this.def, index: this.def.indexes[pos]!, reverse: read.kind === 'range' && read.reverse === true };
    // The rows are sorted here on the key, so every column of it must come back.
    const all: CursorOptions = { lock: opts.lock, canWait: opts.canWait, ...(opts.wait ? { wait: opts.wait } : {}) };
    return new MergeCursor(this.children(ctx), (ch) => ch.handler.indexRead(ctx, ch.def.indexes[pos]!.name, read, all), order);
  }

  estimateRows(ctx: EngineContext, indexName: string, read: IndexRead): number {
    const pos = this.def.indexes.findIndex((i) => i.name.toLowerCase() === indexName.toLowerCase());
    if (pos < 0) throw sqlError('ER_KEY_DOES_NOT_EXITS', indexName, this.def.name);
    let n = 0;
    for (const ch of this.childrenOrNone(ctx)) n += ch.handler.estimateRows(ctx, ch.def.indexes[pos]!.name, read);
    return n;
  }

  /** The usable children for figures (statistics never fail on a bad child). */
  private childrenOrNone(ctx: EngineContext): OpenChild[] {
    try {
      const c = this.children(ctx);
      return c instanceof Promise ? [] : c;
    } catch {
      return [];
    }
  }

  stats(ctx: EngineContext): TableStats {
    const st: TableStats = { rows: 0, avgRowLength: 0, dataLength: 0, maxDataLength: 0, indexLength: 0, dataFree: 0, autoIncrement: null, rowFormat: 'Fixed' };
    const kids = this.childrenOrNone(ctx);
    for (const ch of kids) {
      const s = ch.handler.stats(ctx);
      st.rows += s.rows;
      st.dataLength += s.dataLength;
      st.indexLength += s.indexLength;
      st.dataFree += s.dataFree;
      st.maxDataLength += s.maxDataLength;
      st.rowFormat = s.rowFormat;
    }
    st.avgRowLength = st.rows > 0 ? Math.floor(st.dataLength / st.rows) : 0;
    // The children's next AUTO_INCREMENT values: the largest is the MERGE table's.
    if (this.def.columns.some((c) => c.autoIncrement)) {
      for (const ch of kids) {
        const next = ch.handler.stats(ctx).autoIncrement;
        if (next !== null && (st.autoIncrement === null || next > st.autoIncrement)) st.autoIncrement = next;
      }
    }
    return st;
  }

  /** INSERT_METHOD picks the child; without one, or without children, the table is read only
   *  (1036, MERGE-012/013). Uniqueness holds inside that child only (MERGE-083). */
  insert(ctx: EngineContext, row: Row): MaybePromise<RowId> {
    const kids = this.childrenNow(ctx);
    const method = insertMethod(this.def);
    if (method === 'NO' || kids.length === 0) throw sqlError('ER_OPEN_AS_READONLY', this.def.name);
    const at = method === 'FIRST' ? 0 : kids.length - 1;
    const ch = kids[at]!;
    const done = (id: RowId): RowId => {
      this.observeChildAutoIncrement(ctx, ch, row);
      return encodeRowId(at, id);
    };
    try {
      const id = ch.handler.insert(ctx, row);
      return id instanceof Promise ? id.then(done, (e: unknown) => this.rethrow(e, ch.def)) : done(id);
    } catch (e) {
      return this.rethrow(e, ch.def);
    }
  }

  /**
   * A key value taken in the target child (MERGE-015). Where the MERGE table declares the key at
   * the same position as PRIMARY or UNIQUE, the error names it, as for any table (1062 for key
   * 'm.k'); a plain index of the MERGE table has no uniqueness to name, so the error is 1022 on
   * the MERGE table.
   */
  private rethrow(e: unknown, child?: TableDef): never {
    if (!(e instanceof SqlError) || e.errno !== 1062) throw e;
    const m = /^Duplicate entry '([\s\S]*)' for key '(?:[^']*\.)?([^'.]*)'$/.exec(e.message);
    const pos = m && child ? child.indexes.findIndex((i) => i.name === m[2]) : -1;
    const own = pos >= 0 ? this.def.indexes[pos] : undefined;
    if (m && own && (own.kind === 'PRIMARY' || own.kind === 'UNIQUE')) {
      throw new SqlError(1062, e.sqlState, `Duplicate entry '${m[1]}' for key '${this.def.name}.${own.name}'`);
    }
    throw sqlError('ER_DUP_KEY', this.def.name);
  }

  /** A row stored in a child through the MERGE table moves that child's counter too. */
  private observeChildAutoIncrement(ctx: EngineContext, ch: OpenChild, row: Row): void {
    const ai = ch.def.columns.findIndex((c) => c.autoIncrement);
    const v = ai >= 0 ? row[ai] : undefined;
    if (typeof v === 'bigint' && ch.def.columns[ai]!.autoIncrement) ch.handler.observeAutoIncrement(ctx, v);
  }

  update(ctx: EngineContext, id: RowId, oldRow: Row, newRow: Row): MaybePromise<void> {
    const { child, id: inner } = decodeRowId(id);
    const ch = this.childrenNow(ctx)[child];
    if (!ch) throw sqlError('ER_WRONG_MRG_TABLE');
    try {
      const r = ch.handler.update(ctx, inner, oldRow, newRow);
      return r instanceof Promise ? r.catch((e: unknown) => this.rethrow(e, ch.def)) : r;
    } catch (e) {
      return this.rethrow(e, ch.def);
    }
  }

  delete(ctx: EngineContext, id: RowId, row: Row): MaybePromise<void> {
    const { child, id: inner } = decodeRowId(id);
    const ch = this.childrenNow(ctx)[child];
    if (!ch) throw sqlError('ER_WRONG_MRG_TABLE');
    return ch.handler.delete(ctx, inner, row);
  }

  /** TRUNCATE empties every child, as deleting all rows through the MERGE table would. */
  async truncate(ctx: EngineContext): Promise<void> {
    for (const ch of await this.children(ctx)) await ch.handler.truncate(ctx);
  }

  /**
   * The next value is one above the largest value in any child (spec decision A-29), so a
   * child's own AUTO_INCREMENT table option counts only once the child holds a row of it
   * (MERGE-082). The table locks keep writers of the children out meanwhile.
   */
  reserveAutoIncrement(ctx: EngineContext, count: number, row?: Row): AutoIncrementBlock {
    const ai = this.def.columns.findIndex((c) => c.autoIncrement);
    // An AUTO_INCREMENT column that is a later part of a key numbers per group of the key's
    // leading values, over all children, as MyISAM does within one table (MYISAM-018).
    const lead = this.def.indexes.findIndex((i) => i.parts[0]?.column === ai);
    const grouped = lead < 0 ? this.def.indexes.findIndex((i) => i.parts.some((p) => p.column === ai)) : -1;
    const pos = lead >= 0 ? lead : grouped;
    let read: IndexRead = { kind: 'range', reverse: true };
    if (grouped >= 0 && row) {
      const idx = this.def.indexes[grouped]!;
      const prefix = idx.parts.slice(0, idx.parts.findIndex((p) => p.column === ai)).map((p) => row[p.column] ?? null);
      read = { kind: 'range', low: { key: prefix, inclusive: true }, high: { key: prefix, inclusive: true }, reverse: true };
    }
    // The largest value is the first row of a reverse read of each child's key holding the
    // column (the key at the same position: conformance makes it the same key), as MySQL's
    // MERGE reads the last key rather than every row.
    const opts = { lock: 'consistent', canWait: false } as const;
    let max = 0n;
    for (const ch of this.childrenNow(ctx)) {
      const rows = pos >= 0 ? firstRows(ch.handler.indexRead(ctx, ch.def.indexes[pos]!.name, read, opts)) : drainSync(ch.handler.scan(ctx, opts));
      for (const r of rows) {
        const v = r.row[ai];
        if (typeof v === 'bigint' && v > max) max = v;
      }
    }
    return { first: max + 1n, count: grouped >= 0 ? 1 : Math.max(1, Math.floor(count)) };
  }

  observeAutoIncrement(): void {
    /* the children keep the counters */
  }

  /** CHECK TABLE names each child that makes the table unusable, then 1168 and Corrupt
   *  (MERGE-024); with every child usable, each child's own check must pass. */
  async check(ctx: EngineContext, options: string[]): Promise<MaintenanceResult[]> {
    const bad: MaintenanceResult[] = [];
    for (const c of this.union) {
      if ('problem' in this.child(ctx, c)) bad.push({ msgType: 'Error', msgText: childProblemText(c) });
    }
    if (bad.length > 0) {
      const e = sqlError('ER_WRONG_MRG_TABLE');
      return [...bad, { msgType: 'Error', msgText: e.message }, { msgType: 'error', msgText: 'Corrupt' }];
    }
    for (const ch of await this.children(ctx)) {
      const results = (await ch.handler.check?.(ctx, options)) ?? [];
      const failed = results.filter((r) => r.msgType === 'error' || r.msgType === 'Error');
      if (failed.length > 0) return failed;
    }
    return [{ msgType: 'status', msgText: 'OK' }];
  }

  close(): void {
    /* the children's handlers belong to the server */
  }
}

export interface MergeEngineOptions {
  /** The engine children must use: MyISAM; unit tests of the engine alone may name another. */
  childEngine?: string;
}

/** @req MERGE-001 MERGE-006 MERGE-011 */
export class MergeEngine implements StorageEngine {
  readonly name = 'MRG_MYISAM';
  readonly aliases = ['MERGE'] as const;
  readonly comment = 'Collection of identical MyISAM tables';
  readonly capabilities = MERGE_CAPABILITIES;
  private datadir = '';
  private dictionary: EngineDictionary | null = null;

  constructor(private readonly options: MergeEngineOptions = {}) {}

  attachDictionary(dictionary: EngineDictionary): void {
    this.dictionary = dictionary;
  }

  async init(datadir: string): Promise<void> {
    this.datadir = datadir;
  }

  async shutdown(): Promise<void> {}

  /**
   * ALTER TABLE opens the children with the new definition, so one that exists but no longer
   * conforms (a column added to the MERGE table only) fails the ALTER with 1168; CREATE checks
   * nothing (MERGE-020), and a child that does not exist is left for the first use.
   * @req MERGE-088
   */
  validate(def: TableDef, env?: ValidationEnv): void {
    if (env?.statement !== 'ALTER' || !this.dictionary) return;
    const childEngine = this.options.childEngine ?? CHILD_ENGINE;
    for (const c of unionList(def)) {
      const child = this.dictionary.table(c.schema, c.name);
      if (!child) continue;
      if (child.engine !== childEngine || conformanceProblem(def, child) !== null) throw sqlError('ER_WRONG_MRG_TABLE');
    }
  }

  /** The children a statement on `def` opens and locks with it. */
  underlyingTables(def: TableDef): readonly { schema: string; name: string }[] {
    return unionList(def);
  }

  private mrgPath(def: Pick<TableDef, 'schema' | 'name'>): string {
    return join(this.datadir, encodeFileName(def.schema), encodeFileName(def.name) + MRG_FILE_EXT);
  }

  /** A temporary MERGE table keeps its list in the session's dictionary entry only. */
  private hasFile(def: TableDef): boolean {
    return !def.temporary;
  }

  async createTable(_ctx: EngineContext, def: TableDef): Promise<void> {
    if (!this.hasFile(def)) return;
    const path = this.mrgPath(def);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, formatMrgFile(def.schema, { children: unionList(def), insertMethod: insertMethod(def) }));
  }

  /** Only the MERGE definition and its `.MRG` go; the children keep their rows (MERGE-011). */
  async dropTable(_ctx: EngineContext, def: TableDef): Promise<void> {
    if (this.hasFile(def)) await rm(this.mrgPath(def), { force: true });
  }

  async renameTable(_ctx: EngineContext, from: TableDef, to: TableDef): Promise<void> {
    if (!this.hasFile(from)) return;
    await mkdir(dirname(this.mrgPath(to)), { recursive: true });
    await rename(this.mrgPath(from), this.mrgPath(to));
  }

  /** A missing `.MRG` is 1017, as MySQL reports it (MERGE-090). */
  async openTable(_ctx: EngineContext, def: TableDef): Promise<TableHandler> {
    if (!this.dictionary) throw new Error('MERGE engine used before the dictionary was attached');
    if (this.hasFile(def)) {
      try {
        await access(this.mrgPath(def));
      } catch {
        throw sqlError('ER_FILE_NOT_FOUND', `${encodeFileName(def.name)}${MRG_FILE_EXT}`, 2, 'No such file or directory');
      }
    }
    return new MergeTableHandler(def, this.dictionary, this.options.childEngine ?? CHILD_ENGINE);
  }
}
