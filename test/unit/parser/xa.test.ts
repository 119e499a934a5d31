/**
 * Parsing XA statements and their XIDs.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { parseOne } from '../../../src/sql/parser/index.js';
import type { XaStatement } from '../../../src/sql/ast.js';
import { SqlError } from '../../../src/kernel/errors.js';

function xa(sql: string): XaStatement {
  const s = parseOne(sql);
  if (s.kind !== 'xa') throw new Error(`not XA: ${s.kind}`);
  return s;
}
function xid(sql: string): [number, string, string] {
  const x = xa(sql).xid!;
  return [x.formatId, x.gtrid.toString('hex'), x.bqual.toString('hex')];
}
function syntaxError(sql: string): string {
  try {
    parseOne(sql);
  } catch (e) {
    if (e instanceof SqlError && e.errno === 1064) return e.message;
    throw e;
  }
  throw new Error('parsed: ' + sql);
}

describe('XA statements', () => {
  it(req('CORE-TXN-021', 'unit', 'every XA statement and option'), () => {
    expect(xa("XA START 'a'")).toMatchObject({ action: 'start' });
    expect(xa("XA BEGIN 'a' JOIN")).toMatchObject({ action: 'start', option: 'JOIN' });
    expect(xa("xa start 'a' resume")).toMatchObject({ action: 'start', option: 'RESUME' });
    expect(xa("XA END 'a'")).toMatchObject({ action: 'end' });
    expect(xa("XA END 'a' SUSPEND")).toMatchObject({ action: 'end', option: 'SUSPEND' });
    expect(xa("XA END 'a' SUSPEND FOR MIGRATE")).toMatchObject({ action: 'end', option: 'SUSPEND FOR MIGRATE' });
    expect(xa("XA PREPARE 'a'")).toMatchObject({ action: 'prepare' });
    expect(xa("XA COMMIT 'a'").option).toBeUndefined();
    expect(xa("XA COMMIT 'a' ONE PHASE")).toMatchObject({ action: 'commit', option: 'ONE PHASE' });
    expect(xa("XA ROLLBACK 'a'")).toMatchObject({ action: 'rollback' });
    expect(xa('XA RECOVER')).toEqual({ kind: 'xa', action: 'recover', text: 'XA RECOVER', paramCount: 0 });
    expect(xa('XA RECOVER CONVERT XID')).toMatchObject({ action: 'recover', convertXid: true });
  });

  it(req(['CORE-TXN-021', 'CORE-TXN-020'], 'unit', "XIDs: gtrid[, bqual[, formatID]] from string, hex and bit literals"), () => {
    expect(xid("XA START 'ab'")).toEqual([1, '6162', '']);
    expect(xid("XA START 'ab', 'c'")).toEqual([1, '6162', '63']);
    expect(xid("XA START 'ab', '', 5")).toEqual([5, '6162', '']);
    expect(xid('XA START 0x7465737462, 0x2030405060, 0xb')).toEqual([11, '7465737462', '2030405060']);
    expect(xid("XA START X'41', B'01000010', 2")).toEqual([2, '41', '42']);
    expect(xid(`XA START '${'g'.repeat(64)}', '${'b'.repeat(64)}'`)[0]).toBe(1);
  });

  it(req('CORE-TXN-021', 'unit', 'too long parts, a huge formatID and other tokens are syntax errors'), () => {
    expect(syntaxError(`XA START '${'g'.repeat(65)}'`)).toMatch(/near '' at line 1$/);
    expect(syntaxError(`XA START 'a', '${'b'.repeat(65)}' RESUME`)).toMatch(/near 'RESUME' at line 1$/);
    expect(syntaxError("XA START '1', 0x01, 18446744073709551615")).toMatch(/near '18446744073709551615' at line 1$/);
    expect(syntaxError('XA START a')).toMatch(/near 'a' at line 1$/);
    expect(syntaxError("XA FINISH 'a'")).toMatch(/near 'FINISH 'a'' at line 1$/);
    expect(syntaxError('XA RECOVER CONVERT')).toMatch(/near 'CONVERT' at line 1$/);
    expect(syntaxError('START TRANSACTION READ ONLY, READ WRITE')).toMatch(/near '' at line 1$/);
  });
});
