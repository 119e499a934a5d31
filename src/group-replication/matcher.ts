/**
 * Deciding whether a connecting peer is in the allowlist. Address and CIDR entries are compiled
 * once into a node:net BlockList; host-name entries are resolved at connection time through
 * {@link checkHostName} (FCrDNS) and their confirmed addresses, with the entry's prefix, are
 * checked the same way. Peers arriving as IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are
 * compared as the IPv4 address they carry, as the group communication engine does.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-replication-ip-address-permissions.html
 * @req GRALLOW-001 GRALLOW-006 GRALLOW-010 GRALLOW-018 GRALLOW-019
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { namesLocalhost, type AllowlistEntry } from './allowlist.js';
import { MANDATORY_LOCALHOST_V4, MANDATORY_LOCALHOST_V6 } from './limits.js';
import { checkHostName, type HostCheck, type NameService } from './resolver.js';

/** A peer address reduced to what is compared: IPv4-mapped IPv6 becomes IPv4. */
export function normalizePeer(address: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const a = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped && isIPv4(mapped[1]!)) return { address: mapped[1]!, family: 'ipv4' };
  if (isIPv4(a)) return { address: a, family: 'ipv4' };
  if (isIPv6(a)) return { address: a, family: 'ipv6' };
  return null;
}

/** What the list is compiled to when Group Replication starts. */
export interface CompiledAllowlist {
  /** IP and CIDR entries (including the mandatory localhost ones). */
  ips: BlockList;
  /** Host-name entries, resolved per connection. */
  hostnames: Array<Extract<AllowlistEntry, { kind: 'hostname' }>>;
  /** Whether 127.0.0.1/32 and ::1/128 were added because the list did not name localhost. */
  addedLocalhost: boolean;
}

/**
 * Compile a parsed list. Explicit lists that do not name localhost get 127.0.0.1/32 and ::1/128
 * (the engine needs to reach itself; GRALLOW-006 decision).
 */
export function compileAllowlist(entries: readonly AllowlistEntry[], opts: { addLocalhost: boolean }): CompiledAllowlist {
  const ips = new BlockList();
  const hostnames: CompiledAllowlist['hostnames'] = [];
  for (const e of entries) {
    if (e.kind === 'ip') ips.addSubnet(e.address, e.prefix, e.family);
    else hostnames.push(e);
  }
  const addedLocalhost = opts.addLocalhost && !namesLocalhost(entries);
  if (addedLocalhost) {
    ips.addSubnet(MANDATORY_LOCALHOST_V4.address, MANDATORY_LOCALHOST_V4.prefix, 'ipv4');
    ips.addSubnet(MANDATORY_LOCALHOST_V6.address, MANDATORY_LOCALHOST_V6.prefix, 'ipv6');
  }
  return { ips, hostnames, addedLocalhost };
}

/** Whether an address matches one of the IP/CIDR entries. */
export function matchesIpEntries(list: CompiledAllowlist, peer: string): boolean {
  const p = normalizePeer(peer);
  if (!p) return false;
  return list.ips.check(p.address, p.family);
}

/** Outcome of one connection check, with what the host-name entries did (for the log). */
export interface MatchOutcome {
  allowed: boolean;
  /** The entry that admitted the peer ('' when refused). */
  via: string;
  hostChecks: HostCheck[];
}

/**
 * Check a peer: IP entries first, then each host-name entry resolved now (GRALLOW-018). An entry
 * whose name does not resolve is skipped (its warning is the caller's to log).
 */
export async function checkPeer(list: CompiledAllowlist, peer: string, ns: NameService): Promise<MatchOutcome> {
  const p = normalizePeer(peer);
  if (!p) return { allowed: false, via: '', hostChecks: [] };
  if (list.ips.check(p.address, p.family)) return { allowed: true, via: 'ip', hostChecks: [] };
  const hostChecks: HostCheck[] = [];
  for (const h of list.hostnames) {
    const check = await checkHostName(h.name, ns);
    hostChecks.push(check);
    if (check.status !== 'resolved') continue;
    const bl = new BlockList();
    for (const a of check.confirmed) {
      const family = a.family === 4 ? 'ipv4' : 'ipv6';
      const max = a.family === 4 ? 32 : 128;
      const prefix = h.prefix ?? max;
      if (prefix > max) continue;
      bl.addSubnet(a.address, prefix, family);
    }
    if (bl.check(p.address, p.family)) return { allowed: true, via: h.text, hostChecks };
  }
  return { allowed: false, via: '', hostChecks };
}
