/**
 * The differential runner: reads the SQL corpus, runs every statement on two servers over the
 * real wire protocol (mysql2, text protocol) and reduces each outcome to a comparable record.
 *
 * Corpus format (`test/peers/corpus/*.sql`): statements end with `;` at the end of a line; `--`
 * comment lines are ignored. A statement's id is `<file>:<NNN>`, its 1-based position in the file
 * (zero-padded). Each file runs on one connection per server, in a fresh database named
 * `peer_<file>` that the runner creates beforehand and drops afterwards, so files are independent.
 * A comment line `-- columns: A, B` right before a statement compares only those columns of its
 * result (by name), for statements such as SHOW TABLE STATUS whose other columns are estimates.
 *
 * What is compared (and why only that):
 * - errors: error number and SQLSTATE. Message wording differs between MySQL and MariaDB
 *   (`MariaDB server version`, `for key 'PRIMARY'` vs `'t.PRIMARY'`), so it is recorded only.
 * - OK packets: affected rows.
 * - result sets: column names and every value as text (bytes that are not valid UTF-8 as hex).
 *   Row order matters only when the statement ends with a top-level ORDER BY; otherwise rows
 *   are compared as a sorted multiset, because engines may return unordered rows differently.
 * - warnings: the warning count the server put in the statement's OK/EOF packet and, when it is
 *   not zero, the (level, code) list from `SHOW WARNINGS` issued right after the statement.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-statements.html
 * @req CORE-PEER-001 CORE-PEER-009
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Connection, FieldPacket, ResultSetHeader } from 'mysql2/promise';

export interface CorpusStatement {
  /** `<file>:<NNN>` */
  id: string;
  file: string;
  /** 1-based line of the statement's first line in its file. */
  line: number;
  sql: string;
  /** Compare only these result columns (from a `-- columns:` line before the statement). */
  columns?: string[];
}

export interface CorpusFile {
  name: string;
  statements: CorpusStatement[];
}

export type Outcome =
  | { kind: 'error'; errno: number; sqlState: string; message: string }
  | { kind: 'ok'; affectedRows: number; warnings: string[] }
  | { kind: 'rows'; columns: string[]; rows: (string | null)[][]; ordered: boolean; warnings: string[] };

export interface Difference {
  id: string;
  sql: string;
  /** What differs, e.g. `errno 1146 vs 1054`, `row 2 col 1: '3' vs '4'`. */
  detail: string;
  left: Outcome;
  right: Outcome;
}

export interface KnownDifference {
  statementId: string;
  /** The statement text, so a renumbered corpus cannot silently move an allowance. */
  sql: string;
  reason: string;
}

/** `-- columns: A, B, C` (a projection for the next statement). */
const COLUMNS_DIRECTIVE = /^--\s*columns:\s*(.+)$/i;

/** `-- delimiter //` (statements end with `//` until `-- delimiter ;`), for stored program bodies. */
const DELIMITER_DIRECTIVE = /^--\s*delimiter\s+(\S+)$/i;

/** Split one corpus file into statements (`;`, or the `-- delimiter` in force, at end of line terminates a statement). */
export function parseCorpusText(file: string, text: string): CorpusStatement[] {
  const out: CorpusStatement[] = [];
  let delimiter = ';';
  let buf: string[] = [];
  let start = 0;
  let columns: string[] | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const trimmed = raw.trim();
    if (buf.length === 0) {
      const directive = COLUMNS_DIRECTIVE.exec(trimmed);
      if (directive) {
        columns = (directive[1] ?? '').split(',').map((c) => c.trim()).filter((c) => c !== '');
        continue;
      }
      const delim = DELIMITER_DIRECTIVE.exec(trimmed);
      if (delim) {
        delimiter = delim[1] ?? ';';
        continue;
      }
      if (trimmed === '' || trimmed.startsWith('--')) continue;
    }
    if (buf.length === 0) start = i + 1;
    buf.push(raw);
    if (trimmed.endsWith(delimiter)) {
      const sql = buf.join('\n').trim().slice(0, -delimiter.length).trim();
      const n = String(out.length + 1).padStart(3, '0');
      out.push({ id: `${file}:${n}`, file, line: start, sql, ...(columns ? { columns } : {}) });
      buf = [];
      columns = undefined;
    }
  }
  if (buf.length > 0) throw new Error(`${file}: statement at line ${start} has no terminating '${delimiter}'`);
  return out;
}

