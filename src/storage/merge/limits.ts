/**
 * MERGE limits: those of MyISAM, whose tables it is made of.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/merge-storage-engine.html (16.7)
 * @req MERGE-001 MERGE-006 MERGE-062 MERGE-091
 */

/** The only engine whose tables may be children (MERGE-062). */
export const CHILD_ENGINE = 'MyISAM';
/** The file listing the children (MERGE-006). */
export const MRG_FILE_EXT = '.MRG';
/** Keys per table, parts per key and key length: MyISAM's. */
export const MERGE_MAX_KEYS = 64;
export const MERGE_MAX_KEY_PARTS = 16;
export const MERGE_MAX_KEY_LENGTH = 1000;
