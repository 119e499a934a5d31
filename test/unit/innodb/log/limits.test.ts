/**
 * Redo log limits: block and header sizes, the capacity range of innodb_redo_log_capacity,
 * the 512 GB combined limit of the older innodb_log_file_size × innodb_log_files_in_group
 * form, and the per-file size (capacity / 32).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../../../helpers/req.js';
import {
  LOG_BLOCK_DATA_SIZE,
  LOG_BLOCK_HDR_SIZE,
  LOG_BLOCK_SIZE,
  LOG_BLOCK_TRL_SIZE,
  LOG_FILE_HDR_SIZE,
  LOG_FILES_COMBINED_MAX,
  REDO_LOG_CAPACITY_DEFAULT,
  REDO_LOG_CAPACITY_MAX,
  REDO_LOG_CAPACITY_MIN,
  REDO_LOG_FILES,
  effectiveRedoCapacity,
  redoFileSize,
  validateRedoSize,
} from '../../../../src/storage/innodb/log/limits.js';

describe('redo log limits', () => {
  it(req(['INNODB-LOG-101', 'INNODB-LOG-102'], 'unit', 'block of 512 bytes with a 12-byte header and a 4-byte trailer; 4-block file header'), () => {
    expect(LOG_BLOCK_SIZE).toBe(512);
    expect(LOG_BLOCK_HDR_SIZE).toBe(12);
    expect(LOG_BLOCK_TRL_SIZE).toBe(4);
    expect(LOG_BLOCK_DATA_SIZE).toBe(496);
    expect(LOG_FILE_HDR_SIZE).toBe(2048);
  });

  it(req(['INNODB-BAK-005', 'INNODB-LIMIT-014'], 'unit', 'capacity default 100 MiB, range 8 MiB..128 GiB, spread over 32 files'), () => {
    expect(REDO_LOG_CAPACITY_DEFAULT).toBe(104857600);
    expect(REDO_LOG_CAPACITY_MIN).toBe(8388608);
    expect(REDO_LOG_CAPACITY_MAX).toBe(137438953472);
    expect(REDO_LOG_FILES).toBe(32);
    expect(redoFileSize(104857600)).toBe(3276800);
    expect(redoFileSize(8388608)).toBe(262144);
    expect(validateRedoSize({})).toBeNull();
    expect(validateRedoSize({ innodbRedoLogCapacity: 8388608 })).toBeNull();
    expect(validateRedoSize({ innodbRedoLogCapacity: 137438953472 })).toBeNull();
    expect(validateRedoSize({ innodbRedoLogCapacity: 8388607 })).toMatch(/innodb_redo_log_capacity/);
    expect(validateRedoSize({ innodbRedoLogCapacity: 137438953473 })).toMatch(/innodb_redo_log_capacity/);
    expect(effectiveRedoCapacity({})).toBe(104857600);
  });

  it(req(['INNODB-LIMIT-014'], 'unit', 'innodb_log_file_size × innodb_log_files_in_group may not exceed 512 GB'), () => {
    const G = 1024 * 1024 * 1024;
    expect(LOG_FILES_COMBINED_MAX).toBe(512 * G);
    expect(validateRedoSize({ innodbLogFileSize: 256 * G, innodbLogFilesInGroup: 2 })).toBeNull();
    expect(validateRedoSize({ innodbLogFileSize: 256 * G + 512, innodbLogFilesInGroup: 2 })).toMatch(/512G/);
    expect(validateRedoSize({ innodbLogFileSize: 6 * G, innodbLogFilesInGroup: 100 })).toMatch(/combined/);
    expect(validateRedoSize({ innodbLogFileSize: 4 * 1024 * 1024 - 1 })).toMatch(/innodb_log_file_size/);
    expect(validateRedoSize({ innodbLogFilesInGroup: 1 })).toMatch(/innodb_log_files_in_group/);
    expect(validateRedoSize({ innodbLogFilesInGroup: 101 })).toMatch(/innodb_log_files_in_group/);
    // An explicit capacity wins over the older variables, as in 8.0.30+.
    expect(validateRedoSize({ innodbRedoLogCapacity: 8388608, innodbLogFileSize: 300 * G, innodbLogFilesInGroup: 2 })).toBeNull();
    expect(effectiveRedoCapacity({ innodbLogFileSize: 48 * 1024 * 1024, innodbLogFilesInGroup: 2 })).toBe(96 * 1024 * 1024);
    expect(effectiveRedoCapacity({ innodbLogFileSize: 200 * G, innodbLogFilesInGroup: 2 })).toBe(128 * G);
    expect(effectiveRedoCapacity({ innodbLogFileSize: 4 * 1024 * 1024, innodbLogFilesInGroup: 2 })).toBe(8 * 1024 * 1024);
  });

  it(req(['INNODB-LIMIT-014'], 'unit', 'validation: accepted settings give a capacity in range; the combined limit decides'), () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 41 }), fc.integer({ min: 0, max: 120 }), (size, files) => {
        const msg = validateRedoSize({ innodbLogFileSize: size, innodbLogFilesInGroup: files });
        const ok = size >= 4194304 && files >= 2 && files <= 100 && size * files <= 512 * 2 ** 30;
        expect(msg === null).toBe(ok);
        if (ok) {
          const cap = effectiveRedoCapacity({ innodbLogFileSize: size, innodbLogFilesInGroup: files });
          expect(validateRedoSize({ innodbRedoLogCapacity: cap })).toBeNull();
          expect(redoFileSize(cap) % 512).toBe(0);
        }
      }),
    );
  });
});
