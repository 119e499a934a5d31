/**
 * An open file-per-table tablespace: page reads for the buffer pool (asynchronous, or
 * synchronous for readers that may not wait), page allocation from the free list or past the end
 * of the file, and its header (page 0) kept in memory and written with each checkpoint's batch.
 *
 * The free list is a stack threaded through the free pages themselves (each names the next): a
 * page freed goes on top and is written as a free page with the checkpoint that frees it; a page
 * allocated comes off the top. Only page 0 and the pushed pages change, so the list on disk is
 * consistent whenever a checkpoint batch is.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-file-space.html (15.11.2)
 * @req INNODB-BUF-101 INNODB-LIMIT-016
 */
import { closeSync, openSync, read as readCb, readSync } from 'node:fs';
import { sqlError } from '../../../kernel/errors.js';
import { FIL_NULL } from '../page/limits.js';
import type { PoolSpace } from '../buf/buf-pool.js';
import { MAX_PAGE_NO } from './limits.js';
import { decodeSpacePage, parseTablespaceHeader, TablespaceCorruptError, type SpacePage, type StoredTablespaceHeader } from './tablespace-image.js';

export class SpaceFile implements PoolSpace<SpacePage> {
  private fd: number;
  /** Free pages, the top (next to be used) last. */
  private readonly freeList: number[];
  /** The SDI the file holds and the pages of its chain (read at open). */
  sdi: Buffer | null = null;
  sdiPages: number[] | null = null;

  private constructor(
    /** Absolute path; reads go through the descriptor, so a rename does not disturb them. */
    public path: string,
    public header: StoredTablespaceHeader,
    fd: number,
    freeList: number[],
  ) {
    this.fd = fd;
    this.freeList = freeList;
  }

  get spaceId(): number {
    return this.header.spaceId;
  }

  get pageSize(): number {
    return this.header.pageSize;
  }

  /** Open the file at `path`: its header and free list. Throws TablespaceCorruptError. */
  static open(path: string): SpaceFile {
    const fd = openSync(path, 'r');
    try {
      const probe = Buffer.alloc(65536);
      const got = readSync(fd, probe, 0, probe.length, 0);
      const size = got >= 52 ? probe.readUInt32BE(48) : 0;
      const header = parseTablespaceHeader(probe.subarray(0, Math.min(got, size || got)), path);
      const file = new SpaceFile(path, header, fd, []);
      // The free list, bottom first.
      const chain: number[] = [];
      for (let no = header.freeHead; no !== FIL_NULL && chain.length < header.pageCount; ) {
        chain.push(no);
        const p = file.readSync(no);
        no = p.kind === 'free' ? p.next : FIL_NULL;
      }
      file.freeList.push(...chain.reverse());
      // The SDI chain: its bytes (to notice a changed definition) and its pages (to free them).
      const parts: Buffer[] = [];
      const pages: number[] = [];
      let have = 0;
      for (let no = header.sdiPage; no !== FIL_NULL && have < header.sdiLength; ) {
        const p = file.readSync(no);
        if (p.kind !== 'blob') throw new TablespaceCorruptError(header.spaceId, path, no, 'a page of the SDI chain is not a BLOB page');
        pages.push(no);
        parts.push(p.data);
        have += p.data.length;
        no = p.next;
      }
      file.sdi = Buffer.concat(parts, have);
      file.sdiPages = pages;
      return file;
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  private check(pageNo: number): void {
    if (pageNo <= 0 || pageNo >= this.header.pageCount) throw new TablespaceCorruptError(this.spaceId, this.path, pageNo, `page ${pageNo} is outside the file's ${this.header.pageCount} pages`);
  }

  read(pageNo: number): Promise<SpacePage> {
    this.check(pageNo);
    const size = this.pageSize;
    const buf = Buffer.allocUnsafe(size);
    return new Promise((resolve, reject) => {
      readCb(this.fd, buf, 0, size, pageNo * size, (err, n) => {
        if (err) return reject(err);
        try {
          if (n < size) throw new TablespaceCorruptError(this.spaceId, this.path, pageNo, `page missing (file too short)`);
          resolve(decodeSpacePage(buf, pageNo, this.spaceId, this.path));
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  readSync(pageNo: number): SpacePage {
    this.check(pageNo);
    const size = this.pageSize;
    const buf = Buffer.allocUnsafe(size);
    const n = readSync(this.fd, buf, 0, size, pageNo * size);
    if (n < size) throw new TablespaceCorruptError(this.spaceId, this.path, pageNo, `page missing (file too short)`);
    return decodeSpacePage(buf, pageNo, this.spaceId, this.path);
  }

  /** A page number for a new page: the top of the free list, else one past the end. @req INNODB-LIMIT-016 */
  allocate(): number {
    const reused = this.freeList.pop();
    if (reused !== undefined) {
      this.header.freeHead = this.freeList[this.freeList.length - 1] ?? FIL_NULL;
      return reused;
    }
    if (this.header.pageCount > MAX_PAGE_NO) throw sqlError('ER_RECORD_FILE_FULL', this.header.name);
    return this.header.pageCount++;
  }

  /** Put `pageNo` on the free list; the free page to write there. */
  release(pageNo: number): SpacePage {
    const page: SpacePage = { kind: 'free', next: this.header.freeHead, gen: 0 };
    this.freeList.push(pageNo);
    this.header.freeHead = pageNo;
    return page;
  }

  get freePages(): number {
    return this.freeList.length;
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
