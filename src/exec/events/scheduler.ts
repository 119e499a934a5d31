/**
 * The event scheduler: while event_scheduler is ON it sleeps until the next event is due, starts
 * each due event's body in a session of its own (running as the event's definer, in the event's
 * schema, with the sql_mode and time zone the event was created with), and records the run.
 *
 * MySQL runs each execution in a thread of its own, so a slow body never delays the next event,
 * and two runs of one event may overlap; here each run is an independent async task, with the
 * same effect. An execution's failure is written to the error log, never to a client. When a
 * one-time event has run, or a recurring one has passed its ENDS, it is dropped (ON COMPLETION
 * NOT PRESERVE) or disabled (PRESERVE). Runs the scheduler missed while it was off, or while the
 * process was busy, are not caught up: the next run is the next point of the schedule.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/events-configuration.html (25.4.2)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/events-overview.html (25.4.1)
 * @req CORE-EVT-005 CORE-EVT-006 CORE-EVT-010
 */
import type { EventDef } from '../../catalog/dictionary-store.js';
import { SqlError } from '../../kernel/errors.js';
import { nextRecurrence } from './interval.js';
import { SCHEDULER_MAX_SLEEP_MS } from './limits.js';

/** What the scheduler needs of the server. */
export interface SchedulerHost {
  listEvents(): EventDef[];
  getEvent(schema: string, name: string): EventDef | undefined;
  putEvent(def: EventDef, previous?: EventDef): Promise<void>;
  dropEvent(schema: string, name: string): Promise<void>;
  /** Run the event's body as its definer; rejects with the body's error. */
  runBody(def: EventDef): Promise<void>;
  log(level: 'Error' | 'Note' | 'System', code: string, message: string): void;
  /** A connection id for the scheduler's own PROCESSLIST row. */
  nextConnectionId(): number;
}

/** The scheduler's own row in SHOW PROCESSLIST while it runs. @req CORE-EVT-010 */
export interface SchedulerThread {
  id: number;
  since: number;
  state: 'Waiting on empty queue' | 'Waiting for next activation';
}

function keyOf(e: { schema: string; name: string }): string {
  return e.schema + '\u0000' + e.name.toLowerCase();
}

/** `root@localhost` from the stored `` `root`@`localhost` ``, as the error log names a definer. */
function plainDefiner(definer: string): string {
  return definer.replace(/`((?:[^`]|``)*)`/g, (_m, s: string) => s.replace(/``/g, '`'));
}

export class EventScheduler {
  private timer: NodeJS.Timeout | null = null;
  private thread: { id: number; since: number } | null = null;
  /** When each enabled event runs next (by key). */
  private readonly due = new Map<string, number>();
  /** The latest run started per event, so a recomputation never repeats it. */
  private readonly lastRun = new Map<string, number>();
  /** Runs in progress (stop() lets them finish). */
  private readonly inFlight = new Set<Promise<void>>();
  private ticking = false;

  constructor(private readonly host: SchedulerHost) {}

  get running(): boolean {
    return this.thread !== null;
  }

  /** event_scheduler=ON. @req CORE-EVT-005 */
  start(): void {
    if (this.thread) return;
    this.thread = { id: this.host.nextConnectionId(), since: Date.now() };
    this.host.log('System', 'MY-010048', `Event Scheduler: scheduler thread started with id ${this.thread.id}`);
    this.changed();
  }

