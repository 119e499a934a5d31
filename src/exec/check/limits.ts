/**
 * The fixed lists behind the CHECK constraint rules: the built-in functions a constraint may
 * not call (they read the clock, the session, the server or random state, or wait), with the
 * name MySQL reports for each; the functions that are predicates; the referential actions
 * that make a foreign key column unusable in a constraint.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table-check-constraints.html
 * @req CORE-CHECK-012 CORE-CHECK-013 CORE-CHECK-016
 */
import type { ForeignKeyRule } from '../../kernel/table-def.js';

/** Built-in functions not allowed in a constraint, by upper-case name, with the name reported in 3814. @req CORE-CHECK-012 */
export const DISALLOWED_CHECK_FUNCTIONS: Readonly<Record<string, string>> = {
  NOW: 'now', CURRENT_TIMESTAMP: 'now', LOCALTIME: 'now', LOCALTIMESTAMP: 'now',
  SYSDATE: 'sysdate',
  CURDATE: 'curdate', CURRENT_DATE: 'curdate',
  CURTIME: 'curtime', CURRENT_TIME: 'curtime',
  UTC_DATE: 'utc_date', UTC_TIME: 'utc_time', UTC_TIMESTAMP: 'utc_timestamp',
  UNIX_TIMESTAMP: 'unix_timestamp',
  CONNECTION_ID: 'connection_id',
  CURRENT_USER: 'current_user', CURRENT_ROLE: 'current_role',
  USER: 'user', SESSION_USER: 'user', SYSTEM_USER: 'user',
  VERSION: 'version()',
  DATABASE: 'database', SCHEMA: 'database',
  FOUND_ROWS: 'found_rows', ROW_COUNT: 'row_count', LAST_INSERT_ID: 'last_insert_id',
  RAND: 'rand', RANDOM_BYTES: 'random_bytes',
  UUID: 'uuid', UUID_SHORT: 'uuid_short',
  GET_LOCK: 'get_lock', IS_FREE_LOCK: 'is_free_lock', IS_USED_LOCK: 'is_used_lock',
  RELEASE_LOCK: 'release_lock', RELEASE_ALL_LOCKS: 'release_all_locks',
  LOAD_FILE: 'load_file', SLEEP: 'sleep', BENCHMARK: 'benchmark',
  MASTER_POS_WAIT: 'master_pos_wait', SOURCE_POS_WAIT: 'source_pos_wait',
  WAIT_FOR_EXECUTED_GTID_SET: 'wait_for_executed_gtid_set',
};

/** Built-in functions whose result is a truth value (MySQL's boolean functions). @req CORE-CHECK-013 */
export const PREDICATE_FUNCTIONS: ReadonlySet<string> = new Set([
  'REGEXP_LIKE', 'JSON_VALID', 'JSON_OVERLAPS', 'JSON_SCHEMA_VALID', 'ISNULL',
  'ST_CONTAINS', 'ST_CROSSES', 'ST_DISJOINT', 'ST_EQUALS', 'ST_INTERSECTS', 'ST_OVERLAPS', 'ST_TOUCHES', 'ST_WITHIN',
  'ST_ISEMPTY', 'ST_ISSIMPLE', 'ST_ISCLOSED', 'ST_ISVALID',
  'MBRCONTAINS', 'MBRCOVEREDBY', 'MBRCOVERS', 'MBRDISJOINT', 'MBREQUALS', 'MBRINTERSECTS', 'MBROVERLAPS', 'MBRTOUCHES', 'MBRWITHIN',
]);

/** Referential actions that change the child's columns (3823 for a constraint using them). @req CORE-CHECK-016 */
export const REFERENTIAL_ACTIONS: ReadonlySet<ForeignKeyRule> = new Set<ForeignKeyRule>(['CASCADE', 'SET NULL', 'SET DEFAULT']);