/** Load every `*.sql` file of a corpus directory, sorted by name. */
export function loadCorpus(dir: string): CorpusFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => {
      const name = basename(f, '.sql');
      return { name, statements: parseCorpusText(name, readFileSync(join(dir, f), 'utf8')) };
    });
}

/** The database a corpus file runs in. */
export function corpusDatabase(file: string): string {
  return `peer_${file.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** Does the statement end with an ORDER BY that orders the whole result (not one inside parens)? */
export function hasTopLevelOrderBy(sql: string): boolean {
  const m = /\bORDER\s+BY\b/gi;
  let last = -1;
  for (let r = m.exec(sql); r !== null; r = m.exec(sql)) last = r.index;
  if (last < 0) return false;
  // A ')' after the last ORDER BY means it was inside a subquery or an aggregate argument,
  // unless the parens it closes were opened after it too (e.g. ORDER BY ABS(x)).
  let depth = 0;
  for (const ch of sql.slice(last)) {
    if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth < 0) return false;
    }
  }
  return true;
}

function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) {
    const s = v.toString('utf8');
    return Buffer.from(s, 'utf8').equals(v) ? s : `0x${v.toString('hex')}`;
  }
  return String(v);
}

/** The fields of a mysql2 server error that we compare. */
interface ServerError {
  errno: number;
  sqlState?: string;
  sqlMessage?: string;
  message: string;
  fatal?: boolean;
}

function isServerError(e: unknown): e is ServerError {
  return typeof e === 'object' && e !== null && typeof (e as { errno?: unknown }).errno === 'number';
}

/**
 * mysql2 reports the warning count of OK packets (`warningStatus`) but not of the EOF packet
 * that ends a result set. We read it off the wire by wrapping the connection's packet handler:
 * mysql2 does not negotiate CLIENT_DEPRECATE_EOF, so a result set always ends with a real EOF
 * packet (0xFE, at most 5 payload bytes: warnings u16, status u16). Private API, test-only.
 */
const eofWarnings = new WeakMap<Connection, { last: number }>();

interface PacketLike {
  buffer: Buffer;
  offset: number;
  length(): number;
}
interface CoreConnection {
  handlePacket(packet: PacketLike | undefined): unknown;
}

function probeFor(conn: Connection): { last: number } {
  let probe = eofWarnings.get(conn);
  if (probe) return probe;
  const p = { last: 0 };
  probe = p;
  eofWarnings.set(conn, probe);
  const core = (conn as unknown as { connection?: CoreConnection }).connection;
  if (!core || typeof core.handlePacket !== 'function') throw new Error('mysql2 internals changed: no core connection');
  const original = core.handlePacket.bind(core);
  core.handlePacket = (packet) => {
    if (packet && packet.buffer[packet.offset] === 0xfe && packet.length() <= 9 && packet.length() >= 5) {
      p.last = packet.buffer.readUInt16LE(packet.offset + 1);
    }
    return original(packet);
  };
  return probe;
}

/** Install the EOF probe on a connection (call once, before running statements). */
export function instrumentConnection(conn: Connection): void {
  probeFor(conn);
}

/**
 * The statement's own warnings as `Level Code` strings. Only consulted when the statement
 * reported a non-zero count: MariaDB keeps the previous statement's warnings visible to SHOW
 * WARNINGS after statements that touch no table, MySQL 8.0 clears them, and neither matters here.
 */
async function warningsOf(conn: Connection, count: number): Promise<string[]> {
  if (count === 0) return [];
  const [rows] = await conn.query({ sql: 'SHOW WARNINGS', rowsAsArray: true, typeCast: false });
  const list = (rows as unknown[][]).map((r) => `${cellText(r[0])} ${cellText(r[1])}`);
  if (list.length !== count) list.push(`(count ${count})`);
  return list;
}

/** Run one statement and reduce what came back to an {@link Outcome}. */
export async function runStatement(conn: Connection, sql: string): Promise<Outcome> {
  const probe = probeFor(conn);
  probe.last = 0;
  let result: unknown;
  let fields: FieldPacket[] | undefined;
  try {
    [result, fields] = await conn.query({ sql, rowsAsArray: true, typeCast: false });
  } catch (e) {
    if (isServerError(e) && e.errno > 0 && e.fatal !== true) {
      return { kind: 'error', errno: e.errno, sqlState: e.sqlState ?? '', message: e.sqlMessage ?? e.message };
    }
    throw e;
  }
  if (Array.isArray(result) && fields) {
    const warnings = await warningsOf(conn, probe.last);
    const rows = (result as unknown[][]).map((r) => r.map(cellText));
    const ordered = hasTopLevelOrderBy(sql);
    return { kind: 'rows', columns: fields.map((f) => f.name), rows, ordered, warnings };
  }
  const header = result as ResultSetHeader;
  const warnings = await warningsOf(conn, header.warningStatus);
  return { kind: 'ok', affectedRows: header.affectedRows, warnings };
}

/**
 * Run one statement as a server-side prepared statement (COM_STMT_PREPARE + EXECUTE, binary
 * result rows). The connection should be created with `dateStrings`, `supportBigNumbers` and
 * `bigNumberStrings` so temporal and 64-bit values arrive as text, like in the text protocol.
 */
export async function runPrepared(conn: Connection, sql: string, params: readonly (string | number | null)[]): Promise<Outcome> {
  const probe = probeFor(conn);
  probe.last = 0;
  let result: unknown;
  let fields: FieldPacket[] | undefined;
  try {
    [result, fields] = await conn.execute({ sql, rowsAsArray: true }, [...params]);
  } catch (e) {
    if (isServerError(e) && e.errno > 0 && e.fatal !== true) {
      return { kind: 'error', errno: e.errno, sqlState: e.sqlState ?? '', message: e.sqlMessage ?? e.message };
    }
    throw e;
  }
  if (Array.isArray(result) && fields) {
    const warnings = await warningsOf(conn, probe.last);
    const rows = (result as unknown[][]).map((r) => r.map(cellText));
    return { kind: 'rows', columns: fields.map((f) => f.name), rows, ordered: hasTopLevelOrderBy(sql), warnings };
  }
  const header = result as ResultSetHeader;
  const warnings = await warningsOf(conn, header.warningStatus);
  return { kind: 'ok', affectedRows: header.affectedRows, warnings };
}

/**
 * Keep only the named columns of a result set (matched case-insensitively, in the order given);
 * a column the result lacks shows as `(no column X)` so the difference is visible.
 */
export function projectColumns(o: Outcome, names: readonly string[] | undefined): Outcome {
  if (!names || o.kind !== 'rows') return o;
  const lower = o.columns.map((c) => c.toLowerCase());
  const at = names.map((n) => lower.indexOf(n.toLowerCase()));
  return {
    ...o,
    columns: names.map((n, i) => (at[i]! >= 0 ? o.columns[at[i]!]! : `(no column ${n})`)),
    rows: o.rows.map((r) => at.map((j) => (j >= 0 ? (r[j] ?? null) : null))),
  };
}

function rowKey(r: (string | null)[]): string {
  return JSON.stringify(r);
}

/** Describe how two outcomes differ, or return null when they agree. */
export function compareOutcomes(a: Outcome, b: Outcome): string | null {
  if (a.kind !== b.kind) {
    const d = (o: Outcome): string =>
      o.kind === 'error' ? `error ${o.errno} (${o.message})` : o.kind === 'ok' ? 'OK' : `${o.rows.length} rows`;
    return `outcome ${d(a)} vs ${d(b)}`;
  }
  if (a.kind === 'error' && b.kind === 'error') {
    if (a.errno !== b.errno) return `errno ${a.errno} vs ${b.errno} (${a.message} | ${b.message})`;
    if (a.sqlState !== b.sqlState) return `SQLSTATE ${a.sqlState} vs ${b.sqlState}`;
    return null;
  }
  if (a.kind === 'ok' && b.kind === 'ok') {
    if (a.affectedRows !== b.affectedRows) return `affectedRows ${a.affectedRows} vs ${b.affectedRows}`;
    return compareWarnings(a.warnings, b.warnings);
  }
  if (a.kind === 'rows' && b.kind === 'rows') {
    if (rowKey(a.columns) !== rowKey(b.columns)) return `columns ${rowKey(a.columns)} vs ${rowKey(b.columns)}`;
    if (a.rows.length !== b.rows.length) return `row count ${a.rows.length} vs ${b.rows.length}`;
    const ka = a.rows.map(rowKey);
    const kb = b.rows.map(rowKey);
    if (!a.ordered) {
      ka.sort();
      kb.sort();
    }
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] !== kb[i]) return `row ${i + 1}${a.ordered ? '' : ' (sorted)'}: ${ka[i]} vs ${kb[i]}`;
    }
    return compareWarnings(a.warnings, b.warnings);
  }
  return 'unreachable';
}

function compareWarnings(a: string[], b: string[]): string | null {
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  return ja === jb ? null : `warnings ${ja} vs ${jb}`;
}

/** Create the file's database on a server and select it. */
export async function enterCorpusDatabase(conn: Connection, file: string): Promise<void> {
  const db = corpusDatabase(file);
  await conn.query(`DROP DATABASE IF EXISTS ${db}`);
  await conn.query(`CREATE DATABASE ${db}`);
  await conn.query(`USE ${db}`);
}

export async function leaveCorpusDatabase(conn: Connection, file: string): Promise<void> {
  await conn.query(`DROP DATABASE IF EXISTS ${corpusDatabase(file)}`);
}

export interface FileRun {
  file: string;
  outcomes: Map<string, [Outcome, Outcome]>;
  differences: Difference[];
}

/** Run one corpus file on two connections statement by statement and collect differences. */
export async function runFileOnBoth(left: Connection, right: Connection, file: CorpusFile): Promise<FileRun> {
  await enterCorpusDatabase(left, file.name);
  await enterCorpusDatabase(right, file.name);
  const outcomes = new Map<string, [Outcome, Outcome]>();
  const differences: Difference[] = [];
  for (const st of file.statements) {
    const a = projectColumns(await runStatement(left, st.sql), st.columns);
    const b = projectColumns(await runStatement(right, st.sql), st.columns);
    outcomes.set(st.id, [a, b]);
    const detail = compareOutcomes(a, b);
    if (detail !== null) differences.push({ id: st.id, sql: st.sql, detail, left: a, right: b });
  }
  await leaveCorpusDatabase(left, file.name);
  await leaveCorpusDatabase(right, file.name);
  return { file: file.name, outcomes, differences };
}

/** Parse and sanity-check the allowlist file. */
export function loadKnownDifferences(path: string): KnownDifference[] {
  const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(data)) throw new Error(`${path}: expected a JSON array`);
  return data.map((e: unknown, i) => {
    const o = e as { statementId?: unknown; sql?: unknown; reason?: unknown };
    if (
      typeof o.statementId !== 'string' ||
      typeof o.sql !== 'string' ||
      typeof o.reason !== 'string' ||
      o.reason.length < 10
    ) {
      throw new Error(`${path}[${i}]: needs statementId, sql and a reason`);
    }
    return { statementId: o.statementId, sql: o.sql, reason: o.reason };
  });
}
