/**
 * One TCP listener: resolve the configured address with the global resolver, then bind it in the
 * global namespace (Node's own listen) or inside a named namespace (the native addon, through
 * src/netns/namespace.ts). Failures come back as the error-log lines mysqld writes for them, so
 * the classic listeners can abort startup and the X listener can skip the address.
 *
 * Host names are always resolved here, in the global namespace and with the global resolver; a
 * name known only to `/etc/netns/<ns>/hosts` is therefore unknown, which is the documented
 * limitation (NETNS-012). For a host name with several addresses the first IPv4 address wins,
 * else the first IPv6 one, as in mysqld.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/network-namespace-support.html (5.1.14)
 * @req NETNS-001 NETNS-012 NETNS-013 NETNS-014 NETNS-030 NETNS-031 NETNS-034 NETNS-035 NETNS-036
 */
import { lookup } from 'node:dns/promises';
import { existsSync } from 'node:fs';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import { constants as osConstants, networkInterfaces } from 'node:os';
import { listenInNamespace, namespacePath, NamespaceError } from '../../netns/namespace.js';
import type { BindAddress } from './address-list.js';
import { LogCode } from '../error-log.js';

/** An error-log line (level, MY-code, text). */
export interface ListenLogLine {
  level: 'Error' | 'Warning' | 'Note' | 'System';
  code: string;
  message: string;
}

/** A failed listener; `lines` are what mysqld would log, `stage` says where it failed. */
export class ListenFailure extends Error {
  constructor(
    readonly stage: 'namespace' | 'resolve' | 'socket' | 'bind' | 'listen',
    readonly lines: ListenLogLine[],
    /** strerror-style text of the failure (for the X Plugin's own message). */
    readonly osMessage: string,
    /** errno of the failure, 0 when none. */
    readonly errno: number,
  ) {
    super(lines.map((l) => l.message).join('; ') || osMessage);
    this.name = 'ListenFailure';
  }
}

/** A bound, listening TCP server. */
export interface TcpListener {
  server: Server;
  /** The numeric address actually bound ('127.0.0.1', '::', '192.0.2.2'). */
  boundAddress: string;
  namespace: string;
  port: number;
}

/** The strerror() text for the errno codes a bind can produce (Node reports only the code). */
const STRERROR: Readonly<Record<string, string>> = {
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  EINVAL: 'Invalid argument',
  EMFILE: 'Too many open files',
  ENFILE: 'Too many open files in system',
  ENOBUFS: 'No buffer space available',
};

/** strerror() text and errno for a Node system error. */
export function osErrorText(err: unknown): { text: string; errno: number } {
  const code = (err as { code?: string }).code ?? '';
  const errno = (osConstants.errno as Record<string, number>)[code] ?? 0;
  return { text: STRERROR[code] ?? (err instanceof Error ? err.message : String(err)), errno };
}

/** The line for a namespace failure, as mysqld's namespace helper logs it. @req NETNS-014 NETNS-036 */
export function namespaceFailureLine(err: NamespaceError): ListenLogLine {
  switch (err.kind) {
    case 'unknown-namespace':
      return { level: 'Error', code: LogCode.UNKNOWN_NAMESPACE, message: err.message };
    case 'setns-failed':
      return { level: 'Error', code: LogCode.SETNS_FAILED, message: err.message };
    case 'path-too-long':
      return { level: 'Error', code: LogCode.NAMESPACE_PATH_TOO_LONG, message: err.message };
    case 'open-failed':
      return { level: 'Error', code: LogCode.CANT_OPEN_FILE, message: err.message };
    case 'not-supported':
      return { level: 'Error', code: LogCode.NAMESPACES_NOT_SUPPORTED, message: err.message };
    default:
      // addon-missing has no mysqld counterpart; socket-failed is mapped by the caller.
      return { level: 'Error', code: LogCode.GENERIC_ERROR, message: err.message };
  }
}

/** Whether this host has an IPv6 stack (some interface carries an IPv6 address, ::1 at least). */
export function ipv6Available(): boolean {
  return Object.values(networkInterfaces()).some((list) => (list ?? []).some((i) => i.family === 'IPv6'));
}

/** The address to hand to the OS: literals as they are, names through the global resolver. @req NETNS-012 NETNS-031 */
export async function resolveAddress(address: string): Promise<{ ip: string; family: 4 | 6 }> {
  const literal = isIP(address);
  if (literal !== 0) return { ip: address, family: literal as 4 | 6 };
  // The empty string and anything with a comma are never names the resolver knows.
  if (address === '' || address.includes(',')) throw Object.assign(new Error(`cannot resolve '${address}'`), { code: 'ENOTFOUND' });
  const all = await lookup(address, { all: true, verbatim: true });
  const v4 = all.find((a) => a.family === 4);
  const pick = v4 ?? all.find((a) => a.family === 6);
  if (!pick) throw Object.assign(new Error(`cannot resolve '${address}'`), { code: 'ENOTFOUND' });
  return { ip: pick.address, family: pick.family as 4 | 6 };
}

