/**
 * Server-side files of LOAD DATA INFILE and SELECT ... INTO OUTFILE / DUMPFILE: where a name
 * points (a bare name is in the schema's directory under the datadir, another relative name is
 * relative to the datadir), the secure_file_priv rule (NULL: no file operations at all; '':
 * anywhere; a directory: only files inside it, else 1290), the FILE privilege (1045 without it),
 * reading a file (13 when it does not exist, 1085 when it is not a regular file or FIFO, 29 when
 * it cannot be opened) and creating one that must not exist yet (1086).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/load-data.html (Input File Name, Location, and Content Interpretation)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_secure_file_priv
 * @spec https://dev.mysql.com/doc/refman/8.0/en/privileges-provided.html#priv_file
 * @req CORE-LOAD-010 CORE-LOAD-011 CORE-LOAD-012 CORE-LOAD-013 CORE-LOAD-023
 */
import { closeSync, constants, existsSync, openSync, readFileSync, realpathSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { sqlError } from '../../kernel/errors.js';
import type { Session } from '../session.js';
import { OUTFILE_MODE } from './limits.js';

/** The OS error text MySQL prints after an errno. */
function osError(e: unknown): { errno: number; text: string } {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return { errno: 2, text: 'No such file or directory' };
    case 'EACCES': return { errno: 13, text: 'Permission denied' };
    case 'EISDIR': return { errno: 21, text: 'Is a directory' };
    case 'ENOTDIR': return { errno: 20, text: 'Not a directory' };
    case 'EEXIST': return { errno: 17, text: 'File exists' };
    case 'ENOSPC': return { errno: 28, text: 'No space left on device' };
    default: return { errno: Math.abs((e as NodeJS.ErrnoException).errno ?? 5), text: (e as Error).message };
  }
}

/**
 * The path a statement's file name stands for: a name without a directory part is in the
 * directory of `schema` under the datadir, another relative name is relative to the datadir.
 * @req CORE-LOAD-012
 */
export function serverPath(session: Session, name: string, schema: string | null): string {
  const datadir = String(session.sysvar('datadir') ?? '.');
  if (isAbsolute(name)) return resolve(name);
  if (!name.includes('/')) return join(datadir, schema ?? '', name);
  return resolve(datadir, name);
}

/** The directory of a path with symbolic links resolved where it exists. */
function realDir(path: string): string {
  let dir = dirname(path);
  try {
    dir = realpathSync(dir);
  } catch {
    // A directory that does not exist is compared as written.
  }
  return dir.endsWith('/') ? dir : dir + '/';
}

/**
 * secure_file_priv: NULL refuses every file operation, '' allows any path, a directory allows
 * the files inside it; otherwise 1290.
 * @req CORE-LOAD-010
 */
export function checkSecurePath(session: Session, path: string): void {
  const priv = session.sysvar('secure_file_priv');
  if (priv === null) throw sqlError('ER_OPTION_PREVENTS_STATEMENT', '--secure-file-priv');
  const dir = String(priv);
  if (dir === '') return;
  if (!realDir(path).startsWith(dir.endsWith('/') ? dir : dir + '/')) throw sqlError('ER_OPTION_PREVENTS_STATEMENT', '--secure-file-priv');
}

/**
 * The global FILE privilege, needed by LOAD DATA without LOCAL and by SELECT ... INTO OUTFILE /
 * DUMPFILE; MySQL answers its absence with 1045.
 * @req CORE-LOAD-011
 */
export function requireFilePrivilege(session: Session): void {
  if (session.deps.accounts.hasGlobal(session, 'FILE')) return;
  // MySQL names the account (its host pattern), as for other global privilege failures.
  throw sqlError('ER_ACCESS_DENIED_ERROR', session.account.user, session.account.host, session.account.authString !== '' ? 'YES' : 'NO');
}

/**
 * Read a server-side input file whole: 13 when it cannot be found, 1085 when it is not a
 * regular file or FIFO, 29 when it cannot be opened.
 * @req CORE-LOAD-013
 */
export async function readServerFile(path: string): Promise<Buffer> {
  // Asynchronous: a FIFO waits for its writer without stopping other sessions.
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    const o = osError(e);
    throw sqlError('EE_STAT', path, o.errno, o.text);
  }
  if (!st.isFile() && !st.isFIFO()) throw sqlError('ER_TEXTFILE_NOT_READABLE', path);
  try {
    return await readFile(path);
  } catch (e) {
    const o = osError(e);
    throw sqlError('EE_FILENOTFOUND', path, o.errno, o.text);
  }
}

/** A file being written by SELECT ... INTO OUTFILE / DUMPFILE. */
export class OutputFile {
  private fd: number;
  private chunks: Buffer[] = [];
  private pending = 0;

  private constructor(readonly path: string, fd: number) {
    this.fd = fd;
  }

  /**
   * Create a file that must not exist yet (1086, naming the file as the statement wrote it);
   * an impossible path is error 1 (can't create/write).
   * @req CORE-LOAD-023
   */
  static create(path: string, written: string): OutputFile {
    if (existsSync(path)) throw sqlError('ER_FILE_EXISTS_ERROR', written);
    try {
      return new OutputFile(path, openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, OUTFILE_MODE));
    } catch (e) {
      const o = osError(e);
      if (o.errno === 17) throw sqlError('ER_FILE_EXISTS_ERROR', written);
      throw sqlError('EE_CANTCREATEFILE', path, o.errno, o.text);
    }
  }

  write(b: Buffer, flushAt: number): void {
    this.chunks.push(b);
    this.pending += b.length;
    if (this.pending >= flushAt) this.flush();
  }

  private flush(): void {
    if (this.pending === 0) return;
    const data = Buffer.concat(this.chunks, this.pending);
    this.chunks = [];
    this.pending = 0;
    try {
      let off = 0;
      while (off < data.length) off += writeSync(this.fd, data, off);
    } catch (e) {
      const o = osError(e);
      throw sqlError('ER_ERROR_ON_WRITE', this.path, o.errno, o.text);
    }
  }

  /** Finish the file. */
  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = -1;
    }
  }

  /** The statement failed: the file goes away, as in MySQL. */
  discard(): void {
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = -1;
    }
    try {
      unlinkSync(this.path);
    } catch {
      // nothing to remove
    }
  }
}


/**
 * LOAD_FILE(name): the file's bytes, or null (never an error) when the account lacks FILE,
 * secure_file_priv does not cover it, it is not a regular file readable by everyone or cannot be
 * read; a file longer than max_allowed_packet is null with warning 1301. A relative name is
 * relative to the datadir. Synchronous, as the function is; the size check comes before reading.
 * @req CORE-FN-007
 */
export function loadFileForFunction(session: Session, name: string): Buffer | null {
  if (!session.deps.accounts.hasGlobal(session, 'FILE')) return null;
  const datadir = String(session.sysvar('datadir') ?? '.');
  const path = resolve(datadir, name);
  try {
    checkSecurePath(session, path);
  } catch {
    return null;
  }
  try {
    const st = statSync(path);
    // MySQL reads only regular files that every user may read.
    if (!st.isFile() || (st.mode & constants.S_IROTH) === 0) return null;
    const max = Number(session.sysvar('max_allowed_packet') ?? 0);
    if (st.size > max) {
      session.warn('Warning', 'ER_WARN_ALLOWED_PACKET_OVERFLOWED', 'load_file', max);
      return null;
    }
    return readFileSync(path);
  } catch {
    return null;
  }
}
