/**
 * Transaction identifiers for two-phase commit: the X/Open XID that XA statements name
 * (`XA START 'gtrid','bqual',formatID`) and that the server also gives to its own internal
 * two-phase commits, so that after a crash engines and the coordinator's log can agree by XID.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa-statements.html (15.3.8.1)
 * @req CORE-TXN-020
 */

/** Longest gtrid and bqual in bytes (XA). @req CORE-TXN-020 */
export const XID_PART_MAX_BYTES = 64;

export interface Xid {
  /** formatID: 1 unless the client gives another number. */
  readonly formatId: number;
  /** Global transaction identifier (1..64 bytes). */
  readonly gtrid: Buffer;
  /** Branch qualifier (0..64 bytes). */
  readonly bqual: Buffer;
}

/** A string equal for equal XIDs (map key, log record). */
export function xidKey(x: Xid): string {
  return `${x.formatId}:${x.gtrid.toString('hex')}:${x.bqual.toString('hex')}`;
}

export function sameXid(a: Xid, b: Xid): boolean {
  return a.formatId === b.formatId && a.gtrid.equals(b.gtrid) && a.bqual.equals(b.bqual);
}

/** Parse the form {@link xidKey} writes; undefined for anything else. */
export function xidFromKey(key: string): Xid | undefined {
  const m = /^(-?\d+):([0-9a-f]*):([0-9a-f]*)$/.exec(key);
  if (!m) return undefined;
  return { formatId: Number(m[1]), gtrid: Buffer.from(m[2]!, 'hex'), bqual: Buffer.from(m[3]!, 'hex') };
}
