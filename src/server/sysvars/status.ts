/**
 * Server status variables (SHOW STATUS): counters the server, the protocol and the executor
 * bump as they work. Session-scoped counters (Bytes_received, Com_*, Questions, ...) are kept
 * per session and also summed into the global totals.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-status-variables.html
 * @req CORE-SYSVAR-013 CORE-PERF-043
 */

/** Counters a session keeps for itself (and adds to the global totals). */
export class SessionStatus {
  readonly counters = new Map<string, bigint>();
  /** Per-session text values such as Ssl_cipher / Ssl_version. */
  readonly texts = new Map<string, string>();

  constructor(private readonly global: StatusRegistry | null = null) {}

  /** Add `by` to a counter (both this session's and the server's). Names are case-insensitive. */
  add(name: string, by: bigint | number = 1n): void {
    const key = canonicalStatusName(name);
    const inc = typeof by === 'bigint' ? by : BigInt(by);
    this.counters.set(key, (this.counters.get(key) ?? 0n) + inc);
    this.global?.add(key, inc);
  }

  get(name: string): bigint {
    return this.counters.get(canonicalStatusName(name)) ?? 0n;
  }

  setText(name: string, value: string): void {
    this.texts.set(canonicalStatusName(name), value);
  }
}

/** The Com_* statement counters MySQL always lists, so SHOW STATUS rows exist even at zero. */
export const COM_COUNTERS: readonly string[] = [
  'Com_admin_commands', 'Com_alter_db', 'Com_alter_table', 'Com_alter_user', 'Com_begin', 'Com_change_db',
  'Com_commit', 'Com_create_db', 'Com_create_index', 'Com_create_table', 'Com_create_user', 'Com_delete',
  'Com_drop_db', 'Com_drop_index', 'Com_drop_table', 'Com_drop_user', 'Com_flush', 'Com_grant', 'Com_insert',
  'Com_insert_select', 'Com_kill', 'Com_replace', 'Com_revoke', 'Com_rollback', 'Com_select', 'Com_set_option',
  'Com_show_databases', 'Com_show_status', 'Com_show_tables', 'Com_show_variables', 'Com_show_warnings',
  'Com_shutdown', 'Com_stmt_close', 'Com_stmt_execute', 'Com_stmt_prepare', 'Com_stmt_reset', 'Com_truncate',
  'Com_update', 'Com_use',
];

/** Counters kept only globally. */
const GLOBAL_COUNTERS: readonly string[] = [
  'Aborted_clients', 'Aborted_connects', 'Connections', 'Max_used_connections', 'Threads_connected',
  'Threads_running', 'Threads_created', 'Threads_cached', 'Open_tables', 'Opened_tables', 'Uptime',
  'Uptime_since_flush_status', 'Ssl_accepts', 'Ssl_finished_accepts',
  // refmysql's own: COM_QUERY texts served by / added to the statement cache. @req CORE-PERF-014
  'Refmysql_statement_cache_hits', 'Refmysql_statement_cache_misses',
];

/** Counters a session has its own value of. */
const SESSION_COUNTERS: readonly string[] = [
  'Bytes_received', 'Bytes_sent', 'Questions', 'Queries', 'Slow_queries', 'Created_tmp_tables',
  'Handler_read_first', 'Handler_read_key', 'Handler_read_next', 'Handler_read_rnd_next', 'Handler_write',
  'Handler_update', 'Handler_delete', 'Handler_commit', 'Handler_rollback', 'Select_scan', 'Sort_rows',
  ...COM_COUNTERS,
];

const ALL_NAMES = new Map<string, string>([...GLOBAL_COUNTERS, ...SESSION_COUNTERS, 'Ssl_cipher', 'Ssl_version'].map((n) => [n.toLowerCase(), n]));

/** MySQL's spelling of a status variable name, case-insensitively (unknown names keep their own). */
export function canonicalStatusName(name: string): string {
  // Counters are bumped by name several times per statement, nearly always with the same few
  // spellings: remember each spelling's canonical name. CORE-PERF-043
  let n = canonicalSpellings.get(name);
  if (n === undefined) {
    n = ALL_NAMES.get(name.toLowerCase()) ?? name;
    if (canonicalSpellings.size >= MAX_STATUS_NAME_SPELLINGS) canonicalSpellings.clear();
    canonicalSpellings.set(name, n);
  }
  return n;
}

/** Spellings of status names remembered by canonicalStatusName. CORE-PERF-043 */
const MAX_STATUS_NAME_SPELLINGS = 1024;
const canonicalSpellings = new Map<string, string>();

/** Statements whose counter follows from their first word alone, as the client usually sends them. */
const FIRST_WORD_COUNTERS: ReadonlyMap<string, string> = new Map([
  ['select', 'Com_select'], ['SELECT', 'Com_select'], ['update', 'Com_update'], ['UPDATE', 'Com_update'],
  ['delete', 'Com_delete'], ['DELETE', 'Com_delete'], ['begin', 'Com_begin'], ['BEGIN', 'Com_begin'],
  ['commit', 'Com_commit'], ['COMMIT', 'Com_commit'],
]);

/** The first word of a text that starts with a letter and continues with a non-word character. */
function plainFirstWord(sql: string): string | null {
  let i = 0;
  for (; i < sql.length && i < 8; i++) {
    const c = sql.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90))) break;
  }
  if (i === 0 || i === sql.length) return i === 0 ? null : sql;
  const next = sql.charCodeAt(i);
  // A word character after it (digits, '_', '$') means a longer word: take the general path.
  if ((next >= 48 && next <= 57) || next === 95 || next === 36 || (next >= 97 && next <= 122) || (next >= 65 && next <= 90) || next > 127) return null;
  return sql.slice(0, i);
}

