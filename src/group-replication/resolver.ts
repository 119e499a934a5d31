/**
 * Host-name entries of the allowlist are resolved when a peer connects (never when the value is
 * set) and only trusted after forward-confirmed reverse DNS: the listed name is resolved to its
 * addresses (IPv4 only when it has any, as Group Replication prefers IPv4), each address is
 * reverse-resolved, and the address counts only when that reverse name is the listed name itself
 * and resolves forward to the same address again.
 *
 * The resolver is the process's own (getaddrinfo / getnameinfo through node:dns `lookup` and
 * `lookupService`), so /etc/hosts and nsswitch apply exactly as for the rest of the server. It
 * is an interface so unit tests can supply a table.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-replication-ip-address-permissions.html
 * @req GRALLOW-009 GRALLOW-013 GRALLOW-018 GRALLOW-019
 */
import { promises as dns } from 'node:dns';
import { DNS_CALL_LIMIT_MS } from './limits.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** The two name-service calls FCrDNS needs. Both reject when there is no answer. */
export interface NameService {
  /** Every address of a name (getaddrinfo). */
  lookupAll(name: string): Promise<ResolvedAddress[]>;
  /** The name of an address (getnameinfo with a required name). */
  reverse(address: string): Promise<string>;
}

function limited<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_res, rej) => {
    timer = setTimeout(() => rej(new Error(`${what}: no answer within the safety limit`)), DNS_CALL_LIMIT_MS);
    timer.unref();
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/** The system resolver. */
export const systemNameService: NameService = {
  async lookupAll(name) {
    const r = await limited(dns.lookup(name, { all: true, verbatim: true }), `lookup ${name}`);
    return r.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  },
  async reverse(address) {
    const r = await limited(dns.lookupService(address, 0), `reverse ${address}`);
    return r.hostname;
  },
};

/**
 * The addresses of a name in the order the resolver gives them, reduced to IPv4 when the name
 * has IPv4 addresses (GRALLOW-009, GRALLOW-013). Rejects when the name does not resolve.
 */
export async function preferredAddresses(name: string, ns: NameService): Promise<ResolvedAddress[]> {
  const all = await ns.lookupAll(name);
  if (all.length === 0) throw new Error(`${name} has no addresses`);
  const v4 = all.filter((a) => a.family === 4);
  const chosen = v4.length > 0 ? v4 : all;
  const seen = new Set<string>();
  return chosen.filter((a) => (seen.has(a.address) ? false : (seen.add(a.address), true)));
}

function sameName(a: string, b: string): boolean {
  const n = (s: string): string => s.toLowerCase().replace(/\.$/, '');
  return n(a) === n(b);
}

/** Result of checking one host-name entry. */
export type HostCheck =
  | { status: 'unresolvable'; name: string }
  | {
      status: 'resolved';
      name: string;
      /** Addresses that passed FCrDNS. */
      confirmed: ResolvedAddress[];
      /** Addresses that did not, with the reverse name seen ('' when none). */
      unconfirmed: Array<ResolvedAddress & { reverseName: string }>;
    };

/**
 * Forward-confirmed reverse DNS for one listed name.
 * @req GRALLOW-018 GRALLOW-019
 */
export async function checkHostName(name: string, ns: NameService): Promise<HostCheck> {
  let addrs: ResolvedAddress[];
  try {
    addrs = await preferredAddresses(name, ns);
  } catch {
    return { status: 'unresolvable', name };
  }
  const confirmed: ResolvedAddress[] = [];
  const unconfirmed: Array<ResolvedAddress & { reverseName: string }> = [];
  for (const a of addrs) {
    let reverseName = '';
    try {
      reverseName = await ns.reverse(a.address);
      const back = await ns.lookupAll(reverseName);
      if (sameName(reverseName, name) && back.some((b) => b.address === a.address)) {
        confirmed.push(a);
        continue;
      }
    } catch {
      /* no reverse name, or it does not resolve forward: not confirmed */
    }
    unconfirmed.push({ ...a, reverseName });
  }
  return { status: 'resolved', name, confirmed, unconfirmed };
}
