/**
 * The text form of group_replication_ip_allowlist (and its older name
 * group_replication_ip_whitelist): a comma-separated list of IPv4 or IPv6 addresses and host
 * names, each with an optional CIDR suffix, or the single word AUTOMATIC.
 *
 * Parsing follows the plugin's own reading of the value: blanks are dropped before anything
 * else, an entry made only of digits and dots is an IPv4 address, an entry with a colon is an
 * IPv6 address, anything else is a host name. AUTOMATIC (any case) must stand alone; a list that
 * mentions it next to other entries is refused with the plugin's own message.
 *
 * Stricter than the plugin (recorded in the spec front matter): host names must be syntactically
 * valid DNS names, a CIDR suffix must be a plain number within the family's range (host names up
 * to 128), a second '/' is refused, and an empty value or empty entries are refused. The plugin
 * only notices most of these when Group Replication starts; refmysql reports them when the value
 * is set, which is what GRALLOW-008 asks of the setting.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-replication-ip-address-permissions.html
 * @req GRALLOW-001 GRALLOW-008 GRALLOW-010 GRALLOW-011
 */
import { isIPv4, isIPv6 } from 'node:net';
import { HOSTNAME_LABEL_MAX_LENGTH, HOSTNAME_MAX_LENGTH, IPV4_MAX_PREFIX, IPV6_MAX_PREFIX } from './limits.js';

/** One allowlist entry, as written (`text`) and as understood. */
export type AllowlistEntry =
  | { kind: 'ip'; family: 'ipv4' | 'ipv6'; address: string; prefix: number; text: string }
  | { kind: 'hostname'; name: string; prefix: number | null; text: string };

export type ParsedAllowlist = { automatic: true } | { automatic: false; entries: AllowlistEntry[] };

/** Why a value is not a valid allowlist. */
export class AllowlistSyntaxError extends Error {
  constructor(
    /** 'automatic-mixed': AUTOMATIC next to other entries; 'bad-entry': one entry is malformed. */
    readonly reason: 'automatic-mixed' | 'bad-entry',
    /** The offending entry (without blanks); '' for automatic-mixed. */
    readonly entry: string,
  ) {
    super(reason === 'automatic-mixed' ? 'AUTOMATIC mixed with other entries' : `invalid allowlist entry '${entry}'`);
    this.name = 'AllowlistSyntaxError';
  }
}

/** The value with blanks removed, as the plugin compares it. */
export function stripBlanks(text: string): string {
  return text.replace(/ /g, '');
}

/** Whether the value selects the automatic list (blanks ignored, any case). */
export function isAutomatic(text: string): boolean {
  return stripBlanks(text).toLowerCase() === 'automatic';
}

const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$/;

/** A syntactically valid host name: dot-separated labels of letters, digits, '-' and '_'. */
export function isValidHostName(name: string): boolean {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  if (n.length === 0 || n.length > HOSTNAME_MAX_LENGTH) return false;
  return n.split('.').every((l) => l.length <= HOSTNAME_LABEL_MAX_LENGTH && LABEL.test(l));
}

function parsePrefix(mask: string, max: number): number | null {
  if (!/^[0-9]{1,3}$/.test(mask)) return null;
  const n = Number(mask);
  return n <= max ? n : null;
}

/**
 * Parse one entry (blanks already removed). Throws {@link AllowlistSyntaxError} ('bad-entry').
 * @req GRALLOW-008 GRALLOW-010
 */
export function parseEntry(text: string): AllowlistEntry {
  const bad = (): never => {
    throw new AllowlistSyntaxError('bad-entry', text);
  };
  if (text === '') bad();
  const parts = text.split('/');
  if (parts.length > 2) bad();
  const host = parts[0]!;
  const mask = parts.length === 2 ? parts[1]! : null;
  if (/^[0-9.]+$/.test(host)) {
    if (!isIPv4(host)) bad();
    const prefix = mask === null ? IPV4_MAX_PREFIX : parsePrefix(mask, IPV4_MAX_PREFIX);
    if (prefix === null) bad();
    return { kind: 'ip', family: 'ipv4', address: host, prefix: prefix!, text };
  }
  if (host.includes(':')) {
    if (!isIPv6(host) || host.includes('%')) bad();
    const prefix = mask === null ? IPV6_MAX_PREFIX : parsePrefix(mask, IPV6_MAX_PREFIX);
    if (prefix === null) bad();
    return { kind: 'ip', family: 'ipv6', address: host.toLowerCase(), prefix: prefix!, text };
  }
  if (!isValidHostName(host)) bad();
  let prefix: number | null = null;
  if (mask !== null) {
    prefix = parsePrefix(mask, IPV6_MAX_PREFIX);
    if (prefix === null) bad();
  }
  return { kind: 'hostname', name: host, prefix, text };
}

/**
 * Parse a whole value. Throws {@link AllowlistSyntaxError}.
 * @req GRALLOW-008 GRALLOW-011
 */
export function parseAllowlist(value: string): ParsedAllowlist {
  const v = stripBlanks(value);
  const lower = v.toLowerCase();
  if (lower.includes('automatic')) {
    if (lower.length !== 'automatic'.length) throw new AllowlistSyntaxError('automatic-mixed', '');
    return { automatic: true };
  }
  if (v === '') throw new AllowlistSyntaxError('bad-entry', '');
  return { automatic: false, entries: v.split(',').map(parseEntry) };
}

/**
 * Whether an explicit list already names localhost in one of the spellings the plugin
 * recognises; when it does not, 127.0.0.1/32 and ::1/128 are added (GRALLOW-006 decision).
 */
export function namesLocalhost(entries: readonly AllowlistEntry[]): boolean {
  const spellings = new Set(['::ffff:127.0.0.1/128', '::1/128', '127.0.0.1/32', 'localhost/32']);
  return entries.some((e) => spellings.has(e.text.toLowerCase()));
}