/** Whether a status variable has a separate per-session value. */
export function isSessionStatus(name: string): boolean {
  const n = canonicalStatusName(name);
  return SESSION_COUNTERS.includes(n) || n === 'Ssl_cipher' || n === 'Ssl_version';
}

/** Server-wide status. */
export class StatusRegistry {
  readonly counters = new Map<string, bigint>();
  readonly startedAt: number;
  private flushedAt: number;
  /** Live gauges supplied by the server (Threads_connected, Threads_running, Open_tables). */
  private readonly gauges = new Map<string, () => bigint>();
  /** Live text values supplied by plugins (Innodb_buffer_pool_dump_status, Innodb_redo_log_enabled). */
  private readonly textGauges = new Map<string, () => string>();

  constructor(now: number = Date.now()) {
    this.startedAt = now;
    this.flushedAt = now;
  }

  add(name: string, by: bigint | number = 1n): void {
    const key = canonicalStatusName(name);
    const inc = typeof by === 'bigint' ? by : BigInt(by);
    this.counters.set(key, (this.counters.get(key) ?? 0n) + inc);
  }

  set(name: string, value: bigint): void {
    this.counters.set(canonicalStatusName(name), value);
  }

  /** Register a value computed at read time. */
  gauge(name: string, read: () => bigint): void {
    this.gauges.set(canonicalStatusName(name), read);
  }

  /** Register a text value computed at read time (SHOW STATUS shows it as is). */
  textGauge(name: string, read: () => string): void {
    this.textGauges.set(canonicalStatusName(name), read);
  }

  /** The text value of a text gauge, undefined for numeric variables. */
  text(name: string): string | undefined {
    return this.textGauges.get(canonicalStatusName(name))?.();
  }

  get(name: string): bigint {
    const key = canonicalStatusName(name);
    if (key === 'Uptime') return BigInt(Math.floor((Date.now() - this.startedAt) / 1000));
    if (key === 'Uptime_since_flush_status') return BigInt(Math.floor((Date.now() - this.flushedAt) / 1000));
    const g = this.gauges.get(key);
    if (g) return g();
    return this.counters.get(key) ?? 0n;
  }

  /** A new session's counter set, summing into this server's totals. */
  newSession(): SessionStatus {
    return new SessionStatus(this);
  }

  /** FLUSH STATUS as MySQL 8.0 does it for the server's side: the global totals stay (the
   *  session's counters are already in them); Uptime_since_flush_status starts again.
   *  @req CORE-LOG-024 */
  markFlushed(): void {
    this.flushedAt = Date.now();
  }

  /** FLUSH STATUS: zero the global counters except the gauges. */
  flush(): void {
    this.counters.clear();
    this.flushedAt = Date.now();
  }

  /** All status variable names, sorted as SHOW STATUS lists them. */
  names(): string[] {
    const set = new Set<string>([...ALL_NAMES.values(), ...this.counters.keys(), ...this.gauges.keys(), ...this.textGauges.keys()]);
    return [...set].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
  }
}

/**
 * The Com_* counter for a statement text, from its leading keywords (comments skipped).
 * @req CORE-SYSVAR-013
 */
export function comCounterFor(sql: string): string | null {
  const first = plainFirstWord(sql);
  if (first !== null) {
    const known = FIRST_WORD_COUNTERS.get(first);
    if (known !== undefined) return known;
  }
  const text = sql
    .replace(/^(\s+|--[^\n]*\n|#[^\n]*\n|\/\*(?!!)[\s\S]*?\*\/)+/g, '')
    .slice(0, 200)
    .toLowerCase();
  const words = text.split(/[^a-z_]+/).filter((w) => w !== '');
  const [a, b, c] = words;
  switch (a) {
    case 'select':
    case 'with':
      return 'Com_select';
    case 'insert':
      return /\bselect\b/.test(text) ? 'Com_insert_select' : 'Com_insert';
    case 'update':
      return 'Com_update';
    case 'delete':
      return 'Com_delete';
    case 'replace':
      return 'Com_replace';
    case 'begin':
      return 'Com_begin';
    case 'start':
      return b === 'transaction' ? 'Com_begin' : null;
    case 'commit':
      return 'Com_commit';
    case 'rollback':
      return 'Com_rollback';
    case 'set':
      return 'Com_set_option';
    case 'use':
      return 'Com_change_db';
    case 'truncate':
      return 'Com_truncate';
    case 'flush':
      return 'Com_flush';
    case 'kill':
      return 'Com_kill';
    case 'grant':
      return 'Com_grant';
    case 'revoke':
      return 'Com_revoke';
    case 'shutdown':
      return 'Com_shutdown';
    case 'show': {
      const what = b === 'global' || b === 'session' || b === 'full' ? c : b;
      const map: Record<string, string> = {
        variables: 'Com_show_variables',
        status: 'Com_show_status',
        tables: 'Com_show_tables',
        databases: 'Com_show_databases',
        schemas: 'Com_show_databases',
        warnings: 'Com_show_warnings',
      };
      return what ? (map[what] ?? null) : null;
    }
    case 'create':
    case 'drop':
    case 'alter': {
      const obj = b === 'temporary' ? c : b === 'unique' ? 'index' : b;
      const map: Record<string, string> = { table: 'table', database: 'db', schema: 'db', index: 'index', user: 'user' };
      const kind = obj ? map[obj] : undefined;
      return kind ? `Com_${a}_${kind}` : null;
    }
    default:
      return null;
  }
}
