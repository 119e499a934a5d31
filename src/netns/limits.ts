/**
 * Limits and fixed paths of the network-namespace layer.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/network-namespace-support.html (5.1.14)
 * @req NETNS-011
 */

/** Where `ip netns add NAME` leaves the namespace handle (MySQL opens /var/run/netns, a link to /run). @req NETNS-011 */
export const NETNS_DIR = '/run/netns';

/** Linux PATH_MAX: a longer handle path is ER_NETWORK_NAMESPACE_FILE_PATH_TOO_LONG. @req NETNS-011 */
export const NETNS_PATH_MAX = 4096;
