/**
 * The XIDs the server gives its own two-phase commits. They must be unique for the server and
 * recognisable at recovery, so that a prepared transaction found in an engine after a crash can
 * be told apart from one an external transaction manager prepared with XA PREPARE (those stay
 * prepared until XA COMMIT / XA ROLLBACK). Like MySQL's MySQLXid: formatID 1, a fixed gtrid
 * prefix, the server id and a transaction number, no bqual.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa.html (15.3.8)
 * @req CORE-TXN-030
 */
import type { Xid } from '../../kernel/xid.js';
import { DEFAULT_XID_FORMAT_ID, INTERNAL_XID_GTRID_BYTES, INTERNAL_XID_PREFIX } from './limits.js';

const PREFIX = Buffer.from(INTERNAL_XID_PREFIX, 'latin1');

/** Hands out internal XIDs: one per two-phase commit, never the same twice in a server's life. */
export class InternalXidSource {
  private next: bigint;

  constructor(
    private readonly serverId: number,
    first = 1n,
  ) {
    this.next = first;
  }

  /** @req CORE-TXN-030 */
  newXid(): Xid {
    const gtrid = Buffer.alloc(INTERNAL_XID_GTRID_BYTES);
    PREFIX.copy(gtrid, 0);
    gtrid.writeUInt32LE(this.serverId >>> 0, PREFIX.length);
    gtrid.writeBigUInt64LE(this.next, PREFIX.length + 4);
    this.next++;
    return { formatId: DEFAULT_XID_FORMAT_ID, gtrid, bqual: Buffer.alloc(0) };
  }

  /** After recovery: continue above every transaction number found prepared. */
  advancePast(xid: Xid): void {
    const n = internalXidNumber(xid);
    if (n !== undefined && n >= this.next) this.next = n + 1n;
  }
}

/** Whether an XID is one of the server's own (any server id), not an external XA transaction's. */
export function isInternalXid(xid: Xid): boolean {
  return (
    xid.formatId === DEFAULT_XID_FORMAT_ID &&
    xid.bqual.length === 0 &&
    xid.gtrid.length === INTERNAL_XID_GTRID_BYTES &&
    xid.gtrid.subarray(0, PREFIX.length).equals(PREFIX)
  );
}

/** The transaction number of an internal XID. */
export function internalXidNumber(xid: Xid): bigint | undefined {
  return isInternalXid(xid) ? xid.gtrid.readBigUInt64LE(PREFIX.length + 4) : undefined;
}
