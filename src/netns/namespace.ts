/**
 * Sockets inside named network namespaces. A namespace name `red` denotes the handle
 * `/run/netns/red` that `ip netns add red` creates; the native addon (native/) opens it, switches
 * the calling (main) thread into it with setns(CLONE_NEWNET), creates the socket, and switches
 * back before returning the file descriptor. A socket keeps the namespace it was created in, so
 * everything after creation (listen, accept, connect, I/O) runs on the ordinary Node event loop.
 *
 * Why a native addon: Node has no setns(), and the alternative (a helper process started with
 * `ip netns exec` passing descriptors back over a Unix socket) costs a process per socket.
 * bench/netns.mjs prints what the switch costs.
 *
 * Without the addon built, every namespace request fails with a clear {@link NamespaceError} of
 * kind `addon-missing`; nothing silently falls back to the global namespace.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/network-namespace-support.html (5.1.14)
 * @req NETNS-001 NETNS-004 NETNS-010 NETNS-011 NETNS-013 NETNS-030 NETNS-035 NETNS-036 CORE-PERF-021
 */
import { createRequire } from 'node:module';
import { isIP, Server, Socket, type SocketConstructorOpts } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NETNS_DIR, NETNS_PATH_MAX } from './limits.js';

/** What went wrong, in the terms MySQL's error messages use. */
export type NamespaceErrorKind =
  /** native/ was not built (npm install runs node-gyp; see README). */
  | 'addon-missing'
  /** Not Linux: ER_NETWORK_NAMESPACES_NOT_SUPPORTED. */
  | 'not-supported'
  /** /run/netns/<name> does not exist: ER_UNKNOWN_NETWORK_NAMESPACE. */
  | 'unknown-namespace'
  /** The namespace handle exists but could not be opened (EACCES, ...). */
  | 'open-failed'
  /** setns() refused, typically EPERM without CAP_SYS_ADMIN: ER_SETNS_FAILED. */
  | 'setns-failed'
  /** The handle path would be longer than PATH_MAX: ER_NETWORK_NAMESPACE_FILE_PATH_TOO_LONG. */
  | 'path-too-long'
  /** socket(), bind() or listen() failed inside the namespace (EADDRINUSE, EADDRNOTAVAIL, ...). */
  | 'socket-failed';

/** A failed namespace operation; `osMessage` is strerror(errno) ('Operation not permitted'). */
export class NamespaceError extends Error {
  constructor(
    readonly kind: NamespaceErrorKind,
    readonly namespace: string,
    /** errno (0 when not from a system call). */
    readonly errno: number,
    /** Node-style code ('EPERM', 'ENOENT', 'EADDRINUSE'); '' when not from a system call. */
    readonly code: string,
    /** The operating system's message for errno, as strerror() prints it. */
    readonly osMessage: string,
    message: string,
  ) {
    super(message);
    this.name = 'NamespaceError';
  }
}

/** The addon's surface (native/src/netns.cc). */
interface NetnsAddon {
  /** socket()+bind()+listen() inside `path`'s namespace; returns the listening fd. */
  listenTcp(path: string, address: string, port: number, backlog: number, v6only: boolean): number;
  /** socket() inside `path`'s namespace (non-blocking, unconnected); returns the fd. */
  tcpSocket(path: string, family: number): number;
  /** The namespace the calling thread is in now, as `net:[inode]` (for tests). */
  currentNamespace(): string;
  /** A second close-on-exec descriptor for the same open socket (I/O threads, CORE-PERF-021). */
  dupFd?(fd: number): number;
}

interface AddonFailure {
  /** Which step failed: 'open', 'setns', 'socket', 'bind', 'listen', 'restore'. */
  step: string;
  errno: number;
  code: string;
  osMessage: string;
}

const here = dirname(fileURLToPath(import.meta.url));
/** native/build/Release relative to dist/src/netns (built code) or src/netns (vitest on sources). */
const ADDON_CANDIDATES = [
  resolve(here, '..', '..', '..', 'native', 'build', 'Release', 'refmysql_netns.node'),
  resolve(here, '..', '..', 'native', 'build', 'Release', 'refmysql_netns.node'),
];

let addon: NetnsAddon | null = null;
let addonProblem = '';
let addonTried = false;

