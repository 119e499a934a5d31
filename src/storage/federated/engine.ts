/**
 * The FEDERATED storage engine: a table whose rows live in a table on another MySQL server.
 * Nothing is stored locally beyond the definition; every read and write becomes SQL on the
 * remote table (remote-link.ts), with fully buffered results:
 *
 * - a scan is `SELECT <columns> FROM <table>`; an index read adds a WHERE on the key's columns
 *   (equality on a prefix, or the range's bounds) and an ORDER BY in the index's order;
 * - an INSERT of several rows goes out as multi-row INSERTs no larger than the remote's
 *   max_allowed_packet (startBulkInsert / endBulkInsert), a single row at once; INSERT IGNORE
 *   and REPLACE go out as such, ON DUPLICATE KEY UPDATE as plain single-row INSERTs;
 * - UPDATE and DELETE find the row they change by all of its old values (`LIMIT 1` unless the
 *   table has a primary key, for UPDATE; always for DELETE);
 * - TRUNCATE is a remote TRUNCATE, OPTIMIZE and REPAIR TABLE are forwarded; DROP TABLE and
 *   RENAME TABLE touch only the local definition.
 *
 * There are no transactions: every remote statement commits on its own, so ROLLBACK warns 1196.
 * ALTER TABLE is refused (1031), as MySQL's FEDERATED refuses it, so a local definition never
 * drifts from the remote one through this server.
 *
 * AUTO_INCREMENT: the server numbers the rows; the engine starts each INSERT statement from the
 * remote's own counter (SHOW TABLE STATUS), or past the largest value stored there when that is
 * higher (a remote FEDERATED table's counter may lag its rows), so LAST_INSERT_ID() is the value
 * the remote stored. Until the remote has been asked, and after TRUNCATE, the counter is the
 * table's start value.
 *
 * Under the engine contract: every read is a remote query, so the engine declares `readsWait`
 * and a reader that cannot wait gets 1235; a row's handle comes from its identity (primary key,
 * else all values: row-handles.ts), the same from every read and from the INSERT that wrote it;
 * a read still handing out its buffered rows leaves out those this table deleted meanwhile;
 * statistics are the remote's (SHOW TABLE STATUS, a full scan's count) followed by this table's
 * own inserts, deletes and truncates, the row length estimated from the rows seen until the
 * remote gives its own. The contract suite runs it against a real remote
 * (test/engine-contract/harness/federated-over-remote.ts).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-storage-engine.html (16.8)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-usagenotes.html (16.8.3)
 * @req FEDERATED-001 FEDERATED-010 FEDERATED-011 FEDERATED-012 FEDERATED-045 FEDERATED-074 FEDERATED-076
 * @req FEDERATED-077 FEDERATED-078 FEDERATED-081 FEDERATED-082 FEDERATED-083 FEDERATED-086 FEDERATED-088
 * @req CORE-ENG-007 CORE-ENG-008 CORE-ENG-013 CORE-ENG-014
 */
