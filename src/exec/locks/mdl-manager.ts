/**
 * The metadata lock manager: one lock object per locked name (created on first use, kept
 * while idle up to a bound), with its granted tickets and its queue of waiting ones.
 *
 * A request is granted when no other session holds an incompatible type and no waiting request
 * has priority over it (the two matrices of {@link ./mdl-types.ts}). A session's own locks
 * never block it: that is what lets ALTER upgrade its SHARED_UPGRADABLE lock while it keeps
 * reading, and LOCK TABLES sessions run DDL on the tables they locked. Whenever a ticket leaves
 * (release, withdrawal after a timeout or KILL), the waiting tickets are looked at again in
 * queue order.
 *
 * The manager also counts, in {@link MdlManager.epoch}, every grant and release of an EXCLUSIVE
 * lock. A statement that opened its tables before its locks were granted compares the epoch to
 * know whether a DDL may have changed them in between.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/metadata-locking.html (10.11.4)
 * @req CORE-MDL-001 CORE-MDL-002 CORE-MDL-013
 */
import { DEADLOCK_WEIGHT_DDL, DEADLOCK_WEIGHT_DML, DEADLOCK_WEIGHT_ULL, FIRST_TICKET_ADDRESS, MAX_IDLE_LOCK_OBJECTS } from './limits.js';
import {
  grantedIncompatible,
  mdlKey,
  pendingIncompatible,
  typeBit,
  typeIndex,
  validType,
  type MdlDuration,
  type MdlNamespace,
  type MdlRequest,
  type MdlType,
} from './mdl-types.js';
import { PendingWait } from './pending-wait.js';
import type { LockOwner } from './wait-graph.js';

let nextTicket = 0;

/** One lock held or asked for by one session. */
export class MdlTicket {
  /** Numbers tickets (OBJECT_INSTANCE_BEGIN is derived from it). */
  readonly serial = ++nextTicket;
  status: 'GRANTED' | 'PENDING' = 'PENDING';
  /** For a pending upgrade: the granted ticket whose type changes when this is granted. */
  upgradeOf: MdlTicket | null = null;
  /** The wait of a pending ticket. */
  wait: PendingWait | null = null;

  constructor(
    readonly lock: MdlLock,
    readonly owner: LockOwner,
    public type: MdlType,
    public duration: MdlDuration,
    readonly source: string,
    /** OWNER_EVENT_ID: the owner's statement that took it. */
    readonly eventId: number,
  ) {}

  /** OBJECT_INSTANCE_BEGIN: unique per ticket, shaped like an address. */
  get address(): bigint {
    return FIRST_TICKET_ADDRESS + BigInt(this.serial) * 64n;
  }
}

/** The lock object of one name. */
export class MdlLock {
  readonly granted: MdlTicket[] = [];
  readonly waiting: MdlTicket[] = [];
  constructor(
    readonly key: string,
    readonly namespace: MdlNamespace,
    readonly schema: string,
    readonly name: string,
  ) {}
}

/** Deadlock weight of a waiting request: DDL-like waits (GLOBAL, SU and stronger) weigh more. @req CORE-MDL-006 */
function weightOf(ns: MdlNamespace, type: MdlType): number {
  if (ns === 'USER_LEVEL_LOCK') return DEADLOCK_WEIGHT_ULL; // @req CORE-LOCK-014
  return ns === 'GLOBAL' || typeIndex(type) >= typeIndex('SHARED_UPGRADABLE') ? DEADLOCK_WEIGHT_DDL : DEADLOCK_WEIGHT_DML;
}

export class MdlManager {
  private readonly locks = new Map<string, MdlLock>();
  /** Grants and releases of EXCLUSIVE locks so far. */
  epoch = 0;

  private lockFor(req: MdlRequest): MdlLock {
    if (!validType(req.namespace, req.type)) throw new Error(`metadata lock type ${req.type} is not valid for ${req.namespace}`);
    const key = mdlKey(req.namespace, req.schema, req.name);
    let lock = this.locks.get(key);
    if (!lock) {
      lock = new MdlLock(key, req.namespace, req.schema, req.name);
      this.locks.set(key, lock);
    }
    return lock;
  }

  /**
   * Grant without looking at other sessions: the owner already holds a lock that covers the
   * request (MySQL clones the ticket for the new duration).
   */
  grantCovered(owner: LockOwner, req: MdlRequest, eventId: number): MdlTicket {
    const t = new MdlTicket(this.lockFor(req), owner, req.type, req.duration, req.source ?? '', eventId);
    this.addGranted(t);
    return t;
  }

  /**
   * Ask for a lock: the ticket comes back GRANTED, or PENDING with a wait that the lock
   * manager settles when it grants it.
   * @req CORE-MDL-001 CORE-MDL-002
   */
  request(owner: LockOwner, req: MdlRequest, eventId: number): MdlTicket {
    const lock = this.lockFor(req);
    const t = new MdlTicket(lock, owner, req.type, req.duration, req.source ?? '', eventId);
    if (this.canGrant(lock, req.type, owner, null)) {
      this.addGranted(t);
      return t;
    }
    this.enqueue(t);
    return t;
  }

