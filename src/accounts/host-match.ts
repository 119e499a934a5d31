/**
 * Account host matching and the order in which account rows are tried at login.
 *
 * Our documented choices: we never do DNS. A Unix-socket connection is host 'localhost'; a TCP
 * connection from a loopback address (127.0.0.0/8, ::1) is also known as 'localhost' (what a
 * default MySQL with name resolution sees for loopback clients), and can match patterns naming
 * its IP as well. Other TCP peers are known only by their IP address.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/account-names.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/connection-access.html
 * @req CORE-ACCT-020 CORE-ACCT-021 CORE-ACCT-022 CORE-ACCT-023 CORE-ACCT-024
 */
import type { ConnectionInfo } from '../kernel/protocol-port.js';

/** How the server knows a client: its host name (if any) and IP (null for a Unix socket). */
export interface PeerHost {
  hostname: string | null;
  ip: string | null;
}

function isLoopback(ip: string): boolean {
  return ip === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip);
}

/** Reduce `::ffff:a.b.c.d` to `a.b.c.d`. */
export function normalizeIp(ip: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return m ? m[1]! : ip;
}

/** The names a connection is known by. @req CORE-ACCT-021 */
export function peerHost(conn: Pick<ConnectionInfo, 'transport' | 'remoteAddress'>): PeerHost {
  if (conn.transport === 'socket') return { hostname: 'localhost', ip: null };
  const ip = normalizeIp(conn.remoteAddress);
  return { hostname: isLoopback(ip) ? 'localhost' : null, ip };
}

/** The host shown by USER() and in most access-denied messages: the name, else the IP. */
export function hostOrIp(peer: PeerHost): string {
  return peer.hostname ?? peer.ip ?? '';
}

/**
 * SQL-LIKE style pattern match, case-insensitive, `%` = any run, `_` = any one character,
 * backslash escapes the next character. Bounded: iterative with backtracking over one star.
 * @req CORE-ACCT-020
 */
export function wildCaseMatch(text: string, pattern: string): boolean {
  const t = text.toLowerCase();
  const p = pattern.toLowerCase();
  let ti = 0;
  let pi = 0;
  let starP = -1;
  let starT = 0;
  while (ti < t.length) {
    if (pi < p.length) {
      const c = p[pi]!;
      if (c === '%') {
        starP = pi++;
        starT = ti;
        continue;
      }
      if (c === '\\' && pi + 1 < p.length) {
        if (p[pi + 1] === t[ti]) {
          pi += 2;
          ti++;
          continue;
        }
      } else if (c === '_' || c === t[ti]) {
        pi++;
        ti++;
        continue;
      }
    }
    if (starP >= 0) {
      pi = starP + 1;
      ti = ++starT;
      continue;
    }
    return false;
  }
  while (pi < p.length && p[pi] === '%') pi++;
  return pi === p.length;
}

function parseIpv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    v = v * 256 + o;
  }
  return v;
}

/** A host pattern's IPv4 network form, for `a.b.c.d/m.m.m.m` and CIDR `a.b.c.d/n`. */
export interface IpNetmask {
  ip: number;
  mask: number;
  cidr: boolean;
}

/** Parse `192.0.2.0/255.255.255.0` or `192.0.2.0/24`; null for anything else. @req CORE-ACCT-022 */
export function parseNetmask(pattern: string): IpNetmask | null {
  const slash = pattern.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIpv4(pattern.slice(0, slash));
  const maskText = pattern.slice(slash + 1);
  if (ip === null) return null;
  let mask: number | null;
  let cidr = false;
  if (/^\d{1,2}$/.test(maskText)) {
    const bits = Number(maskText);
    if (bits > 32) return null;
    mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    cidr = true;
  } else {
    mask = parseIpv4(maskText);
    if (mask === null) return null;
    // MySQL only accepts contiguous masks.
    const inv = ~mask >>> 0;
    if ((inv & (inv + 1)) !== 0) return null;
  }
  // The address must not have bits outside the mask (MySQL ignores such rows).
  if (((ip & ~mask) >>> 0) !== 0) return null;
  return { ip, mask, cidr };
}

/**
 * Whether an account's host pattern admits a peer.
 * @req CORE-ACCT-020 CORE-ACCT-021 CORE-ACCT-022
 */
export function hostMatches(pattern: string, peer: PeerHost): boolean {
  // An empty host part admits any client (it sorts after every other pattern).
  if (pattern === '') return true;
  const net = parseNetmask(pattern);
  if (net) {
    if (peer.ip === null) return false;
    const ip = parseIpv4(peer.ip);
    return ip !== null && ((ip & net.mask) >>> 0) === net.ip;
  }
  if (peer.hostname !== null && wildCaseMatch(peer.hostname, pattern)) return true;
  if (peer.ip !== null && wildCaseMatch(peer.ip, pattern)) return true;
  return false;
}

/**
 * A string's specificity weight as MySQL computes it: 128 for a literal non-empty string, 0 for
 * '', otherwise (position of the first wildcard) + 1, except that a lone '%' weighs 1.
 */
function specificity(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      i++;
      continue;
    }
    if (c === '%' || c === '_') {
      let pos = i + 1;
      if (!(pos === 1 && c === '%' && s.length === 1)) pos++;
      return Math.min(pos, 127);
    }
  }
  return s.length > 0 ? 128 : 0;
}

/**
 * Login order comparator: netmask rows first (wider masks later), then by host specificity and
 * user specificity, highest first — so exact hosts beat patterns, and a named user beats the
 * anonymous user on the same host.
 * @req CORE-ACCT-023
 */
export function compareAccountRows(a: { user: string; host: string }, b: { user: string; host: string }): number {
  const na = parseNetmask(a.host);
  const nb = parseNetmask(b.host);
  if (na && nb) {
    if (na.mask !== nb.mask) return nb.mask - na.mask;
    return a.user < b.user ? 1 : a.user > b.user ? -1 : 0;
  }
  if (na) return -1;
  if (nb) return 1;
  const sa = specificity(a.host) * 256 + specificity(a.user);
  const sb = specificity(b.host) * 256 + specificity(b.user);
  return sb - sa;
}

/** Sort account rows most-specific-first (stable for equal weights). @req CORE-ACCT-023 */
export function sortAccountRows<T extends { user: string; host: string }>(rows: readonly T[]): T[] {
  return rows
    .map((r, i) => ({ r, i }))
    .sort((x, y) => compareAccountRows(x.r, y.r) || x.i - y.i)
    .map((x) => x.r);
}

/**
 * The account row a login uses: the first row in login order whose host admits the peer and
 * whose user is the given name or anonymous ('').
 * @req CORE-ACCT-023 CORE-ACCT-024
 */
export function matchAccount<T extends { user: string; host: string }>(
  sortedRows: readonly T[],
  user: string,
  peer: PeerHost,
): T | null {
  for (const row of sortedRows) {
    if ((row.user === '' || row.user === user) && hostMatches(row.host, peer)) return row;
  }
  return null;
}
