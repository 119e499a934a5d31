/**
 * A FEDERATED table's connections to its remote table: opened on first use (not at CREATE or
 * open, as in MySQL 8.0), each checked with a `SELECT <columns> FROM <table> WHERE 1=0`. A
 * remote statement runs on an idle connection or a new one, so sessions using the table at once
 * each have their own, as each MySQL handler has; a few idle ones are kept for the next
 * statements. A connection that was lost is dropped and a new one opened by the next statement
 * (MySQL's FEDERATED lets the client library reconnect), so a remote that went away costs the
 * statement that saw it, never the local session. A table that points at itself (directly or
 * through others) thus opens connections until the server's max_connections refuses one, and
 * the statement fails, as in MySQL; it never waits on itself.
 *
 * Remote failures become MySQL's FEDERATED errors: 1429 when the connection cannot be made, 1431
 * when the remote table cannot be read, 1022 for a remote duplicate key, and 1296 ("Got error
 * 10000 'Error on remote system: <errno>: <message>' from FEDERATED") for any other remote error.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-description.html (16.8.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-usagenotes.html (16.8.3)
 * @req FEDERATED-011 FEDERATED-012 FEDERATED-013 FEDERATED-072
 */
import { SqlError, sqlError } from '../../kernel/errors.js';
import { RemoteSqlError, type RemoteEndpoint, type RemoteResult, type RemoteSqlConnector, type RemoteSqlSession } from '../../kernel/remote-sql-port.js';
import type { WaitSignal } from '../../kernel/wait-signal.js';
import type { RemoteTarget } from './connection-string.js';
import { MAX_IDLE_CONNECTIONS, REMOTE_ERROR_TEXT_MAX, REMOTE_SYSTEM_ERROR } from './limits.js';
import { quoteIdent, quoteString } from './sql-text.js';

/** Remote errors that mean a duplicate key (ER_DUP_ENTRY, ER_DUP_KEY, ER_DUP_ENTRY_WITH_KEY_NAME). */
const DUPLICATE_ERRNOS: ReadonlySet<number> = new Set([1062, 1022, 1586]);

/** What the link learned from SHOW TABLE STATUS on the remote. */
export interface RemoteStatus {
  rows: number;
  avgRowLength: number;
  autoIncrement: bigint | null;
}

export class RemoteLink {
  /** Connections not running a statement, ready for the next one. */
  private idle: RemoteSqlSession[] = [];
  /** The remote's max_allowed_packet, read on connect (bounds a batched INSERT). */
  maxPacket = 0;

  /** The endpoint the idle connections were made to. */
  private idleEndpoint = '';

  constructor(
    private readonly connector: RemoteSqlConnector,
    readonly target: RemoteTarget,
    /** Where to connect now: a CONNECTION naming a server follows ALTER / DROP SERVER. */
    private readonly endpoint: () => RemoteEndpoint,
    /** The local table's name (1022 names it) and the remote column list (the connect check). */
    private readonly localName: string,
    private readonly columnList: string,
  ) {}

  /** `table` quoted, as statements name the remote table. */
  get remoteTable(): string {
    return quoteIdent(this.target.table);
  }

  /**
   * Run one statement on the remote, on an idle connection or a new one (statements of several
   * sessions run side by side, each on its own connection, as each MySQL handler has its own);
   * rejects with the local error. `signal` ends the wait early (KILL); the remote statement
   * still completes, and its connection is then reused or closed.
   */
  run(sql: string, signal?: WaitSignal): Promise<RemoteResult> {
    return this.abortable(this.runNow(sql), signal);
  }

  /** Connect now if there is no connection (a batched INSERT needs the remote's packet size first). */
  ready(signal?: WaitSignal): Promise<void> {
    return this.abortable(
      this.acquire().then((s) => this.release(s)),
      signal,
    );
  }

