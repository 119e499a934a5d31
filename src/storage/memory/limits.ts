/**
 * Limits of the MEMORY engine.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/memory-storage-engine.html
 * @req MEMORY-051 MEMORY-042 MEMORY-102
 */

/** Maximum indexes per MEMORY table (MEMORY-051). */
export const MEMORY_MAX_KEYS = 64;

/** Maximum columns per MEMORY index (MEMORY-051). */
export const MEMORY_MAX_KEY_PARTS = 16;

/** Maximum key length in bytes (MEMORY-051). */
export const MEMORY_MAX_KEY_LENGTH = 3072;

/** Default and minimum of max_heap_table_size (MEMORY-042). */
export const DEFAULT_MAX_HEAP_TABLE_SIZE = 16 * 1024 * 1024;
export const MIN_MAX_HEAP_TABLE_SIZE = 16384;

/** Pointer size of the modelled 64-bit server, used in the per-row memory formula (MEMORY-102). */
export const POINTER_SIZE = 8;

/** Per-row bytes a HASH key costs: two pointers (MEMORY-102). */
export const HASH_KEY_ROW_COST = 2 * POINTER_SIZE;

/** Per-row bytes a BTREE key costs on top of its key length: four pointers (MEMORY-102). */
export const BTREE_KEY_ROW_OVERHEAD = 4 * POINTER_SIZE;

/** Entries per chunk of the sorted (BTREE) index before the chunk splits (MEMORY-050, performance). */
export const SORTED_INDEX_CHUNK_MAX = 512;

/** The least rows per key the HASH index estimate assumes for a non-unique key (CORE-DET-002). */
export const HASH_MIN_ROWS_PER_KEY = 2;