/** The text the resolver's failure would leave in strerror(errno) for mysqld's message. */
function resolveFailureText(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'ENOTFOUND' || code === 'EAI_NONAME') return 'Name or service not known';
  if (code === 'EAI_AGAIN') return 'Temporary failure in name resolution';
  return err instanceof Error ? err.message : String(err);
}

export interface BindOptions {
  /** The bind request (wildcards must already be mapped to '::' / '0.0.0.0' by the caller). */
  target: BindAddress;
  port: number;
  backlog: number;
  onConnection: (socket: Socket) => void;
}

/**
 * Resolve and bind one address. Rejects with {@link ListenFailure} carrying mysqld's lines for
 * the classic listener (the X listener rewrites them into its own wording).
 * @req NETNS-001 NETNS-030 NETNS-034 NETNS-035 NETNS-036 NETNS-040
 */
export async function bindTcp(opts: BindOptions): Promise<TcpListener> {
  const { target, port, backlog } = opts;
  const ns = target.namespace;
  // mysqld enters the namespace before it resolves the name, so an unknown namespace is reported
  // first even when the name would not resolve either.
  // (Elsewhere than Linux the namespace layer reports "not supported" instead, NETNS-004.)
  if (ns !== '' && process.platform === 'linux' && !ns.includes('/') && !existsSync(namespacePath(ns))) {
    throw new ListenFailure('namespace', [{ level: 'Error', code: LogCode.UNKNOWN_NAMESPACE, message: `Unknown network namespace '${ns}'` }], 'No such file or directory', 2);
  }
  let resolved: { ip: string; family: 4 | 6 };
  try {
    resolved = await resolveAddress(target.address);
  } catch (err) {
    const text = resolveFailureText(err);
    throw new ListenFailure(
      'resolve',
      [
        { level: 'Error', code: LogCode.TCP_SOCKET_ERROR, message: `Can't create IP socket: ${text}` },
        { level: 'Error', code: LogCode.TCP_CANT_RESOLVE, message: "Can't start server: cannot resolve hostname!" },
      ],
      text,
      0,
    );
  }
  const server = createServer({ noDelay: true }, opts.onConnection);
  try {
    if (ns === '') {
      await new Promise<void>((res, rej) => {
        server.once('error', rej);
        // A v6 socket also accepts IPv4 (IPV6_V6ONLY off), as mysqld arranges.
        server.listen({ host: resolved.ip, port, backlog, exclusive: true, ipv6Only: false }, () => {
          server.off('error', rej);
          res();
        });
      });
    } else {
      await listenInNamespace(server, ns, resolved.ip, port, backlog);
    }
  } catch (err) {
    server.close();
    throw bindFailure(err, port);
  }
  const addr = server.address();
  return { server, boundAddress: resolved.ip, namespace: ns, port: typeof addr === 'object' && addr ? addr.port : port };
}

/** mysqld's lines for a failed socket()/bind()/listen() or namespace switch. @req NETNS-014 NETNS-040 */
function bindFailure(err: unknown, port: number): ListenFailure {
  if (err instanceof NamespaceError && err.kind !== 'socket-failed') {
    return new ListenFailure('namespace', [namespaceFailureLine(err)], err.osMessage || err.message, err.errno);
  }
  let step = 'bind';
  let text: string;
  let errno: number;
  if (err instanceof NamespaceError) {
    step = /^(\w+)\(\)/.exec(err.message)?.[1] ?? 'bind';
    text = err.osMessage;
    errno = err.errno;
  } else {
    const t = osErrorText(err);
    text = t.text;
    errno = t.errno;
    // Node binds inside listen(), so its errors all say 'listen'; what fails in practice is the bind.
  }
  if (step === 'socket') {
    return new ListenFailure('socket', [{ level: 'Error', code: LogCode.TCP_SOCKET_ERROR, message: `Can't create IP socket: ${text}` }], text, errno);
  }
  if (step === 'listen') {
    return new ListenFailure(
      'listen',
      [
        { level: 'Error', code: LogCode.TCP_LISTEN_FAILED, message: `Can't start server: listen() on TCP/IP port: ${text}` },
        { level: 'Error', code: LogCode.TCP_LISTEN_ERRNO, message: `listen() on TCP/IP failed with error ${errno}` },
      ],
      text,
      errno,
    );
  }
  return new ListenFailure(
    'bind',
    [
      { level: 'Error', code: LogCode.BIND_FAILED, message: `Can't start server: Bind on TCP/IP port: ${text}` },
      { level: 'Error', code: LogCode.TCP_PORT_IN_USE_HINT, message: `Do you already have another mysqld server running on port: ${port} ?` },
    ],
    text,
    errno,
  );
}
