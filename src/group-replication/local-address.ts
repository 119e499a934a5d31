/**
 * group_replication_local_address: `host:port` (`[ipv6]:port` for IPv6 literals). The host is
 * resolved with the server's resolver, IPv4 first when the name has both families, and must be
 * an address of this host (in the server's network namespace).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-replication-ip-address-permissions.html
 * @req GRALLOW-012 GRALLOW-013
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { networkInterfaces } from 'node:os';
import { PORT_MAX } from './limits.js';
import { preferredAddresses, type NameService } from './resolver.js';

/** host and port, or null when the text is not `host:port`. */
export function parseLocalAddress(text: string): { host: string; port: number } | null {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:\s]+):(\d+)$/.exec(text);
  if (!m) return null;
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > PORT_MAX) return null;
  return { host: m[1]!, port };
}

/** Outcome of resolving the local address; `problem` is the engine's log text. */
export type LocalAddress =
  | { ok: true; ip: string; port: number; translated: string[] }
  | { ok: false; problem: string };

/**
 * Resolve and check the local address.
 * @req GRALLOW-012 GRALLOW-013
 */
export async function resolveLocalAddress(text: string, ns: NameService, ifaces: typeof networkInterfaces): Promise<LocalAddress> {
  const hp = parseLocalAddress(text);
  if (!hp) return { ok: false, problem: `Invalid hostname or IP address (${text}) assigned to the parameter local_node!` };
  let ip: string;
  const translated: string[] = [];
  if (isIPv4(hp.host) || isIPv6(hp.host)) {
    ip = hp.host.toLowerCase();
  } else {
    try {
      const addrs = await preferredAddresses(hp.host, ns);
      for (const a of addrs) translated.push(`Translated '${hp.host}' to ${a.address}`);
      ip = addrs[0]!.address;
    } catch {
      return { ok: false, problem: `Unable to translate hostname ${hp.host} to IP address!` };
    }
  }
  const local = new Set(Object.values(ifaces()).flatMap((l) => (l ?? []).map((i) => i.address.toLowerCase())));
  if (!local.has(ip)) return { ok: false, problem: `There is no local IP address matching the one configured for the local node (${text}).` };
  return { ok: true, ip, port: hp.port, translated };
}
