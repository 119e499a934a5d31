/**
 * The numbers of 15.22 / 15.23 as constants and small functions (src/storage/innodb/limits.ts).
 * Expected values are written out or derived here from the page layout, not taken from the
 * module under test.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../../helpers/req.js';
import {
  DEFAULT_PAGE_SIZE,
  HA_ERR_TOO_BIG_ROW,
  INNODB_MAX_KEY_LENGTH,
  INNODB_MAX_KEY_PARTS,
  INNODB_MAX_KEYS,
  KEY_BLOCK_SIZES,
  LOG_FILES_COMBINED_MAX,
  MAX_COLUMNS,
  MAX_COMPRESSED_PAGE_SIZE,
  MAX_DECLARED_ROW_SIZE,
  MAX_INDEXES,
  MAX_KEY_PARTS,
  MAX_LOB_BYTES,
  MAX_ROW_TOTAL_BYTES,
  MAX_TABLES_PER_SHARED_TABLESPACE,
  MAX_TABLESPACE_BYTES,
  PAGE_SIZES,
  RESERVED_COLUMN_NAMES,
  SERVER_MAX_COLUMNS,
  SPACE_ID_COUNT,
  defaultCompressedPageSize,
  emptyPageFreeSpace,
  isValidPageSize,
  maxCompressedRecordSize,
  maxIndexColumnLength,
  maxKeyBlockSize,
  maxKeyLength,
  maxRecordSize,
} from '../../../../src/storage/innodb/limits.js';

describe('InnoDB limits (15.22, 15.23)', () => {
  it(req(['INNODB-LIMIT-001', 'INNODB-LIMIT-101'], 'unit', '1017 columns: 1023 record fields less two sets of three system columns; the server allows 4096'), () => {
    expect(MAX_COLUMNS).toBe(1023 - 2 * 3);
    expect(MAX_COLUMNS).toBe(1017);
    expect(SERVER_MAX_COLUMNS).toBe(4096);
  });

  it(req(['INNODB-LIMIT-002', 'INNODB-LIMIT-008'], 'unit', '64 keys per table (the primary key counts), 16 parts per key'), () => {
    expect(MAX_INDEXES).toBe(64);
    expect(MAX_KEY_PARTS).toBe(16);
    expect([INNODB_MAX_KEYS, INNODB_MAX_KEY_PARTS, INNODB_MAX_KEY_LENGTH]).toEqual([64, 16, 3072]);
  });

  it(req(['INNODB-LIMIT-003', 'INNODB-LIMIT-006', 'INNODB-LIMIT-007'], 'unit', 'key length 768 / 1536 / 3072 by page size, 3072 also at 32 and 64 KB'), () => {
    expect(PAGE_SIZES.map((p) => [p, maxKeyLength(p)])).toEqual([
      [4096, 768],
      [8192, 1536],
      [16384, 3072],
      [32768, 3072],
      [65536, 3072],
    ]);
    // Proportional to 3072 at 16 KB below it.
    expect(maxKeyLength(8192)).toBe((3072 * 8192) / 16384);
    expect(maxKeyLength(4096)).toBe((3072 * 4096) / 16384);
  });

  it(req(['INNODB-LIMIT-003', 'INNODB-LIMIT-004'], 'unit', 'an indexed column or prefix: 767 bytes in REDUNDANT/COMPACT, 3072 in DYNAMIC/COMPRESSED'), () => {
    expect(maxIndexColumnLength('REDUNDANT')).toBe(767);
    expect(maxIndexColumnLength('COMPACT')).toBe(767);
    expect(maxIndexColumnLength('DYNAMIC')).toBe(3072);
    expect(maxIndexColumnLength('COMPRESSED')).toBe(3072);
    // 191 utf8mb4 characters fit in 767 bytes, 192 do not.
    expect(191 * 4).toBeLessThanOrEqual(767);
    expect(192 * 4).toBeGreaterThan(767);
  });

  it(req(['INNODB-LIMIT-009'], 'unit', 'record limit: half the free space of an empty page, 16383 at 64 KB'), () => {
    // Free space of an empty page: the page less FIL header (38), page header (36), two segment
    // headers (20), infimum+supremum (26 COMPACT / 31 REDUNDANT), FIL trailer (8), 2 slots (4).
    const compactOverhead = 38 + 36 + 20 + 26 + 8 + 4;
    const redundantOverhead = 38 + 36 + 20 + 31 + 8 + 4;
    expect(emptyPageFreeSpace(16384, true)).toBe(16384 - compactOverhead);
    expect(emptyPageFreeSpace(16384, false)).toBe(16384 - redundantOverhead);
    expect(maxRecordSize(16384, true)).toBe(8126);
    expect(maxRecordSize(16384, false)).toBe(8123);
    expect(maxRecordSize(4096, true)).toBe(1982);
    expect(maxRecordSize(8192, true)).toBe(4030);
    expect(maxRecordSize(32768, true)).toBe(16318);
    expect(maxRecordSize(65536, true)).toBe(16383);
    expect(maxRecordSize(65536, false)).toBe(16383);
    // "slightly less than half a page" for 4..32 KB.
    for (const p of [4096, 8192, 16384, 32768]) {
      expect(maxRecordSize(p, true)).toBeLessThan(p / 2);
      expect(maxRecordSize(p, true)).toBeGreaterThan(p / 2 - 100);
    }
  });

  it(req(['INNODB-LIMIT-010', 'INNODB-LIMIT-012'], 'unit', 'declared rows up to 65,535 bytes; LOBs and whole rows below 4 GB'), () => {
    expect(MAX_DECLARED_ROW_SIZE).toBe(65535);
    expect(MAX_LOB_BYTES).toBe(4294967295);
    expect(MAX_ROW_TOTAL_BYTES).toBeLessThan(4 * 1024 ** 3);
  });

  it(req(['INNODB-LIMIT-014', 'INNODB-LIMIT-016', 'INNODB-LIMIT-018', 'INNODB-LIMIT-019', 'INNODB-LIMIT-022'], 'unit', 'page sizes, tablespace sizes, space ids and the redo size are re-exported from their layers'), () => {
    expect([...PAGE_SIZES]).toEqual([4096, 8192, 16384, 32768, 65536]);
    expect(DEFAULT_PAGE_SIZE).toBe(16384);
    expect(isValidPageSize(16384)).toBe(true);
    expect(isValidPageSize(2048)).toBe(false);
    const TB = 2 ** 40;
    expect(MAX_TABLESPACE_BYTES[16384]).toBe(64 * TB);
    expect(MAX_TABLESPACE_BYTES[4096]).toBe(16 * TB);
    expect(SPACE_ID_COUNT).toBe(4294967296);
    expect(MAX_TABLES_PER_SHARED_TABLESPACE).toBe(4294967296);
    expect(LOG_FILES_COMBINED_MAX).toBe(512 * 2 ** 30);
  });

  it(req(['INNODB-RESTR-001'], 'unit', 'the internal column names'), () => {
    expect([...RESERVED_COLUMN_NAMES].sort()).toEqual(['DB_ROLL_PTR', 'DB_ROW_ID', 'DB_TRX_ID']);
  });

  it(req(['INNODB-RESTR-004'], 'unit', 'COMPRESSED up to 16 KB pages; KEY_BLOCK_SIZE values and defaults'), () => {
    expect(MAX_COMPRESSED_PAGE_SIZE).toBe(16384);
    expect([...KEY_BLOCK_SIZES]).toEqual([1, 2, 4, 8, 16]);
    expect([4096, 8192, 16384, 32768].map(maxKeyBlockSize)).toEqual([4, 8, 16, 16]);
    expect([4096, 8192, 16384].map(defaultCompressedPageSize)).toEqual([2048, 4096, 8192]);
    expect(HA_ERR_TOO_BIG_ROW).toBe(139);
  });

  it(req(['INNODB-LIMIT-102'], 'unit', 'record limit on a compressed page (page_zip_empty_size - 1)'), () => {
    // 1 KB page, 2 fields: 1024 - (94 + 15 + 1 + 1 - 5) - compressBound(6) - 1, compressBound(6) = 19.
    expect(maxCompressedRecordSize(2, 1024)).toBe(1024 - 106 - 19 - 1);
    expect(maxCompressedRecordSize(2, 2048)).toBe(1922);
    expect(maxCompressedRecordSize(2, 4096)).toBe(3970);
    expect(maxCompressedRecordSize(2000, 1024)).toBe(0);
  });
});