  private abortable<T>(work: Promise<T>, signal?: WaitSignal): Promise<T> {
    if (!signal) return work;
    if (signal.reason) {
      work.catch(() => undefined);
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      const off = signal.onAbort((reason) => reject(reason));
      work.then(
        (r) => {
          off();
          resolve(r);
        },
        (e: unknown) => {
          off();
          reject(e);
        },
      );
    });
  }

  /** SHOW TABLE STATUS of the remote table (statistics, the AUTO_INCREMENT counter). */
  async status(signal?: WaitSignal): Promise<RemoteStatus | null> {
    const r = await this.run(`SHOW TABLE STATUS LIKE ${quoteString(this.target.table)}`, signal);
    if (r.kind !== 'rows' || r.rows.length === 0) return null;
    const row = r.rows[0]!;
    const num = (i: number): number => {
      const b = row[i];
      return b ? Number(b.toString('utf8')) || 0 : 0;
    };
    const ai = row[10];
    return { rows: num(4), avgRowLength: num(5), autoIncrement: ai ? BigInt(ai.toString('utf8')) : null };
  }

  /** The largest value of `column` in the remote table (SELECT MAX; a fraction rounded down), or
   *  null when the table has none. */
  async largest(column: string, signal?: WaitSignal): Promise<bigint | null> {
    const r = await this.run(`SELECT MAX(${quoteIdent(column)}) FROM ${this.remoteTable}`, signal);
    const raw = r.kind === 'rows' ? r.rows[0]?.[0] : null;
    if (!raw) return null;
    const text = raw.toString('utf8');
    if (/^-?\d+$/.test(text)) return BigInt(text);
    const n = Number(text);
    return Number.isFinite(n) ? BigInt(Math.floor(n)) : null;
  }

  close(): void {
    for (const s of this.idle) s.close();
    this.idle = [];
  }

  private async runNow(sql: string): Promise<RemoteResult> {
    const s = await this.acquire();
    try {
      const r = await s.query(sql);
      this.release(s);
      return r;
    } catch (e) {
      if (e instanceof RemoteSqlError) {
        // A lost connection is dropped; the next statement opens a new one.
        if (e.connectionLost || !s.alive) s.close();
        else this.release(s);
        throw this.statementError(e);
      }
      s.close();
      throw e;
    }
  }

  private release(s: RemoteSqlSession): void {
    if (s.alive && this.idle.length < MAX_IDLE_CONNECTIONS) this.idle.push(s);
    else s.close();
  }

  /** An idle connection, or a new one: connected, then the remote table checked. */
  private async acquire(): Promise<RemoteSqlSession> {
    const endpoint = this.endpoint();
    const key = JSON.stringify(endpoint);
    // The server's options changed (ALTER SERVER): connections to the old place are let go.
    if (key !== this.idleEndpoint) this.close();
    this.idleEndpoint = key;
    for (let s = this.idle.pop(); s; s = this.idle.pop()) {
      if (s.alive) return s;
      s.close();
    }
    let s: RemoteSqlSession;
    try {
      s = await this.connector.connect(endpoint);
    } catch (e) {
      // @req FEDERATED-072: a remote that cannot be reached is 1429 with the client's message.
      if (e instanceof RemoteSqlError) throw sqlError('ER_CONNECT_TO_FOREIGN_DATA_SOURCE', e.message);
      throw e;
    }
    try {
      // @req FEDERATED-013: the session's character set (see the spec's decisions: utf8mb4,
      // the encoding this engine's client speaks).
      await s.query('SET NAMES utf8mb4');
      const packet = await s.query('SELECT @@max_allowed_packet');
      if (packet.kind === 'rows' && packet.rows[0]?.[0]) this.maxPacket = Number(packet.rows[0][0].toString('utf8')) || 0;
    } catch (e) {
      s.close();
      if (e instanceof RemoteSqlError) throw sqlError('ER_CONNECT_TO_FOREIGN_DATA_SOURCE', e.message);
      throw e;
    }
    try {
      // @req FEDERATED-072: the remote table and the columns must be there.
      await s.query(`SELECT ${this.columnList} FROM ${this.remoteTable} WHERE 1=0`);
    } catch (e) {
      s.close();
      if (e instanceof RemoteSqlError) throw sqlError('ER_FOREIGN_DATA_SOURCE_DOESNT_EXIST', `error: ${e.errno}  '${e.message}'`);
      throw e;
    }
    return s;
  }

  /** A remote statement's failure as the local error MySQL's FEDERATED reports. */
  private statementError(e: RemoteSqlError): SqlError {
    if (DUPLICATE_ERRNOS.has(e.errno)) return sqlError('ER_DUP_KEY', this.localName);
    const text = `Error on remote system: ${e.errno}: ${e.message}`;
    return sqlError('ER_GET_ERRMSG', REMOTE_SYSTEM_ERROR, text.slice(0, REMOTE_ERROR_TEXT_MAX), 'FEDERATED');
  }
}
