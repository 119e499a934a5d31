/**
 * The error-log lines InnoDB writes when it meets a damaged or missing file: the wording and the
 * MY- codes of MySQL 8.0, so that a DBA (or a test) grepping the log finds what the manual and
 * the Server Error Message Reference lead them to expect.
 *
 * Where the codes come from: 8.0 numbers the error-log messages from 10000 in the order of
 * share/messages_to_error_log.txt, and InnoDB's messages form one run, ER_IB_MSG_n being
 * MY-(011825 + n). Anchors observed in real 8.0 logs: MY-012592 "Operating system error number
 * %d in a file operation." is ER_IB_MSG_767, MY-012224 "... in datafile: ./ibdata1, Space ID:0"
 * is ER_IB_MSG_399, MY-011906 is the page-corruption line. The others follow from the symbols the
 * 8.0 sources use (ER_IB_MSG_391 "Cannot open datafile for read-only", ER_IB_MSG_191 "Ignoring
 * tablespace ... because it could not be opened").
 *
 * Lines that describe refmysqld's own choices (a corrupt table served as "corrupt" instead of
 * aborting, a redo failure that leaves the server running read-only) say so in their text.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-troubleshooting-datadict.html (15.21.4)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-troubleshooting-io.html (15.21.1)
 * @spec https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html
 * @req INNODB-DD-002 INNODB-TRBL-001 INNODB-TRBL-010 INNODB-REC-003 INNODB-REC-032 INNODB-LOG-106
 */
import { constants } from 'node:os';

export type LogLevel = 'Error' | 'Warning' | 'Note' | 'System';

export interface LogLine {
  level: LogLevel;
  code: string;
  message: string;
}

/** The MY- codes of the lines below (see the header for where they come from). */
export const LOG_CODE = {
  /** ER_IB_MSG_767 */
  OS_ERROR_NUMBER: 'MY-012592',
  /** ER_IB_MSG_768: ENOENT explained */
  OS_ERROR_NOT_FOUND: 'MY-012593',
  /** ER_IB_MSG_771: any other errno explained with strerror */
  OS_ERROR_MEANS: 'MY-012596',
  /** ER_IB_MSG_391 */
  CANNOT_OPEN_READ_ONLY: 'MY-012216',
  /** ER_IB_MSG_191 */
  IGNORING_TABLESPACE: 'MY-012016',
  /** The corrupt page's file and offset (8.0.2x). */
  CORRUPT_PAGE_FILE: 'MY-030043',
  /** "Database page corruption on disk or a failed file read of page ..." */
  PAGE_CORRUPTION: 'MY-011906',
  /** ER_IB_MSG_399: a data file whose first page cannot be used. */
  DATAFILE_INVALID: 'MY-012224',
  /** ER_IB_MSG_1105: InnoDB's startup gave up. */
  PLUGIN_INIT_ABORTED: 'MY-012930',
  /** ER_IB_MSG_1358: ib::fatal's message (fsync() returned EIO). */
  FATAL: 'MY-013183',
} as const;

/** InnoDB's own "file not found" code, printed as "OS error: 71" (OS_FILE_NOT_FOUND). */
export const OS_FILE_NOT_FOUND = 71;

/** Where InnoDB's data-dictionary troubleshooting page is, as 8.0 prints it. */
const TROUBLESHOOT_DATADICT = 'Please refer to http://dev.mysql.com/doc/refman/8.0/en/innodb-troubleshooting-datadict.html for how to resolve the issue.';

const errnoNumber = (code: string): number => {
  const n = (constants.errno as Record<string, number | undefined>)[code];
  return n ?? 0;
};

const STRERROR: Record<string, string> = {
  EIO: 'Input/output error',
  ENOSPC: 'No space left on device',
  EACCES: 'Permission denied',
  EROFS: 'Read-only file system',
  EDQUOT: 'Disk quota exceeded',
};

