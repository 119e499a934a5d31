/**
 * The lock modes of the InnoDB lock system and the rules between them: which modes may be held
 * by two transactions at once, which held mode already covers a new request, and how the
 * modes are spelled in performance_schema.data_locks and in the monitor.
 *
 * Table locks have four modes. The intention modes (IS, IX) only announce that the transaction
 * locks rows of the table, so they never get in each other's way; they conflict only with the
 * whole-table modes of LOCK TABLES (S, X). Record locks have two: shared and exclusive, and
 * each covers part of the index around one record (its gap mode): the record alone
 * (`REC_NOT_GAP`), the gap before the record (`GAP`), both (a next-key lock, spelled by its mode
 * alone), or an insert intention on the gap before it (`INSERT_INTENTION`). The gap after the
 * last record belongs to the table's supremum pseudo-record.
 *
 * Gap locks only keep inserts out: they never conflict with each other nor with record locks,
 * whatever their S / X mode. An insert intention waits for gap and next-key locks of other
 * transactions on the same record, and keeps nobody waiting itself. A request on the supremum
 * is about its gap only, since there is no record to read there.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-locking.html (15.7.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-next-key-locking.html (15.7.4)
 * @req INNODB-LOCK-101 INNODB-LOCK-102 INNODB-LOCK-111 INNODB-MON-008 INNODB-LOCK-301 INNODB-LOCK-302
 */

export type TableLockMode = 'IS' | 'IX' | 'S' | 'X';
export type RecordLockMode = 'S' | 'X';
export type LockKind = 'TABLE' | 'RECORD';
export type AnyLockMode = TableLockMode | RecordLockMode;
/** Which part of the index around a record a record lock covers. @req INNODB-LOCK-301 */
export type GapMode = 'record' | 'gap' | 'next-key' | 'insert-intention';

/** The key of the supremum pseudo-record: the gap after the last record of a table. @req INNODB-LOCK-301 */
export const SUPREMUM_KEY = '\u0000supremum';
/** A record of a secondary index, as a lock names it: the index, the entry's identity (its
 *  secondary key and clustered key), and the values people read in data_locks. @req INNODB-LOCK-307 */
export interface IndexRecordRef {
  readonly indexName: string;
  readonly key: string;
  readonly keyText: string;
}

/** The supremum of a secondary index (each index has its own). @req INNODB-LOCK-307 */
export function secondarySupremumKey(indexName: string): string {
  return `${SUPREMUM_KEY}/${indexName.toLowerCase()}`;
}
/** Whether a record key names a supremum pseudo-record (of the clustered or a secondary index). */
export function isSupremumKey(key: string): boolean {
  return key === SUPREMUM_KEY || key.startsWith(SUPREMUM_KEY + '/');
}
/** data_locks.LOCK_DATA of a lock on the supremum. */
export const SUPREMUM_TEXT = 'supremum pseudo-record';

export const TABLE_LOCK_MODES: readonly TableLockMode[] = ['IS', 'IX', 'S', 'X'];
export const RECORD_LOCK_MODES: readonly RecordLockMode[] = ['S', 'X'];

/**
 * Table-level compatibility, row = one transaction's mode, column = another's. An intention
 * mode is compatible with the other intention modes and, for IS, with a table S lock; S admits
 * only readers; X admits nobody. @req INNODB-LOCK-101
 */
const TABLE_COMPATIBLE: Readonly<Record<TableLockMode, Readonly<Record<TableLockMode, boolean>>>> = {
  IS: { IS: true, IX: true, S: true, X: false },
  IX: { IS: true, IX: true, S: false, X: false },
  S: { IS: true, IX: false, S: true, X: false },
  X: { IS: false, IX: false, S: false, X: false },
};

/** Whether two different transactions may hold table modes `a` and `b` at once. @req INNODB-LOCK-101 */
export function tableModesCompatible(a: TableLockMode, b: TableLockMode): boolean {
  return TABLE_COMPATIBLE[a][b];
}

