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
 * remote's own counter (SHOW TABLE STATUS), so LAST_INSERT_ID() is the value the remote stored.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-storage-engine.html (16.8)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-usagenotes.html (16.8.3)
 * @req FEDERATED-001 FEDERATED-010 FEDERATED-011 FEDERATED-012 FEDERATED-045 FEDERATED-074 FEDERATED-076
 * @req FEDERATED-077 FEDERATED-078 FEDERATED-081 FEDERATED-082 FEDERATED-083 FEDERATED-086 FEDERATED-088
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
  checkRepair: false,
  lockGranularity: 'table',
  temporaryTables: true,
  // @req FEDERATED-077: TRUNCATE is a remote TRUNCATE.
  truncateInPlace: true,
  // Every read is a remote statement.
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

/** The rows of one remote SELECT, handed out in batches. */
class RemoteCursor implements RowCursor {
  private rows: RowRef[] | null = null;
  private pos = 0;
  private closed = false;

  constructor(
    private readonly load: () => Promise<RowRef[]>,
    private readonly canWait: boolean,
  ) {}

  fill(out: RowRef[], max: number): MaybePromise<number> {
    if (this.closed) return 0;
    if (this.rows === null) {
      // A remote read always waits; a caller that cannot wait (a subquery evaluated inside an
      // expression) gets a clear error rather than a wrong answer.
      if (!this.canWait) throw sqlError('ER_NOT_SUPPORTED_YET', 'reading a FEDERATED table where the statement cannot wait');
      return this.load().then((rows) => {
        this.rows = rows;
        return this.take(out, max);
      });
    }
    return this.take(out, max);
  }

  private take(out: RowRef[], max: number): number {
    const rows = this.rows!;
    const n = Math.min(max, rows.length - this.pos);
    for (let i = 0; i < n; i++) out.push(rows[this.pos + i]!);
    this.pos += n;
    return n;
  }

  close(): void {
    this.closed = true;
    this.rows = null;
  }
}

/** One INSERT statement in progress: how duplicates are treated, and the rows gathered (null: sent one by one). */
interface InsertStatement {
  mode: 'insert' | 'ignore' | 'replace';
  batch: { tuples: string[]; bytes: number } | null;
}

/** `INSERT INTO`, `INSERT IGNORE INTO` or `REPLACE INTO`, as MySQL's FEDERATED writes them. */
const INSERT_VERB: Readonly<Record<InsertStatement['mode'], string>> = { insert: 'INSERT INTO', ignore: 'INSERT IGNORE INTO', replace: 'REPLACE INTO' };

