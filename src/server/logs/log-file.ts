/**
 * One query log file (the general log or the slow log): opened for appending at its configured
 * name (relative names are in the datadir), created with the header when missing or reopened,
 * written a whole entry at a time with one synchronous write, so entries of concurrent
 * sessions never interleave inside a line. FLUSH LOGS closes and reopens it: a file renamed
 * away meanwhile stays complete and a new one starts at the name.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/log-file-maintenance.html (5.4.7)
 * @req CORE-LOG-001 CORE-LOG-007 CORE-LOG-021
 */
import { accessSync, closeSync, constants, openSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { sqlError } from '../../kernel/errors.js';
import type { Value } from '../../kernel/value.js';
import { LOG_FILE_MODE } from './limits.js';

/**
 * SET GLOBAL general_log_file / slow_query_log_file: the name must not be empty or an option
 * file (.cnf, .ini), and must name a writable regular file or a new file in an existing,
 * writable directory (relative names: in the datadir); 1231 otherwise, as MySQL checks.
 * @req CORE-LOG-001
 */
export function logFileNameValidator(datadir: string, variable: string): (v: Value) => Value {
  return (v: Value): Value => {
    if (typeof v !== 'string') return v;
    const refuse = (): never => {
      throw sqlError('ER_WRONG_VALUE_FOR_VAR', variable, v);
    };
    if (v === '' || /\.(ini|cnf)$/i.test(v)) refuse();
    const path = resolve(datadir, v);
    try {
      const st = statSync(path);
      if (!st.isFile()) refuse();
      accessSync(path, constants.W_OK);
      return v;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') refuse();
    }
    try {
      if (!statSync(dirname(path)).isDirectory()) refuse();
      accessSync(dirname(path), constants.W_OK);
    } catch {
      refuse();
    }
    return v;
  };
}

export class QueryLogFile {
  private fd: number | null = null;
  /** The last schema a slow log entry printed (`use db;` lines). */
  lastDb: string | null = null;

  constructor(
    private readonly datadir: string,
    private readonly header: () => string,
    private readonly onError: (message: string) => void,
  ) {}

  /** The file is open. */
  get isOpen(): boolean {
    return this.fd !== null;
  }

  /** Open `name` (relative to the datadir) for appending and write the header. */
  open(name: string): boolean {
    this.close();
    const path = resolve(this.datadir, name);
    try {
      // A directory or other non-file at the name is an error, as in MySQL.
      try {
        if (!statSync(path).isFile()) throw new Error(`${path} is not a regular file`);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      this.fd = openSync(path, 'a', LOG_FILE_MODE);
      this.lastDb = null;
      writeSync(this.fd, this.header());
      return true;
    } catch (e) {
      this.fd = null;
      this.onError(`Could not use ${name} for logging (${(e as Error).message}).`);
      return false;
    }
  }

  /** Append one whole entry. */
  write(text: string): void {
    if (this.fd === null) return;
    try {
      writeSync(this.fd, text);
    } catch (e) {
      this.onError(`Error writing file '${String(this.fd)}' (${(e as Error).message})`);
    }
  }

  close(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      /* already gone */
    }
    this.fd = null;
  }
}
