/**
 * What the sessions' transactions share server-wide: the source of internal XIDs, the XA
 * registry (branches by XID, detached prepared ones included), and the transaction-coordinator
 * log behind its group-commit queue. The server composes one at startup (src/server/compose.ts:
 * the file log when two or more two-phase-commit engines are installed, then recovery); a
 * session whose dependencies carry none gets a volatile one of its own server.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa.html (15.3.8)
 * @req CORE-TXN-030 CORE-TXN-031
 */
import type { StorageEngine } from '../../storage/handler.js';
import type { ExecDeps } from '../deps.js';
import { GroupCommit } from './group-commit.js';
import { InternalXidSource } from './internal-xid.js';
import { VolatileTcLog, type TcLog } from './tc-log.js';
import { XaRegistry } from './xa-registry.js';

export interface ServerTransactionsOptions {
  serverId: number;
  /** The transaction-coordinator log (default: a volatile one). */
  tcLog?: TcLog;
  /** The active engines (START TRANSACTION WITH CONSISTENT SNAPSHOT starts a transaction in each). */
  engines?: () => readonly StorageEngine[];
}

export class ServerTransactions {
  readonly xa = new XaRegistry();
  readonly xids: InternalXidSource;
  readonly groupCommit: GroupCommit;
  private readonly listEngines: () => readonly StorageEngine[];

  constructor(opts: ServerTransactionsOptions) {
    this.xids = new InternalXidSource(opts.serverId);
    this.groupCommit = new GroupCommit(opts.tcLog ?? new VolatileTcLog());
    this.listEngines = opts.engines ?? (() => []);
  }

  get tcLog(): TcLog {
    return this.groupCommit.log;
  }

  engines(): readonly StorageEngine[] {
    return this.listEngines();
  }
}

const fallback = new WeakMap<ExecDeps, ServerTransactions>();

/** The server's transaction services: the composed ones, else one volatile set per deps object. */
export function serverTransactions(deps: ExecDeps): ServerTransactions {
  if (deps.transactions) return deps.transactions;
  let s = fallback.get(deps);
  if (!s) {
    s = new ServerTransactions({ serverId: deps.serverId });
    fallback.set(deps, s);
  }
  return s;
}