function loadAddon(): NetnsAddon | null {
  if (addonTried) return addon;
  addonTried = true;
  if (process.platform !== 'linux') {
    addonProblem = 'network namespaces exist only on Linux';
    return null;
  }
  const require = createRequire(import.meta.url);
  const problems: string[] = [];
  for (const p of ADDON_CANDIDATES) {
    try {
      addon = require(p) as NetnsAddon;
      return addon;
    } catch (err) {
      problems.push(`${p}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  addonProblem = `the native addon is not built (run \`npm install\`, which builds native/ with node-gyp); tried ${problems.join('; ')}`;
  return null;
}

/** Whether namespace sockets can be made here, and if not, why. */
export function namespaceSupport(): { available: true } | { available: false; reason: string } {
  if (process.platform !== 'linux') return { available: false, reason: 'Network Namespaces is not supported on this platform' };
  return loadAddon() ? { available: true } : { available: false, reason: addonProblem };
}

/** The handle path for a namespace name; names with '/' or '..' never leave NETNS_DIR. */
export function namespacePath(ns: string): string {
  return join(NETNS_DIR, ns);
}

function requireAddon(ns: string): NetnsAddon {
  if (process.platform !== 'linux') {
    throw new NamespaceError('not-supported', ns, 0, '', '', 'Network Namespaces is not supported on this platform');
  }
  const a = loadAddon();
  if (!a) throw new NamespaceError('addon-missing', ns, 0, '', '', `Network namespace support is unavailable: ${addonProblem}`);
  return a;
}

function checkName(ns: string): string {
  if (ns === '' || ns.includes('/') || ns === '.' || ns === '..' || ns.includes('\0')) {
    // Such a name can never be a file in /run/netns; MySQL would fail to open it (ENOENT).
    throw new NamespaceError('unknown-namespace', ns, 2, 'ENOENT', 'No such file or directory', `Unknown network namespace '${ns}'`);
  }
  const path = namespacePath(ns);
  const len = Buffer.byteLength(path);
  if (len + 1 > NETNS_PATH_MAX) {
    throw new NamespaceError('path-too-long', ns, 0, '', '', `The path to a special network namespace file is too long. (got ${len} > max ${NETNS_PATH_MAX})`);
  }
  return path;
}

/** Turn the addon's thrown failure into a NamespaceError with MySQL's wording. */
function translate(ns: string, err: unknown, address?: string, port?: number): NamespaceError {
  const f = err as Partial<AddonFailure> & { message?: string };
  const errno = f.errno ?? 0;
  const code = f.code ?? '';
  const osMessage = f.osMessage ?? f.message ?? String(err);
  switch (f.step) {
    case 'open':
      if (code === 'ENOENT') return new NamespaceError('unknown-namespace', ns, errno, code, osMessage, `Unknown network namespace '${ns}'`);
      return new NamespaceError('open-failed', ns, errno, code, osMessage, `Can't open file: '${namespacePath(ns)}' (OS errno: ${errno} - ${osMessage})`);
    case 'setns':
    case 'restore':
      return new NamespaceError('setns-failed', ns, errno, code, osMessage, `setns() failed with error '${osMessage}'`);
    default: {
      const where = address !== undefined ? ` on ${address}:${port ?? 0} in namespace '${ns}'` : ` in namespace '${ns}'`;
      return new NamespaceError('socket-failed', ns, errno, code, osMessage, `${f.step ?? 'socket'}() failed${where}: ${osMessage}`);
    }
  }
}

/**
 * A listening TCP socket inside namespace `ns`, bound to the numeric IP `address` and `port`
 * (0 = any free port). Returns its file descriptor; pass it to {@link listenInNamespace} or
 * `server.listen({ fd })`. Synchronous: the thread is back in its own namespace on return,
 * whether or not the call succeeded.
 */
export function listenFdInNamespace(ns: string, address: string, port: number, backlog = 511): number {
  const path = checkName(ns);
  const family = isIP(address);
  if (family === 0) throw new NamespaceError('socket-failed', ns, 22, 'EINVAL', 'Invalid argument', `'${address}' is not a numeric IP address`);
  const a = requireAddon(ns);
  try {
    return a.listenTcp(path, address, port, backlog, family === 6);
  } catch (err) {
    throw translate(ns, err, address, port);
  }
}

/** Make `server` listen on address:port inside `ns`; resolves once it accepts connections. */
export async function listenInNamespace(server: Server, ns: string, address: string, port: number, backlog = 511): Promise<void> {
  const fd = listenFdInNamespace(ns, address, port, backlog);
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    // Node ignores options.backlog when listening on an fd and re-listens with 511; only the
    // positional backlog argument reaches listen(2).
    server.listen({ fd }, backlog, () => {
      server.off('error', rej);
      res();
    });
  });
}

/**
 * An outgoing TCP connection to host:port made from inside namespace `ns` (`host` must be a
 * numeric IP: names are resolved by the caller through the global resolver, as MySQL does).
 * Resolves with the connected socket; rejects with a NamespaceError for namespace problems or
 * with Node's usual connect error (ECONNREFUSED, ...).
 */
export function connectInNamespace(ns: string, host: string, port: number, opts: { timeoutMs?: number } = {}): Promise<Socket> {
  const path = checkName(ns);
  const family = isIP(host);
  if (family === 0) return Promise.reject(new NamespaceError('socket-failed', ns, 22, 'EINVAL', 'Invalid argument', `'${host}' is not a numeric IP address`));
  let fd: number;
  try {
    fd = requireAddon(ns).tcpSocket(path, family === 6 ? 6 : 4);
  } catch (err) {
    return Promise.reject(err instanceof NamespaceError ? err : translate(ns, err));
  }
  return new Promise<Socket>((res, rej) => {
    // The fd is an unconnected TCP socket: wrap it without reading, then let libuv connect it.
    // manualStart: do not start reading before connect() (an unconnected socket would read as EOF).
    const socket = new Socket({ fd, manualStart: true } as SocketConstructorOpts);
    let timer: NodeJS.Timeout | undefined;
    const fail = (err: Error): void => {
      if (timer) clearTimeout(timer);
      socket.destroy();
      rej(err);
    };
    if (opts.timeoutMs) {
      timer = setTimeout(() => fail(Object.assign(new Error(`connect ETIMEDOUT ${host}:${port}`), { code: 'ETIMEDOUT' })), opts.timeoutMs);
    }
    socket.once('error', fail);
    socket.connect({ host, port }, () => {
      if (timer) clearTimeout(timer);
      socket.off('error', fail);
      res(socket);
    });
  });
}

/**
 * A duplicate of descriptor `fd`, for handing a socket to an I/O thread; null when the addon (or
 * this function of it) is missing or dup failed, and the socket then stays where it is.
 * @req CORE-PERF-021
 */
export function duplicateDescriptor(fd: number): number | null {
  const a = process.platform === 'linux' ? loadAddon() : null;
  if (!a?.dupFd) return null;
  try {
    return a.dupFd(fd);
  } catch {
    return null;
  }
}

/** The calling thread's current network namespace (`net:[4026531840]`); for tests. */
export function currentNamespaceId(): string {
  return requireAddon('').currentNamespace();
}
