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

/** Name of the dictionary journal (change sets since the last checkpoint) in the data directory (CORE-DICT-002). */
export const DICTIONARY_JOURNAL_FILE = 'refmysql-dictionary.journal';

/**
 * The journal is folded into a new checkpoint once it is at least this large and at least as
 * large as the last checkpoint, so checkpoints cost a bounded multiple of the appends and
 * startup never replays much more than the dictionary itself (CORE-DICT-003).
 */
export const DICTIONARY_JOURNAL_MIN_CHECKPOINT_BYTES = 256 * 1024;

/** Name of the DDL log in the data directory (CORE-DICT-004). */
export const DDL_LOG_FILE = 'refmysql-ddl.log';

/** The DDL log is emptied when no DDL is in progress and it has grown beyond this (CORE-DICT-004). */
export const DDL_LOG_RESET_BYTES = 64 * 1024;

/** Prefix of the temporary name an ALTER TABLE copy is built under, as in MySQL (CORE-DICT-006). */
export const ALTER_COPY_PREFIX = '#sql-';

/** Prefix of the name the original table is moved to while the copy takes its place (CORE-DICT-006). */
export const ALTER_BACKUP_PREFIX = '#sql2-';

/** Format version of the dictionary kept in InnoDB tables (the DD_VERSION row of mysql.dd_properties, CORE-DICT-015). */
export const DICTIONARY_TABLE_FORMAT_VERSION = 1;

/**
 * Ids of the tables the server keeps for itself (dictionary tables, grant tables) start here:
 * far above any id CREATE TABLE hands out, and within the u64 an InnoDB tablespace header holds
 * (CORE-DICT-015).
 */
export const DICTIONARY_TABLE_ID_BASE = 2 ** 40;

/** Suffix given to the JSON dictionary files once they are imported into the InnoDB dictionary (CORE-DICT-017). */
export const IMPORTED_SUFFIX = '.imported';

/** The plugins INSTALL PLUGIN recorded, as a file plugin-load.ts reads before any engine starts (CORE-DICT-015). */
export const PLUGIN_LIST_FILE = 'refmysql-plugins.json';
