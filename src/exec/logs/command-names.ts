/**
 * The names MySQL gives its protocol commands (the Command column of the general log, and of
 * SHOW PROCESSLIST), indexed by the command byte.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/my__command_8h.html
 * @req CORE-LOG-003
 */

const NAMES: readonly string[] = [
  'Sleep', 'Quit', 'Init DB', 'Query', 'Field List', 'Create DB', 'Drop DB', 'Refresh', 'Shutdown',
  'Statistics', 'Processlist', 'Connect', 'Kill', 'Debug', 'Ping', 'Time', 'Delayed insert',
  'Change user', 'Binlog Dump', 'Table Dump', 'Connect Out', 'Register Replica', 'Prepare', 'Execute',
  'Long Data', 'Close stmt', 'Reset stmt', 'Set option', 'Fetch', 'Daemon', 'Binlog Dump GTID',
  'Reset Connection', 'clone',
];

/** The command name of a command byte ('Error' for bytes MySQL does not define). */
export function commandName(command: number): string {
  return NAMES[command] ?? 'Error';
}

/** Command bytes the executor itself reports. */
export const COM = {
  QUIT: 1,
  INIT_DB: 2,
  QUERY: 3,
  FIELD_LIST: 4,
  REFRESH: 7,
  STATISTICS: 9,
  CONNECT: 11,
  CHANGE_USER: 17,
  PREPARE: 22,
  EXECUTE: 23,
  CLOSE_STMT: 25,
  RESET_STMT: 26,
  RESET_CONNECTION: 31,
} as const;
