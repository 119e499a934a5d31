/**
 * The startup check of a tablespace file: every page read back, a batch at a time, and checked
 * (checksum, page number, space id, structure), so that a corrupt page is named in the error log
 * when the server starts (15.21.3) without the file ever being in memory whole.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/forcing-innodb-recovery.html (15.21.3)
 * @req INNODB-REC-003 INNODB-FORCE-014
 */
import { open } from 'node:fs/promises';
import { decodeSpacePage, TablespaceCorruptError } from './tablespace-image.js';

/** Pages read per call while scanning. */
export const SCAN_BATCH_PAGES = 64;

/** The pages of the file that fail their checks or are missing (only the first missing one). */
export async function scanTablespace(path: string, pageCount: number, pageSize: number, spaceId: number): Promise<{ corruptPages: number[] }> {
  const corrupt: number[] = [];
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(SCAN_BATCH_PAGES * pageSize);
    for (let first = 1; first < pageCount; first += SCAN_BATCH_PAGES) {
      const want = Math.min(SCAN_BATCH_PAGES, pageCount - first);
      const { bytesRead } = await fh.read(buf, 0, want * pageSize, first * pageSize);
      const whole = Math.floor(bytesRead / pageSize);
      for (let i = 0; i < whole; i++) {
        try {
          decodeSpacePage(buf.subarray(i * pageSize, (i + 1) * pageSize), first + i, spaceId, path);
        } catch (e) {
          if (!(e instanceof TablespaceCorruptError)) throw e;
          corrupt.push(first + i);
        }
      }
      if (whole < want) {
        corrupt.push(first + whole);
        break;
      }
    }
  } finally {
    await fh.close();
  }
  return { corruptPages: corrupt };
}
