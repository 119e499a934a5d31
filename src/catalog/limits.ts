/**
 * Limits of the data dictionary (identifier lengths, reserved schema names).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/identifier-length.html
 * @req CORE-CAT-002 CORE-CAT-003
 */

/** Longest schema/table/column/index name in characters (CORE-CAT-002). */
export const MAX_IDENTIFIER_LENGTH = 64;

/** Longest table comment in characters (CORE-CAT-003). */
export const MAX_TABLE_COMMENT_LENGTH = 2048;

/** Longest column comment in characters (CORE-CAT-003). */
export const MAX_COLUMN_COMMENT_LENGTH = 1024;

/** Schemas the server itself provides (CORE-CAT-004). */
export const SYSTEM_SCHEMAS = ['mysql', 'information_schema', 'performance_schema', 'sys'] as const;

/** Name of the dictionary file inside the data directory (CORE-CAT-005). */
export const DICTIONARY_FILE = 'refmysql-dictionary.json';

/** Version of the dictionary file format (CORE-CAT-005). */
export const DICTIONARY_FORMAT_VERSION = 1;