class FederatedHandler implements TableHandler {
  private nextRowId = 1;
  private nextAuto = 1n;
  private cachedStats: { rows: number; avgRowLength: number } = { rows: 0, avgRowLength: 0 };
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
    this.hasPrimaryKey = def.indexes.some((i) => i.kind === 'PRIMARY');
    this.autoCol = def.columns.findIndex((c) => c.autoIncrement);
  }

  private select(where: string | null, orderBy: string | null): string {
    let sql = `SELECT ${columnList(this.def)} FROM ${this.link.remoteTable}`;
    if (where) sql += ` WHERE ${where}`;
    if (orderBy) sql += ` ORDER BY ${orderBy}`;
    return sql;
  }

  private cursor(ctx: EngineContext, sql: string, opts: CursorOptions, full: boolean): RowCursor {
    return new RemoteCursor(async () => {
      const r = await this.link.run(sql, ctx.signal);
      if (r.kind !== 'rows') return [];
      const cols = this.def.columns;
      const out: RowRef[] = [];
      for (const raw of r.rows) {
        const row: Row = cols.map((c, i) => decodeField(raw[i] ?? null, c));
        out.push({ id: this.nextRowId++, row });
      }
      if (full) this.cachedStats = { ...this.cachedStats, rows: out.length };
      return out;
    }, opts.canWait);
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
    const { rows, avgRowLength } = this.cachedStats;
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
      this.inserting.set(ctx.connectionId, { mode, batch: batching ? { tuples: [], bytes: 0 } : null });
    };
    if (this.autoCol < 0) {
      // @req FEDERATED-083: connected first, so the remote's max_allowed_packet bounds the batches.
      if (batching) return this.link.ready(ctx.signal).then(begin);
      begin();
      return;
    }
    return this.link.status(ctx.signal, this.def.columns[this.autoCol]!.name).then((s) => {
      if (s) {
        this.cachedStats = { rows: s.rows, avgRowLength: s.avgRowLength };
        if (s.autoIncrement !== null && s.autoIncrement > this.nextAuto) this.nextAuto = s.autoIncrement;
        if (s.largest !== null && s.largest >= this.nextAuto) this.nextAuto = s.largest + 1n;
      }
      begin();
    });
  }

  /** Send what is gathered. @req FEDERATED-082 */
  endBulkInsert(ctx: EngineContext): MaybePromise<void> {
    const st = this.inserting.get(ctx.connectionId);
    this.inserting.delete(ctx.connectionId);
    if (!st?.batch || st.batch.tuples.length === 0) return;
    return this.sendInsert(ctx, st.mode, st.batch.tuples);
  }

  private async sendInsert(ctx: EngineContext, mode: InsertStatement['mode'], tuples: readonly string[]): Promise<void> {
    const r = await this.link.run(INSERT_VERB[mode] + this.insertTail + tuples.join(', '), ctx.signal);
    if (r.kind === 'ok' && r.insertId > 0n && this.autoCol >= 0 && r.insertId >= this.nextAuto) this.nextAuto = r.insertId + 1n;
  }

  /** @req FEDERATED-011 FEDERATED-082 FEDERATED-083 */
  insert(ctx: EngineContext, row: Row): MaybePromise<RowId> {
    const id = this.nextRowId++;
    const tuple = valuesTuple(row);
    const st = this.inserting.get(ctx.connectionId);
    const mode = st?.mode ?? 'insert';
    const b = st?.batch;
    if (!b) return this.sendInsert(ctx, mode, [tuple]).then(() => id);
    const limit = Math.min(this.link.maxPacket > 0 ? this.link.maxPacket : BULK_INSERT_MAX_BYTES, BULK_INSERT_MAX_BYTES) - BULK_INSERT_PADDING;
    const size = Buffer.byteLength(tuple) + 2;
    // @req FEDERATED-083: a batch never outgrows the packet the remote accepts.
    if (b.tuples.length > 0 && Buffer.byteLength(INSERT_VERB[mode] + this.insertTail) + b.bytes + size > limit) {
      const full = b.tuples;
      b.tuples = [tuple];
      b.bytes = size;
      return this.sendInsert(ctx, mode, full).then(() => id);
    }
    b.tuples.push(tuple);
    b.bytes += size;
    return id;
  }

  /** The row read is found again by all its old values. @req FEDERATED-076 */
  update(ctx: EngineContext, _id: RowId, oldRow: Row, newRow: Row): MaybePromise<void> {
    const set = this.def.columns.map((c, i) => `${quoteIdent(c.name)} = ${literal(newRow[i] ?? null)}`).join(', ');
    let sql = `UPDATE ${this.link.remoteTable} SET ${set} WHERE ${rowCondition(this.def, oldRow)}`;
    if (!this.hasPrimaryKey) sql += ' LIMIT 1';
    return this.link.run(sql, ctx.signal).then(() => undefined);
  }

  /** @req FEDERATED-076 */
  delete(ctx: EngineContext, _id: RowId, row: Row): MaybePromise<void> {
    const sql = `DELETE FROM ${this.link.remoteTable} WHERE ${rowCondition(this.def, row)} LIMIT 1`;
    return this.link.run(sql, ctx.signal).then(() => undefined);
  }

  /** @req FEDERATED-077 */
  truncate(ctx: EngineContext): MaybePromise<void> {
    return this.link.run(`TRUNCATE ${this.link.remoteTable}`, ctx.signal).then(() => {
      this.cachedStats = { rows: 0, avgRowLength: this.cachedStats.avgRowLength };
      // The remote's counter starts again; the next INSERT reads it from there.
      this.nextAuto = 1n;
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
