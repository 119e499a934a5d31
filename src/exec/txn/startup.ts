/**
 * The transaction services at server startup: choose the transaction-coordinator log as MySQL
 * does without a binary log (a file when two or more engines can prepare, else none that
 * lasts), then resolve the prepared transactions the engines hold before the first connection.
 * A tc.log left by an earlier run is always read, so a crash is recovered even if an engine
 * has been removed since.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-options.html#option_mysqld_log-tc
 * @req CORE-TXN-032 CORE-TXN-033
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { StorageEngine } from '../../storage/handler.js';
import { TC_LOG_DEFAULT_NAME, TC_LOG_DEFAULT_SIZE } from './limits.js';
import { recoverTransactions, type RecoveryLog } from './recovery.js';
import { ServerTransactions } from './server-transactions.js';
import { FileTcLog } from './tc-log-file.js';
import { VolatileTcLog, type TcLog } from './tc-log.js';

export interface TransactionStartup {
  datadir: string;
  serverId: number;
  /** The active engines (initialised). */
  engines: () => readonly StorageEngine[];
  /** --log-tc: the log's file name, relative to the data directory. */
  logTc?: string;
  /** --log-tc-size in bytes. */
  logTcSize?: number;
  log?: RecoveryLog;
}

/** Engines able to take part in two-phase commit and to be recovered. */
function twoPhaseEngines(engines: readonly StorageEngine[]): StorageEngine[] {
  return engines.filter((e) => e.capabilities.xa && e.recover !== undefined);
}

/** @req CORE-TXN-032 CORE-TXN-033 */
export async function startTransactions(opts: TransactionStartup): Promise<ServerTransactions> {
  const path = resolve(opts.datadir, opts.logTc ?? TC_LOG_DEFAULT_NAME);
  const useFile = twoPhaseEngines(opts.engines()).length >= 2 || existsSync(path);
  const tcLog: TcLog = useFile ? await FileTcLog.open(path, opts.logTcSize ?? TC_LOG_DEFAULT_SIZE) : new VolatileTcLog();
  const services = new ServerTransactions({ serverId: opts.serverId, tcLog, engines: opts.engines });
  try {
    await recoverTransactions(services, opts.engines(), tcLog, opts.log);
  } catch (e) {
    await tcLog.close();
    throw e;
  }
  return services;
}
