/**
 * Composition of the other subsystems into a running server: engines and the plugin registry,
 * the catalog, accounts, the executor's ServerContext, and the protocol handler.
 *
 * ADAPTER NOTE (for the lead): the modules of the protocol, ddl and accounts helpers are found by
 * their announced names at runtime ({@link loadExport}) so that this file compiles while they
 * are being written. Once all of them exist, each `loadExport` call can become a static import;
 * the shapes they must have are the `*Module` interfaces below.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-administration.html
 * @req CORE-SRV-011
 */
import type { Socket } from 'node:net';
import type { ExecDeps } from '../exec/deps.js';
import type { ConnectionInfo, ServerContext } from '../exec/session-api.js';
import type { ErrorLog } from './error-log.js';
import type { SysVarRegistry } from './sysvars/registry.js';
import type { StatusRegistry } from './sysvars/status.js';

/** What the protocol handler accepts per connection. */
export interface ListenerInfo {
  transport: 'tcp' | 'socket';
  namespace: string;
}

/** The protocol helper's handler (src/protocol). */
export interface ProtocolHandler {
  handle(socket: Socket, info: ListenerInfo): void;
  closeAll(reason?: string): Promise<void> | void;
}

/** Everything the server starts and stops. */
export interface Runtime {
  context: ServerContext;
  protocol: ProtocolHandler;
  /** Flush dictionary and account state (shutdown). */
  flush(): Promise<void>;
  /** Close open client sessions (shutdown): running statements end with ER_SERVER_SHUTDOWN. */
  closeSessions(): Promise<void>;
  /** Human-readable names of missing subsystems (logged as warnings). */
  missing: string[];
}

export interface ComposeEnv {
  datadir: string;
  registry: SysVarRegistry;
  status: StatusRegistry;
  log: ErrorLog;
  version: string;
  /** The SHUTDOWN statement hook. */
  shutdown(user: string): void;
}

type AnyFn = (...args: unknown[]) => unknown;

/**
 * Import `relPath` (relative to this file, `.js` form) and return its export `name`, or undefined
 * when the module or export does not exist yet.
 */
export async function loadExport(relPath: string, name: string): Promise<unknown> {
  try {
    const mod = (await import(new URL(relPath, import.meta.url).href)) as Record<string, unknown>;
    return mod[name];
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ENOENT') return undefined;
    throw err;
  }
}

