/**
 * The server-wide state of performance_schema: its setup (consumers, instruments, actors), the
 * digest summary, the remembered digests of recent statement texts, connection counts per
 * account, user and host, and the timer origin. One per server, found from the server's catalog
 * (every session of a server shares it; tests running several servers in one process keep them
 * apart), as the lock managers are.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema.html
 * @req CORE-PFS-001 CORE-PFS-030 CORE-PFS-050
 */
import { performance } from 'node:perf_hooks';
import { statementDigest, type StatementDigest } from '../../sql/digest.js';
import type { Value } from '../../kernel/value.js';
import { DigestSummary } from './digest-summary.js';
import { PFS_DIGEST_CACHE_SIZE, PFS_DIGESTS_SIZE, PFS_MAX_DIGEST_LENGTH, PFS_MAX_SQL_TEXT_LENGTH, PFS_STATEMENTS_HISTORY_SIZE } from './limits.js';
import { PfsSetup } from './setup.js';

/** Connections of one account, user or host. */
export interface ConnectionCount {
  current: number;
  total: number;
}

/** What the state needs from the server. */
export interface PfsConfigSource {
  global(name: string): Value;
}

function intVar(src: PfsConfigSource, name: string, dflt: number): number {
  try {
    const v = src.global(name);
    const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    return Number.isFinite(n) && n >= 0 ? n : dflt;
  } catch {
    return dflt;
  }
}

function onVar(src: PfsConfigSource, name: string): boolean {
  try {
    const v = src.global(name);
    if (v === null) return true;
    if (typeof v === 'string') return v.toUpperCase() === 'ON' || v === '1';
    return Number(v) !== 0;
  } catch {
    return true;
  }
}

export class PfsState {
  readonly setup: PfsSetup;
  readonly digests: DigestSummary;
  readonly historySize: number;
  readonly maxDigestLength: number;
  readonly maxSqlTextLength: number;
  /** performance.now() at startup: TIMER_START / TIMER_END count from here. */
  readonly timerOrigin = performance.now();
  /** STATEMENT_ID: one counter over all threads. */
  nextStatementId = 1;
  /** Connections by 'user\0host', by user, by host (accounts, users, hosts tables). @req CORE-PFS-050 */
  readonly accounts = new Map<string, ConnectionCount & { user: string; host: string }>();
  readonly users = new Map<string, ConnectionCount>();
  readonly hosts = new Map<string, ConnectionCount>();
  /** Remembered digests per lexing mode (ANSI_QUOTES, NO_BACKSLASH_ESCAPES change the tokens). */
  private readonly digestCaches: Map<string, StatementDigest>[] = [new Map(), new Map(), new Map(), new Map()];
  /** Digests of the statements the COM_QUERY statement cache serves, per cached statement. */
  private readonly shapeDigests = new WeakMap<object, { mode: number; digest: StatementDigest }>();

  constructor(src: PfsConfigSource) {
    this.setup = new PfsSetup(onVar(src, 'performance_schema'));
    this.historySize = intVar(src, 'performance_schema_events_statements_history_size', PFS_STATEMENTS_HISTORY_SIZE);
    this.maxDigestLength = intVar(src, 'performance_schema_max_digest_length', PFS_MAX_DIGEST_LENGTH);
    this.maxSqlTextLength = intVar(src, 'performance_schema_max_sql_text_length', PFS_MAX_SQL_TEXT_LENGTH);
    this.digests = new DigestSummary(intVar(src, 'performance_schema_digests_size', PFS_DIGESTS_SIZE));
  }

  /**
   * The digest of a statement text: remembered per text, so a repeated statement (the common
   * case for applications) costs one map lookup. performance_schema_max_digest_length = 0
   * computes none. @req CORE-PFS-030
   */
  digestOf(text: string, ansiQuotes: boolean, noBackslashEscapes: boolean, shape?: object): StatementDigest | null {
    if (this.maxDigestLength === 0) return null;
    const mode = (ansiQuotes ? 1 : 0) | (noBackslashEscapes ? 2 : 0);
    // Texts served by one cached statement differ only in lifted literals and white space, which
    // the digest does not show: they share their digest. @req CORE-PERF-014
    if (shape !== undefined) {
      const known = this.shapeDigests.get(shape);
      if (known !== undefined && known.mode === mode) return known.digest;
      const digest = statementDigest(text, { ansiQuotes, noBackslashEscapes, maxLength: this.maxDigestLength });
      this.shapeDigests.set(shape, { mode, digest });
      return digest;
    }
    const cache = this.digestCaches[mode]!;
    let d = cache.get(text);
    if (d === undefined) {
      if (cache.size >= PFS_DIGEST_CACHE_SIZE) cache.clear();
      d = statementDigest(text, { ansiQuotes, noBackslashEscapes, maxLength: this.maxDigestLength });
      cache.set(text, d);
    }
    return d;
  }

  /** A connection opened. @req CORE-PFS-050 */
  connected(user: string, host: string): void {
    const key = `${user}\0${host}`;
    const a = this.accounts.get(key) ?? { user, host, current: 0, total: 0 };
    a.current++;
    a.total++;
    this.accounts.set(key, a);
    for (const [m, k] of [[this.users, user], [this.hosts, host]] as const) {
      const c = m.get(k) ?? { current: 0, total: 0 };
      c.current++;
      c.total++;
      m.set(k, c);
    }
  }

  /** A connection closed. */
  disconnected(user: string, host: string): void {
    const a = this.accounts.get(`${user}\0${host}`);
    if (a) a.current = Math.max(0, a.current - 1);
    for (const [m, k] of [[this.users, user], [this.hosts, host]] as const) {
      const c = m.get(k);
      if (c) c.current = Math.max(0, c.current - 1);
    }
  }

  /** TRUNCATE TABLE accounts / users / hosts: totals restart from the connections open now, and
   *  rows without connections go. @req CORE-PFS-050 */
  resetConnections(which: 'accounts' | 'users' | 'hosts'): void {
    const m: Map<string, ConnectionCount> = which === 'accounts' ? this.accounts : which === 'users' ? this.users : this.hosts;
    for (const [k, c] of m) {
      if (c.current === 0) m.delete(k);
      else c.total = c.current;
    }
  }
}

const byServer = new WeakMap<object, PfsState>();

/** The performance_schema state of the server that owns `catalog`. */
export function pfsStateFor(catalog: object, src: PfsConfigSource): PfsState {
  let s = byServer.get(catalog);
  if (!s) {
    s = new PfsState(src);
    byServer.set(catalog, s);
  }
  return s;
}
