/**
 * performance_schema's configuration as the setup_* tables show and change it: the consumers
 * (which event tables are filled), the statement instruments (which statement kinds are
 * recorded, and timed) and the actors (which new connections are instrumented). What the
 * recorder asks on every statement is folded into one boolean, {@link PfsSetup.recordStatements},
 * recomputed whenever a setup table changes.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-startup-configuration.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-consumer-filtering.html
 * @req CORE-PFS-040 CORE-PFS-041 CORE-PFS-042 CORE-PFS-043
 */

/** The consumers in MySQL 8.0's order, with their default state. @req CORE-PFS-040 */
export const CONSUMER_DEFAULTS: readonly (readonly [string, boolean])[] = [
  ['events_stages_current', false],
  ['events_stages_history', false],
  ['events_stages_history_long', false],
  ['events_statements_cpu', false],
  ['events_statements_current', true],
  ['events_statements_history', true],
  ['events_statements_history_long', false],
  ['events_transactions_current', true],
  ['events_transactions_history', true],
  ['events_transactions_history_long', false],
  ['events_waits_current', false],
  ['events_waits_history', false],
  ['events_waits_history_long', false],
  ['global_instrumentation', true],
  ['thread_instrumentation', true],
  ['statements_digest', true],
];

/**
 * The statement instruments we record under (EVENT_NAME of the statement tables), besides the
 * statement/sql/<command> names derived from each statement kind. @req CORE-PFS-041
 */
export const STATEMENT_INSTRUMENTS: readonly string[] = [
  'statement/sql/select', 'statement/sql/insert', 'statement/sql/insert_select', 'statement/sql/update', 'statement/sql/update_multi',
  'statement/sql/delete', 'statement/sql/delete_multi', 'statement/sql/replace', 'statement/sql/replace_select', 'statement/sql/load',
  'statement/sql/create_table', 'statement/sql/alter_table', 'statement/sql/drop_table', 'statement/sql/rename_table', 'statement/sql/truncate',
  'statement/sql/create_index', 'statement/sql/drop_index', 'statement/sql/create_db', 'statement/sql/alter_db', 'statement/sql/drop_db',
  'statement/sql/create_view', 'statement/sql/drop_view', 'statement/sql/create_server', 'statement/sql/alter_server', 'statement/sql/drop_server',
  'statement/sql/begin', 'statement/sql/commit', 'statement/sql/rollback', 'statement/sql/savepoint', 'statement/sql/rollback_to_savepoint',
  'statement/sql/release_savepoint', 'statement/sql/xa_start', 'statement/sql/xa_end', 'statement/sql/xa_prepare', 'statement/sql/xa_commit',
  'statement/sql/xa_rollback', 'statement/sql/xa_recover', 'statement/sql/lock_tables', 'statement/sql/unlock_tables', 'statement/sql/flush',
  'statement/sql/set_option', 'statement/sql/change_db', 'statement/sql/show_variables', 'statement/sql/show_status', 'statement/sql/show_processlist',
  'statement/sql/show_databases', 'statement/sql/show_tables', 'statement/sql/show_fields', 'statement/sql/show_keys', 'statement/sql/show_create_table',
  'statement/sql/show_create_db', 'statement/sql/show_warnings', 'statement/sql/show_errors', 'statement/sql/show_grants', 'statement/sql/show_engines',
  'statement/sql/show_plugins', 'statement/sql/show_collations', 'statement/sql/show_charsets', 'statement/sql/show_table_status',
  'statement/sql/show_engine_status', 'statement/sql/show_other', 'statement/sql/explain_other', 'statement/sql/kill', 'statement/sql/shutdown', 'statement/sql/do',
  'statement/sql/prepare_sql', 'statement/sql/execute_sql', 'statement/sql/dealloc_sql', 'statement/sql/check', 'statement/sql/analyze',
  'statement/sql/optimize', 'statement/sql/repair', 'statement/sql/checksum', 'statement/sql/create_user', 'statement/sql/alter_user',
  'statement/sql/drop_user', 'statement/sql/rename_user', 'statement/sql/create_role', 'statement/sql/drop_role', 'statement/sql/grant',
  'statement/sql/grant_roles', 'statement/sql/revoke', 'statement/sql/revoke_roles', 'statement/sql/set_password', 'statement/sql/set_role',
  'statement/sql/alter_user_default_role', 'statement/sql/install_plugin', 'statement/sql/uninstall_plugin', 'statement/sql/empty_query',
  'statement/sql/error',
];

/** One row of setup_actors. @req CORE-PFS-042 */
export interface SetupActor {
  host: string;
  user: string;
  role: string;
  enabled: boolean;
  history: boolean;
}

export class PfsSetup {
  /** consumer name -> enabled, in MySQL's order. */
  readonly consumers = new Map<string, boolean>(CONSUMER_DEFAULTS.map(([n, on]) => [n, on]));
  /** statement instrument -> [enabled, timed]. */
  readonly instruments = new Map<string, { enabled: boolean; timed: boolean }>(STATEMENT_INSTRUMENTS.map((n) => [n, { enabled: true, timed: true }]));
  readonly actors: SetupActor[] = [{ host: '%', user: '%', role: '%', enabled: true, history: true }];

  /** performance_schema=ON and some statement consumer is on: the one test the hot path makes. @req CORE-PFS-043 */
  recordStatements = true;
  /** events_statements_current (and the instrumentation above it) is on. */
  current = true;
  /** events_statements_history is on. */
  history = true;
  /** statements_digest is on. */
  digest = true;

  constructor(readonly enabled: boolean) {
    this.recompute();
  }

  /**
   * Fold the consumer hierarchy into the flags the recorder reads: global_instrumentation gates
   * everything; thread_instrumentation gates the per-thread tables; events_statements_current
   * gates its history; statements_digest needs only global_instrumentation.
   * @req CORE-PFS-043
   */
  recompute(): void {
    const on = (n: string): boolean => this.consumers.get(n) === true;
    const global = this.enabled && on('global_instrumentation');
    const thread = global && on('thread_instrumentation');
    this.current = thread && on('events_statements_current');
    this.history = this.current && on('events_statements_history');
    this.digest = global && on('statements_digest');
    this.recordStatements = this.current || this.digest;
  }

  /**
   * INSTRUMENTED and HISTORY of a new connection thread: the first setup_actors row (most
   * specific first: exact host and user before '%') that matches it.
   * @req CORE-PFS-042
   */
  actorFor(user: string, host: string): { instrumented: boolean; history: boolean } {
    const matches = (pattern: string, value: string): boolean => pattern === '%' || pattern.toLowerCase() === value.toLowerCase();
    const ranked = this.actors
      .filter((a) => matches(a.user, user) && matches(a.host, host))
      .sort((a, b) => Number(a.host === '%') - Number(b.host === '%') || Number(a.user === '%') - Number(b.user === '%'));
    const a = ranked[0];
    return a ? { instrumented: a.enabled, history: a.history } : { instrumented: false, history: false };
  }
}
