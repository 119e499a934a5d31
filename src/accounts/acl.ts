/**
 * The in-memory access-control model (accounts, grants at every level, role edges, default
 * roles) and its crash-safe persistence through an {@link AclStore} (the InnoDB grant tables).
 *
 * MySQL keeps this state in the InnoDB grant tables (mysql.user, mysql.db, ...), and so does the
 * server: its {@link AclStore} is grant-table-store.ts. The JSON document of JsonAclStore is what
 * data directories held before (imported once), and what a server without InnoDB and the unit
 * tests use; the grant tables are then computed views (grant-tables.ts). Every change is applied
 * to a copy and written atomically before it becomes visible, so a statement naming several
 * accounts either fully happens or not at all — the atomic account-management behaviour of
 * MySQL 8.0.
 *
 * Changes are serialised (each sees the state the previous one left) and written
 * asynchronously: the statement awaits its change being durable before it answers, while the
 * event loop keeps serving other sessions during the write and its fsyncs.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/grant-tables.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/atomic-ddl.html
 * @req CORE-ACCT-030 CORE-ACCT-031 CORE-ACCT-032 CORE-DICT-014
 */
import { mkdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AuthAccount, ConnectionInfo } from '../kernel/protocol-port.js';
import { readJsonIfExists, readJsonIfExistsSync, writeFileAtomic, writeFileAtomicSync } from '../util/atomic-file.js';
import { hostMatches, matchAccount, peerHost, sortAccountRows, type PeerHost } from './host-match.js';

/** `'user'@'host'` identity of an account or role. Hosts are kept lower-case. */
export interface AccountKey {
  user: string;
  host: string;
}

export interface SslRequirement {
  type: 'NONE' | 'SSL' | 'X509' | 'SPECIFIED';
  cipher?: string;
  issuer?: string;
  subject?: string;
}

/** One row of mysql.user. */
export interface UserRecord extends AccountKey {
  plugin: string;
  authString: string;
  locked: boolean;
  ssl: SslRequirement;
  passwordExpired: boolean;
  /** ms since epoch */
  passwordLastChanged: number;
  /** PASSWORD EXPIRE INTERVAL n DAY; null = server default, 0 = NEVER */
  passwordLifetime: number | null;
  maxQuestions: number;
  maxUpdates: number;
  maxConnections: number;
  maxUserConnections: number;
  /** User_attributes JSON (comment lives under "metadata": {"comment": ...}); null when none. */
  attributes: Record<string, unknown> | null;
  /** Static global privileges, canonical names, plus 'GRANT OPTION'. */
  globalPrivs: string[];
  /** Extra password options kept verbatim (FAILED_LOGIN_ATTEMPTS, PASSWORD HISTORY, ...). */
  passwordOptions?: string[];
}

/** mysql.db row. `db` may hold `%`/`_` wildcards (backslash escapes). */
export interface DbGrant extends AccountKey {
  db: string;
  privs: string[];
}

/** mysql.tables_priv row (table-level privileges only; column privileges live in ColumnGrant). */
export interface TableGrant extends AccountKey {
  db: string;
  table: string;
  privs: string[];
  grantor: string;
  timestamp: number;
}

/** mysql.columns_priv row. */
export interface ColumnGrant extends AccountKey {
  db: string;
  table: string;
  column: string;
  privs: string[];
  timestamp: number;
}

/** mysql.procs_priv row. */
export interface RoutineGrant extends AccountKey {
  db: string;
  name: string;
  type: 'FUNCTION' | 'PROCEDURE';
  privs: string[];
  grantor: string;
  timestamp: number;
}

/** mysql.global_grants row (dynamic privileges). */
export interface DynamicGrant extends AccountKey {
  priv: string;
  withGrantOption: boolean;
}

/** mysql.role_edges row: role `from` granted to `to`. */
export interface RoleEdge {
  fromUser: string;
  fromHost: string;
  toUser: string;
  toHost: string;
  withAdminOption: boolean;
}

/** mysql.default_roles row. */
export interface DefaultRole extends AccountKey {
  roleUser: string;
  roleHost: string;
}

/** mysql.proxies_priv row (kept for SHOW GRANTS of root). */
export interface ProxyGrant extends AccountKey {
  proxiedUser: string;
  proxiedHost: string;
  withGrantOption: boolean;
}

/** The persisted document. */
export interface AclState {
  version: 1;
  users: UserRecord[];
  db: DbGrant[];
  tables: TableGrant[];
  columns: ColumnGrant[];
  routines: RoutineGrant[];
  dynamic: DynamicGrant[];
  roleEdges: RoleEdge[];
  defaultRoles: DefaultRole[];
  proxies: ProxyGrant[];
}

export function emptyAclState(): AclState {
  return { version: 1, users: [], db: [], tables: [], columns: [], routines: [], dynamic: [], roleEdges: [], defaultRoles: [], proxies: [] };
}

