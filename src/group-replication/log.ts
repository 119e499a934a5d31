/**
 * How the group_replication plugin writes to the error log: its own messages appear under the
 * Repl subsystem as "Plugin group_replication reported: '...'", and the group communication
 * engine's (GCS) messages additionally carry the "[GCS] " prefix under one shared code.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-replication-ip-address-permissions.html
 * @req GRALLOW-004 GRALLOW-024
 */

export type LogLevel = 'System' | 'Error' | 'Warning' | 'Note';
export type LogFn = (level: LogLevel, code: string, subsystem: string, message: string) => void;

/** Error-log codes the plugin writes (MY-0NNNNN, from MySQL's error-log catalogue). */
export const GR_LOG_CODE = {
  /** ER_GRP_RPL_GCS_GR_ERROR_MSG: every GCS message. */
  GCS: 'MY-011735',
  /** ER_GROUP_REPLICATION_PLUGIN_NOT_INSTALLED (written by the server, not the plugin). */
  NOT_INSTALLED: 'MY-010381',
  NAME_MANDATORY: 'MY-011685',
  NAME_TOO_LONG: 'MY-011686',
  NAME_NOT_UUID: 'MY-011687',
  STARTING: 'MY-013587',
  STARTED: 'MY-014010',
  STOPPING: 'MY-011650',
  STOPPED: 'MY-011651',
  START_ON_BOOT_FAILED: 'MY-011660',
  UNABLE_INIT_ENGINE: 'MY-011674',
  FAILED_INIT_ENGINE: 'MY-011637',
  FAILED_START_ENGINE: 'MY-011639',
  INIT_WITH_CONF: 'MY-011694',
} as const;

/** The plugin's reporter over the server's error log. */
export class GrLog {
  constructor(private readonly log: LogFn) {}

  /** A plugin message ("Plugin group_replication reported: '...'"). */
  plugin(level: LogLevel, code: string, text: string): void {
    this.log(level, code, 'Repl', `Plugin group_replication reported: '${text}'`);
  }

  /** A group communication engine message. */
  gcs(level: Exclude<LogLevel, 'System'>, text: string): void {
    this.plugin(level, GR_LOG_CODE.GCS, `[GCS] ${text}`);
  }

  /** A server message about the plugin. */
  server(level: LogLevel, code: string, text: string): void {
    this.log(level, code, 'Server', text);
  }
}