async function firstExport(candidates: ReadonlyArray<readonly [string, string]>): Promise<unknown> {
  for (const [p, n] of candidates) {
    const v = await loadExport(p, n);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** TLS and RSA material as the protocol handler wants it (opaque to the server). */
export type TlsMaterial = Record<string, unknown>;

/** protocol: ensureTlsMaterial(datadir) — certificates and RSA key pair in the datadir. */
export async function ensureTls(datadir: string): Promise<TlsMaterial | null> {
  const fn = (await loadExport('../protocol/tls-material.js', 'ensureTlsMaterial')) as AnyFn | undefined;
  if (typeof fn !== 'function') return null;
  return ((await fn(datadir)) ?? null) as TlsMaterial | null;
}

/** accounts: initializeAccounts(datadir, { rootPassword }) — root@localhost etc. */
export async function initAccounts(datadir: string, rootPassword: string | null): Promise<boolean> {
  const fn = (await firstExport([
    ['../accounts/initialize.js', 'initializeAccounts'],
    ['../accounts/index.js', 'initializeAccounts'],
    ['../accounts/acl.js', 'initializeAccounts'],
  ])) as AnyFn | undefined;
  if (typeof fn !== 'function') return false;
  await fn(datadir, { rootPassword: rootPassword ?? '' });
  return true;
}

/** ddl: create the system schemas (mysql, information_schema, performance_schema, sys). */
export async function initCatalog(datadir: string, registry: SysVarRegistry): Promise<boolean> {
  const fn = (await firstExport([
    ['../catalog/initialize.js', 'initializeCatalog'],
    ['../catalog/catalog.js', 'initializeCatalog'],
  ])) as AnyFn | undefined;
  if (typeof fn === 'function') {
    await fn(datadir, { sysvars: registry });
    return true;
  }
  return false;
}

/**
 * Build the runtime. Subsystems that are not there yet are reported in `missing`; the server
 * refuses to start without the executor context and the protocol handler.
 */
export async function composeRuntime(env: ComposeEnv): Promise<Runtime> {
  const missing: string[] = [];
  const buildDeps = (await firstExport([
    ['../exec/compose.js', 'createExecDeps'],
    ['../catalog/runtime.js', 'createExecDeps'],
  ])) as AnyFn | undefined;
  const createServerContext = (await loadExport('../exec/server-context.js', 'createServerContext')) as AnyFn | undefined;
  if (typeof createServerContext !== 'function') throw new Error('exec: createServerContext is missing');

  let deps: ExecDeps;
  let flush: () => Promise<void> = async () => undefined;
  if (typeof buildDeps === 'function') {
    deps = (await buildDeps(env)) as ExecDeps;
  } else {
    missing.push('catalog/accounts composition (createExecDeps)');
    deps = placeholderDeps(env);
  }
  const catalogClose = (deps.catalog as unknown as { close?: AnyFn; flush?: AnyFn }).flush ?? (deps.catalog as unknown as { close?: AnyFn }).close;
  if (typeof catalogClose === 'function') flush = async () => void (await catalogClose.call(deps.catalog));

  const context = createServerContext(deps) as ServerContext & { registry?: { list(): Array<{ kill?(): void; close(): Promise<void> }> } };
  const tls = await ensureTls(env.datadir);
  if (tls === null) missing.push('protocol TLS material (ensureTlsMaterial)');
  const createProtocolHandler = (await firstExport([
    ['../protocol/handler.js', 'createProtocolHandler'],
    ['../protocol/index.js', 'createProtocolHandler'],
    ['../protocol/server.js', 'createProtocolHandler'],
    ['../protocol/connection.js', 'createProtocolHandler'],
  ])) as AnyFn | undefined;
  if (typeof createProtocolHandler !== 'function') throw new Error('protocol: createProtocolHandler is missing');
  const protocol = createProtocolHandler(context, tls ?? {}) as ProtocolHandler;
  return {
    context,
    protocol,
    flush,
    async closeSessions(): Promise<void> {
      const sessions = context.registry?.list() ?? [];
      for (const s of sessions) {
        s.kill?.();
      }
    },
    missing,
  };
}

/** Until ddl/accounts publish their composition: a catalog with no tables and a root-only ACL. */
function placeholderDeps(env: ComposeEnv): ExecDeps {
  const rootAccount = {
    user: 'root',
    host: 'localhost',
    plugin: 'caching_sha2_password',
    authString: '',
    locked: false,
    requireSecureTransport: false,
    passwordExpired: false,
  };
  return {
    version: env.version,
    serverId: Number(env.registry.global('server_id')),
    sysvars: env.registry,
    catalog: {
      schemaExists: (name: string) => ['information_schema', 'mysql', 'performance_schema', 'sys'].includes(name.toLowerCase()),
      openTable: async () => undefined,
      engineByName: () => undefined,
    },
    accounts: {
      findAccount: (user: string, conn: ConnectionInfo) => (user === 'root' && (conn.remoteAddress === 'localhost' || conn.remoteAddress === '127.0.0.1' || conn.remoteAddress === '::1') ? rootAccount : null),
      hostKnown: () => true,
      checkTable: () => undefined,
      hasGlobal: () => true,
      checkSchemaAccess: () => undefined,
    },
    log: (level, code, subsystem, message) => env.log.log(level, code, subsystem, message),
    shutdown: () => env.shutdown('root'),
  };
}
