/**
 * Named limits of the wire protocol layer.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html
 * @req CORE-PROTO-002 CORE-PROTO-020 CORE-PROTO-021
 */

/** Largest payload one physical packet carries; longer payloads continue in further packets. @req CORE-PROTO-002 */
export const MAX_PACKET_CHUNK = 0xffffff;

/** Size of the packet header: 3-byte length + 1-byte sequence id. @req CORE-PROTO-002 */
export const PACKET_HEADER_SIZE = 4;

/** Default for max_allowed_packet when the server context has no value (64 MiB). @req CORE-PROTO-020 */
export const DEFAULT_MAX_ALLOWED_PACKET = 67108864;

/** Length of the authentication challenge (scramble) sent in the greeting. @req CORE-PROTO-003 */
export const SCRAMBLE_LENGTH = 20;

/** Default wait_timeout / interactive_timeout in seconds when the context has none. @req CORE-PROTO-021 */
export const DEFAULT_WAIT_TIMEOUT_S = 28800;

/** Node timers cannot wait longer than this (2^31-1 ms); longer idle timeouts are clamped. @req CORE-PROTO-021 */
export const MAX_TIMER_MS = 2147483647;

/** The "max packet size" we announce nothing about, but accept from clients up to this bound. @req CORE-PROTO-004 */
export const HANDSHAKE_RESPONSE_MAX = 65536;

/** Longest user name accepted in a handshake response (MySQL 8.0: 32 characters). @req CORE-PROTO-004 */
export const MAX_USER_NAME_LENGTH = 32;

/** Upper bound for prepared-statement parameters (the protocol carries a 2-byte count). @req CORE-PROTO-030 */
export const MAX_PREPARED_PARAMS = 65535;

/** Default connect_timeout in seconds: the connection phase must finish within it. @req CORE-PROTO-023 */
export const DEFAULT_CONNECT_TIMEOUT_S = 10;

/** Complete packets queued behind a running command before we stop reading the socket. @req CORE-PROTO-022 */
export const MAX_QUEUED_PACKETS = 64;

/** Most I/O threads `--io-threads` accepts (the machine's cores are the useful bound). @req CORE-PERF-020 */
export const MAX_IO_THREADS = 64;

/** Bytes in each direction's ring between the main thread and one I/O thread (a power of two). @req CORE-PERF-022 */
export const IO_RING_BYTES = 1 << 20;

/**
 * Size of a fresh output slab: the buffer a connection frames its replies into. A reply is taken
 * from the front of the slab and the next reply continues in the rest, so small replies share
 * one allocation; 16 KiB is MySQL's own net_buffer_length default. @req CORE-PERF-045
 */
export const OUTPUT_SLAB_BYTES = 16384;

/** Below this many free bytes the rest of a slab is dropped and the next reply starts a new one. @req CORE-PERF-045 */
export const OUTPUT_SLAB_MIN_TAIL = 1024;
