/**
 * The participants of a session's transaction: one engine transaction per transactional engine
 * the transaction has used, in the order they joined, each knowing whether the running
 * statement has begun on it. Operations here act on every participant and keep going when one
 * fails, so that one engine's error never leaves another engine's transaction open; the first
 * error is reported.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/commit.html (15.3.1)
 * @req CORE-TXN-001 CORE-TXN-002
 */
import { SqlError, sqlError } from '../../kernel/errors.js';
import type { EngineTransaction, StorageEngine } from '../../storage/handler.js';

export interface Participant {
  readonly engine: StorageEngine;
  readonly txn: EngineTransaction;
  /** The running statement has begun on this participant (beginStatement was called). */
  inStatement: boolean;
}

/** An engine failure as the client sees it: SqlErrors as they are, anything else as `fallback`. */
export function asSqlError(e: unknown, fallback: 'ER_ERROR_DURING_COMMIT' | 'ER_ERROR_DURING_ROLLBACK'): SqlError {
  if (e instanceof SqlError) return e;
  return sqlError(fallback, 1, e instanceof Error ? e.message : String(e));
}

/** Run `op` on each participant in joining order; every one runs; the first failure is thrown after. */
async function each(parts: readonly Participant[], op: (p: Participant) => unknown, fallback: 'ER_ERROR_DURING_COMMIT' | 'ER_ERROR_DURING_ROLLBACK'): Promise<void> {
  let first: SqlError | null = null;
  for (const p of parts) {
    try {
      await op(p);
    } catch (e) {
      first ??= asSqlError(e, fallback);
    }
  }
  if (first) throw first;
}

/** Whether no participant changed anything (engines that cannot tell are taken to have written). @req CORE-PERF-031 */
export function wroteNothing(parts: readonly Participant[]): boolean {
  for (const p of parts) if (p.txn.wroteNothing?.() !== true) return false;
  return true;
}

/** Commit every participant (one phase, or phase two after prepare). */
export function commitEach(parts: readonly Participant[]): Promise<void> {
  return each(parts, (p) => p.txn.commit(), 'ER_ERROR_DURING_COMMIT');
}

/** Roll back every participant's whole transaction. */
export function rollbackEach(parts: readonly Participant[]): Promise<void> {
  return each(parts, (p) => p.txn.rollback(), 'ER_ERROR_DURING_ROLLBACK');
}

/** Roll back without reporting (the failure being reported is another one, or nobody listens). */
export async function rollbackQuietly(parts: readonly Participant[]): Promise<void> {
  await rollbackEach(parts).catch(() => undefined);
}

/**
 * End the running statement on the participants it began on: its changes join the
 * transaction, or (failed statement) only they are undone.
 * @req CORE-TXN-001 CORE-TXN-002
 */
export function endStatementOn(parts: readonly Participant[], ok: boolean): Promise<void> {
  const began = parts.filter((p) => p.inStatement);
  for (const p of began) p.inStatement = false;
  return each(began, (p) => (ok ? p.txn.endStatement() : p.txn.rollbackStatement()), 'ER_ERROR_DURING_ROLLBACK');
}
