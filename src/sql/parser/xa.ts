/**
 * XA transaction statements: XA {START|BEGIN}, END, PREPARE, COMMIT, ROLLBACK, RECOVER, and the
 * XID they name, written `gtrid [, bqual [, formatID]]` where gtrid and bqual are string, hex or
 * bit literals of at most 64 bytes and formatID an unsigned number (default 1).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa-statements.html (15.3.8.1)
 * @req CORE-TXN-020 CORE-TXN-021
 */
import type { XaStatement } from '../ast.js';
import { XID_PART_MAX_BYTES, type Xid } from '../../kernel/xid.js';
import { Tok } from '../lexer/token.js';
import type { Cursor } from './cursor.js';

/** XA ... (the cursor is at XA). @req CORE-TXN-021 */
export function parseXa(p: Cursor): XaStatement {
  p.expectKw('XA');
  const t = p.next();
  if (t.type !== Tok.IDENT) throw p.error(t);
  switch (t.upper) {
    case 'START':
    case 'BEGIN': {
      const stmt: XaStatement = { kind: 'xa', action: 'start', xid: parseXid(p) };
      if (p.acceptKw('JOIN')) stmt.option = 'JOIN';
      else if (p.acceptKw('RESUME')) stmt.option = 'RESUME';
      return stmt;
    }
    case 'END': {
      const stmt: XaStatement = { kind: 'xa', action: 'end', xid: parseXid(p) };
      if (p.acceptKw('SUSPEND')) stmt.option = p.acceptKws('FOR', 'MIGRATE') ? 'SUSPEND FOR MIGRATE' : 'SUSPEND';
      return stmt;
    }
    case 'PREPARE':
      return { kind: 'xa', action: 'prepare', xid: parseXid(p) };
    case 'COMMIT': {
      const stmt: XaStatement = { kind: 'xa', action: 'commit', xid: parseXid(p) };
      if (p.acceptKws('ONE', 'PHASE')) stmt.option = 'ONE PHASE';
      return stmt;
    }
    case 'ROLLBACK':
      return { kind: 'xa', action: 'rollback', xid: parseXid(p) };
    case 'RECOVER': {
      const stmt: XaStatement = { kind: 'xa', action: 'recover' };
      if (p.acceptKws('CONVERT', 'XID')) stmt.convertXid = true;
      return stmt;
    }
    default:
      throw p.error(t);
  }
}

/**
 * `gtrid [, bqual [, formatID]]`. A part longer than 64 bytes is a syntax error reported at the
 * token after the XID, as MySQL's grammar rejects it once the XID is complete.
 * @req CORE-TXN-020
 */
export function parseXid(p: Cursor): Xid {
  const gtrid = xidPart(p);
  let bqual: Buffer = Buffer.alloc(0);
  let formatId = 1;
  if (p.acceptOp(',')) {
    bqual = xidPart(p);
    if (p.acceptOp(',')) formatId = formatNumber(p);
  }
  if (gtrid.length > XID_PART_MAX_BYTES || bqual.length > XID_PART_MAX_BYTES) throw p.error();
  return { formatId, gtrid, bqual };
}

/** A string, hex or bit literal as bytes. */
function xidPart(p: Cursor): Buffer {
  const t = p.peek();
  if (t.type === Tok.STRING) {
    p.next();
    return Buffer.from(t.value, 'utf8');
  }
  if ((t.type === Tok.HEX || t.type === Tok.BIT) && t.bytes) {
    p.next();
    return Buffer.from(t.bytes);
  }
  throw p.error(t);
}

/** The formatID: a decimal or hex unsigned number that fits a safe integer. */
function formatNumber(p: Cursor): number {
  const t = p.peek();
  let n: bigint | undefined;
  if (t.type === Tok.NUMBER && t.numKind === 'int' && /^\d+$/.test(t.value)) n = BigInt(t.value);
  else if (t.type === Tok.HEX && t.bytes) n = t.bytes.length === 0 ? 0n : BigInt('0x' + t.bytes.toString('hex'));
  if (n === undefined || n > BigInt(Number.MAX_SAFE_INTEGER)) throw p.error(t);
  p.next();
  return Number(n);
}