/** The lines os_file_get_last_error writes for a failed file operation with errno `code`. */
export function osErrorLines(code: string): LogLine[] {
  const n = errnoNumber(code);
  const lines: LogLine[] = [{ level: 'Error', code: LOG_CODE.OS_ERROR_NUMBER, message: `Operating system error number ${n} in a file operation.` }];
  if (code === 'ENOENT') lines.push({ level: 'Error', code: LOG_CODE.OS_ERROR_NOT_FOUND, message: 'The error means the system cannot find the path specified.' });
  else lines.push({ level: 'Error', code: LOG_CODE.OS_ERROR_MEANS, message: `Error number ${n} means '${STRERROR[code] ?? code}'` });
  return lines;
}

/**
 * A file-per-table tablespace the dictionary knows but whose file is gone (15.21.4, "Cannot Open
 * Datafile"): the four lines of the manual, in 8.0's format. `file` is './db/t.ibd', `name`
 * is 'db/t'.
 * @req INNODB-DD-002
 */
export function missingTablespaceLines(file: string, name: string): LogLine[] {
  return [
    ...osErrorLines('ENOENT'),
    { level: 'Error', code: LOG_CODE.CANNOT_OPEN_READ_ONLY, message: `Cannot open datafile for read-only: '${file}' OS error: ${OS_FILE_NOT_FOUND}` },
    { level: 'Warning', code: LOG_CODE.IGNORING_TABLESPACE, message: `Ignoring tablespace \`${name}\` because it could not be opened.` },
  ];
}

/**
 * A page that failed its checksum or structure checks: the file and offset, then the line 8.0
 * writes for a corrupt page read.
 * @req INNODB-REC-003 INNODB-FORCE-014
 */
export function pageCorruptionLines(file: string, spaceId: number, pageNo: number, pageSize: number): LogLine[] {
  return [
    { level: 'Error', code: LOG_CODE.CORRUPT_PAGE_FILE, message: `Corrupt page resides in file: ${file}, offset: ${pageNo * pageSize}, len: ${pageSize}` },
    {
      level: 'Error',
      code: LOG_CODE.PAGE_CORRUPTION,
      message: `Database page corruption on disk or a failed file read of page [page id: space=${spaceId}, page number=${pageNo}]. You may have to recover from a backup.`,
    },
  ];
}

/** What refmysqld does with a table that has corrupt pages, by innodb_force_recovery. */
export function corruptTableLine(table: string, forceRecovery: number, pages: readonly number[]): LogLine {
  const list = pages.join(', ');
  return forceRecovery >= 1
    ? {
        level: 'Warning',
        code: LOG_CODE.PAGE_CORRUPTION,
        message: `Table ${table}: innodb_force_recovery=${forceRecovery} skips its corrupt page(s) ${list}; the rows of the other pages are readable, and the tablespace file is left as it is.`,
      }
    : {
        level: 'Error',
        code: LOG_CODE.PAGE_CORRUPTION,
        message: `Table ${table} is marked as corrupted (page(s) ${list}): statements on it fail with error 1877 until it is dropped, or dumped after a restart with innodb_force_recovery=1.`,
      };
}

/** A data file whose first page cannot be used (ibdata1 empty, truncated or damaged). @req INNODB-TRBL-010 */
export function badDatafileLine(file: string, reason: string, detail: string): LogLine {
  return { level: 'Error', code: LOG_CODE.DATAFILE_INVALID, message: `${reason} in datafile: ${file}, Space ID:0, Flags: 0 (${detail}). ${TROUBLESHOOT_DATADICT}` };
}

/** The last line of a failed InnoDB startup. */
export function pluginInitAborted(what: string): LogLine {
  return { level: 'Error', code: LOG_CODE.PLUGIN_INIT_ABORTED, message: `Plugin initialization aborted with error ${what}.` };
}

/**
 * The redo log could not be written or synced. Real InnoDB aborts the server here (ib::fatal);
 * refmysqld stops accepting changes instead and keeps serving reads, so the lines say so.
 * @req INNODB-LOG-106
 */
export function redoFailureLines(code: string | undefined, detail: string): LogLine[] {
  const lines = code ? osErrorLines(code) : [];
  lines.push({
    level: 'Error',
    code: LOG_CODE.FATAL,
    message: `Writing the redo log failed (${detail}); InnoDB refuses all further changes until the server is restarted. Every transaction that was acknowledged before the failure is in the redo log.`,
  });
  return lines;
}
