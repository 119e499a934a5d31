/**
 * Which tables of the `mysql` schema belong to the data dictionary. MySQL keeps its dictionary
 * in InnoDB tables of that schema and refuses SQL access to them (error 3554, "Access to data
 * dictionary table ... is rejected"), whether a statement reads, changes, creates, drops or
 * renames one; the list is MySQL 8.0's, so a name refmysql does not store (mysql.columns,
 * mysql.indexes, ...) is refused as MySQL refuses it. The grant tables and mysql.plugin are
 * system tables, not dictionary tables, and stay reachable.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-dictionary-schema.html (14.1)
 * @req CORE-DICT-016
 */
import { sqlError, type SqlError } from '../kernel/errors.js';

/** MySQL 8.0's data dictionary tables (all in `mysql`). */
export const DICTIONARY_TABLE_NAMES: ReadonlySet<string> = new Set([
  'catalogs', 'character_sets', 'check_constraints', 'collations', 'column_statistics', 'column_type_elements', 'columns',
  'dd_properties', 'events', 'foreign_key_column_usage', 'foreign_keys', 'index_column_usage', 'index_partitions',
  'index_stats', 'indexes', 'parameter_type_elements', 'parameters', 'resource_groups', 'routines', 'schemata',
  'st_spatial_reference_systems', 'table_partition_values', 'table_partitions', 'table_stats', 'tables',
  'tablespace_files', 'tablespaces', 'triggers', 'view_routine_usage', 'view_table_usage',
]);

/** Whether `schema.name` is a data dictionary table (names compared as stored: lower case). */
export function isDictionaryTable(schema: string, name: string): boolean {
  return schema.toLowerCase() === 'mysql' && DICTIONARY_TABLE_NAMES.has(name.toLowerCase());
}

/** Error 3554 for a statement that names a dictionary table. @req CORE-DICT-016 */
export function dictionaryTableAccessError(schema: string, name: string): SqlError {
  return sqlError('ER_NO_SYSTEM_TABLE_ACCESS', 'data dictionary table', schema, name);
}

/** Throw 3554 when `schema.name` is a dictionary table. */
export function checkDictionaryTableAccess(schema: string, name: string): void {
  if (isDictionaryTable(schema, name)) throw dictionaryTableAccessError(schema, name);
}
