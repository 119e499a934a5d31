/**
 * Lock modes: the compatibility matrices of 15.7.1, checked on the pure functions and through
 * the lock system, which mode covers which, and how modes are spelled for data_locks and the
 * monitor.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../../helpers/req.js';
import { NEVER_ABORTED } from '../../../../src/kernel/wait-signal.js';
import { LockSys } from '../../../../src/storage/innodb/lock/lock-sys.js';
import {
  dataLocksMode,
  modeCovers,
  monitorRecordMode,
  recordModesCompatible,
  tableModesCompatible,
  type TableLockMode,
} from '../../../../src/storage/innodb/lock/lock-modes.js';
import { owner, rec, thrownErrno } from './fixtures.js';

/** 15.7.1's table-level matrix, row = held, column = requested. */
const TABLE_MATRIX = `
     X        IX         S          IS
X    Conflict Conflict   Conflict   Conflict
IX   Conflict Compatible Conflict   Compatible
S    Conflict Conflict   Compatible Compatible
IS   Conflict Compatible Compatible Compatible`;

function parseMatrix(text: string): [TableLockMode, TableLockMode, boolean][] {
  const [head, ...rows] = text.trim().split('\n');
  const cols = head!.trim().split(/\s+/) as TableLockMode[];
  const out: [TableLockMode, TableLockMode, boolean][] = [];
  for (const line of rows) {
    const [row, ...cells] = line.trim().split(/\s+/);
    cells.forEach((c, i) => out.push([row as TableLockMode, cols[i]!, c === 'Compatible']));
  }
  return out;
}

const NOWAIT = { signal: NEVER_ABORTED, timeoutMs: 1000, deadlockDetect: true, noWait: true };

describe('table lock modes', () => {
  it(req(['INNODB-LOCK-101'], 'unit', 'table compatibility is the 15.7.1 matrix (pure function)'), () => {
    const cells = parseMatrix(TABLE_MATRIX);
    expect(cells).toHaveLength(16);
    for (const [held, wanted, ok] of cells) {
      expect([held, wanted, tableModesCompatible(wanted, held)]).toEqual([held, wanted, ok]);
      expect([held, wanted, tableModesCompatible(held, wanted)]).toEqual([held, wanted, ok]);
    }
  });

  it(req(['INNODB-LOCK-101', 'INNODB-LOCK-108'], 'unit', 'lockTable grants compatible modes at once and refuses conflicting ones (NOWAIT 3572)'), () => {
    for (const [held, wanted, ok] of parseMatrix(TABLE_MATRIX)) {
      const sys = new LockSys();
      const a = owner(1);
      const b = owner(2);
      expect(sys.lockTable(a, 1, '`db`.`t`', held)).toBe('granted');
      if (ok) expect([held, wanted, sys.lockTable(b, 1, '`db`.`t`', wanted, NOWAIT)]).toEqual([held, wanted, 'granted']);
      else expect([held, wanted, thrownErrno(() => sys.lockTable(b, 1, '`db`.`t`', wanted, NOWAIT))]).toEqual([held, wanted, 3572]);
      // the same transaction never conflicts with itself
      expect(sys.lockTable(a, 1, '`db`.`t`', wanted, NOWAIT)).toBe('granted');
    }
  });

  it(req(['INNODB-LOCK-101'], 'unit', 'intention locks of many transactions coexist and never wait'), () => {
    const sys = new LockSys();
    for (let i = 1; i <= 50; i++) expect(sys.lockTable(owner(i), 3, '`db`.`t`', i % 2 ? 'IX' : 'IS')).toBe('granted');
    expect(sys.locks().filter((l) => l.type === 'TABLE' && l.status === 'GRANTED')).toHaveLength(50);
  });

  it(req(['INNODB-LOCK-101', 'INNODB-LOCK-102'], 'unit', 'a held mode covers the weaker requests'), () => {
    const covers: Record<string, string[]> = { X: ['X', 'S', 'IX', 'IS'], S: ['S', 'IS'], IX: ['IX', 'IS'], IS: ['IS'] };
    for (const held of ['X', 'S', 'IX', 'IS'] as const) {
      for (const wanted of ['X', 'S', 'IX', 'IS'] as const) {
        expect([held, wanted, modeCovers(held, wanted)]).toEqual([held, wanted, covers[held]!.includes(wanted)]);
      }
    }
  });
});

describe('record lock modes', () => {
  it(req(['INNODB-LOCK-102'], 'unit', 'S is compatible with S only; X with nothing'), () => {
    expect(recordModesCompatible('S', 'S')).toBe(true);
    expect(recordModesCompatible('S', 'X')).toBe(false);
    expect(recordModesCompatible('X', 'S')).toBe(false);
    expect(recordModesCompatible('X', 'X')).toBe(false);
    for (const [held, wanted, ok] of [['S', 'S', true], ['S', 'X', false], ['X', 'S', false], ['X', 'X', false]] as const) {
      const sys = new LockSys();
      const a = owner(1);
      const b = owner(2);
      expect(sys.lockRecord(rec(a, 'k', held))).toBe('granted');
      const r = ok ? sys.lockRecord(rec(b, 'k', wanted, { noWait: true })) : thrownErrno(() => sys.lockRecord(rec(b, 'k', wanted, { noWait: true })));
      expect([held, wanted, r]).toEqual([held, wanted, ok ? 'granted' : 3572]);
    }
  });

  it(req(['INNODB-LOCK-102'], 'unit', 'a transaction holding X gets S and X again at once, without a new lock'), () => {
    const sys = new LockSys();
    const a = owner(1);
    expect(sys.lockRecord(rec(a, 'k', 'X'))).toBe('granted');
    expect(sys.lockRecord(rec(a, 'k', 'S'))).toBe('granted');
    expect(sys.lockRecord(rec(a, 'k', 'X'))).toBe('granted');
    expect(sys.locks()).toHaveLength(1);
    expect(sys.holdsRecord(a, 7, 'k', 'S')).toBe(true);
    expect(sys.holdsRecord(a, 7, 'k', 'X')).toBe(true);
  });

  it(req(['INNODB-LOCK-111', 'INNODB-MON-008'], 'unit', 'modes are spelled as data_locks and the monitor spell them'), () => {
    expect(dataLocksMode('RECORD', 'X')).toBe('X,REC_NOT_GAP');
    expect(dataLocksMode('RECORD', 'S')).toBe('S,REC_NOT_GAP');
    expect(dataLocksMode('TABLE', 'IX')).toBe('IX');
    expect(dataLocksMode('TABLE', 'IS')).toBe('IS');
    expect(monitorRecordMode('X')).toBe('lock_mode X locks rec but not gap');
    expect(monitorRecordMode('S')).toBe('lock mode S locks rec but not gap');
  });
});
