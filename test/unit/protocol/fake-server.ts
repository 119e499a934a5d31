/**
 * A fake ServerContext / SessionApi for protocol tests: canned accounts and canned results,
 * no SQL engine. Recognised statements (case-insensitive, split on ';'):
 *   SELECT 1                      one row, one BIGINT column
 *   SELECT 'text'                 echoes the literal (used for large packets)
 *   SELECT ALLTYPES               one row with a column of every MysqlType
 *   SELECT ROWS n                 n rows (id, name)
 *   SELECT ERROR                  throws ER_NO_SUCH_TABLE
 *   SELECT ?, ?, ...              (prepared) echoes the bound parameters
 *   INSERT ...                    OK, 1 affected row, last insert id 42
 *   KILL n                        closes connection n
 *   anything else                 OK, 0 rows
 */
import { createHash } from 'node:crypto';
import { hashPassword } from '../../../src/accounts/credentials.js';
import {
  ServerStatus,
  type AuthAccount,
  type ConnectionInfo,
  type PreparedStatementInfo,
  type ServerContext,
  type SessionApi,
  type StatementResult,
} from '../../../src/kernel/protocol-port.js';
import { sqlError } from '../../../src/kernel/errors.js';
import { ColumnFlag, MysqlType, type MysqlTypeCode, type ResultColumn } from '../../../src/kernel/column-type.js';
import { Decimal, Temporal, type Row, type Value } from '../../../src/kernel/value.js';

export interface FakeAccountSpec {
  user: string;
  host?: string;
  plugin: 'mysql_native_password' | 'caching_sha2_password';
  password: string;
  locked?: boolean;
  requireSecureTransport?: boolean;
  passwordExpired?: boolean;
}

export function col(name: string, type: MysqlTypeCode, o: Partial<ResultColumn> = {}): ResultColumn {
  const binary = type !== MysqlType.VAR_STRING && type !== MysqlType.STRING && type !== MysqlType.VARCHAR && type !== MysqlType.JSON && type !== MysqlType.ENUM && type !== MysqlType.SET;
  return {
    schema: '',
    table: '',
    orgTable: '',
    name,
    orgName: '',
    charsetId: binary ? 63 : 255,
    length: 20,
    type,
    flags: binary ? ColumnFlag.BINARY : 0,
    decimals: 0,
    ...o,
  };
}

/** One row holding a value of every wire type, with its columns. */
export function allTypesResult(): { columns: ResultColumn[]; row: Row } {
  const columns: ResultColumn[] = [
    col('tiny', MysqlType.TINY),
    col('utiny', MysqlType.TINY, { flags: ColumnFlag.UNSIGNED }),
    col('short', MysqlType.SHORT),
    col('int24', MysqlType.INT24),
    col('long', MysqlType.LONG),
    col('longlong', MysqlType.LONGLONG),
    col('ulonglong', MysqlType.LONGLONG, { flags: ColumnFlag.UNSIGNED }),
    col('float', MysqlType.FLOAT, { decimals: 31 }),
    col('double', MysqlType.DOUBLE, { decimals: 31 }),
    col('decimal', MysqlType.NEWDECIMAL, { decimals: 2 }),
    col('date', MysqlType.DATE),
    col('datetime', MysqlType.DATETIME, { decimals: 6 }),
    col('timestamp', MysqlType.TIMESTAMP),
    col('time', MysqlType.TIME),
    col('ntime', MysqlType.TIME),
    col('year', MysqlType.YEAR),
    col('varchar', MysqlType.VAR_STRING),
    col('blob', MysqlType.BLOB, { flags: ColumnFlag.BLOB | ColumnFlag.BINARY }),
    col('json', MysqlType.JSON),
    col('bit', MysqlType.BIT, { length: 12 }),
    col('enum', MysqlType.STRING, { flags: ColumnFlag.ENUM }),
    col('nul', MysqlType.NULL),
    col('nullint', MysqlType.LONG),
  ];
  const row: Row = [
    -5n,
    250n,
    -300n,
    70000n,
    -2000000000n,
    -9007199254740993n,
    18446744073709551615n,
    1.5,
    3.25,
    new Decimal(12345n, 2),
    new Temporal('DATE', 2024, 2, 29, 0, 0, 0, 0),
    new Temporal('DATETIME', 2024, 2, 29, 13, 14, 15, 123456, 6),
    new Temporal('TIMESTAMP', 1999, 12, 31, 23, 59, 59, 0),
    new Temporal('TIME', 0, 0, 0, 50, 30, 15, 0),
    new Temporal('TIME', 0, 0, 0, 1, 2, 3, 0, 0, true),
    2024n,
    'héllo',
    Buffer.from([0, 1, 2, 255]),
    '{"a": 1}',
    5n,
    'b',
    null,
    null,
  ];
  return { columns, row };
}

