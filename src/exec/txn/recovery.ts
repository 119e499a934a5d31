/**
 * Crash recovery of two-phase commits, at startup before the first connection: every engine
 * that can hold prepared transactions lists them; a prepared transaction under one of the
 * server's own XIDs is committed when the transaction-coordinator log holds its commit record
 * (phase one completed everywhere and the decision was durable) and rolled back otherwise
 * (the crash came before the decision). Transactions an external transaction manager prepared
 * with XA PREPARE stay prepared, listed by XA RECOVER, until XA COMMIT or XA ROLLBACK.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa-restrictions.html (15.3.8.3)
 * @req CORE-TXN-032
 */
import { xidKey } from '../../kernel/xid.js';
import type { StorageEngine } from '../../storage/handler.js';
import { isInternalXid } from './internal-xid.js';
import type { ServerTransactions } from './server-transactions.js';
import type { TcLog } from './tc-log.js';

export type RecoveryLog = (level: 'System' | 'Warning' | 'Note', code: string, message: string) => void;

export interface RecoveryReport {
  committed: number;
  rolledBack: number;
  /** External XA transactions left prepared. */
  external: number;
}

/** @req CORE-TXN-032 */
export async function recoverTransactions(
  services: ServerTransactions,
  engines: readonly StorageEngine[],
  tcLog: TcLog,
  log: RecoveryLog = () => undefined,
): Promise<RecoveryReport> {
  const decided = await tcLog.recover();
  const report: RecoveryReport = { committed: 0, rolledBack: 0, external: 0 };
  let started = false;
  for (const engine of engines) {
    if (!engine.recover) continue;
    const xids = await engine.recover();
    if (xids.length === 0) continue;
    log('Note', 'MY-010223', `Found ${xids.length} prepared transaction(s) in ${engine.name}`);
    for (const xid of xids) {
      if (!isInternalXid(xid)) {
        services.xa.addRecovered(xid, engine);
        report.external++;
        continue;
      }
      if (!started) {
        log('System', 'MY-010229', 'Starting XA crash recovery...');
        started = true;
      }
      services.xids.advancePast(xid);
      if (decided.has(xidKey(xid))) {
        await engine.commitByXid?.(xid);
        report.committed++;
      } else {
        await engine.rollbackByXid?.(xid);
        report.rolledBack++;
      }
    }
  }
  if (report.external > 0) log('Warning', 'MY-010224', `Found ${report.external} prepared XA transactions`);
  await tcLog.recovered();
  if (started) log('System', 'MY-010232', 'XA crash recovery finished.');
  return report;
}
