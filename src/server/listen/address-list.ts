/**
 * Parsing and validation of the listener address options: `bind_address` (a comma-separated
 * list), `admin_address` (one address) and the X Plugin's `mysqlx_bind_address` (a list whose bad
 * elements are skipped instead of stopping the server). Each element is an IP literal, a host name
 * or a wildcard, optionally followed directly by `/namespace`.
 *
 * The rules follow mysqld's own checks (read in the 8.0.40 source, rewritten here):
 * - the whole value must be non-empty and no element may be empty (leading, trailing or doubled
 *   commas are invalid);
 * - in a list of more than one element no element may be a wildcard; the one-address form may;
 * - a wildcard never takes a namespace;
 * - `/` must have something on both sides.
 * mysqld decides "is a wildcard" by comparing case-insensitively only as many characters as the
 * candidate has, so any prefix of `*`, `::` or `0.0.0.0` (`0`, `0.0`, the empty string) counts as
 * one; we keep that, so a list such as `0,127.0.0.1` is refused exactly as mysqld refuses it.
 * mysqld also refuses a trailing wildcard of a list without naming the reason (no MY-013409 line);
 * that asymmetry is kept too, since the log lines are part of the behaviour.
 *
 * Decision (spec front matter, NETNS-033): elements are trimmed of surrounding whitespace, and
 * whitespace left inside an element makes the value invalid.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/network-namespace-support.html (5.1.14)
 * @req NETNS-030 NETNS-031 NETNS-032 NETNS-033 NETNS-034 NETNS-035 NETNS-037
 */
import { WILDCARD_ADDRESSES } from './limits.js';
import { LogCode } from '../error-log.js';

/** One address to listen on; `namespace` is '' for the global namespace. */
export interface BindAddress {
  /** The address exactly as written (IP literal, host name or wildcard), without `/ns`. */
  address: string;
  namespace: string;
}

/** An error-log line a failed parse asks the caller to write (before its own summary line). */
export interface ParseLogLine {
  code: string;
  message: string;
}

export type ParseResult =
  | { ok: true; addresses: BindAddress[] }
  /** `lines`: the specific reasons mysqld logs (may be empty: it sometimes says nothing more). */
  | { ok: false; lines: ParseLogLine[] };

/** ER_WILDCARD_NOT_ALLOWED_FOR_MULTIADDRESS_BIND. @req NETNS-037 */
export const WILDCARD_IN_LIST: ParseLogLine = { code: LogCode.WILDCARD_IN_LIST, message: 'Wildcard address value not allowed for multivalued bind address' };
/** ER_NETWORK_NAMESPACE_NOT_ALLOWED_FOR_WILDCARD_ADDRESS. @req NETNS-032 */
export const WILDCARD_WITH_NAMESPACE: ParseLogLine = { code: LogCode.NAMESPACE_FOR_WILDCARD, message: 'Network namespace not allowed for wildcard interface address' };

/** ER_INVALID_VALUE_OF_BIND_ADDRESSES: the summary line after a bad bind_address. */
export function invalidBindAddressLine(value: string): ParseLogLine {
  return { code: LogCode.INVALID_BIND_ADDRESSES, message: `Invalid value for command line option bind-addresses: '${value}'` };
}

/** ER_INVALID_ADMIN_ADDRESS: the summary line after a bad admin_address. */
export function invalidAdminAddressLine(value: string): ParseLogLine {
  return { code: LogCode.INVALID_ADMIN_ADDRESS, message: `Invalid value for command line option admin-address: '${value}'` };
}

/** Whether mysqld treats `candidate` as a wildcard (see the module comment on prefixes). @req NETNS-032 */
export function isWildcardAddress(candidate: string): boolean {
  const c = candidate.toLowerCase();
  return WILDCARD_ADDRESSES.some((w) => w.startsWith(c));
}

