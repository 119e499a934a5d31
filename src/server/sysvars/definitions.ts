/**
 * The system variables refmysql knows, with MySQL 8.0's scopes, mutability, types, ranges and
 * defaults. Defaults that depend on the host (hostname, datadir, pid file, server_uuid) are
 * filled in by the server at startup with {@link SysVarRegistry.initGlobal}.
 *
 * Character sets and collations are validated against src/kernel/charset (the types area's tables).
 *
 * Decisions: default_storage_engine and default_tmp_storage_engine default to InnoDB, as in
 * MySQL 8.0; license reports 'MIT' (the licence of this code base, not MySQL's GPL).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html
 * @req CORE-SYSVAR-002 CORE-SYSVAR-007
 */
import { findCharset, findCollation } from '../../kernel/charset/index.js';
import { diagnostic, sqlError, type Diagnostic } from '../../kernel/errors.js';
import type { Value } from '../../kernel/value.js';
import { HEAP_TABLE_MIN, INT_MAX, MAX_ALLOWED_PACKET_MAX, SERVER_VERSION, STATEMENT_CACHE_SIZE, UINT_MAX, ULONGLONG_MAX, VERSION_COMMENT } from './limits.js';
import type { SetContext, SysVarDef, SysVarScope, SysVarType } from './types.js';

type Extra = Partial<Omit<SysVarDef, 'name' | 'scope' | 'dynamic' | 'type' | 'default'>>;

function def(name: string, scope: SysVarScope, dynamic: boolean, type: SysVarType, dflt: Value, extra: Extra = {}): SysVarDef {
  return { name, scope, dynamic, type, default: dflt, ...extra };
}
const bool = (name: string, scope: SysVarScope, dynamic: boolean, dflt: boolean, extra?: Extra): SysVarDef =>
  def(name, scope, dynamic, { kind: 'boolean' }, dflt ? 1n : 0n, extra);
const int = (name: string, scope: SysVarScope, dynamic: boolean, dflt: bigint, min: bigint, max: bigint, blockSize?: bigint, extra?: Extra): SysVarDef =>
  def(name, scope, dynamic, { kind: 'integer', min, max, unsigned: min >= 0n, ...(blockSize ? { blockSize } : {}) }, dflt, extra);
const str = (name: string, scope: SysVarScope, dynamic: boolean, dflt: string | null, extra?: Extra): SysVarDef =>
  def(name, scope, dynamic, { kind: 'string' }, dflt, { nullable: dflt === null, ...extra });
const file = (name: string, dflt: string | null, extra?: Extra): SysVarDef =>
  def(name, 'global', false, { kind: 'filename' }, dflt, { nullable: dflt === null, ...extra });
const enm = (name: string, scope: SysVarScope, dynamic: boolean, values: readonly string[], dflt: string, extra?: Extra): SysVarDef =>
  def(name, scope, dynamic, { kind: 'enum', values }, dflt, extra);

/** sql_mode members in bit order (bit i = entry i), as MySQL 8.0 numbers them. */
export const SQL_MODE_NAMES: readonly string[] = [
  'REAL_AS_FLOAT', 'PIPES_AS_CONCAT', 'ANSI_QUOTES', 'IGNORE_SPACE', 'NOT_USED', 'ONLY_FULL_GROUP_BY',
  'NO_UNSIGNED_SUBTRACTION', 'NO_DIR_IN_CREATE', 'NOT_USED_9', 'NOT_USED_10', 'NOT_USED_11', 'NOT_USED_12',
  'NOT_USED_13', 'NOT_USED_14', 'NOT_USED_15', 'NOT_USED_16', 'NOT_USED_17', 'NOT_USED_18', 'ANSI',
  'NO_AUTO_VALUE_ON_ZERO', 'NO_BACKSLASH_ESCAPES', 'STRICT_TRANS_TABLES', 'STRICT_ALL_TABLES', 'NO_ZERO_IN_DATE',
  'NO_ZERO_DATE', 'ALLOW_INVALID_DATES', 'ERROR_FOR_DIVISION_BY_ZERO', 'TRADITIONAL', 'NOT_USED_29',
  'HIGH_NOT_PRECEDENCE', 'NO_ENGINE_SUBSTITUTION', 'PAD_CHAR_TO_FULL_LENGTH', 'TIME_TRUNCATE_FRACTIONAL',
];

