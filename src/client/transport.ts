/**
 * Opening the byte stream to the server: TCP (optionally from inside a named network
 * namespace) or a Unix socket, with libmysqlclient's error numbers for each failure.
 *
 * With --network-namespace the host name is resolved first with the global resolver and only
 * the numeric address is used inside the namespace; the per-namespace hosts file is never
 * consulted (the manual's known limitation, NETNS-012). A path-named Unix socket does not belong
 * to any network namespace, so with a socket the namespace only has to exist.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/connecting.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/network-namespace-support.html
 * @req CLIENT-001 CLIENT-015 CLIENT-016 NETNS-045
 */
import { lookup } from 'node:dns/promises';
import { existsSync } from 'node:fs';
import { connect, isIP, type Socket } from 'node:net';
import { constants as osConstants } from 'node:os';
import { connectInNamespace, NamespaceError, namespacePath } from '../netns/namespace.js';
import { CR, clientError, crMessages } from './errors.js';
import { LOCALHOST_TCP_ADDRESS } from './limits.js';

export type Endpoint =
  | { kind: 'tcp'; host: string; port: number; networkNamespace?: string }
  | { kind: 'socket'; path: string; networkNamespace?: string };

/** The OS errno number for a Node error code (ECONNREFUSED -> 111). */
export function osErrno(code: string | undefined): number {
  if (!code) return 0;
  const table = osConstants.errno as Record<string, number>;
  return table[code] ?? 0;
}

/** getaddrinfo's EAI_* numbers for the codes Node reports from dns.lookup. */
function gaiErrno(code: string | undefined): number {
  if (code === 'EAI_AGAIN') return -3;
  if (code === 'EAI_FAIL') return -4;
  return -2; // EAI_NONAME (ENOTFOUND)
}

/** A description of the endpoint for "Lost connection ... at '...'" messages. */
export function describeEndpoint(e: Endpoint): string {
  return e.kind === 'tcp' ? `${e.host}:${e.port}` : e.path;
}

/** Numeric address for a TCP host name; `localhost` means IPv4 loopback. */
async function resolveHost(host: string): Promise<string> {
  if (isIP(host)) return host;
  if (host === 'localhost') return LOCALHOST_TCP_ADDRESS;
  try {
    return (await lookup(host)).address;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw clientError(CR.UNKNOWN_HOST, crMessages.unknownHost(host, gaiErrno(code)));
  }
}

function waitConnected(sock: Socket, timeoutMs: number | undefined, onTimeout: () => Error): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const fail = (err: Error): void => {
      if (timer) clearTimeout(timer);
      sock.destroy();
      reject(err);
    };
    if (timeoutMs) timer = setTimeout(() => fail(onTimeout()), timeoutMs);
    sock.once('error', fail);
    sock.once('connect', () => {
      if (timer) clearTimeout(timer);
      sock.off('error', fail);
      resolve(sock);
    });
  });
}

/**
 * Connect to the endpoint. Rejects with a ClientError (2002, 2003, 2005) or, for namespace
 * problems, with the {@link NamespaceError} the caller prints as `ERROR: Network namespace error`.
 * @req CLIENT-001 CLIENT-015 NETNS-045
 */
export async function openStream(e: Endpoint, timeoutMs?: number): Promise<Socket> {
  if (e.kind === 'socket') {
    if (e.networkNamespace !== undefined && !existsSync(namespacePath(e.networkNamespace))) {
      throw new NamespaceError('unknown-namespace', e.networkNamespace, 2, 'ENOENT', 'No such file or directory', `Unknown network namespace '${e.networkNamespace}'`);
    }
    const sock = connect({ path: e.path });
    try {
      return await waitConnected(sock, timeoutMs, () => clientError(CR.CONNECTION_ERROR, crMessages.connectionError(e.path, osErrno('ETIMEDOUT'))));
    } catch (err) {
      if ((err as { errno?: unknown }).errno !== undefined && !(err instanceof Error && err.name === 'ClientError')) {
        throw clientError(CR.CONNECTION_ERROR, crMessages.connectionError(e.path, osErrno((err as NodeJS.ErrnoException).code)));
      }
      throw err;
    }
  }
  const address = await resolveHost(e.host);
  const hostError = (code: string | undefined) => clientError(CR.CONN_HOST_ERROR, crMessages.connHostError(e.host, e.port, osErrno(code)));
  if (e.networkNamespace !== undefined) {
    try {
      return await connectInNamespace(e.networkNamespace, address, e.port, timeoutMs ? { timeoutMs } : {});
    } catch (err) {
      if (err instanceof NamespaceError) throw err;
      throw hostError((err as NodeJS.ErrnoException).code);
    }
  }
  const sock = connect({ host: address, port: e.port });
  try {
    return await waitConnected(sock, timeoutMs, () => hostError('ETIMEDOUT'));
  } catch (err) {
    if (err instanceof Error && err.name === 'ClientError') throw err;
    throw hostError((err as NodeJS.ErrnoException).code);
  }
}
