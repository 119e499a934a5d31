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
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { encodeFileName } from '../../kernel/file-names.js';
import { SqlError, sqlError } from '../../kernel/errors.js';
import type { TableDef } from '../../kernel/table-def.js';
import type { Row } from '../../kernel/value.js';
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
  StorageEngine,
  TableHandler,
  TableStats,
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

class MergeTableHandler implements TableHandler {
  constructor(
    readonly def: TableDef,
    private readonly dictionary: EngineDictionary,
    private readonly childEngine: string,
  ) {}

  /** The child `c` as a usable table, or why not. */
  private child(c: MergeChildName): { def: TableDef } | { problem: string } {
    const def = this.dictionary.table(c.schema, c.name);
    if (!def) return { problem: 'missing' };
    // MERGE-062: only MyISAM tables; MERGE-064: a base MERGE table only base children (the
    // dictionary hands out base tables only).
    if (def.engine !== this.childEngine) return { problem: `engine ${def.engine}` };
    const p = conformanceProblem(this.def, def);
    return p ? { problem: p } : { def };
  }

  /**
   * The children, each with the server's handler for it, in UNION order; 1168 when one is
   * missing, not MyISAM, or differently defined (MERGE-020: checked at use, not at CREATE).
   */
  private children(): MaybePromise<OpenChild[]> {
    const defs: TableDef[] = [];
    for (const c of unionList(this.def)) {
      const r = this.child(c);
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
  private childrenNow(): OpenChild[] {
    const c = this.children();
    if (c instanceof Promise) throw new Error('MERGE children are not open');
    return c;
  }

  scan(ctx: EngineContext, opts: CursorOptions): RowCursor {
    return new MergeCursor(this.children(), (ch) => ch.handler.scan(ctx, opts), null);
  }

  /** Every child answers the read on its index at the same position (names may differ:
   *  MERGE-004); the rows come back in index order over all children (MERGE-066). */
  indexRead(ctx: EngineContext, indexName: string, read: IndexRead, opts: CursorOptions): RowCursor {
    const pos = this.def.indexes.findIndex((i) => i.name.toLowerCase() === indexName.toLowerCase());
    if (pos < 0) throw sqlError('ER_KEY_DOES_NOT_EXITS', indexName, this.def.name);
    const order = { def: this.def, index: this.def.indexes[pos]!, reverse: read.kind === 'range' && read.reverse === true };
    // The rows are sorted here on the key, so every column of it must come back.
    const all: CursorOptions = { lock: opts.lock, canWait: opts.canWait, ...(opts.wait ? { wait: opts.wait } : {}) };
    return new MergeCursor(this.children(), (ch) => ch.handler.indexRead(ctx, ch.def.indexes[pos]!.name, read, all), order);
  }

  estimateRows(ctx: EngineContext, indexName: string, read: IndexRead): number {
    const pos = this.def.indexes.findIndex((i) => i.name.toLowerCase() === indexName.toLowerCase());
    if (pos < 0) throw sqlError('ER_KEY_DOES_NOT_EXITS', indexName, this.def.name);
    let n = 0;
    for (const ch of this.childrenOrNone()) n += ch.handler.estimateRows(ctx, ch.def.indexes[pos]!.name, read);
    return n;
  }

  /** The usable children for figures (statistics never fail on a bad child). */
  private childrenOrNone(): OpenChild[] {
    try {
      const c = this.children();
      return c instanceof Promise ? [] : c;
    } catch {
      return [];
    }
  }

  stats(ctx: EngineContext): TableStats {
    const st: TableStats = { rows: 0, avgRowLength: 0, dataLength: 0, maxDataLength: 0, indexLength: 0, dataFree: 0, autoIncrement: null, rowFormat: 'Fixed' };
    const kids = this.childrenOrNone();
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
    return st;
  }

  /** INSERT_METHOD picks the child; without one, or without children, the table is read only
   *  (1036, MERGE-012/013). Uniqueness holds inside that child only (MERGE-083). */
  insert(ctx: EngineContext, row: Row): MaybePromise<RowId> {
    const kids = this.childrenNow();
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
      return id instanceof Promise ? id.then(done, (e: unknown) => this.rethrow(e)) : done(id);
    } catch (e) {
      return this.rethrow(e);
    }
  }

  /** A key value taken in the target child (MERGE-015): the MERGE table has no unique key of
   *  its own to name, so the error is 1022 on the MERGE table. */
  private rethrow(e: unknown): never {
    if (e instanceof SqlError && e.errno === 1062) throw sqlError('ER_DUP_KEY', this.def.name);
    throw e;
  }

  /** A row stored in a child through the MERGE table moves that child's counter too. */
  private observeChildAutoIncrement(ctx: EngineContext, ch: OpenChild, row: Row): void {
    const ai = ch.def.columns.findIndex((c) => c.autoIncrement);
    const v = ai >= 0 ? row[ai] : undefined;
    if (typeof v === 'bigint' && ch.def.columns[ai]!.autoIncrement) ch.handler.observeAutoIncrement(ctx, v);
  }

  update(ctx: EngineContext, id: RowId, oldRow: Row, newRow: Row): MaybePromise<void> {
    const { child, id: inner } = decodeRowId(id);
    const ch = this.childrenNow()[child];
    if (!ch) throw sqlError('ER_WRONG_MRG_TABLE');
    try {
      const r = ch.handler.update(ctx, inner, oldRow, newRow);
      return r instanceof Promise ? r.catch((e: unknown) => this.rethrow(e)) : r;
    } catch (e) {
      return this.rethrow(e);
    }
  }

  delete(ctx: EngineContext, id: RowId, row: Row): MaybePromise<void> {
    const { child, id: inner } = decodeRowId(id);
    const ch = this.childrenNow()[child];
    if (!ch) throw sqlError('ER_WRONG_MRG_TABLE');
    return ch.handler.delete(ctx, inner, row);
  }

  /** TRUNCATE empties every child, as deleting all rows through the MERGE table would. */
  async truncate(ctx: EngineContext): Promise<void> {
    for (const ch of await this.children()) await ch.handler.truncate(ctx);
  }

  /**
   * The next value is one above the largest value in any child (spec decision A-29), so a
   * child's own AUTO_INCREMENT table option counts only once the child holds a row of it
   * (MERGE-082). The table locks keep writers of the children out meanwhile.
   */
  reserveAutoIncrement(ctx: EngineContext, count: number): AutoIncrementBlock {
    const ai = this.def.columns.findIndex((c) => c.autoIncrement);
    let max = 0n;
    for (const ch of this.childrenNow()) {
      const out: { id: RowId; row: Row }[] = [];
      const cursor = ch.handler.scan(ctx, { lock: 'consistent', canWait: false, columns: [ai] });
      try {
        for (;;) {
          const before = out.length;
          const n = cursor.fill(out, 256);
          if (typeof n !== 'number') throw new Error('MERGE child cursor waited');
          if (n === 0 || out.length === before) break;
        }
      } finally {
        cursor.close();
      }
      for (const r of out) {
        const v = r.row[ai];
        if (typeof v === 'bigint' && v > max) max = v;
      }
    }
    return { first: max + 1n, count: Math.max(1, Math.floor(count)) };
  }

  observeAutoIncrement(): void {
    /* the children keep the counters */
  }

  /** CHECK TABLE names each child that makes the table unusable, then 1168 and Corrupt
   *  (MERGE-024); with every child usable, each child's own check must pass. */
  async check(ctx: EngineContext, options: string[]): Promise<MaintenanceResult[]> {
    const bad: MaintenanceResult[] = [];
    for (const c of unionList(this.def)) {
      if ('problem' in this.child(c)) bad.push({ msgType: 'Error', msgText: childProblemText(c) });
    }
    if (bad.length > 0) {
      const e = sqlError('ER_WRONG_MRG_TABLE');
      return [...bad, { msgType: 'Error', msgText: e.message }, { msgType: 'error', msgText: 'Corrupt' }];
    }
    for (const ch of await this.children()) {
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
        await readFile(this.mrgPath(def));
      } catch {
        throw sqlError('ER_FILE_NOT_FOUND', `${encodeFileName(def.name)}${MRG_FILE_EXT}`, 2, 'No such file or directory');
      }
    }
    return new MergeTableHandler(def, this.dictionary, this.options.childEngine ?? CHILD_ENGINE);
  }
}