/** Normalise an account name the way MySQL stores it (host part lower-case). */
export function accountKey(user: string, host: string): AccountKey {
  return { user, host: host.toLowerCase() };
}

export function sameAccount(a: AccountKey, b: AccountKey): boolean {
  return a.user === b.user && a.host.toLowerCase() === b.host.toLowerCase();
}

/** `'user'@'host'` as used in 1396-style messages. */
export function quoteAccount(a: AccountKey): string {
  return `'${a.user}'@'${a.host}'`;
}

/** `` `user`@`host` `` as used by SHOW GRANTS and role messages. */
export function backtickAccount(a: AccountKey): string {
  return `\`${a.user.replace(/`/g, '``')}\`@\`${a.host.replace(/`/g, '``')}\``;
}

/** `null` means every account (FLUSH PRIVILEGES). */
export type CredentialsListener = (account: AccountKey | null) => void;

/** Path of the persisted ACL inside a data directory. */
export function aclPath(datadir: string): string {
  return join(datadir, 'mysql', 'acl.json');
}

/**
 * Where the ACL document is kept. The JSON file is the first implementation; when the grant
 * tables move into InnoDB, a store over them implements the same three operations.
 * @req CORE-DICT-014
 */
export interface AclStore {
  /** The persisted state, or undefined when there is none yet (startup). */
  loadSync(): AclState | undefined;
  /** The persisted state (FLUSH PRIVILEGES), read without blocking the event loop. */
  load(): Promise<AclState | undefined>;
  /** Replace the persisted state; resolves once it is durable. Does not block the event loop. */
  save(state: AclState): Promise<void>;
  /** Blocking save, for initialising a data directory (no client is connected yet). */
  saveSync(state: AclState): void;
  /** Release what the store holds (the grant tables' handlers). */
  close?(): Promise<void>;
}

function aclText(state: AclState): string {
  return JSON.stringify(state, null, 1) + '\n';
}

/** `<datadir>/mysql/acl.json`, replaced atomically (temporary file, fsync, rename, fsync directory). */
export class JsonAclStore implements AclStore {
  constructor(readonly path: string) {}

  loadSync(): AclState | undefined {
    return readJsonIfExistsSync<AclState>(this.path);
  }

  load(): Promise<AclState | undefined> {
    return readJsonIfExists<AclState>(this.path);
  }

  async save(state: AclState): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    await writeFileAtomic(this.path, aclText(state));
  }

  saveSync(state: AclState): void {
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileAtomicSync(this.path, aclText(state));
  }
}

/**
 * The server's access-control lists. One instance per server; sessions hold it through their
 * SecurityContext.
 * @req CORE-ACCT-030
 */
export class Acl {
  private stateValue: AclState;
  private sorted: UserRecord[] | null = null;
  private readonly listeners = new Set<CredentialsListener>();
  private readonly store: AclStore | null;
  /** Changes (and reloads) in progress, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Bumped on every change, so callers can cache derived privilege sets. */
  generation = 0;

  constructor(
    state: AclState,
    /** Data directory, or null for a purely in-memory ACL (unit tests). */
    readonly datadir: string | null,
    store?: AclStore,
  ) {
    this.stateValue = state;
    this.store = store ?? (datadir === null ? null : new JsonAclStore(aclPath(datadir)));
  }

  /** Load `<datadir>/mysql/acl.json` (an empty ACL when absent). @req CORE-ACCT-031 */
  static open(datadir: string): Acl {
    const store = new JsonAclStore(aclPath(datadir));
    return new Acl(normalizeState(store.loadSync() ?? emptyAclState()), datadir, store);
  }

  /** The ACL kept by `store` (the grant tables), read without blocking. @req CORE-ACCT-031 CORE-DICT-019 */
  static async load(datadir: string, store: AclStore): Promise<Acl> {
    return new Acl(normalizeState((await store.load()) ?? emptyAclState()), datadir, store);
  }

  /** An ACL that lives only in memory. */
  static inMemory(state: AclState = emptyAclState()): Acl {
    return new Acl(normalizeState(state), null);
  }

  get state(): Readonly<AclState> {
    return this.stateValue;
  }

  private install(state: AclState): void {
    this.stateValue = state;
    this.sorted = null;
    this.generation++;
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Apply a change atomically and durably. Changes run one at a time, in call order: `fn` edits
   * a deep copy of the state as the previous change left it; when it returns normally the copy
   * is written (asynchronously) and installed once durable, and the promise resolves with `fn`'s
   * result. If `fn` or the write fails, nothing changes.
   * @req CORE-ACCT-031 CORE-ACCT-032 CORE-DICT-014
   */
  update<T>(fn: (draft: AclState) => T): Promise<T> {
    return this.serialised(async () => {
      const draft = structuredClone(this.stateValue);
      const result = fn(draft);
      if (this.store) await this.store.save(draft);
      this.install(draft);
      return result;
    });
  }

  /** {@link update} with a blocking write, for initialising a data directory (no clients yet). */
  updateSync<T>(fn: (draft: AclState) => T): T {
    const draft = structuredClone(this.stateValue);
    const result = fn(draft);
    this.store?.saveSync(draft);
    this.install(draft);
    return result;
  }

  /** Wait for the changes in progress and release the store. */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.store?.close?.();
  }