/** `addr` or `addr/ns` -> parts; null when `/` has nothing before or after it. @req NETNS-033 */
export function splitNamespace(element: string): BindAddress | null {
  const slash = element.indexOf('/');
  if (slash < 0) return { address: element, namespace: '' };
  if (slash === 0 || slash === element.length - 1) return null;
  return { address: element.slice(0, slash), namespace: element.slice(slash + 1) };
}

const INNER_SPACE = /\s/;

/**
 * Validate a bind_address value. On failure the caller logs `lines`, then
 * {@link invalidBindAddressLine}, then `Aborting`.
 * @req NETNS-030 NETNS-032 NETNS-033 NETNS-034 NETNS-035 NETNS-037
 */
export function parseBindAddressList(value: string): ParseResult {
  const fail = (lines: ParseLogLine[] = []): ParseResult => ({ ok: false, lines });
  if (value === '') return fail();
  const parts = value.split(',');
  const multi = parts.length > 1;
  const addresses: BindAddress[] = [];
  for (let i = 0; i < parts.length; i++) {
    const element = parts[i]!.trim();
    if (element === '') return fail();
    if (multi && isWildcardAddress(element)) {
      // mysqld names the reason for all but the last element of the list.
      return fail(i < parts.length - 1 ? [WILDCARD_IN_LIST] : []);
    }
    if (INNER_SPACE.test(element)) return fail();
    const parsed = splitNamespace(element);
    if (!parsed) return fail();
    if (parsed.namespace !== '' && isWildcardAddress(parsed.address)) return fail([WILDCARD_WITH_NAMESPACE]);
    addresses.push(parsed);
  }
  return { ok: true, addresses };
}

/**
 * Validate an admin_address value (one address, optional `/ns`; wildcards are refused, with the
 * namespace reason when one was given). A comma is not special: `a,b` is one (unresolvable) host
 * name, which then fails when the listener resolves it, as in mysqld.
 * @req NETNS-030 NETNS-032 NETNS-037 NETNS-038
 */
export function parseAdminAddress(value: string): ParseResult {
  const element = value.trim();
  if (INNER_SPACE.test(element)) return { ok: false, lines: [] };
  const parsed = splitNamespace(element);
  if (!parsed) return { ok: false, lines: [] };
  if (isWildcardAddress(parsed.address)) return { ok: false, lines: parsed.namespace !== '' ? [WILDCARD_WITH_NAMESPACE] : [] };
  return { ok: true, addresses: [parsed] };
}

/** One mysqlx_bind_address element the X Plugin skips, with the reason it logs. */
export interface SkippedAddress {
  value: string;
  reason: string;
}

/**
 * Split mysqlx_bind_address the X Plugin's way: elements are trimmed, a trailing empty element
 * after the last comma is dropped, and each invalid element is skipped with a reason (the
 * ER_XPLUGIN_FAILED_TO_VALIDATE_ADDRESS line) while the others are still used.
 * @req NETNS-037 NETNS-039 NETNS-041
 */
export function parseMysqlxAddressList(value: string): { addresses: BindAddress[]; skipped: SkippedAddress[] } {
  const parts = value.split(',');
  if (parts.at(-1) === '') parts.pop();
  const multi = parts.length > 1;
  const addresses: BindAddress[] = [];
  const skipped: SkippedAddress[] = [];
  for (const raw of parts) {
    const element = raw.trim();
    const parsed = splitNamespace(element);
    if (!parsed) {
      skipped.push({ value: element, reason: "can't be parsed as an address" });
      continue;
    }
    const wildcard = isWildcardAddress(parsed.address);
    if (wildcard && parsed.namespace !== '') {
      skipped.push({ value: element, reason: 'network namespace are not allowed for wildcards' });
      continue;
    }
    if (wildcard && multi) {
      skipped.push({ value: element, reason: 'wildcards are not allowed when there are more than one address' });
      continue;
    }
    addresses.push(parsed);
  }
  return { addresses, skipped };
}

/** `addr` or `addr/ns` as mysqld prints a listener in its log. */
export function formatBindAddress(a: BindAddress): string {
  return a.namespace === '' ? a.address : `${a.address}/${a.namespace}`;
}
