/**
 * information_schema (and a few performance_schema and mysql.* computed tables), registered
 * into the catalog as virtual tables.
 *
 * Usage (server): `registerSystemTables(services)` after `Catalog.open`.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema.html
 * @req CORE-IS-001
 */
export { registerSystemTables } from './register.js';
