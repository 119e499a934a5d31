/**
 * The statement-counter shortcuts: the Com_* counter read off a statement's first word, and the
 * remembered canonical spellings of status names, answer exactly as the general rules do.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalStatusName, comCounterFor } from '../../../src/server/sysvars/status.js';
import { req } from '../../helpers/req.js';

const WORDS = ['select', 'SELECT', 'Select', 'update', 'UPDATE', 'delete', 'DELETE', 'begin', 'BEGIN', 'commit', 'COMMIT', 'insert', 'replace', 'start', 'with', 'selectx', 'select_1', 'updates', 'rollback', 'set', 'show'];
const TAILS = [' ', '\n', '(', '/*c*/', '*', '`', '1', '_', '$', 'x', '', ' transaction', ' 1 FROM t', ' INTO t SELECT 1', 'é'];

describe('status counter names', () => {
  it(req(['CORE-PERF-043', 'CORE-SYSVAR-013'], 'unit', "the counter taken from a plain first word is the one the general rule gives (the same text after a leading space goes the general way)"), () => {
    fc.assert(
      fc.property(fc.constantFrom(...WORDS), fc.array(fc.constantFrom(...TAILS), { maxLength: 4 }), (w, tails) => {
        const sql = w + tails.join('');
        expect(comCounterFor(sql)).toBe(comCounterFor(` ${sql}`));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (sql) => {
        expect(comCounterFor(sql)).toBe(comCounterFor(` ${sql}`));
      }),
      { numRuns: 2000 },
    );
  });

  it(req(['CORE-PERF-043'], 'unit', 'a status name in any letter case maps to its canonical spelling, the first time and every time after'), () => {
    for (const n of ['com_select', 'COM_SELECT', 'Com_Select', 'questions', 'QUESTIONS', 'Bytes_Sent', 'no_such_counter']) {
      const first = canonicalStatusName(n);
      expect(canonicalStatusName(n)).toBe(first);
    }
    expect(canonicalStatusName('COM_SELECT')).toBe('Com_select');
    expect(canonicalStatusName('questions')).toBe('Questions');
    expect(canonicalStatusName('no_such_counter')).toBe('no_such_counter');
  });
});