import { sqlError } from '../../kernel/errors.js';
import type { ForeignServerDirectory, RemoteEndpoint, RemoteSqlConnector } from '../../kernel/remote-sql-port.js';
import type { TableDef } from '../../kernel/table-def.js';
import type { Row } from '../../kernel/value.js';
import type {
  AutoIncrementBlock,
  CursorOptions,
  EngineCapabilities,
  EngineContext,
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
import { resolveConnection } from './connection-string.js';
import { BULK_INSERT_MAX_BYTES, BULK_INSERT_PADDING, RECORDS_IN_RANGE } from './limits.js';
import { RemoteLink } from './remote-link.js';
import { RowHandles } from './row-handles.js';
import { columnList, decodeField, indexReadClauses, rowCondition, valuesTuple, literal, quoteIdent } from './sql-text.js';

/** MySQL's FEDERATED limits: MAX_KEY keys, MAX_REF_PARTS parts, FEDERATED_MAX_KEY_LENGTH bytes. */
const CAPS: EngineCapabilities = {
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
  fulltext: false,
  spatial: false,
  geometry: true,
  // @req FEDERATED-087: no user-defined partitioning.
  partitioning: false,
  nullableColumns: true,
  // REPAIR TABLE is forwarded to the remote; there is no CHECK TABLE (ha_federated has none).
  checkRepair: true,
  lockGranularity: 'table',
  temporaryTables: true,
  // @req FEDERATED-077: TRUNCATE is a remote TRUNCATE.
  truncateInPlace: true,
  // Every read is a remote query: a reader that cannot wait gets 1235 (RemoteCursor).
  readsWait: true,
  maxKeys: 64,
  maxKeyParts: 16,
  maxKeyLength: 3500,
};

export interface FederatedEngineOptions {
  /** Opens connections to remote servers (built from the client protocol by the composition root). */
  connector: RemoteSqlConnector;
  /** The servers of CREATE SERVER (mysql.servers), for CONNECTION='server[/table]'. */
  servers?: ForeignServerDirectory;
}

/** The cursors of a table whose rows have been fetched and not all handed out yet. */
type OpenReads = Set<RemoteCursor>;

/**
 * The rows of one remote SELECT, fetched whole on the first fill and handed out in batches.
 * Rows this table deletes while the read is open are left out of what is still to come (the
 * buffered result would otherwise hand them out), so a statement never meets a row it already
 * deleted. @req CORE-ENG-008
 */
class RemoteCursor implements RowCursor {
  private rows: RowRef[] | null = null;
  private pos = 0;
  private closed = false;
  /** Handles deleted by this table since the rows were fetched. */
  private readonly gone = new Set<RowId>();

  constructor(
    private readonly load: () => Promise<RowRef[]>,
    private readonly canWait: boolean,
    private readonly open: OpenReads,
  ) {}

  fill(out: RowRef[], max: number): MaybePromise<number> {
    if (this.closed) return 0;
    if (this.rows === null) {
      // A remote read always waits; a caller that cannot wait (a subquery evaluated inside an
      // expression) gets a clear error rather than a wrong answer (capability readsWait).
      if (!this.canWait) throw sqlError('ER_NOT_SUPPORTED_YET', 'reading a FEDERATED table where the statement cannot wait');
      return this.load().then((rows) => {
        if (this.closed) return 0;
        this.rows = rows;
        this.open.add(this);
        return this.take(out, max);
      });
    }
    return this.take(out, max);
  }

  /** The row under `id` was deleted (or, with null, every row: TRUNCATE). */
  deleted(id: RowId | null): void {
    if (id === null) this.pos = this.rows?.length ?? 0;
    else this.gone.add(id);
  }

  private take(out: RowRef[], max: number): number {
    const rows = this.rows!;
    let n = 0;
    while (n < max && this.pos < rows.length) {
      const r = rows[this.pos++]!;
      if (this.gone.has(r.id)) continue;
      out.push(r);
      n++;
    }
    if (this.pos >= rows.length) this.open.delete(this);
    return n;
  }

  close(): void {
    this.closed = true;
    this.rows = null;
    this.open.delete(this);
  }
}

/** One INSERT statement in progress: how duplicates are treated, and the rows gathered (null: sent one by one). */
interface InsertStatement {
  mode: 'insert' | 'ignore' | 'replace';
  batch: { tuples: string[]; rows: PendingRow[]; bytes: number } | null;
}

/** A row sent (or to be sent) by INSERT, with the handle insert() returned for it. */
interface PendingRow {
  id: number;
  row: Row;
}

/** `INSERT INTO`, `INSERT IGNORE INTO` or `REPLACE INTO`, as MySQL's FEDERATED writes them. */
const INSERT_VERB: Readonly<Record<InsertStatement['mode'], string>> = { insert: 'INSERT INTO', ignore: 'INSERT IGNORE INTO', replace: 'REPLACE INTO' };

/** A handle as the number RowHandles gave out (other values are not this table's). */
function handleNumber(id: RowId): number {
  return typeof id === 'number' ? id : Number(id);
}

class FederatedHandler implements TableHandler {
  private readonly handles: RowHandles;
  private readonly openReads: OpenReads = new Set();
  private nextAuto: bigint;
  /** Rows as last learned: from the remote (SHOW TABLE STATUS, a full scan), then followed by
   *  this table's own inserts, deletes and truncates until the remote is asked again. */
  private rowCount = 0;
  /** The remote's average row length, once SHOW TABLE STATUS gave one. */
  private remoteAvgRowLength: number | null = null;
  /** Bytes and rows of the text-protocol rows sent and read: the row length estimate until the
   *  remote gives its own. */
  private seenBytes = 0;
  private seenRows = 0;
  /** INSERT statements in progress, per connection (the handler is shared by sessions). */
  private readonly inserting = new Map<number, InsertStatement>();
  private readonly insertTail: string;
  private readonly hasPrimaryKey: boolean;
  private readonly autoCol: number;

  constructor(
    readonly def: TableDef,
    private readonly link: RemoteLink,
  ) {
    this.insertTail = ` ${link.remoteTable} (${columnList(def)}) VALUES `;
    const primary = def.indexes.find((i) => i.kind === 'PRIMARY');
    this.hasPrimaryKey = primary !== undefined;
    // A prefix part does not identify a row by itself: then all values do.
    const wholeParts = primary && primary.parts.every((p) => p.length === undefined);
    this.handles = new RowHandles(wholeParts ? primary.parts.map((p) => p.column) : null);
    this.autoCol = def.columns.findIndex((c) => c.autoIncrement);
    // The local definition's AUTO_INCREMENT start until the remote's counter is read.
    this.nextAuto = def.autoIncrementStart > 0n ? def.autoIncrementStart : 1n;
  }

  private noteRows(bytes: number, rows: number): void {
    this.seenBytes += bytes;
    this.seenRows += rows;
  }

  private select(where: string | null, orderBy: string | null): string {
    let sql = `SELECT ${columnList(this.def)} FROM ${this.link.remoteTable}`;
    if (where) sql += ` WHERE ${where}`;
    if (orderBy) sql += ` ORDER BY ${orderBy}`;
    return sql;
  }

  private cursor(ctx: EngineContext, sql: string, opts: CursorOptions, full: boolean): RowCursor {
    return new RemoteCursor(
      async () => {
        const r = await this.link.run(sql, ctx.signal);
        if (r.kind !== 'rows') return [];
        const cols = this.def.columns;
        const rows: Row[] = [];
        let bytes = 0;
        for (const raw of r.rows) {
          rows.push(cols.map((c, i) => decodeField(raw[i] ?? null, c)));
          for (const f of raw) bytes += f ? f.length : 0;
        }
        this.noteRows(bytes, rows.length);
        // @req CORE-ENG-014: the same row gets the same handle from every read.
        const ids = this.handles.assign(rows);
        if (full) this.rowCount = rows.length;
        return rows.map((row, i) => ({ id: ids[i]!, row }));
      },
      opts.canWait,
      this.openReads,
    );
  }

  /** @req FEDERATED-011 FEDERATED-012 */
  scan(ctx: EngineContext, opts: CursorOptions): RowCursor {
    return this.cursor(ctx, this.select(null, null), opts, true);
  }

  /** @req FEDERATED-033 FEDERATED-074 */
  indexRead(ctx: EngineContext, indexName: string, read: IndexRead, opts: CursorOptions): RowCursor {
    const index = this.def.indexes.find((i) => i.name.toLowerCase() === indexName.toLowerCase());
    if (!index) throw sqlError('ER_KEY_DOES_NOT_EXITS', indexName, this.def.name);
    const { where, orderBy } = indexReadClauses(this.def, index, read);
    return this.cursor(ctx, this.select(where, orderBy), opts, false);
  }

  estimateRows(): number {
    return RECORDS_IN_RANGE;
  }

  stats(): TableStats {
    const rows = this.rowCount;
    const avgRowLength = this.remoteAvgRowLength ?? (this.seenRows > 0 ? Math.round(this.seenBytes / this.seenRows) : 0);
    return {
      rows,
      avgRowLength,
      dataLength: rows * avgRowLength,
      maxDataLength: 0,
      indexLength: 0,
      dataFree: 0,
      autoIncrement: this.autoCol >= 0 ? this.nextAuto : null,
      rowFormat: 'Fixed',
    };
  }

  /**
   * An INSERT statement starts: refresh the AUTO_INCREMENT counter from the remote and, for more
   * than one row, gather the rows into batched INSERTs (REPLACE and INSERT IGNORE are sent as
   * such, so the remote resolves duplicates as the statement asks).
   * @req FEDERATED-082 FEDERATED-088
   */
  startBulkInsert(ctx: EngineContext, rows: number | null, mode: InsertStatement['mode']): MaybePromise<void> {
    this.inserting.delete(ctx.connectionId);
    const batching = rows !== 1;
    // Gathering starts once connected: a statement that cannot connect leaves nothing behind.
    const begin = (): void => {
      this.inserting.set(ctx.connectionId, { mode, batch: batching ? { tuples: [], rows: [], bytes: 0 } : null });
    };
    if (this.autoCol < 0) {
      // @req FEDERATED-083: connected first, so the remote's max_allowed_packet bounds the batches.
      if (batching) return this.link.ready(ctx.signal).then(begin);
      begin();
      return;
    }
    return this.link.status(ctx.signal).then(async (s) => {
      if (s) {
        this.rowCount = s.rows;
        this.remoteAvgRowLength = s.avgRowLength;
        if (s.autoIncrement !== null && s.autoIncrement > this.nextAuto) this.nextAuto = s.autoIncrement;
      }
      // The remote's counter may be older than its rows: a remote that is itself a FEDERATED
      // table reports the counter it last learned, which rows written past it (by other tables
      // on the same remote) have overtaken. The largest stored value bounds it from below.
      const largest = await this.link.largest(this.def.columns[this.autoCol]!.name, ctx.signal);
      if (largest !== null && largest >= this.nextAuto) this.nextAuto = largest + 1n;
      begin();
    });
  }

  /** Send what is gathered. @req FEDERATED-082 */
  endBulkInsert(ctx: EngineContext): MaybePromise<void> {
    const st = this.inserting.get(ctx.connectionId);
    this.inserting.delete(ctx.connectionId);
    if (!st?.batch || st.batch.tuples.length === 0) return;
    return this.sendInsert(ctx, st.mode, st.batch.tuples, st.batch.rows);
  }

  /** One INSERT of `tuples`; once the remote took them, `rows` get their handles. */
  private async sendInsert(ctx: EngineContext, mode: InsertStatement['mode'], tuples: readonly string[], rows: readonly PendingRow[]): Promise<void> {
    const r = await this.link.run(INSERT_VERB[mode] + this.insertTail + tuples.join(', '), ctx.signal);
    if (r.kind === 'ok' && r.insertId > 0n && this.autoCol >= 0 && r.insertId >= this.nextAuto) this.nextAuto = r.insertId + 1n;
    for (const p of rows) this.handles.add(p.row, p.id, mode === 'ignore');
    // REPLACE counts a replaced row twice: the count is then an estimate until the next scan.
    this.rowCount += r.kind === 'ok' && mode !== 'replace' ? Number(r.affectedRows) : rows.length;
    this.noteRows(tuples.reduce((n, t) => n + Buffer.byteLength(t), 0), tuples.length);
  }

  /** @req FEDERATED-011 FEDERATED-082 FEDERATED-083 CORE-ENG-014 */
  insert(ctx: EngineContext, row: Row): MaybePromise<RowId> {
    const id = this.handles.allocate();
    // The statement's array is its own: the handle map keeps a copy.
    const pending: PendingRow = { id, row: row.slice() };
    const tuple = valuesTuple(row);
    const st = this.inserting.get(ctx.connectionId);
    const mode = st?.mode ?? 'insert';
    const b = st?.batch;
    if (!b) return this.sendInsert(ctx, mode, [tuple], [pending]).then(() => id);
    const limit = Math.min(this.link.maxPacket > 0 ? this.link.maxPacket : BULK_INSERT_MAX_BYTES, BULK_INSERT_MAX_BYTES) - BULK_INSERT_PADDING;
    const size = Buffer.byteLength(tuple) + 2;
    // @req FEDERATED-083: a batch never outgrows the packet the remote accepts.
    if (b.tuples.length > 0 && Buffer.byteLength(INSERT_VERB[mode] + this.insertTail) + b.bytes + size > limit) {
      const full = b.tuples;
      const fullRows = b.rows;
      b.tuples = [tuple];
      b.rows = [pending];
      b.bytes = size;
      return this.sendInsert(ctx, mode, full, fullRows).then(() => id);
    }
    b.tuples.push(tuple);
    b.rows.push(pending);
    b.bytes += size;
    return id;
  }

  /** The row read is found again by all its old values; its handle follows it. @req FEDERATED-076 */
  update(ctx: EngineContext, id: RowId, oldRow: Row, newRow: Row): MaybePromise<void> {
    const set = this.def.columns.map((c, i) => `${quoteIdent(c.name)} = ${literal(newRow[i] ?? null)}`).join(', ');
    let sql = `UPDATE ${this.link.remoteTable} SET ${set} WHERE ${rowCondition(this.def, oldRow)}`;
    if (!this.hasPrimaryKey) sql += ' LIMIT 1';
    const kept = newRow.slice();
    return this.link.run(sql, ctx.signal).then(() => {
      this.handles.moved(handleNumber(id), oldRow, kept);
    });
  }

  /** @req FEDERATED-076 CORE-ENG-008 */
  delete(ctx: EngineContext, id: RowId, row: Row): MaybePromise<void> {
    const sql = `DELETE FROM ${this.link.remoteTable} WHERE ${rowCondition(this.def, row)} LIMIT 1`;
    return this.link.run(sql, ctx.signal).then((r) => {
      this.handles.removed(handleNumber(id), row);
      // Reads still handing out buffered rows leave this one out.
      for (const c of this.openReads) c.deleted(id);
      if (r.kind === 'ok') this.rowCount = Math.max(0, this.rowCount - Number(r.affectedRows));
    });
  }

  /** @req FEDERATED-077 CORE-ENG-015 */
  truncate(ctx: EngineContext): MaybePromise<void> {
    return this.link.run(`TRUNCATE ${this.link.remoteTable}`, ctx.signal).then(() => {
      this.rowCount = 0;
      this.handles.clear();
      for (const c of this.openReads) c.deleted(null);
      // The remote's counter starts again from the table's start value, and so does this one.
      this.nextAuto = this.def.autoIncrementStart > 0n ? this.def.autoIncrementStart : 1n;
    });
  }

  /** OPTIMIZE TABLE is forwarded to the remote table. @req FEDERATED-077 */
  async optimize(ctx: EngineContext): Promise<MaintenanceResult[]> {
    await this.link.run(`OPTIMIZE TABLE ${this.link.remoteTable}`, ctx.signal);
    return [{ msgType: 'status', msgText: 'OK' }];
  }

  /** REPAIR TABLE is forwarded with its QUICK / EXTENDED / USE_FRM options. */
  async repair(ctx: EngineContext, options: string[]): Promise<MaintenanceResult[]> {
    const upper = new Set(options.map((o) => o.toUpperCase()));
    let sql = `REPAIR TABLE ${this.link.remoteTable}`;
    for (const o of ['QUICK', 'EXTENDED', 'USE_FRM']) if (upper.has(o)) sql += ` ${o}`;
    await this.link.run(sql, ctx.signal);
    return [{ msgType: 'status', msgText: 'OK' }];
  }

  reserveAutoIncrement(_ctx: EngineContext, count: number): AutoIncrementBlock {
    const first = this.nextAuto;
    this.nextAuto += BigInt(Math.max(1, count));
    return { first, count: Math.max(1, count) };
  }

  observeAutoIncrement(_ctx: EngineContext, value: bigint): void {
    if (value >= this.nextAuto) this.nextAuto = value + 1n;
  }

  close(): void {
    this.link.close();
  }
}

export class FederatedEngine implements StorageEngine {
  readonly name = 'FEDERATED';
  readonly aliases: readonly string[] = [];
  readonly comment = 'Federated MySQL storage engine';
  readonly capabilities = CAPS;

  constructor(private readonly options: FederatedEngineOptions) {}

  async init(): Promise<void> {}
  async shutdown(): Promise<void> {}

  /**
   * CREATE TABLE checks the CONNECTION string (1432) without connecting; ALTER TABLE is refused
   * (1031), as MySQL's FEDERATED does not support it.
   * @req FEDERATED-043 FEDERATED-045 FEDERATED-054 FEDERATED-078
   */
  validate(def: TableDef, env?: ValidationEnv): void {
    if (env?.statement === 'ALTER') throw sqlError('ER_ILLEGAL_HA', def.name);
    resolveConnection(def.options['CONNECTION'] ?? '', def.name, this.options.servers, true);
  }

  /** Nothing to create locally. @req FEDERATED-045 */
  async createTable(_ctx: EngineContext, def: TableDef): Promise<void> {
    resolveConnection(def.options['CONNECTION'] ?? '', def.name, this.options.servers, true);
  }

  /** Only the local definition goes. @req FEDERATED-086 */
  async dropTable(): Promise<void> {}
  async renameTable(): Promise<void> {}

  async openTable(_ctx: EngineContext, def: TableDef): Promise<TableHandler> {
    const connection = def.options['CONNECTION'] ?? '';
    const target = resolveConnection(connection, def.name, this.options.servers, false);
    // A server name is looked up again for each new connection (ALTER / DROP SERVER apply).
    const endpoint = (): RemoteEndpoint => resolveConnection(connection, def.name, this.options.servers, false).endpoint;
    return new FederatedHandler(def, new RemoteLink(this.options.connector, target, endpoint, def.name, columnList(def)));
  }
}