/** The combination modes of sql_mode and what each switches on. @req CORE-SYSVAR-006 */
export const SQL_MODE_COMBINATIONS: Readonly<Record<string, readonly string[]>> = {
  ANSI: ['REAL_AS_FLOAT', 'PIPES_AS_CONCAT', 'ANSI_QUOTES', 'IGNORE_SPACE', 'ONLY_FULL_GROUP_BY'],
  TRADITIONAL: ['STRICT_TRANS_TABLES', 'STRICT_ALL_TABLES', 'NO_ZERO_IN_DATE', 'NO_ZERO_DATE', 'ERROR_FOR_DIVISION_BY_ZERO', 'NO_ENGINE_SUBSTITUTION'],
};

export const DEFAULT_SQL_MODE =
  'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

/** Character sets: the ones the charset tables of src/kernel/charset know (1115 otherwise). @req CORE-SYSVAR-008 */
function charsetValidator(v: Value): Value {
  if (typeof v !== 'string') return v;
  const cs = findCharset(v);
  if (!cs) throw sqlError('ER_UNKNOWN_CHARACTER_SET', v);
  return cs.name;
}

/** Collations: the ones src/kernel/charset knows (1273 otherwise). @req CORE-SYSVAR-008 */
function collationValidator(v: Value): Value {
  if (typeof v !== 'string') return v;
  const co = findCollation(v);
  if (!co) throw sqlError('ER_UNKNOWN_COLLATION', v);
  return co.name;
}

/** time_zone: SYSTEM, or an offset between -13:59 and +14:00 (named zones need the tz tables). @req CORE-SYSVAR-008 */
/**
 * event_scheduler: DISABLED only at start-up, and a server started DISABLED cannot turn the
 * scheduler on (or off) at run time.
 * @req CORE-EVT-005
 */
function eventSchedulerValidator(v: Value, ctx: SetContext): Value {
  if (ctx.startup) return v;
  if (String(ctx.current ?? '').toUpperCase() === 'DISABLED') {
    throw sqlError('ER_OPTION_PREVENTS_STATEMENT', '--event-scheduler=DISABLED or --skip-grant-tables');
  }
  if (String(v).toUpperCase() === 'DISABLED') throw sqlError('ER_WRONG_VALUE_FOR_VAR', 'event_scheduler', 'DISABLED');
  return v;
}

export function timeZoneValidator(v: Value): Value {
  if (typeof v !== 'string') return v;
  if (v.toUpperCase() === 'SYSTEM') return 'SYSTEM';
  const m = /^([+-])(\d{1,2}):(\d{2})$/.exec(v.trim());
  if (m) {
    const minutes = Number(m[2]) * 60 + Number(m[3]);
    const signed = m[1] === '-' ? -minutes : minutes;
    if (Number(m[3]) < 60 && signed >= -(13 * 60 + 59) && signed <= 14 * 60) {
      return `${m[1]}${m[2]!.padStart(2, '0')}:${m[3]}`;
    }
  }
  if (v.toUpperCase() === 'UTC') return 'UTC';
  throw sqlError('ER_UNKNOWN_TIME_ZONE', v);
}

/**
 * MySQL 8.0 warns (3135) when the three zero-date / division modes are not switched together
 * with strict mode: strict without all three, or any of them without strict.
 * @req CORE-SYSVAR-006
 */
export function sqlModeValidator(v: Value, _ctx: unknown, warnings: Diagnostic[]): Value {
  if (typeof v !== 'string') return v;
  const modes = new Set(v.split(',').filter((x) => x !== ''));
  const strict = modes.has('STRICT_TRANS_TABLES') || modes.has('STRICT_ALL_TABLES');
  const three = ['NO_ZERO_DATE', 'NO_ZERO_IN_DATE', 'ERROR_FOR_DIVISION_BY_ZERO'].filter((m) => modes.has(m)).length;
  if ((strict && three !== 3) || (!strict && three > 0)) warnings.push(diagnostic('Warning', 'ER_SQL_MODE_MERGED'));
  // Deprecated in 8.0.13: every assignment that includes it says so, after 3135. @req CORE-MODE-012
  if (modes.has('PAD_CHAR_TO_FULL_LENGTH')) warnings.push(diagnostic('Warning', 'ER_WARN_DEPRECATED_SQLMODE', 'PAD_CHAR_TO_FULL_LENGTH'));
  return v;
}

/** log_output: at least one destination (1231 for ''). @req CORE-LOG-001 */
function logOutputValidator(v: Value): Value {
  if (typeof v === 'string' && v.trim() === '') throw sqlError('ER_WRONG_VALUE_FOR_VAR', 'log_output', '');
  return v;
}