  /** event_scheduler=OFF (or shutdown): no new runs; runs in progress finish. @req CORE-EVT-005 */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.thread) {
      this.host.log('System', 'MY-010049', `Event Scheduler: Killing the scheduler thread, thread id ${this.thread.id}`);
      this.thread = null;
    }
    this.due.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  /** PROCESSLIST row of the scheduler, while it runs. */
  threadInfo(): SchedulerThread | null {
    if (!this.thread) return null;
    // While a tick runs, the events it took from the queue are being planned again.
    const empty = this.due.size === 0 && !this.ticking;
    return { ...this.thread, state: empty ? 'Waiting on empty queue' : 'Waiting for next activation' };
  }

  /** The events changed (CREATE/ALTER/DROP EVENT, DROP DATABASE): plan again. @req CORE-EVT-006 */
  changed(): void {
    if (!this.thread) return;
    const now = Date.now();
    this.due.clear();
    for (const e of this.host.listEvents()) {
      if (e.status !== 'ENABLED') continue;
      const t = this.nextRun(e, now);
      if (t !== null) this.due.set(keyOf(e), t);
      else if (e.executeAt === null && e.ends !== null && e.ends < now) void this.complete(e);
    }
    this.arm();
  }

  /** The next run of an enabled event at or after `now`, or null when it will not run again. */
  private nextRun(e: EventDef, now: number): number | null {
    const ran = Math.max(e.lastExecuted ?? -Infinity, this.lastRun.get(keyOf(e)) ?? -Infinity);
    if (e.executeAt !== null) return ran >= e.executeAt ? null : e.executeAt;
    if (e.intervalValue === null || e.intervalField === null || e.starts === null) return null;
    // Whole seconds, as MySQL's clock: an event whose STARTS is this second runs now.
    const nowSec = Math.floor(now / 1000) * 1000;
    const notBefore = Number.isFinite(ran) ? Math.max(nowSec, ran + 1) : nowSec;
    const t = nextRecurrence(e.starts, e.intervalValue, e.intervalField, notBefore);
    return e.ends !== null && t > e.ends ? null : t;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.thread || this.due.size === 0) return;
    const first = Math.min(...this.due.values());
    const wait = Math.max(0, Math.min(first - Date.now(), SCHEDULER_MAX_SLEEP_MS));
    this.timer = setTimeout(() => void this.tick(), wait);
    // The scheduler alone never keeps the process alive.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (!this.thread || this.ticking) return;
    this.ticking = true;
    try {
      const now = Date.now();
      for (const [key, at] of [...this.due]) {
        if (at > now) continue;
        const e = this.host.listEvents().find((x) => keyOf(x) === key);
        this.due.delete(key);
        if (!e || e.status !== 'ENABLED') continue;
        this.lastRun.set(key, at);
        this.launch(e);
        await this.recordRun(e, at);
      }
    } finally {
      this.ticking = false;
    }
    this.changed();
  }

  /** Start one execution; its failure goes to the error log. @req CORE-EVT-006 */
  private launch(e: EventDef): void {
    const run = this.host.runBody(e).then(
      () => undefined,
      (err: unknown) => {
        const who = `[${plainDefiner(e.definer)}][${e.schema}.${e.name}]`;
        const msg = err instanceof SqlError ? err.message : String((err as Error)?.message ?? err);
        this.host.log('Error', 'MY-010045', `Event Scheduler: ${who} ${msg}`);
        this.host.log('Note', 'MY-010046', `Event Scheduler: [${plainDefiner(e.definer)}].[${e.schema}.${e.name}] event execution failed.`);
      },
    );
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  /** LAST_EXECUTED, and the end of a one-time event (or of a recurring one past ENDS). */
  private async recordRun(e: EventDef, at: number): Promise<void> {
    const current = this.host.getEvent(e.schema, e.name);
    if (!current) return;
    const ran: EventDef = { ...current, lastExecuted: at };
    const finished = current.executeAt !== null || this.nextRun(ran, at + 1) === null;
    try {
      if (finished) await this.complete(ran);
      else await this.host.putEvent(ran, current);
    } catch (err) {
      this.host.log('Error', 'MY-010045', `Event Scheduler: [${plainDefiner(e.definer)}][${e.schema}.${e.name}] ${String((err as Error)?.message ?? err)}`);
    }
  }

  /** A schedule that will not fire again: drop the event, or keep it disabled. @req CORE-EVT-006 */
  private async complete(e: EventDef): Promise<void> {
    const current = this.host.getEvent(e.schema, e.name);
    if (!current) return;
    if (!current.preserve) await this.host.dropEvent(current.schema, current.name);
    else await this.host.putEvent({ ...current, lastExecuted: e.lastExecuted, status: 'DISABLED' }, current);
  }
}
