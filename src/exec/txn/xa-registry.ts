/**
 * The server's registry of XA transactions by XID (MySQL's transaction cache): the branch each
 * session is running, and the prepared ones no session owns any more, because their session
 * disconnected after XA PREPARE (MySQL 8.0 detaches them) or because recovery found them
 * prepared in an engine at startup. XA RECOVER lists the prepared ones; XA COMMIT / XA ROLLBACK
 * of a detached one decides it in its engines by XID.
 *
 * The registry is keyed by gtrid and bqual only, as MySQL's cache is: XA START of an XID that
 * differs from a registered one only in formatID is a duplicate (1440), while XA COMMIT must
 * name the formatID too.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa-states.html (15.3.8.2)
 * @req CORE-TXN-023 CORE-TXN-025
 */
import { sameXid, type Xid } from '../../kernel/xid.js';
import { sqlError } from '../../kernel/errors.js';
import type { StorageEngine } from '../../storage/handler.js';

/** The XA states a branch goes through (MySQL's names, as 1399 prints them). */
export type XaState = 'NON-EXISTING' | 'ACTIVE' | 'IDLE' | 'PREPARED' | 'ROLLBACK ONLY';

export interface XaEntry {
  readonly xid: Xid;
  state: XaState;
  /** The session running the branch; null once detached (disconnect, or found by recovery). */
  owner: number | null;
  /** Engines holding the prepared branch (decided by XID when detached). */
  engines: StorageEngine[];
  /** A detached branch being committed or rolled back right now (a second attempt sees 1397). */
  deciding: boolean;
}

function keyOf(xid: Xid): string {
  return `${xid.gtrid.toString('hex')}:${xid.bqual.toString('hex')}`;
}

export class XaRegistry {
  private readonly entries = new Map<string, XaEntry>();

  /** Register the branch a session starts; 1440 when the XID is taken. @req CORE-TXN-023 */
  start(xid: Xid, owner: number): XaEntry {
    const key = keyOf(xid);
    if (this.entries.has(key)) throw sqlError('ER_XAER_DUPID');
    const e: XaEntry = { xid, state: 'ACTIVE', owner, engines: [], deciding: false };
    this.entries.set(key, e);
    return e;
  }

  /** A prepared branch without a session (recovery): added once, whichever engines report it. */
  addRecovered(xid: Xid, engine: StorageEngine): void {
    const key = keyOf(xid);
    const e = this.entries.get(key);
    if (e) {
      if (!e.engines.includes(engine)) e.engines.push(engine);
      return;
    }
    this.entries.set(key, { xid, state: 'PREPARED', owner: null, engines: [engine], deciding: false });
  }

  /** The session ends with the branch prepared: it stays, owned by nobody. @req CORE-TXN-025 */
  detach(entry: XaEntry, engines: readonly StorageEngine[]): void {
    entry.owner = null;
    entry.state = 'PREPARED';
    entry.engines = [...engines];
  }

  /** A detached prepared branch with exactly this XID (formatID included), else undefined. */
  findDetached(xid: Xid): XaEntry | undefined {
    const e = this.entries.get(keyOf(xid));
    if (!e || e.owner !== null || e.deciding || !sameXid(e.xid, xid)) return undefined;
    return e;
  }

  remove(entry: XaEntry): void {
    const key = keyOf(entry.xid);
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  /** Prepared branches, attached or not (XA RECOVER). */
  prepared(): XaEntry[] {
    return [...this.entries.values()].filter((e) => e.state === 'PREPARED');
  }
}
