/**
 * Counters of the data-file I/O InnoDB does (tablespaces, the doublewrite file, the system
 * tablespace): the "OS file reads / writes / fsyncs" of the monitor's FILE I/O section and the
 * Innodb_data_* status variables. The redo log keeps its own counters (RedoLog.stats); the
 * monitor adds the two together, as InnoDB's os_n_file_* counters cover every file.
 *
 * One object per engine, handed to the code that does the I/O, so that two servers in one
 * process (tests) never count each other's work.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-standard-monitor.html (15.17.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-status-variables.html (Innodb_data_*)
 * @req INNODB-MON-010 INNODB-MON-103
 */

export class FileIoStats {
  /** Completed read calls and the bytes they returned. */
  reads = 0;
  bytesRead = 0;
  /** Completed write calls and the bytes they wrote. */
  writes = 0;
  bytesWritten = 0;
  /** Completed fsync / fdatasync calls (files and directories). */
  fsyncs = 0;
  /** Calls under way now. */
  pendingReads = 0;
  pendingWrites = 0;
  pendingFsyncs = 0;
  /** Pages written to tablespaces in place (Innodb_pages_written, buffer pool "written"). */
  pagesWritten = 0;
  /** Pages written to the doublewrite file and the batches that carried them (Innodb_dblwr_*). */
  doublewritePages = 0;
  doublewriteBatches = 0;

  /** Count one write call around `op`. */
  async write<T>(bytes: number, op: () => Promise<T>): Promise<T> {
    this.pendingWrites++;
    try {
      const r = await op();
      this.writes++;
      this.bytesWritten += bytes;
      return r;
    } finally {
      this.pendingWrites--;
    }
  }

  /** Count one fsync call around `op`. */
  async sync<T>(op: () => Promise<T>): Promise<T> {
    this.pendingFsyncs++;
    try {
      const r = await op();
      this.fsyncs++;
      return r;
    } finally {
      this.pendingFsyncs--;
    }
  }

  /** Count one read call around `op`, which answers the bytes read. */
  async read<T extends { length: number } | { bytesRead: number }>(op: () => Promise<T>): Promise<T> {
    this.pendingReads++;
    try {
      const r = await op();
      this.reads++;
      this.bytesRead += 'bytesRead' in r ? r.bytesRead : r.length;
      return r;
    } finally {
      this.pendingReads--;
    }
  }
}