/** general_log_file / slow_query_log_file: a file name, not empty, not an option file (.ini /
 *  .cnf), as MySQL checks (1231). @req CORE-LOG-001 */
function logFileValidator(name: string): (v: Value) => Value {
  return (v: Value): Value => {
    if (typeof v !== 'string') return v;
    if (v === '' || /\.(ini|cnf)$/i.test(v)) throw sqlError('ER_WRONG_VALUE_FOR_VAR', name, v);
    return v;
  };
}

const charset = (name: string, scope: SysVarScope, dflt: string, dynamic = true): SysVarDef =>
  def(name, scope, dynamic, { kind: 'string' }, dflt, { validate: charsetValidator, nullable: false });
const collation = (name: string, scope: SysVarScope, dflt: string): SysVarDef =>
  def(name, scope, true, { kind: 'string' }, dflt, { validate: collationValidator });

const ISOLATION = ['READ-UNCOMMITTED', 'READ-COMMITTED', 'REPEATABLE-READ', 'SERIALIZABLE'] as const;
const TLS_VERSIONS = 'TLSv1.2,TLSv1.3';

/**
 * The core variable set. Storage-engine validation of default_storage_engine is attached later
 * by the plugin registry through {@link SysVarRegistry.setValidator} (ENGINE-SET-004).
 * @req CORE-SYSVAR-002
 */
