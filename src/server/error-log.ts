/**
 * The error log in MySQL 8.0's default format:
 * `2026-11-22T05:00:00.123456Z 0 [System] [MY-010116] [Server] message`
 * (UTC timestamp with microseconds, thread id, priority, error code, subsystem, message).
 * Lines go to a file (`--log-error=path`) or to stderr.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/error-log-format.html
 * @req CORE-SRV-010
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'System' | 'Error' | 'Warning' | 'Note';

/** Well-known error-log codes the server writes (numbers as MySQL 8.0 uses them). */
export const LogCode = {
  STARTING: 'MY-010116',
  READY: 'MY-010931',
  SHUTDOWN_RECEIVED: 'MY-013172',
  SHUTDOWN_COMPLETE: 'MY-010910',
  UNKNOWN_VARIABLE: 'MY-000067',
  BIND_FAILED: 'MY-010262',
  ABORTING: 'MY-010119',
  INIT_TEMP_PASSWORD: 'MY-010454',
  INIT_EMPTY_PASSWORD: 'MY-010453',
  INIT_DATADIR_NOT_EMPTY: 'MY-010457',
  INIT_STARTED: 'MY-013169',
  INIT_FINISHED: 'MY-013170',
  TLS_CHANNEL: 'MY-013602',
  TLS_SELF_SIGNED: 'MY-010068',
  SOCKET_IN_USE: 'MY-010259',
  SOCKET_LOCK: 'MY-010268',
  OPTION_ADJUSTED: 'MY-000139',
  DATADIR_MISSING: 'MY-010187',
  PERSISTED_BAD: 'MY-013185',
  INIT_FILE_ERROR: 'MY-010455',
  GENERIC_ERROR: 'MY-010000',
  // Listeners (src/server/listen): address lists, namespaces, admin interface. NETNS-030..041
  TCP_SOCKET_CREATED: 'MY-010251',
  TCP_BIND_ADDRESS: 'MY-010252',
  TCP_IPV6_AVAILABLE: 'MY-010253',
  TCP_IPV6_UNAVAILABLE: 'MY-010254',
  TCP_SOCKET_ERROR: 'MY-010255',
  TCP_CANT_RESOLVE: 'MY-010256',
  TCP_PORT_IN_USE_HINT: 'MY-010257',
  TCP_RESOLVES_TO: 'MY-010264',
  TCP_LISTEN_FAILED: 'MY-010265',
  TCP_LISTEN_ERRNO: 'MY-010266',
  CANT_OPEN_FILE: 'MY-013136',
  INVALID_BIND_ADDRESSES: 'MY-013203',
  INVALID_ADMIN_ADDRESS: 'MY-013291',
  ADMIN_READY: 'MY-013292',
  NAMESPACES_NOT_SUPPORTED: 'MY-013405',
  UNKNOWN_NAMESPACE: 'MY-013406',
  NAMESPACE_FOR_WILDCARD: 'MY-013407',
  SETNS_FAILED: 'MY-013408',
  WILDCARD_IN_LIST: 'MY-013409',
  NAMESPACE_PATH_TOO_LONG: 'MY-013410',
  // The X Plugin's listener lines. NETNS-039 NETNS-041
  XPLUGIN_IO_FAILED: 'MY-011292',
  XPLUGIN_LISTENER_SETUP_FAILED: 'MY-011300',
  XPLUGIN_ALL_IO_DISABLED: 'MY-011311',
  XPLUGIN_SEE_VARIABLES: 'MY-011322',
  XPLUGIN_READY: 'MY-011323',
  XPLUGIN_ADDRESS_INVALID: 'MY-013596',
  XPLUGIN_ADDRESS_SKIPPED: 'MY-013597',
} as const;

/** `YYYY-MM-DDTHH:MM:SS.uuuuuuZ` in UTC; microseconds come from the high-resolution clock. */
export function logTimestamp(now?: Date): string {
  const micros = now ? now.getTime() * 1000 : Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const iso = new Date(Math.floor(micros / 1000)).toISOString(); // 2026-11-22T05:00:00.123Z
  return `${iso.slice(0, 19)}.${String(micros % 1_000_000).padStart(6, '0')}Z`;
}

/** One formatted line (without the newline). */
export function formatLogLine(level: LogLevel, code: string, subsystem: string, message: string, thread = 0, now?: Date): string {
  // MySQL 8.0 spells the error priority in capitals: [System], [ERROR], [Warning], [Note].
  const label = level === 'Error' ? 'ERROR' : level;
  return `${logTimestamp(now)} ${thread} [${label}] [${code}] [${subsystem}] ${message}`;
}

export interface ErrorLogSink {
  write(line: string): void;
}

/**
 * The server's error log. Writes are synchronous so that the last lines before an abort or exit
 * are never lost.
 * @req CORE-SRV-010
 */
export class ErrorLog {
  /** Lines written so far are also kept here when `capture` is on (tests of in-process servers). */
  readonly captured: string[] = [];

  constructor(
    private readonly sink: ErrorLogSink,
    private readonly capture = false,
  ) {}

  /** stderr, or a file path (appended, created with its directory when missing). */
  static open(target: string | null | undefined, capture = false): ErrorLog {
    if (!target || target === 'stderr') {
      return new ErrorLog({ write: (l) => process.stderr.write(l + '\n') }, capture);
    }
    mkdirSync(dirname(target), { recursive: true });
    return new ErrorLog({ write: (l) => appendFileSync(target, l + '\n') }, capture);
  }

  /** A log that only remembers its lines. */
  static memory(): ErrorLog {
    return new ErrorLog({ write: () => undefined }, true);
  }

  /** log_error_verbosity: 1 errors, 2 + warnings, 3 + notes; System lines always appear. */
  private verbosity: () => number = () => 3;

  /** Follow a verbosity source (the server passes @@global.log_error_verbosity). @req CORE-SRV-010 */
  setVerbosity(read: () => number): void {
    this.verbosity = read;
  }

  log(level: LogLevel, code: string, subsystem: string, message: string, thread = 0): void {
    const v = this.verbosity();
    if ((level === 'Warning' && v < 2) || (level === 'Note' && v < 3)) return;
    const line = formatLogLine(level, code, subsystem, message, thread);
    if (this.capture) this.captured.push(line);
    this.sink.write(line);
  }

  /**
   * Text written as it is, without the timestamp and labels: what mysqld prints straight to
   * its stderr, such as the InnoDB monitor output of innodb_status_output. Not subject to
   * log_error_verbosity.
   */
  raw(text: string): void {
    const body = text.endsWith('\n') ? text.slice(0, -1) : text;
    if (this.capture) this.captured.push(...body.split('\n'));
    this.sink.write(body);
  }

  system(code: string, message: string): void {
    this.log('System', code, 'Server', message);
  }
  error(code: string, message: string): void {
    this.log('Error', code, 'Server', message);
  }
  warning(code: string, message: string): void {
    this.log('Warning', code, 'Server', message);
  }
  note(code: string, message: string): void {
    this.log('Note', code, 'Server', message);
  }
}
