/**
 * The error of a redo log that can no longer be trusted with writes.
 *
 * When a write or fsync of the log fails (EIO, ENOSPC, ...), the bytes it covered may or may
 * not be on disk, and after a failed fsync the kernel may already have dropped the dirty pages
 * it could not write, so a second fsync that succeeds proves nothing. The log therefore stops:
 * the failing call and every later append, write, flush and checkpoint fail with this error,
 * and the engine turns it into an SQL error and refuses further changes. Only a restart
 * (which reads back what really reached the disk) brings the log back.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-redo-log.html (15.6.5)
 * @req INNODB-LOG-106
 */

/** The errno code of an I/O error (EIO, ENOSPC, ...), when it has one. */
export function errnoCodeOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** Raised by every operation of a redo log after a write or fsync of it failed (INNODB-LOG-106). */
export class RedoLogFailedError extends Error {
  /** The errno code of the failure that stopped the log, e.g. 'EIO' or 'ENOSPC'. */
  readonly code: string | undefined;

  constructor(cause: unknown) {
    const code = errnoCodeOf(cause);
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`InnoDB redo log write failed${code === undefined ? '' : ` (${code})`}: ${detail}; the redo log accepts no more writes until restart`, { cause });
    this.name = 'RedoLogFailedError';
    this.code = code;
  }
}