export function coreVariableDefinitions(): SysVarDef[] {
  const K = 1024n;
  const M = 1024n * 1024n;
  return [
    // --- identity of the server
    str('version', 'global', false, SERVER_VERSION, { commandLine: false }),
    str('version_comment', 'global', false, VERSION_COMMENT, { commandLine: false }),
    str('version_compile_os', 'global', false, 'Linux', { commandLine: false }),
    str('version_compile_machine', 'global', false, 'x86_64', { commandLine: false }),
    str('version_compile_zlib', 'global', false, '1.2.13', { commandLine: false }),
    int('protocol_version', 'global', false, 10n, 0n, UINT_MAX, undefined, { commandLine: false }),
    str('license', 'global', false, 'MIT', { commandLine: false }),
    str('hostname', 'global', false, 'localhost', { commandLine: false }),
    str('server_uuid', 'global', false, '', { commandLine: false }),
    int('server_id', 'global', true, 1n, 0n, UINT_MAX),
    // --- files and network
    file('basedir', '/usr/local/refmysql/'),
    file('datadir', './data/'),
    file('plugin_dir', '/usr/local/refmysql/lib/plugin/'),
    file('pid_file', ''),
    file('log_error', 'stderr'),
    file('socket', '/tmp/mysql.sock'),
    file('tmpdir', '/tmp'),
    file('character_sets_dir', '/usr/local/refmysql/share/charsets/'),
    file('lc_messages_dir', '/usr/local/refmysql/share/'),
    file('secure_file_priv', null),
    file('init_file', null),
    // Dynamic; the server puts `<host_name>.log` / `<host_name>-slow.log` in the datadir. @req CORE-LOG-001 CORE-LOG-010
    def('general_log_file', 'global', true, { kind: 'filename' }, 'refmysql.log', { validate: logFileValidator('general_log_file') }),
    def('slow_query_log_file', 'global', true, { kind: 'filename' }, 'refmysql-slow.log', { validate: logFileValidator('slow_query_log_file') }),
    int('port', 'global', false, 3306n, 0n, 65535n),
    str('bind_address', 'global', false, '127.0.0.1'),
    str('admin_address', 'global', false, ''),
    int('admin_port', 'global', false, 33062n, 0n, 65535n),
    bool('create_admin_listener_thread', 'global', false, false),
    int('mysqlx_port', 'global', false, 33060n, 1n, 65535n),
    // Decision (NETNS-039): 127.0.0.1 like bind_address here, not MySQL's `*`, so that no server
    // listens on every interface unless asked to.
    str('mysqlx_bind_address', 'global', false, '127.0.0.1'),
    file('mysqlx_socket', '/tmp/mysqlx.sock'),
    bool('skip_name_resolve', 'global', false, false),
    bool('skip_networking', 'global', false, false),
    bool('skip_external_locking', 'global', false, true),
    bool('skip_show_database', 'global', false, false),
    int('back_log', 'global', false, 151n, 1n, 65535n),
    int('max_connections', 'global', true, 151n, 1n, 100000n),
    // refmysql extension: I/O threads for client sockets (spec/core-perf-threads.md). CORE-PERF-020
    int('io_threads', 'global', false, 0n, 0n, 64n),
    int('max_user_connections', 'both', true, 0n, 0n, UINT_MAX),
    int('max_connect_errors', 'global', true, 100n, 1n, ULONGLONG_MAX),
    int('max_allowed_packet', 'both', true, 64n * M, 1024n, MAX_ALLOWED_PACKET_MAX, 1024n, { sessionReadOnly: true }),
    int('net_buffer_length', 'both', true, 16384n, 1024n, 1048576n, 1024n, { sessionReadOnly: true }),
    int('wait_timeout', 'both', true, 28800n, 1n, 31536000n),
    int('interactive_timeout', 'both', true, 28800n, 1n, 31536000n),
    int('net_read_timeout', 'both', true, 30n, 1n, 31536000n),
    int('net_write_timeout', 'both', true, 60n, 1n, 31536000n),
    int('net_retry_count', 'both', true, 10n, 1n, ULONGLONG_MAX),
    int('connect_timeout', 'global', true, 10n, 2n, 31536000n),
    bool('offline_mode', 'global', true, false),
    bool('read_only', 'global', true, false),
    bool('super_read_only', 'global', true, false),
    bool('local_infile', 'global', true, false),
    bool('persisted_globals_load', 'global', false, true),
    bool('automatic_sp_privileges', 'global', true, true),
    // --- TLS and authentication
    enm('default_authentication_plugin', 'global', false, ['mysql_native_password', 'sha256_password', 'caching_sha2_password'], 'caching_sha2_password'),
    str('authentication_policy', 'global', true, '*,,'),
    bool('require_secure_transport', 'global', true, false),
    str('have_ssl', 'global', false, 'YES', { commandLine: false }),
    str('have_openssl', 'global', false, 'YES', { commandLine: false }),
    file('ssl_ca', null),
    file('ssl_capath', null),
    file('ssl_cert', null),
    file('ssl_key', null),
    file('ssl_crl', null),
    file('ssl_crlpath', null),
    str('ssl_cipher', 'global', false, null),
    str('tls_version', 'global', false, TLS_VERSIONS),
    str('tls_ciphersuites', 'global', false, null),
    bool('auto_generate_certs', 'global', false, true),
    bool('sha256_password_auto_generate_rsa_keys', 'global', false, true),
    bool('caching_sha2_password_auto_generate_rsa_keys', 'global', false, true),
    file('caching_sha2_password_private_key_path', 'private_key.pem'),
    file('caching_sha2_password_public_key_path', 'public_key.pem'),
    int('password_history', 'global', true, 0n, 0n, UINT_MAX),
    int('password_reuse_interval', 'global', true, 0n, 0n, UINT_MAX),
    bool('password_require_current', 'global', true, false),
    int('default_password_lifetime', 'global', true, 0n, 0n, 65535n),
    bool('disconnect_on_expired_password', 'global', false, true),
    bool('activate_all_roles_on_login', 'global', true, false),
    str('mandatory_roles', 'global', true, ''),
    str('init_connect', 'global', true, ''),
    // --- SQL behaviour
    bool('autocommit', 'both', true, true),
    def('sql_mode', 'both', true, { kind: 'set', values: SQL_MODE_NAMES, combinations: SQL_MODE_COMBINATIONS }, DEFAULT_SQL_MODE, { validate: sqlModeValidator }),
    enm('transaction_isolation', 'both', true, ISOLATION, 'REPEATABLE-READ'),
    bool('transaction_read_only', 'both', true, false),
    int('transaction_alloc_block_size', 'both', true, 8192n, 1024n, 131072n, 1024n),
    int('transaction_prealloc_size', 'both', true, 4096n, 1024n, 131072n, 1024n),
    enm('completion_type', 'both', true, ['NO_CHAIN', 'CHAIN', 'RELEASE'], 'NO_CHAIN'),
    bool('xa_detach_on_prepare', 'both', true, true),
    int('auto_increment_increment', 'both', true, 1n, 1n, 65535n),
    int('auto_increment_offset', 'both', true, 1n, 1n, 65535n),
    bool('sql_safe_updates', 'both', true, false),
    int('sql_select_limit', 'both', true, ULONGLONG_MAX, 0n, ULONGLONG_MAX),
    bool('sql_auto_is_null', 'both', true, false),
    bool('sql_big_selects', 'both', true, true),
    bool('sql_buffer_result', 'both', true, false),
    bool('sql_log_off', 'both', true, false),
    bool('sql_log_bin', 'session', true, true),
    bool('sql_notes', 'both', true, true),
    bool('sql_warnings', 'both', true, false),
    bool('sql_quote_show_create', 'both', true, true),
    bool('foreign_key_checks', 'both', true, true),
    bool('unique_checks', 'both', true, true),
    bool('big_tables', 'both', true, false),
    bool('explicit_defaults_for_timestamp', 'both', true, true),
    bool('keep_files_on_create', 'both', true, false),
    bool('low_priority_updates', 'both', true, false),
    bool('updatable_views_with_limit', 'both', true, true),
    bool('show_create_table_verbosity', 'both', true, false),
    bool('old_alter_table', 'both', true, false),
    bool('print_identified_with_as_hex', 'both', true, false),
    bool('default_table_encryption', 'both', true, false),
    int('last_insert_id', 'session', true, 0n, 0n, ULONGLONG_MAX),
    int('identity', 'session', true, 0n, 0n, ULONGLONG_MAX),
    int('insert_id', 'session', true, 0n, 0n, ULONGLONG_MAX),
    def('timestamp', 'session', true, { kind: 'double', min: 0, max: 32536771199.999999 }, 0),
    int('warning_count', 'session', false, 0n, 0n, ULONGLONG_MAX, undefined, { commandLine: false }),
    int('error_count', 'session', false, 0n, 0n, ULONGLONG_MAX, undefined, { commandLine: false }),
    int('pseudo_thread_id', 'session', true, 0n, 0n, INT_MAX),
    int('rand_seed1', 'session', true, 0n, 0n, ULONGLONG_MAX),
    int('rand_seed2', 'session', true, 0n, 0n, ULONGLONG_MAX),
    int('div_precision_increment', 'both', true, 4n, 0n, 30n),
    int('group_concat_max_len', 'both', true, 1024n, 4n, ULONGLONG_MAX),
    int('max_sort_length', 'both', true, 1024n, 4n, 8388608n),
    int('max_execution_time', 'both', true, 0n, 0n, UINT_MAX),
    // refmysql's own: statement shapes the text-protocol statement cache keeps per session (0: off). @req CORE-PERF-013
    int('refmysql_statement_cache_size', 'both', true, BigInt(STATEMENT_CACHE_SIZE), 0n, 65536n),
    int('max_join_size', 'both', true, ULONGLONG_MAX, 1n, ULONGLONG_MAX),
    int('max_error_count', 'both', true, 1024n, 0n, 65535n),
    int('max_length_for_sort_data', 'both', true, 4096n, 4n, 8388608n),
    int('max_seeks_for_key', 'both', true, ULONGLONG_MAX, 1n, ULONGLONG_MAX),
    int('max_sp_recursion_depth', 'both', true, 0n, 0n, 255n),
    int('max_prepared_stmt_count', 'global', true, 16382n, 0n, 4194304n),
    int('cte_max_recursion_depth', 'both', true, 1000n, 0n, UINT_MAX),
    int('default_week_format', 'both', true, 0n, 0n, 7n),
    str('optimizer_switch', 'both', true,
      'index_merge=on,index_merge_union=on,index_merge_sort_union=on,index_merge_intersection=on,engine_condition_pushdown=on,index_condition_pushdown=on,mrr=on,mrr_cost_based=on,block_nested_loop=on,batched_key_access=off,materialization=on,semijoin=on,loosescan=on,firstmatch=on,duplicateweedout=on,subquery_materialization_cost_based=on,use_index_extensions=on,condition_fanout_filter=on,derived_merge=on,use_invisible_indexes=off,skip_scan=on,hash_join=on,subquery_to_derived=off,prefer_ordering_index=on,hypergraph_optimizer=off,derived_condition_pushdown=on'),
    int('optimizer_prune_level', 'both', true, 1n, 0n, 1n),
    int('optimizer_search_depth', 'both', true, 62n, 0n, 62n),
    int('eq_range_index_dive_limit', 'both', true, 200n, 0n, UINT_MAX),
    int('range_optimizer_max_mem_size', 'both', true, 8388608n, 0n, ULONGLONG_MAX),
    int('information_schema_stats_expiry', 'both', true, 86400n, 0n, 31536000n),
    str('lc_messages', 'both', true, 'en_US'),
    str('lc_time_names', 'both', true, 'en_US'),
    int('lower_case_table_names', 'global', false, 0n, 0n, 2n),
    bool('lower_case_file_system', 'global', false, false, { commandLine: false }),
    // --- time
    def('time_zone', 'both', true, { kind: 'string' }, 'SYSTEM', { validate: timeZoneValidator }),
    str('system_time_zone', 'global', false, 'UTC', { commandLine: false }),
    def('default_time_zone', 'global', false, { kind: 'string' }, 'SYSTEM', { validate: timeZoneValidator, commandLine: true }),
    enm('block_encryption_mode', 'both', true, ['aes-128-ecb', 'aes-192-ecb', 'aes-256-ecb', 'aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc', 'aes-128-cfb1', 'aes-192-cfb1', 'aes-256-cfb1', 'aes-128-cfb8', 'aes-192-cfb8', 'aes-256-cfb8', 'aes-128-cfb128', 'aes-192-cfb128', 'aes-256-cfb128', 'aes-128-ofb', 'aes-192-ofb', 'aes-256-ofb'], 'aes-128-ecb'),
    // --- character sets
    charset('character_set_client', 'both', 'utf8mb4'),
    charset('character_set_connection', 'both', 'utf8mb4'),
    // NULL: results leave in each column's own character set, unconverted. @req CORE-CS-055
    def('character_set_results', 'both', true, { kind: 'string' }, 'utf8mb4', { validate: charsetValidator, nullable: true }),
    charset('character_set_server', 'both', 'utf8mb4'),
    charset('character_set_database', 'both', 'utf8mb4'),
    charset('character_set_system', 'global', 'utf8mb3', false),
    charset('character_set_filesystem', 'both', 'binary'),
    collation('collation_connection', 'both', 'utf8mb4_0900_ai_ci'),
    collation('collation_server', 'both', 'utf8mb4_0900_ai_ci'),
    collation('collation_database', 'both', 'utf8mb4_0900_ai_ci'),
    str('default_collation_for_utf8mb4', 'both', true, 'utf8mb4_0900_ai_ci', { validate: collationValidator }),
    // --- storage
    str('default_storage_engine', 'both', true, 'InnoDB'),
    str('default_tmp_storage_engine', 'both', true, 'InnoDB'),
    enm('internal_tmp_mem_storage_engine', 'both', true, ['MEMORY', 'TempTable'], 'TempTable'),
    bool('disabled_storage_engines_enforced', 'global', false, false),
    str('disabled_storage_engines', 'global', false, ''),
    int('max_heap_table_size', 'both', true, 16777216n, HEAP_TABLE_MIN, ULONGLONG_MAX, 1024n),
    int('tmp_table_size', 'both', true, 16777216n, 1024n, ULONGLONG_MAX),
    int('sort_buffer_size', 'both', true, 262144n, 32768n, ULONGLONG_MAX),
    int('join_buffer_size', 'both', true, 262144n, 128n, ULONGLONG_MAX, 128n),
    int('read_buffer_size', 'both', true, 131072n, 8192n, 2147479552n, 4096n),
    int('read_rnd_buffer_size', 'both', true, 262144n, 1n, 2147483647n),
    int('key_buffer_size', 'global', true, 8388608n, 0n, ULONGLONG_MAX, 4096n),
    int('bulk_insert_buffer_size', 'both', true, 8388608n, 0n, ULONGLONG_MAX),
    int('thread_stack', 'global', false, 1048576n, 131072n, ULONGLONG_MAX, 1024n),
    int('thread_cache_size', 'global', true, 9n, 0n, 16384n),
    int('table_open_cache', 'global', true, 4000n, 1n, 524288n),
    int('table_definition_cache', 'global', true, 2000n, 400n, 524288n),
    int('open_files_limit', 'global', false, 10000n, 0n, ULONGLONG_MAX),
    int('myisam_sort_buffer_size', 'both', true, 8388608n, 4096n, ULONGLONG_MAX),
    // --- the MyISAM engine's variables (16.2.1), with MySQL 8.0.40's defaults and ranges. @req MYISAM-040 MYISAM-043 MYISAM-047 MYISAM-048 MYISAM-049 MYISAM-050 MYISAM-051 MYISAM-053 MYISAM-054
    int('myisam_data_pointer_size', 'global', true, 6n, 2n, 7n),
    int('myisam_max_sort_file_size', 'global', true, 9223372036853727232n, 0n, 9223372036854775807n),
    int('myisam_mmap_size', 'global', false, ULONGLONG_MAX, 7n, ULONGLONG_MAX),
    def('myisam_recover_options', 'global', false, { kind: 'set', values: ['DEFAULT', 'BACKUP', 'FORCE', 'QUICK', 'OFF'] }, 'OFF'),
    int('myisam_repair_threads', 'both', true, 1n, 1n, ULONGLONG_MAX),
    enm('myisam_stats_method', 'both', true, ['nulls_unequal', 'nulls_equal', 'nulls_ignored'], 'nulls_unequal'),
    bool('myisam_use_mmap', 'global', true, false),
    str('have_rtree_keys', 'global', false, 'YES', { commandLine: false }),
    int('key_cache_age_threshold', 'global', true, 300n, 100n, ULONGLONG_MAX, 100n),
    int('key_cache_block_size', 'global', true, 1024n, 512n, 16384n, 512n),
    int('key_cache_division_limit', 'global', true, 100n, 1n, 100n),
    enm('concurrent_insert', 'global', true, ['NEVER', 'AUTO', 'ALWAYS'], 'AUTO'),
    int('lock_wait_timeout', 'both', true, 31536000n, 1n, 31536000n),
    // --- logging, replication basics (the full replication set comes later)
    bool('log_bin', 'global', false, false, { commandLine: false }),
    // Stored functions and the binary log (CORE-SP-032).
    bool('log_bin_trust_function_creators', 'global', true, false),
    enm('binlog_format', 'both', true, ['MIXED', 'STATEMENT', 'ROW'], 'ROW'),
    enm('gtid_mode', 'global', true, ['OFF', 'OFF_PERMISSIVE', 'ON_PERMISSIVE', 'ON'], 'OFF'),
    enm('enforce_gtid_consistency', 'global', true, ['OFF', 'ON', 'WARN'], 'OFF'),
    bool('general_log', 'global', true, false),
    bool('slow_query_log', 'global', true, false),
    def('long_query_time', 'both', true, { kind: 'double', min: 0, max: 31536000 }, 10),
    // A set of FILE, TABLE, NONE; never empty. @req CORE-LOG-001
    def('log_output', 'global', true, { kind: 'set', values: ['NONE', 'FILE', 'TABLE'] }, 'FILE', { validate: logOutputValidator }),
    int('log_error_verbosity', 'global', true, 2n, 1n, 3n),
    enm('log_timestamps', 'global', true, ['UTC', 'SYSTEM'], 'UTC'),
    bool('performance_schema', 'global', false, true),
    // performance_schema (ON) and its buffer sizes (exec/perfschema/limits.ts), read-only as in MySQL. @req CORE-PFS-006 CORE-PFS-023 CORE-PFS-012
    int('performance_schema_events_statements_history_size', 'global', false, 10n, -1n, 1024n),
    int('performance_schema_digests_size', 'global', false, 10000n, -1n, 1048576n),
    int('performance_schema_max_digest_length', 'global', false, 1024n, 0n, 1048576n),
    int('performance_schema_max_sql_text_length', 'global', false, 1024n, 0n, 1048576n),
    // --- further 8.0 variables clients and tools read (values as MySQL 8.0.40 reports them)
    bool('sql_require_primary_key', 'both', true, false),
    bool('sql_generate_invisible_primary_key', 'both', true, false),
    bool('show_gipk_in_create_table_and_information_schema', 'both', true, true),
    int('generated_random_password_length', 'both', true, 20n, 5n, 255n),
    bool('partial_revokes', 'global', true, false),
    bool('check_proxy_users', 'global', true, false),
    bool('mysql_native_password_proxy_users', 'global', true, false),
    bool('table_encryption_privilege_check', 'global', true, false),
    enm('event_scheduler', 'global', true, ['OFF', 'ON', 'DISABLED'], 'ON', { validate: eventSchedulerValidator }),
    int('stored_program_cache', 'global', true, 256n, 16n, 524288n),
    int('max_write_lock_count', 'global', true, ULONGLONG_MAX, 1n, ULONGLONG_MAX),
    bool('flush', 'global', true, false),
    int('flush_time', 'global', true, 0n, 0n, 31536000n),
    enm('delay_key_write', 'global', true, ['OFF', 'ON', 'ALL'], 'ON'),
    bool('end_markers_in_json', 'both', true, false),
    enm('explain_format', 'both', true, ['TRADITIONAL', 'JSON', 'TREE'], 'TRADITIONAL'),
    enm('resultset_metadata', 'session', true, ['NONE', 'FULL'], 'FULL'),
    bool('windowing_use_high_precision', 'both', true, true),
    int('regexp_time_limit', 'global', true, 32n, 0n, INT_MAX),
    int('regexp_stack_limit', 'global', true, 8000000n, 0n, INT_MAX),
    int('temptable_max_ram', 'global', true, 1073741824n, 2097152n, ULONGLONG_MAX),
    int('temptable_max_mmap', 'global', true, 1073741824n, 0n, ULONGLONG_MAX),
    bool('temptable_use_mmap', 'global', true, true),
    bool('log_slow_admin_statements', 'global', true, false),
    bool('log_queries_not_using_indexes', 'global', true, false),
    int('min_examined_row_limit', 'both', true, 0n, 0n, ULONGLONG_MAX),
    int('select_into_buffer_size', 'both', true, 131072n, 8192n, 2147479552n, 4096n),
    int('histogram_generation_max_mem_size', 'both', true, 20000000n, 1000000n, ULONGLONG_MAX),
    int('parser_max_mem_size', 'both', true, ULONGLONG_MAX, 10000000n, ULONGLONG_MAX),
    int('max_points_in_geometry', 'both', true, 65536n, 3n, 1048576n),
    enm('thread_handling', 'global', false, ['one-thread-per-connection', 'no-threads', 'loaded-dynamically'], 'one-thread-per-connection'),
    int('host_cache_size', 'global', true, 279n, 0n, 65536n),
    int('max_digest_length', 'global', false, 1024n, 0n, 1048576n),
    int('caching_sha2_password_digest_rounds', 'global', false, 5000n, 5000n, 4095000n),
    bool('require_row_format', 'session', true, false),
    enm('terminology_use_previous', 'both', true, ['NONE', 'BEFORE_8_0_26'], 'NONE'),
    // --- session tracking
    bool('session_track_schema', 'both', true, true),
    enm('session_track_transaction_info', 'both', true, ['OFF', 'STATE', 'CHARACTERISTICS'], 'OFF'),
    bool('session_track_state_change', 'both', true, false),
    str('session_track_system_variables', 'both', true, 'time_zone,autocommit,character_set_client,character_set_results,character_set_connection'),
    enm('session_track_gtids', 'both', true, ['OFF', 'OWN_GTID', 'ALL_GTIDS'], 'OFF'),
    // --- variables MySQL 8.0.40 still has that applications and test set-ups read; most tune
    // features refmysql has no counterpart for (INSERT DELAYED, profiling, the full-text
    // parser's limits), so they are kept and range-checked but change nothing. @req CORE-DET-007
    int('delayed_insert_limit', 'global', true, 100n, 1n, ULONGLONG_MAX),
    int('delayed_insert_timeout', 'global', true, 300n, 1n, 31536000n),
    int('delayed_queue_size', 'global', true, 1000n, 1n, ULONGLONG_MAX),
    int('max_delayed_threads', 'both', true, 20n, 0n, 16384n),
    int('max_insert_delayed_threads', 'both', true, 20n, 0n, 16384n),
    str('have_compress', 'global', false, 'YES', { commandLine: false }),
    str('have_dynamic_loading', 'global', false, 'YES', { commandLine: false }),
    str('have_geometry', 'global', false, 'YES', { commandLine: false }),
    str('have_profiling', 'global', false, 'YES', { commandLine: false }),
    str('have_statement_timeout', 'global', false, 'YES', { commandLine: false }),
    str('have_symlink', 'global', false, 'DISABLED', { commandLine: false }),
    bool('profiling', 'both', true, false),
    int('profiling_history_size', 'both', true, 15n, 0n, 100n),
    bool('show_old_temporals', 'both', true, false),
    str('ft_boolean_syntax', 'global', true, '+ -><()~*:""&|'),
    int('ft_max_word_len', 'global', false, 84n, 10n, 84n),
    int('ft_min_word_len', 'global', false, 4n, 1n, 82n),
    int('ft_query_expansion_limit', 'global', false, 20n, 0n, 1000n),
    str('ft_stopword_file', 'global', false, '(built-in)'),
    bool('large_files_support', 'global', false, true, { commandLine: false }),
    int('preload_buffer_size', 'both', true, 32768n, 1024n, 1073741824n),
    int('query_alloc_block_size', 'both', true, 8192n, 1024n, 4294966272n, 1024n),
    int('query_prealloc_size', 'both', true, 8192n, 8192n, ULONGLONG_MAX, 1024n),
    int('slow_launch_time', 'global', true, 2n, 0n, 31536000n),
    int('table_open_cache_instances', 'global', false, 16n, 1n, 64n),
    bool('core_file', 'global', false, false),
    bool('log_slow_extra', 'global', true, false),
    int('ngram_token_size', 'global', false, 2n, 1n, 10n),
    int('schema_definition_cache', 'global', true, 256n, 256n, 524288n),
    int('tablespace_definition_cache', 'global', true, 256n, 256n, 524288n),
    bool('select_into_disk_sync', 'both', true, false),
    int('optimizer_trace_limit', 'both', true, 1n, 0n, INT_MAX),
  ];
}