  /** FLUSH PRIVILEGES: re-read the persisted state (after the changes already queued). @req CORE-ACCT-031 */
  async reload(): Promise<void> {
    const store = this.store;
    if (store === null) return;
    await this.serialised(async () => this.install(normalizeState((await store.load()) ?? emptyAclState())));
    // FLUSH PRIVILEGES also empties the fast-auth cache in MySQL: tell every listener that
    // all credentials may have changed.
    this.emitCredentialsChanged(null);
  }

  /** Account rows in login order (most specific first). @req CORE-ACCT-023 */
  sortedUsers(): readonly UserRecord[] {
    if (!this.sorted) this.sorted = sortAccountRows(this.stateValue.users);
    return this.sorted;
  }

  /** Exact lookup by account name (host compared case-insensitively). */
  getUser(user: string, host: string): UserRecord | undefined {
    const h = host.toLowerCase();
    return this.stateValue.users.find((u) => u.user === user && u.host.toLowerCase() === h);
  }

  /** The account row `user`@`host` as a login would use it (a DEFINER runs as it). */
  accountNamed(user: string, host: string): AuthAccount | null {
    const row = this.getUser(user, host);
    return row ? toAuthAccount(row) : null;
  }

  /** Find the account a login as `user` from `conn` uses. @req CORE-ACCT-023 CORE-ACCT-024 */
  findAccount(user: string, conn: Pick<ConnectionInfo, 'transport' | 'remoteAddress'>): AuthAccount | null {
    const row = matchAccount(this.sortedUsers(), user, peerHost(conn));
    return row ? toAuthAccount(row) : null;
  }

  /** Login-order match given an already computed peer. */
  matchPeer(user: string, peer: PeerHost): UserRecord | null {
    return matchAccount(this.sortedUsers(), user, peer);
  }

  /** Whether any account row admits this host (else login fails with 1130). @req CORE-ACCT-025 */
  hostKnown(conn: Pick<ConnectionInfo, 'transport' | 'remoteAddress'>): boolean {
    const peer = peerHost(conn);
    return this.stateValue.users.some((u) => hostMatches(u.host, peer));
  }

  /** Subscribe to password/plugin changes and account removal (the protocol clears its
   *  caching_sha2_password fast-auth cache). Returns an unsubscribe function. @req CORE-ACCT-040 */
  onCredentialsChanged(cb: CredentialsListener): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Notify listeners (called by statements after a successful change). */
  emitCredentialsChanged(account: AccountKey | null): void {
    for (const cb of this.listeners) {
      try {
        cb(account);
      } catch {
        /* a listener's failure must not undo a committed change */
      }
    }
  }
}

/** The protocol's view of an account row. */
export function toAuthAccount(u: UserRecord): AuthAccount {
  return {
    user: u.user,
    host: u.host,
    plugin: u.plugin,
    authString: u.authString,
    locked: u.locked,
    requireSecureTransport: u.ssl.type !== 'NONE',
    passwordExpired: u.passwordExpired,
  };
}

/** A fresh mysql.user row with MySQL's defaults. */
export function newUserRecord(user: string, host: string, plugin: string, authString: string): UserRecord {
  return {
    user,
    host: host.toLowerCase(),
    plugin,
    authString,
    locked: false,
    ssl: { type: 'NONE' },
    passwordExpired: false,
    passwordLastChanged: Date.now(),
    passwordLifetime: null,
    maxQuestions: 0,
    maxUpdates: 0,
    maxConnections: 0,
    maxUserConnections: 0,
    attributes: null,
    globalPrivs: [],
  };
}

/** Fill fields missing from older documents so later code can rely on them. */
function normalizeState(s: Partial<AclState>): AclState {
  const base = emptyAclState();
  return {
    version: 1,
    users: (s.users ?? base.users).map((u) => ({ ...newUserRecord(u.user, u.host, u.plugin, u.authString), ...u })),
    db: s.db ?? base.db,
    tables: s.tables ?? base.tables,
    columns: s.columns ?? base.columns,
    routines: s.routines ?? base.routines,
    dynamic: s.dynamic ?? base.dynamic,
    roleEdges: s.roleEdges ?? base.roleEdges,
    defaultRoles: s.defaultRoles ?? base.defaultRoles,
    proxies: s.proxies ?? base.proxies,
  };
}
