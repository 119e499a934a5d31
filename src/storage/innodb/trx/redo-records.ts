/**
 * What InnoDB writes into its redo log (the payloads the log frames): a committed transaction's
 * row changes, a prepared transaction's changes with its XID, the decision on a prepared
 * transaction, the changes of a transaction still open (so that recovery knows what an
 * incomplete transaction held, and rolls it back) and its rollback, AUTO_INCREMENT counter changes, and tablespace creation, renaming and deletion.
 *
 * Row changes are logical and idempotent: "the record with this clustering key now holds this
 * row" or "the record with this clustering key is gone", so replaying a change twice, or onto a
 * tablespace that already has it, leaves the same state. The README of this folder explains why
 * stage 1 logs at commit rather than per page change.
 *
 * Layout: a type byte, then fields; integers little-endian; value lists in the record codec
 * (row/record-codec.ts).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-redo-log.html (15.6.5)
 * @req INNODB-REC-010 INNODB-REC-015 INNODB-REC-018 INNODB-REC-023 INNODB-LOG-201
 */
import type { Value } from '../../../kernel/value.js';
import type { Xid } from '../../../kernel/xid.js';
import { decodeRecord, encodeRecord } from '../row/record-codec.js';

export const enum RedoType {
  Commit = 1,
  Prepare = 2,
  CommitPrepared = 3,
  RollbackPrepared = 4,
  AutoInc = 5,
  SpaceCreate = 6,
  SpaceDrop = 7,
  SpaceRename = 8,
  /** Row images of a transaction that is still open: the rows its statements changed since its
   *  previous such record (written at statement end, not flushed). A commit, prepare or
   *  rollback record of the transaction later in the log supersedes them; without one, the
   *  transaction was incomplete at the crash and recovery rolls it back. */
  Active = 9,
  /** An open transaction that wrote Active records was rolled back. */
  Rollback = 10,
}

/** One row change: the record whose clustering key `row` has (with `rowId` for a table
 *  clustered on the hidden DB_ROW_ID) now holds `row`, or, when `deleted`, is gone. */
export interface RowOp {
  spaceId: number;
  rowId: bigint | null;
  row: Value[];
  deleted: boolean;
}

export type RedoEntry =
  | { type: RedoType.Commit; trxId: bigint; ops: RowOp[] }
  | { type: RedoType.Prepare; trxId: bigint; xid: Xid; ops: RowOp[] }
  | { type: RedoType.CommitPrepared; trxId: bigint }
  | { type: RedoType.RollbackPrepared; trxId: bigint }
  | { type: RedoType.AutoInc; spaceId: number; value: bigint }
  | { type: RedoType.SpaceCreate; spaceId: number; path: string }
  | { type: RedoType.SpaceDrop; spaceId: number }
  | { type: RedoType.SpaceRename; spaceId: number; path: string }
  | { type: RedoType.Active; trxId: bigint; ops: RowOp[] }
  | { type: RedoType.Rollback; trxId: bigint };

export class RedoFormatError extends Error {}

