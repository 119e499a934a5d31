/**
 * Identifier rules for schema, table, column and index names, and the mapping of names to file
 * names (MySQL's "@-encoding" of characters that are not safe in file names).
 *
 * Names are case-sensitive (lower_case_table_names=0, the Linux default): `T` and `t` are two tables.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/identifiers.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/identifier-mapping.html
 * @req CORE-CAT-002 ENGINE-SET-014
 */
import { sqlError } from '../kernel/errors.js';
import { MAX_IDENTIFIER_LENGTH } from './limits.js';

function tooLong(name: string): boolean {
  return [...name].length > MAX_IDENTIFIER_LENGTH;
}

/**
 * Validate a schema name: 1059 when too long, 1102 when empty or ending in a space.
 * @req CORE-CAT-002
 */
export function checkSchemaName(name: string): void {
  if (tooLong(name)) throw sqlError('ER_TOO_LONG_IDENT', name);
  if (name === '' || name.endsWith(' ')) throw sqlError('ER_WRONG_DB_NAME', name);
}

/**
 * Validate a table name: 1059 when too long, 1103 when empty or ending in a space.
 * @req CORE-CAT-002
 */
export function checkTableName(name: string): void {
  if (tooLong(name)) throw sqlError('ER_TOO_LONG_IDENT', name);
  if (name === '' || name.endsWith(' ')) throw sqlError('ER_WRONG_TABLE_NAME', name);
}

/**
 * Validate a column name: 1059 when too long, 1166 when empty or ending in a space.
 * @req CORE-CAT-002
 */
export function checkColumnName(name: string): void {
  if (tooLong(name)) throw sqlError('ER_TOO_LONG_IDENT', name);
  if (name === '' || name.endsWith(' ')) throw sqlError('ER_WRONG_COLUMN_NAME', name);
}

/** Validate an index name (1059 when too long, 1103-like 1280 is not in our catalogue: use 1166 wording-free check). */
export function checkIndexName(name: string): void {
  if (tooLong(name)) throw sqlError('ER_TOO_LONG_IDENT', name);
}

export { encodeFileName, decodeFileName } from '../kernel/file-names.js';

/** Map key for a (schema, table) pair; case-sensitive. */
export function tableKey(schema: string, name: string): string {
  return `${schema}\u0000${name}`;
}

/** information_schema and performance_schema names are case-insensitive in MySQL even with
 *  lower_case_table_names=0; return the canonical spelling for system schemas. */
export function canonicalSchemaName(name: string): string {
  const l = name.toLowerCase();
  if (l === 'information_schema' || l === 'performance_schema') return l;
  return name;
}
