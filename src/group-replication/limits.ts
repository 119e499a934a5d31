/**
 * Named limits and fixed ranges of the Group Replication allowlist subsystem.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-replication-ip-address-permissions.html
 * @req GRALLOW-003 GRALLOW-006 GRALLOW-008 GRALLOW-010 GRALLOW-012 GRALLOW-018 GRALLOW-023 GRALLOW-024
 */

/** Longest CIDR prefix of an IPv4 entry (GRALLOW-010). */
export const IPV4_MAX_PREFIX = 32;

/** Longest CIDR prefix of an IPv6 entry (GRALLOW-010). */
export const IPV6_MAX_PREFIX = 128;

/** A DNS host name is at most 253 characters, each label at most 63 (GRALLOW-008). */
export const HOSTNAME_MAX_LENGTH = 253;
export const HOSTNAME_LABEL_MAX_LENGTH = 63;

/** Text length of a UUID (group_replication_group_name, GRALLOW-023). */
export const UUID_LENGTH = 36;

/** Highest TCP port in group_replication_local_address (GRALLOW-012). */
export const PORT_MAX = 65535;

/**
 * Private ranges an automatic allowlist may take interface subnets from (GRALLOW-003): RFC 1918,
 * RFC 4193 unique-local and IPv6 link-local. An interface subnet qualifies when its address lies
 * in one of these and its prefix is at least as long as the range's.
 */
export const PRIVATE_RANGES: readonly { network: string; prefix: number; family: 'ipv4' | 'ipv6' }[] = [
  { network: '10.0.0.0', prefix: 8, family: 'ipv4' },
  { network: '172.16.0.0', prefix: 12, family: 'ipv4' },
  { network: '192.168.0.0', prefix: 16, family: 'ipv4' },
  { network: 'fc00::', prefix: 7, family: 'ipv6' },
  { network: 'fe80::', prefix: 10, family: 'ipv6' },
];

/** The localhost entries an automatic list always carries (GRALLOW-002/003). */
export const AUTOMATIC_LOCALHOST_ENTRIES: readonly string[] = ['127.0.0.1/8', '::1/128'];

/** What an explicit list gets when it names no localhost entry itself (GRALLOW-006 decision). */
export const MANDATORY_LOCALHOST_V4 = { address: '127.0.0.1', prefix: 32 } as const;
export const MANDATORY_LOCALHOST_V6 = { address: '::1', prefix: 128 } as const;

/**
 * Safety limit for one name-service call while checking a host-name entry at connection time
 * (GRALLOW-018): a resolver that never answers must not keep a peer's socket open forever.
 */
export const DNS_CALL_LIMIT_MS = 10_000;

/** Bound on admitted group-communication connections held open at once; further peers are closed (GRALLOW-024). */
export const MAX_OPEN_PEER_CONNECTIONS = 256;