/** Whether two different transactions may hold record modes `a` and `b` at once. @req INNODB-LOCK-102 */
export function recordModesCompatible(a: RecordLockMode, b: RecordLockMode): boolean {
  return a === 'S' && b === 'S';
}

/**
 * Whether a request (`mode`, `gap`) of one transaction may be granted beside a lock (`heldMode`,
 * `heldGap`) of another on the same record (`supremum`: the supremum pseudo-record, where every
 * lock but an insert intention is a gap lock). @req INNODB-LOCK-301
 */
export function recordLocksCompatible(mode: RecordLockMode, gap: GapMode, heldMode: RecordLockMode, heldGap: GapMode, supremum = false): boolean {
  const g = supremum && gap !== 'insert-intention' ? 'gap' : gap;
  const h = supremum && heldGap !== 'insert-intention' ? 'gap' : heldGap;
  // An insert intention is a promise to insert into the gap: only locks on the gap stop it.
  // (whatever their S / X mode: even a shared gap lock keeps inserts out).
  if (g === 'insert-intention') return !(h === 'gap' || h === 'next-key');
  // Gap locks keep inserts out and nothing else; a granted insert intention blocks nobody.
  if (g === 'gap' || h === 'gap' || h === 'insert-intention') return true;
  return recordModesCompatible(mode, heldMode);
}

/** Whether a held gap mode covers everything a wanted one would. @req INNODB-LOCK-301 */
export function gapCovers(held: GapMode, wanted: GapMode): boolean {
  return held === wanted || (held === 'next-key' && (wanted === 'record' || wanted === 'gap'));
}

/** Compatibility for either kind (both modes must be of that kind). */
export function modesCompatible(kind: LockKind, a: AnyLockMode, b: AnyLockMode): boolean {
  return kind === 'TABLE'
    ? tableModesCompatible(a as TableLockMode, b as TableLockMode)
    : recordModesCompatible(a as RecordLockMode, b as RecordLockMode);
}

/**
 * Whether holding `held` already gives everything `wanted` would: X covers every mode, S
 * covers S and IS, IX covers IX and IS, IS covers only itself. A covered request is granted at
 * once without a new lock. @req INNODB-LOCK-101 INNODB-LOCK-102
 */
export function modeCovers(held: AnyLockMode, wanted: AnyLockMode): boolean {
  if (held === wanted || held === 'X') return true;
  return wanted === 'IS' && (held === 'S' || held === 'IX');
}

/**
 * LOCK_MODE as performance_schema.data_locks spells it: table locks and next-key locks by
 * their mode alone, the others with what they cover (`X,REC_NOT_GAP`, `X,GAP`,
 * `X,INSERT_INTENTION`). @req INNODB-LOCK-111 INNODB-LOCK-301
 */
export function dataLocksMode(kind: LockKind, mode: AnyLockMode, gap: GapMode = 'record'): string {
  if (kind === 'TABLE' || gap === 'next-key') return mode;
  return `${mode},${gap === 'record' ? 'REC_NOT_GAP' : gap === 'gap' ? 'GAP' : 'INSERT_INTENTION'}`;
}

/**
 * The mode part of a monitor lock line. InnoDB writes the shared record mode with a space and
 * the exclusive one with an underscore ("lock mode S", "lock_mode X"); tools that parse the
 * monitor match these exact words. @req INNODB-MON-008
 */
export function monitorRecordMode(mode: RecordLockMode, gap: GapMode = 'record'): string {
  const head = mode === 'X' ? 'lock_mode X' : 'lock mode S';
  if (gap === 'next-key') return head;
  if (gap === 'gap') return `${head} locks gap before rec`;
  if (gap === 'insert-intention') return `${head} locks gap before rec insert intention`;
  return `${head} locks rec but not gap`;
}
