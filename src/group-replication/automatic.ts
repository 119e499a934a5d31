/**
 * The automatic allowlist (group_replication_ip_allowlist = AUTOMATIC): the subnet (address and
 * prefix) of every interface address that lies in a private range, plus IPv4 and IPv6
 * localhost. Addresses on public networks never enter it, so by default only peers on the same
 * private networks may connect.
 *
 * The entries are ordered by their address text, which is how the engine lists them in its
 * error-log line.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-replication-ip-address-permissions.html
 * @req GRALLOW-002 GRALLOW-003 GRALLOW-004 GRALLOW-005
 */
import { BlockList } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { AUTOMATIC_LOCALHOST_ENTRIES, PRIVATE_RANGES } from './limits.js';

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** Whether `address/prefix` is a subnet inside one of the private ranges. */
export function isPrivateSubnet(address: string, prefix: number, family: 'ipv4' | 'ipv6'): boolean {
  for (const r of PRIVATE_RANGES) {
    if (r.family !== family || prefix < r.prefix) continue;
    const bl = new BlockList();
    bl.addSubnet(r.network, r.prefix, r.family);
    if (bl.check(address, family)) return true;
  }
  return false;
}

/**
 * The automatic list's entries (`address/prefix`), from the given interfaces (default: this
 * host's, in the server's network namespace).
 * @req GRALLOW-002 GRALLOW-003 GRALLOW-005
 */
export function automaticAllowlist(ifaces: Interfaces = networkInterfaces()): string[] {
  const out = new Map<string, string>();
  for (const list of Object.values(ifaces)) {
    for (const i of list ?? []) {
      if (!i.cidr) continue;
      const family = i.family === 'IPv6' ? 'ipv6' : 'ipv4';
      const prefix = Number(i.cidr.slice(i.cidr.lastIndexOf('/') + 1));
      const address = i.address.toLowerCase();
      if (isPrivateSubnet(address, prefix, family)) out.set(address, `${address}/${prefix}`);
    }
  }
  for (const e of AUTOMATIC_LOCALHOST_ENTRIES) {
    const address = e.slice(0, e.lastIndexOf('/'));
    if (!out.has(address)) out.set(address, e);
  }
  return [...out.keys()].sort().map((k) => out.get(k)!);
}
