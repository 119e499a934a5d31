/**
 * Protocol constants: capability flags, command bytes, packet header bytes.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__capabilities__flags.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/my__command_8h.html
 * @req CORE-PROTO-003
 */

/** Capability flags (CLIENT_*). Values above 2^31 are kept as numbers and combined with `>>> 0`. */
export const Capability = {
  LONG_PASSWORD: 1 << 0,
  FOUND_ROWS: 1 << 1,
  LONG_FLAG: 1 << 2,
  CONNECT_WITH_DB: 1 << 3,
  NO_SCHEMA: 1 << 4,
  COMPRESS: 1 << 5,
  ODBC: 1 << 6,
  LOCAL_FILES: 1 << 7,
  IGNORE_SPACE: 1 << 8,
  PROTOCOL_41: 1 << 9,
  INTERACTIVE: 1 << 10,
  SSL: 1 << 11,
  IGNORE_SIGPIPE: 1 << 12,
  TRANSACTIONS: 1 << 13,
  RESERVED: 1 << 14,
  SECURE_CONNECTION: 1 << 15,
  MULTI_STATEMENTS: 1 << 16,
  MULTI_RESULTS: 1 << 17,
  PS_MULTI_RESULTS: 1 << 18,
  PLUGIN_AUTH: 1 << 19,
  CONNECT_ATTRS: 1 << 20,
  PLUGIN_AUTH_LENENC_CLIENT_DATA: 1 << 21,
  CAN_HANDLE_EXPIRED_PASSWORDS: 1 << 22,
  SESSION_TRACK: 1 << 23,
  DEPRECATE_EOF: 1 << 24,
  OPTIONAL_RESULTSET_METADATA: 1 << 25,
  ZSTD_COMPRESSION: 1 << 26,
  QUERY_ATTRIBUTES: 1 << 27,
} as const;

/** Command bytes (first payload byte of a client command). */
export const Command = {
  SLEEP: 0x00,
  QUIT: 0x01,
  INIT_DB: 0x02,
  QUERY: 0x03,
  FIELD_LIST: 0x04,
  CREATE_DB: 0x05,
  DROP_DB: 0x06,
  REFRESH: 0x07,
  SHUTDOWN: 0x08,
  STATISTICS: 0x09,
  PROCESS_INFO: 0x0a,
  CONNECT: 0x0b,
  PROCESS_KILL: 0x0c,
  DEBUG: 0x0d,
  PING: 0x0e,
  TIME: 0x0f,
  DELAYED_INSERT: 0x10,
  CHANGE_USER: 0x11,
  BINLOG_DUMP: 0x12,
  TABLE_DUMP: 0x13,
  CONNECT_OUT: 0x14,
  REGISTER_SLAVE: 0x15,
  STMT_PREPARE: 0x16,
  STMT_EXECUTE: 0x17,
  STMT_SEND_LONG_DATA: 0x18,
  STMT_CLOSE: 0x19,
  STMT_RESET: 0x1a,
  SET_OPTION: 0x1b,
  STMT_FETCH: 0x1c,
  DAEMON: 0x1d,
  BINLOG_DUMP_GTID: 0x1e,
  RESET_CONNECTION: 0x1f,
} as const;

/** First byte of server response packets. */
export const Header = {
  OK: 0x00,
  AUTH_MORE_DATA: 0x01,
  EOF: 0xfe,
  AUTH_SWITCH: 0xfe,
  ERR: 0xff,
  NULL_TEXT: 0xfb,
  /** LOCAL INFILE request: the server asks the client for a file (LOAD DATA LOCAL). */
  LOCAL_INFILE: 0xfb,
} as const;

/** caching_sha2_password status bytes sent inside an AuthMoreData packet. */
export const Sha2Status = {
  REQUEST_PUBLIC_KEY: 0x02,
  FAST_AUTH_SUCCESS: 0x03,
  PERFORM_FULL_AUTHENTICATION: 0x04,
} as const;

/** COM_SET_OPTION values. */
export const SetOption = {
  MULTI_STATEMENTS_ON: 0,
  MULTI_STATEMENTS_OFF: 1,
} as const;

/** COM_STMT_EXECUTE cursor flags. */
export const CursorType = {
  NO_CURSOR: 0,
  READ_ONLY: 1,
  FOR_UPDATE: 2,
  SCROLLABLE: 4,
  PARAMETER_COUNT_AVAILABLE: 8,
} as const;

/** The collation id we announce: utf8mb4_0900_ai_ci. @req CORE-PROTO-003 */
export const DEFAULT_COLLATION_ID = 255;
/** The binary pseudo-collation used for numbers and binary strings. */
export const BINARY_COLLATION_ID = 63;

/** Protocol version byte of Handshake v10. @req CORE-PROTO-003 */
export const PROTOCOL_VERSION = 10;

export const NATIVE_PASSWORD_PLUGIN = 'mysql_native_password';
export const CACHING_SHA2_PLUGIN = 'caching_sha2_password';
/** The plugin named in the greeting (MySQL 8.0's default_authentication_plugin). @req CORE-PROTO-003 */
export const DEFAULT_AUTH_PLUGIN = CACHING_SHA2_PLUGIN;
