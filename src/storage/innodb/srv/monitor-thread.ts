/**
 * InnoDB's background monitoring, on one timer that does not keep the process alive:
 *
 * - the main thread's loop, once a second: an active or idle loop counted for BACKGROUND
 *   THREAD, pages created noticed, the averaging window restarted once it is a minute old;
 * - innodb_status_output: while the variable is ON (it is read on every tick, so SET GLOBAL
 *   takes effect within a second), the Standard Monitor report goes to the error log every 15
 *   seconds, with the Lock Monitor's locks when innodb_status_output_locks is also ON;
 * - the buffer-pool guard of 15.21: when lock structures take more than 67 % of the buffer
 *   pool, a warning is logged once with a first report, and the report is then printed as if
 *   innodb_status_output were ON, until the share falls again.
 *
 * Lock memory: every record or table lock costs about {@link LOCK_STRUCT_BYTES} bytes of this
 * server's memory (the lock object and its queue entries), and each transaction holding locks
 * a lock heap of REPORTED_LOCK_HEAP_BYTES; their sum is compared with innodb_buffer_pool_size.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-enabling-monitors.html (15.17.2)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-troubleshooting.html (15.21)
 * @req INNODB-MON-004 INNODB-MON-106 INNODB-TRBL-004 INNODB-TRBL-005
 */
import { REPORTED_LOCK_HEAP_BYTES } from '../lock/limits.js';
import { MONITOR_OUTPUT_INTERVAL_MS } from './monitor.js';
import type { InnodbObservability } from './observability.js';
import { varNumber, varOn } from './sysvar-value.js';

/** The main thread's loop period. INNODB-MON-004 */
export const MASTER_TICK_MS = 1000;
/** Estimated bytes of one lock (object, queue slot, owner set entry). INNODB-TRBL-005 */
export const LOCK_STRUCT_BYTES = 200;
/** Share of the buffer pool lock memory may take before InnoDB starts the monitor. INNODB-TRBL-005 */
export const LOCK_MEMORY_WARN_FRACTION = 0.67;
/** Error log code of the warning (ER_IB_MSG_133). INNODB-TRBL-005 */
export const LOCK_MEMORY_WARNING_CODE = 'MY-011958';

export interface MonitorThreadOptions {
  /** Where the periodic report goes (the error log, unformatted). */
  print(text: string): void;
  /** A formatted error-log line ([InnoDB] subsystem). */
  warn(code: string, message: string): void;
  /** Test seams: the tick and output periods. */
  tickMs?: number;
  outputIntervalMs?: number;
  now?: () => number;
}

export class MonitorThread {
  private timer: NodeJS.Timeout | null = null;
  private lastOutput: number | null = null;
  /** The lock-memory guard turned the output on (srv_innodb_needs_monitoring). */
  private guardOn = false;
  private readonly now: () => number;

  constructor(
    private readonly obs: InnodbObservability,
    private readonly opts: MonitorThreadOptions,
  ) {
    this.now = opts.now ?? ((): number => Date.now());
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.opts.tickMs ?? MASTER_TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** Estimated bytes of lock structures now. @req INNODB-TRBL-005 */
  lockMemoryBytes(): number {
    let bytes = 0;
    for (const trx of this.obs.transactions()) {
      const n = this.obs.locks.summary(trx).lockStructs;
      if (n > 0) bytes += n * LOCK_STRUCT_BYTES + REPORTED_LOCK_HEAP_BYTES;
    }
    return bytes;
  }

  /** One loop of the background thread. */
  tick(): void {
    const now = this.now();
    const monitor = this.obs.monitor;
    monitor.tick(now);
    this.guard();
    const wanted = varOn(this.obs.globalVar('innodb_status_output')) || this.guardOn;
    if (!wanted) {
      this.lastOutput = null;
      return;
    }
    const every = this.opts.outputIntervalMs ?? MONITOR_OUTPUT_INTERVAL_MS;
    if (this.lastOutput === null) this.lastOutput = now;
    if (now - this.lastOutput < every) return;
    this.lastOutput = now;
    this.opts.print(monitor.report(now));
  }

  /** The 67 % rule: warn once and keep the output on while lock memory stays above it. @req INNODB-TRBL-005 */
  private guard(): void {
    const poolBytes = varNumber(this.obs.globalVar('innodb_buffer_pool_size'), 134217728);
    const over = this.lockMemoryBytes() > poolBytes * LOCK_MEMORY_WARN_FRACTION;
    if (over && !this.guardOn) {
      this.guardOn = true;
      const mb = Math.floor(poolBytes / (1024 * 1024));
      this.opts.warn(
        LOCK_MEMORY_WARNING_CODE,
        `Over 67 percent of the buffer pool is occupied by lock heaps or the adaptive hash index! Check that your transactions do not set too many row locks. Your buffer pool size is ${mb} MB. Maybe you should make the buffer pool bigger?. Starting the InnoDB Monitor to print diagnostics, including lock heap and hash index sizes.`,
      );
      // The first diagnostics go out with the warning; later ones every output interval.
      const now = this.now();
      this.lastOutput = now;
      this.opts.print(this.obs.monitor.report(now));
    } else if (!over && this.guardOn) {
      this.guardOn = false;
    }
  }
}