class Writer {
  private parts: Buffer[] = [];
  u8(n: number): void {
    const b = Buffer.alloc(1);
    b[0] = n;
    this.parts.push(b);
  }
  u32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n >>> 0);
    this.parts.push(b);
  }
  u64(n: bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, n));
    this.parts.push(b);
  }
  bytes(b: Buffer): void {
    this.u32(b.length);
    this.parts.push(b);
  }
  str(s: string): void {
    this.bytes(Buffer.from(s, 'utf8'));
  }
  values(v: readonly Value[]): void {
    this.bytes(encodeRecord(v));
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

class Reader {
  private at = 0;
  constructor(private readonly b: Buffer) {}
  private need(n: number): void {
    if (this.at + n > this.b.length) throw new RedoFormatError('redo record truncated');
  }
  u8(): number {
    this.need(1);
    return this.b[this.at++]!;
  }
  u32(): number {
    this.need(4);
    const v = this.b.readUInt32LE(this.at);
    this.at += 4;
    return v;
  }
  u64(): bigint {
    this.need(8);
    const v = this.b.readBigUInt64LE(this.at);
    this.at += 8;
    return v;
  }
  bytes(): Buffer {
    const n = this.u32();
    this.need(n);
    const v = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
  str(): string {
    return this.bytes().toString('utf8');
  }
  values(): Value[] {
    const raw = this.bytes();
    try {
      return decodeRecord(raw).values;
    } catch (e) {
      throw new RedoFormatError(`bad value list in redo record: ${(e as Error).message}`);
    }
  }
  end(): void {
    if (this.at !== this.b.length) throw new RedoFormatError('trailing bytes in redo record');
  }
}

function writeOps(w: Writer, ops: readonly RowOp[]): void {
  w.u32(ops.length);
  for (const op of ops) {
    w.u32(op.spaceId);
    w.u8((op.deleted ? 1 : 0) | (op.rowId !== null ? 2 : 0));
    if (op.rowId !== null) w.u64(op.rowId);
    w.values(op.row);
  }
}

function readOps(r: Reader): RowOp[] {
  const n = r.u32();
  const ops: RowOp[] = [];
  for (let i = 0; i < n; i++) {
    const spaceId = r.u32();
    const flags = r.u8();
    const rowId = flags & 2 ? r.u64() : null;
    ops.push({ spaceId, rowId, row: r.values(), deleted: (flags & 1) !== 0 });
  }
  return ops;
}

export function encodeRedo(e: RedoEntry): Buffer {
  const w = new Writer();
  w.u8(e.type);
  switch (e.type) {
    case RedoType.Commit:
    case RedoType.Active:
      w.u64(e.trxId);
      writeOps(w, e.ops);
      break;
    case RedoType.Prepare:
      w.u64(e.trxId);
      w.u32(e.xid.formatId);
      w.bytes(e.xid.gtrid);
      w.bytes(e.xid.bqual);
      writeOps(w, e.ops);
      break;
    case RedoType.CommitPrepared:
    case RedoType.RollbackPrepared:
    case RedoType.Rollback:
      w.u64(e.trxId);
      break;
    case RedoType.AutoInc:
      w.u32(e.spaceId);
      w.u64(e.value);
      break;
    case RedoType.SpaceCreate:
    case RedoType.SpaceRename:
      w.u32(e.spaceId);
      w.str(e.path);
      break;
    case RedoType.SpaceDrop:
      w.u32(e.spaceId);
      break;
  }
  return w.done();
}

export function decodeRedo(b: Buffer): RedoEntry {
  const r = new Reader(b);
  const type = r.u8();
  let e: RedoEntry;
  switch (type) {
    case RedoType.Commit:
    case RedoType.Active:
      e = { type, trxId: r.u64(), ops: readOps(r) };
      break;
    case RedoType.Prepare: {
      const trxId = r.u64();
      const formatId = r.u32() | 0;
      const gtrid = Buffer.from(r.bytes());
      const bqual = Buffer.from(r.bytes());
      e = { type, trxId, xid: { formatId, gtrid, bqual }, ops: readOps(r) };
      break;
    }
    case RedoType.CommitPrepared:
    case RedoType.RollbackPrepared:
    case RedoType.Rollback:
      e = { type, trxId: r.u64() };
      break;
    case RedoType.AutoInc:
      e = { type, spaceId: r.u32(), value: r.u64() };
      break;
    case RedoType.SpaceCreate:
    case RedoType.SpaceRename:
      e = { type, spaceId: r.u32(), path: r.str() };
      break;
    case RedoType.SpaceDrop:
      e = { type, spaceId: r.u32() };
      break;
    default:
      throw new RedoFormatError(`unknown redo record type ${type}`);
  }
  r.end();
  return e;
}