  /**
   * Upgrade a granted ticket to a stronger type (SU -> SNW -> X for ALTER TABLE). Returns null
   * when the upgrade is done at once, else the pending request whose grant changes the ticket.
   * @req CORE-MDL-013
   */
  requestUpgrade(ticket: MdlTicket, to: MdlType): MdlTicket | null {
    const lock = ticket.lock;
    if (this.canGrant(lock, to, ticket.owner, null)) {
      this.applyUpgrade(ticket, to);
      return null;
    }
    const t = new MdlTicket(lock, ticket.owner, to, ticket.duration, ticket.source, ticket.eventId);
    t.upgradeOf = ticket;
    this.enqueue(t);
    return t;
  }

  /** Weaken a granted lock (FLUSH TABLES t WITH READ LOCK: EXCLUSIVE down to SHARED_NO_WRITE). */
  downgrade(ticket: MdlTicket, to: MdlType): void {
    if (ticket.status !== 'GRANTED' || ticket.type === to) return;
    if (ticket.type === 'EXCLUSIVE') this.epoch++;
    ticket.type = to;
    this.reschedule(ticket.lock);
  }

  /** Give a granted lock back. */
  release(ticket: MdlTicket): void {
    const lock = ticket.lock;
    const i = lock.granted.indexOf(ticket);
    if (i < 0) return;
    lock.granted.splice(i, 1);
    if (ticket.type === 'EXCLUSIVE') this.epoch++;
    this.afterRemoval(lock);
  }

  /** Every lock, granted and pending (performance_schema.metadata_locks). @req CORE-MDL-011 */
  snapshot(): MdlTicket[] {
    const out: MdlTicket[] = [];
    for (const lock of this.locks.values()) out.push(...lock.granted, ...lock.waiting);
    return out;
  }

  /** The owners holding a granted lock on a name (IS_USED_LOCK, RELEASE_LOCK). @req CORE-LOCK-012 */
  holders(req: Pick<MdlRequest, 'namespace' | 'schema' | 'name'>): LockOwner[] {
    const lock = this.locks.get(mdlKey(req.namespace, req.schema, req.name));
    return lock ? lock.granted.map((t) => t.owner) : [];
  }

  /** Owners that keep a pending ticket waiting (the edges of the wait-for graph). @req CORE-MDL-006 */
  blockersOf(t: MdlTicket): LockOwner[] {
    const out = new Set<LockOwner>();
    const ns = t.lock.namespace;
    const gi = grantedIncompatible(ns, t.type);
    const pi = pendingIncompatible(ns, t.type);
    for (const g of t.lock.granted) if (g.owner !== t.owner && (gi & typeBit(g.type)) !== 0) out.add(g.owner);
    for (const w of t.lock.waiting) if (w !== t && w.owner !== t.owner && (pi & typeBit(w.type)) !== 0) out.add(w.owner);
    return [...out];
  }

  private enqueue(t: MdlTicket): void {
    t.lock.waiting.push(t);
    t.wait = new PendingWait(weightOf(t.lock.namespace, t.type), () => this.blockersOf(t), () => this.withdraw(t), t.lock.namespace === 'USER_LEVEL_LOCK');
  }

  /** A pending ticket gave up (timeout, KILL, deadlock victim). */
  private withdraw(t: MdlTicket): void {
    const lock = t.lock;
    const i = lock.waiting.indexOf(t);
    if (i < 0) return;
    lock.waiting.splice(i, 1);
    this.afterRemoval(lock);
  }

  private afterRemoval(lock: MdlLock): void {
    if (lock.granted.length === 0 && lock.waiting.length === 0) {
      // Kept for the next statement on the same name, up to a bound.
      if (this.locks.size > MAX_IDLE_LOCK_OBJECTS) this.locks.delete(lock.key);
      return;
    }
    this.reschedule(lock);
  }

  /**
   * A request may be granted when no other owner holds an incompatible lock and no other
   * waiting request has priority over it.
   */
  private canGrant(lock: MdlLock, type: MdlType, owner: LockOwner, self: MdlTicket | null): boolean {
    const pi = pendingIncompatible(lock.namespace, type);
    if (pi !== 0) {
      for (const w of lock.waiting) if (w !== self && w.owner !== owner && (pi & typeBit(w.type)) !== 0) return false;
    }
    const gi = grantedIncompatible(lock.namespace, type);
    for (const g of lock.granted) if (g.owner !== owner && (gi & typeBit(g.type)) !== 0) return false;
    return true;
  }

  /** Grant, in queue order, every waiting ticket that can be granted now. */
  private reschedule(lock: MdlLock): void {
    for (let i = 0; i < lock.waiting.length; ) {
      const t = lock.waiting[i]!;
      if (!this.canGrant(lock, t.type, t.owner, t)) {
        i++;
        continue;
      }
      lock.waiting.splice(i, 1);
      if (t.upgradeOf) this.applyUpgrade(t.upgradeOf, t.type);
      else this.addGranted(t);
      t.status = 'GRANTED';
      t.wait?.grant();
    }
  }

  private addGranted(t: MdlTicket): void {
    t.status = 'GRANTED';
    t.lock.granted.push(t);
    if (t.type === 'EXCLUSIVE') this.epoch++;
  }

  private applyUpgrade(ticket: MdlTicket, to: MdlType): void {
    ticket.type = to;
    if (to === 'EXCLUSIVE') this.epoch++;
  }
}