function valueColumn(v: Value, i: number): ResultColumn {
  const name = `p${i}`;
  if (v === null) return col(name, MysqlType.NULL);
  if (typeof v === 'bigint') return col(name, MysqlType.LONGLONG, v > 9223372036854775807n ? { flags: ColumnFlag.UNSIGNED } : {});
  if (typeof v === 'number') return col(name, MysqlType.DOUBLE, { decimals: 31 });
  if (typeof v === 'string') return col(name, MysqlType.VAR_STRING);
  if (Buffer.isBuffer(v)) return col(name, MysqlType.BLOB, { flags: ColumnFlag.BLOB | ColumnFlag.BINARY });
  if (v instanceof Decimal) return col(name, MysqlType.NEWDECIMAL, { decimals: v.scale });
  if (v.kind === 'TIME') return col(name, MysqlType.TIME, { decimals: v.fsp });
  if (v.kind === 'DATE') return col(name, MysqlType.DATE);
  return col(name, MysqlType.DATETIME, { decimals: v.fsp });
}

function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      cur += ch;
    } else if (ch === ';') {
      if (cur.trim() !== '') out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

export interface FakeServerOptions {
  accounts?: FakeAccountSpec[];
  vars?: Record<string, Value>;
  hostKnown?: boolean;
  /** Extra sessions counted as open (to test max_connections). */
  extraConnections?: number;
}

export class FakeSession implements SessionApi {
  schema: string | null;
  closed = false;
  resets = 0;
  user: string;
  private warnings = 0;
  private status = ServerStatus.AUTOCOMMIT;
  private nextStmt = 1;
  private stmts = new Map<number, { sql: string; info: PreparedStatementInfo }>();
  executed: Value[][] = [];

  constructor(
    readonly server: FakeServer,
    readonly connectionId: number,
    readonly conn: ConnectionInfo,
    user: string,
    schema: string | null,
  ) {
    this.user = user;
    this.schema = schema;
  }

  statusFlags(): number {
    return this.status;
  }
  warningCount(): number {
    return this.warnings;
  }

  private runOne(stmt: string): StatementResult {
    const s = stmt.trim();
    this.warnings = 0;
    let m: RegExpExecArray | null;
    if (/^select 1$/i.test(s)) return { kind: 'rows', columns: [col('1', MysqlType.LONGLONG, { length: 1, flags: ColumnFlag.NOT_NULL | ColumnFlag.BINARY | ColumnFlag.NUM })], rows: [[1n]] };
    if (/^select alltypes$/i.test(s)) {
      const r = allTypesResult();
      return { kind: 'rows', columns: r.columns, rows: [r.row] };
    }
    if ((m = /^select rows (\d+)$/i.exec(s))) {
      const n = Number(m[1]);
      const rows: Row[] = [];
      for (let i = 0; i < n; i++) rows.push([BigInt(i + 1), `name${i + 1}`]);
      return { kind: 'rows', columns: [col('id', MysqlType.LONGLONG), col('name', MysqlType.VAR_STRING)], rows };
    }
    if (/^select error$/i.test(s)) throw sqlError('ER_NO_SUCH_TABLE', 'test', 'nope');
    if (/^select warn$/i.test(s)) {
      this.warnings = 2;
      return { kind: 'rows', columns: [col('w', MysqlType.LONGLONG)], rows: [[0n]] };
    }
    if ((m = /^select '([\s\S]*)'$/i.exec(s))) return { kind: 'rows', columns: [col('s', MysqlType.VAR_STRING, { length: 0xffffffff })], rows: [[m[1]!]] };
    if ((m = /^select length\('([\s\S]*)'\)$/i.exec(s))) return { kind: 'rows', columns: [col('n', MysqlType.LONGLONG)], rows: [[BigInt(Buffer.byteLength(m[1]!))]] };
    if (/^insert/i.test(s)) return { kind: 'ok', affectedRows: 1n, lastInsertId: 42n };
    if (/^update/i.test(s)) return { kind: 'ok', affectedRows: 1n, lastInsertId: 0n, info: 'Rows matched: 1  Changed: 1  Warnings: 0' };
    if ((m = /^set wait_timeout = (\d+)$/i.exec(s))) {
      this.vars.set('wait_timeout', BigInt(m[1]!));
      return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
    }
    if (/^begin$/i.test(s)) {
      this.status |= ServerStatus.IN_TRANS;
      return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
    }
    if (/^commit$/i.test(s)) {
      this.status &= ~ServerStatus.IN_TRANS;
      return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
    }
    if ((m = /^kill (\d+)$/i.exec(s))) {
      const target = this.server.sessions.find((x) => x.connectionId === Number(m![1]) && !x.closed);
      if (!target) throw sqlError('ER_NO_SUCH_THREAD', Number(m[1]));
      target.conn.close('killed');
      return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
    }
    if (/^select user\(\)$/i.test(s)) return { kind: 'rows', columns: [col('user()', MysqlType.VAR_STRING)], rows: [[`${this.user}@localhost`]] };
    if (/^select database\(\)$/i.test(s)) return { kind: 'rows', columns: [col('database()', MysqlType.VAR_STRING)], rows: [[this.schema]] };
    return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
  }

  async *query(sql: string, opts: { multiStatements: boolean }): AsyncIterable<StatementResult> {
    this.server.queries.push(sql);
    const parts = splitStatements(sql);
    if (parts.length === 0) throw sqlError('ER_EMPTY_QUERY');
    if (parts.length > 1 && !opts.multiStatements) {
      throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use', parts[1]!, 1);
    }
    for (let i = 0; i < parts.length; i++) {
      const r = this.runOne(parts[i]!);
      if (i < parts.length - 1) r.moreResults = true;
      yield r;
    }
  }

  async useSchema(name: string): Promise<void> {
    if (!this.server.schemas.has(name.toLowerCase())) throw sqlError('ER_BAD_DB_ERROR', name);
    this.schema = name;
  }

  async prepare(sql: string): Promise<PreparedStatementInfo> {
    const paramCount = (sql.match(/\?/g) ?? []).length;
    const id = this.nextStmt++;
    let columns: ResultColumn[] = [];
    if (/^select alltypes$/i.test(sql.trim())) columns = allTypesResult().columns;
    else if (/^select rows/i.test(sql.trim())) columns = [col('id', MysqlType.LONGLONG), col('name', MysqlType.VAR_STRING)];
    else if (/^select/i.test(sql.trim())) columns = Array.from({ length: Math.max(1, paramCount) }, (_, i) => col(`p${i}`, MysqlType.VAR_STRING));
    if (/^select error/i.test(sql.trim())) throw sqlError('ER_NO_SUCH_TABLE', 'test', 'nope');
    const info: PreparedStatementInfo = { id, paramCount, params: [], columns };
    this.stmts.set(id, { sql, info });
    return info;
  }

  async executePrepared(id: number, params: Value[]): Promise<StatementResult> {
    const st = this.stmts.get(id);
    if (!st) throw sqlError('ER_UNKNOWN_STMT_HANDLER', String(id).length, String(id), 'EXECUTE');
    this.executed.push(params);
    const sql = st.sql.trim();
    if (/^select \?/i.test(sql)) return { kind: 'rows', columns: params.map((v, i) => valueColumn(v, i)), rows: [params] };
    return this.runOne(sql);
  }

  closePrepared(id: number): void {
    this.stmts.delete(id);
  }
  resetPrepared(id: number): void {
    void id;
  }
  preparedInfo(id: number): PreparedStatementInfo | undefined {
    return this.stmts.get(id)?.info;
  }
  async reset(): Promise<void> {
    this.resets++;
    this.stmts.clear();
  }
  async changeUser(account: AuthAccount, user: string, schema: string | null): Promise<void> {
    void account;
    this.user = user;
    this.schema = schema;
    this.stmts.clear();
  }
  interrupt(): void {}
  readonly vars = new Map<string, Value>();
  sysvar(name: string): Value {
    return this.vars.get(name) ?? this.server.ctx.globalVar(name);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

export class FakeServer {
  readonly accounts: AuthAccount[];
  readonly vars: Map<string, Value>;
  readonly sessions: FakeSession[] = [];
  readonly queries: string[] = [];
  readonly schemas = new Set(['test', 'mysql', 'information_schema']);
  readonly logs: string[] = [];
  hostIsKnown: boolean;
  extraConnections: number;
  private nextId = 1;
  readonly ctx: ServerContext;

  constructor(opts: FakeServerOptions = {}) {
    const specs: FakeAccountSpec[] = opts.accounts ?? [
      { user: 'root', plugin: 'caching_sha2_password', password: '' },
      { user: 'native', plugin: 'mysql_native_password', password: 'nativepw' },
      { user: 'sha2', plugin: 'caching_sha2_password', password: 'sha2pw' },
      { user: 'locked', plugin: 'caching_sha2_password', password: '', locked: true },
    ];
    this.accounts = specs.map((s) => ({
      user: s.user,
      host: s.host ?? '%',
      plugin: s.plugin,
      // A fixed salt keeps the credential identical across fake servers in one test file.
      authString: hashPassword(s.plugin, s.password, 'FixedSaltForTests012'),
      locked: s.locked ?? false,
      requireSecureTransport: s.requireSecureTransport ?? false,
      passwordExpired: s.passwordExpired ?? false,
    }));
    this.vars = new Map(Object.entries(opts.vars ?? {}));
    this.hostIsKnown = opts.hostKnown ?? true;
    this.extraConnections = opts.extraConnections ?? 0;
    const self = this;
    this.ctx = {
      version: '8.0.40-refmysql',
      serverId: 1,
      globalVar(name: string): Value {
        const v = self.vars.get(name);
        if (v !== undefined) return v;
        const defaults: Record<string, Value> = {
          max_allowed_packet: 67108864n,
          max_connections: 151n,
          wait_timeout: 28800n,
          interactive_timeout: 28800n,
          require_secure_transport: 'OFF',
        };
        if (name in defaults) return defaults[name]!;
        throw sqlError('ER_UNKNOWN_SYSTEM_VARIABLE', name);
      },
      findAccount(user: string): AuthAccount | null {
        return self.accounts.find((a) => a.user === user) ?? null;
      },
      hostKnown(): boolean {
        return self.hostIsKnown;
      },
      async openSession(conn: ConnectionInfo, account: AuthAccount, user: string, schema: string | null): Promise<SessionApi> {
        void account;
        if (schema !== null && !self.schemas.has(schema.toLowerCase())) throw sqlError('ER_BAD_DB_ERROR', schema);
        const s = new FakeSession(self, conn.connectionId, conn, user, schema);
        self.sessions.push(s);
        return s;
      },
      connectionCount(): number {
        return self.sessions.filter((s) => !s.closed).length + self.extraConnections;
      },
      nextConnectionId(): number {
        return self.nextId++;
      },
      log(level, code, subsystem, message): void {
        self.logs.push(`[${level}] [${code}] [${subsystem}] ${message}`);
      },
    };
  }
}

/** SHA-256 helper for tests that build caching_sha2 responses by hand. */
export function sha256(b: Buffer | string): Buffer {
  return createHash('sha256').update(b).digest();
}
