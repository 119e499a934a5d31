/**
 * System variables and status variables: the public surface for exec, ddl and protocol.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html
 * @req CORE-SYSVAR-001
 */
export * from './types.js';
export * from './registry.js';
export * from './status.js';
export * from './show.js';
export { coerceValue, displayValue, optionTextToValue, valueForMessage } from './coerce.js';
export { coreVariableDefinitions, SQL_MODE_NAMES, SQL_MODE_COMBINATIONS, DEFAULT_SQL_MODE, timeZoneValidator } from './definitions.js';
export * from './limits.js';
export { impliedAssignments } from './couplings.js';
