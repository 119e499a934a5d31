/**
 * Limits and fixed sizes of the MyISAM engine: key counts and lengths, the file layout's
 * constants, and the defaults of the engine's variables that the engine itself applies.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/myisam-storage-engine.html (16.2)
 * @req MYISAM-011 MYISAM-012 MYISAM-013 MYISAM-014 MYISAM-047 MYISAM-130
 */

/** Maximum indexes per table (MYISAM-011). */
export const MYISAM_MAX_KEYS = 64;
/** Maximum parts per index (MYISAM-012). */
export const MYISAM_MAX_KEY_PARTS = 16;
/** Maximum key length in bytes (MYISAM-013). */
export const MYISAM_MAX_KEY_LENGTH = 1000;

/** Default key block (index page) size (MYISAM-014, myisam-block-size). */
export const KEY_BLOCK_SIZE = 1024;
/** Keys longer than this get a bigger key block (MYISAM-014). */
export const LONG_KEY_THRESHOLD = 250;
/** Key block size for tables with long keys (MYISAM-014). */
export const LONG_KEY_BLOCK_SIZE = 2048;

/** Default of myisam_data_pointer_size, and its range (MYISAM-047). */
export const DEFAULT_DATA_POINTER_SIZE = 6;
export const MIN_DATA_POINTER_SIZE = 2;
export const MAX_DATA_POINTER_SIZE = 7;

/** Magic number opening every .MYI (Appendix A). */
export const MYI_MAGIC = Buffer.from([0xfe, 0xfe, 0x07, 0x01]);

/** .MYI state flags at offset 26 (Appendix A, MYISAM-026). */
export const STATE_CHANGED = 0x01;
export const STATE_CRASHED = 0x02;
export const STATE_CRASHED_ON_REPAIR = 0x04;
export const STATE_NOT_ANALYZED = 0x08;
export const STATE_NOT_OPTIMIZED_KEYS = 0x10;
export const STATE_NOT_SORTED_PAGES = 0x20;

/** Create-option bits of the .MYI header (offset 4). */
export const OPTION_PACK_RECORD = 0x0001;
export const OPTION_PACK_KEYS = 0x0002;
/** The data file is in the compressed, read-only format (refmyisampack; MYISAM-110). */
export const OPTION_COMPRESS_RECORD = 0x0004;
export const OPTION_CHECKSUM = 0x0020;
export const OPTION_DELAY_KEY_WRITE = 0x0040;

/** Smallest block of a dynamic-format data file (a freed block shorter than this is never split off). */
export const MIN_DYNAMIC_BLOCK = 20;
/** Header of a dynamic-format block: type byte, block length (4), data length (4). */
export const DYNAMIC_BLOCK_HEADER = 9;

/** The largest row a table can hold apart from BLOB/TEXT contents (MYISAM-032). */
export const MAX_ROW_SIZE = 65535;
