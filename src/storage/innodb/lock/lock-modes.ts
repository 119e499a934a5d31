/**
 * The lock modes of the InnoDB lock system and the rules between them: which modes may be held
 * by two transactions at once, which held mode already covers a new request, and how the
 * modes are spelled in performance_schema.data_locks and in the monitor.
 *
 * Table locks have four modes. The intention modes (IS, IX) only announce that the transaction
 * locks rows of the table, so they never get in each other's way; they conflict only with the
 * whole-table modes of LOCK TABLES (S, X). Record locks have two: shared and exclusive. All
 * record locks of stage 1 lock the index record alone, never the gap before it, which
 * data_locks shows as `REC_NOT_GAP`.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-locking.html (15.7.1)
 * @req INNODB-LOCK-101 INNODB-LOCK-102 INNODB-LOCK-111 INNODB-MON-008
 */

export type TableLockMode = 'IS' | 'IX' | 'S' | 'X';
export type RecordLockMode = 'S' | 'X';
export type LockKind = 'TABLE' | 'RECORD';
export type AnyLockMode = TableLockMode | RecordLockMode;

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
 * LOCK_MODE as performance_schema.data_locks spells it: table locks by their mode alone,
 * record locks with `,REC_NOT_GAP` because they never cover the gap. @req INNODB-LOCK-111
 */
export function dataLocksMode(kind: LockKind, mode: AnyLockMode): string {
  return kind === 'TABLE' ? mode : `${mode},REC_NOT_GAP`;
}

/**
 * The mode part of a monitor lock line. InnoDB writes the shared record mode with a space and
 * the exclusive one with an underscore ("lock mode S", "lock_mode X"); tools that parse the
 * monitor match these exact words. @req INNODB-MON-008
 */
export function monitorRecordMode(mode: RecordLockMode): string {
  return mode === 'X' ? 'lock_mode X locks rec but not gap' : 'lock mode S locks rec but not gap';
}
