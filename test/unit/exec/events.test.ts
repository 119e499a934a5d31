/**
 * The pure parts of events: reading, printing and stepping intervals, and the CREATE/ALTER/DROP
 * EVENT grammar (property tests: what is written is what is parsed; random input only ever
 * gives a syntax error).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../../helpers/req.js';
import { addIntervals, intervalSql, intervalText, nextRecurrence, readInterval } from '../../../src/exec/events/interval.js';
import { parseOne } from '../../../src/sql/parser/index.js';
import { SqlError } from '../../../src/kernel/errors.js';
import type { CreateEventStatement } from '../../../src/sql/ast.js';

const COMPOUND = ['YEAR_MONTH', 'DAY_HOUR', 'DAY_MINUTE', 'DAY_SECOND', 'HOUR_MINUTE', 'HOUR_SECOND', 'MINUTE_SECOND'] as const;

describe('event intervals', () => {
  it(req(['CORE-EVT-004#compound'], 'unit', "compound values are read right-aligned and printed as MySQL's examples show"), () => {
    // Expected texts from MySQL's own results for these inputs (events_1.result).
    const cases: [string, string, string][] = [
      ['2:5', 'YEAR_MONTH', '2-5'], ['2:15', 'YEAR_MONTH', '3-3'], ['20:5', 'DAY_HOUR', '20 5'], ['20:25', 'DAY_HOUR', '21 1'],
      ['20:25', 'HOUR_MINUTE', '20:25'], ['25:25', 'HOUR_MINUTE', '25:25'], ['11:65', 'HOUR_MINUTE', '12:5'], ['35:35', 'MINUTE_SECOND', '35:35'],
      ['35:66', 'MINUTE_SECOND', '36:6'], ['35:56', 'DAY_MINUTE', '1 11:56'], ['35:12:45', 'DAY_MINUTE', '35 12:45'], ['35:25:65', 'DAY_MINUTE', '36 2:5'],
      ['35:12:45', 'HOUR_SECOND', '35:12:45'], ['15:59:85', 'HOUR_SECOND', '16:0:25'], ['50:20:12:45', 'DAY_SECOND', '50 20:12:45'],
      ['50:23:59:95', 'DAY_SECOND', '51 0:0:35'],
    ];
    for (const [value, unit, shown] of cases) expect([value, unit, intervalText(readInterval(value, unit), unit)]).toEqual([value, unit, shown]);
    expect(intervalSql(readInterval('2:15', 'YEAR_MONTH'), 'YEAR_MONTH')).toBe("'3-3'");
    expect(intervalSql(readInterval(10n, 'HOUR'), 'HOUR')).toBe('10');
  });

  it(req(['CORE-EVT-004#compound'], 'unit', 'printing a compound interval and reading it back gives the same total (property)'), () => {
    fc.assert(
      fc.property(fc.constantFrom(...COMPOUND), fc.integer({ min: 1, max: 1_000_000 }), (unit, total) => {
        expect(readInterval(intervalText(total, unit), unit)).toBe(total);
      }),
    );
  });

  it(req(['CORE-EVT-004#e1542'], 'unit', 'zero, negative, too large and MICROSECOND intervals are refused with 1542 / 1235; text is 1525'), () => {
    const errno = (f: () => unknown): number => {
      try {
        f();
      } catch (e) {
        return (e as SqlError).errno;
      }
      return 0;
    };
    expect(errno(() => readInterval(0n, 'SECOND'))).toBe(1542);
    expect(errno(() => readInterval(-3n, 'DAY'))).toBe(1542);
    expect(errno(() => readInterval(1_000_000_001n, 'SECOND'))).toBe(1542);
    expect(errno(() => readInterval(1_000_000_000n, 'SECOND'))).toBe(0);
    expect(errno(() => readInterval(200_000_000n, 'WEEK'))).toBe(1542);
    expect(errno(() => readInterval('-1:2', 'HOUR_MINUTE'))).toBe(1542);
    expect(errno(() => readInterval(1n, 'DAY_MICROSECOND'))).toBe(1235);
    expect(errno(() => readInterval('soon', 'DAY'))).toBe(1525);
    expect(errno(() => readInterval('1:2:3:4:5', 'DAY_SECOND'))).toBe(1525);
  });

  it(req(['CORE-EVT-006#recurring'], 'unit', 'calendar intervals keep the day, clamped to the month end; fixed ones add their length'), () => {
    const jan31 = new Date(2030, 0, 31, 10, 0, 0).getTime();
    const feb = new Date(addIntervals(jan31, 1, 'MONTH', 1));
    expect([feb.getFullYear(), feb.getMonth(), feb.getDate(), feb.getHours()]).toEqual([2030, 1, 28, 10]);
    const apr = new Date(addIntervals(jan31, 1, 'QUARTER', 1));
    expect([apr.getMonth(), apr.getDate()]).toEqual([3, 30]);
    const y = new Date(addIntervals(new Date(2028, 1, 29).getTime(), 1, 'YEAR', 1));
    expect([y.getFullYear(), y.getMonth(), y.getDate()]).toEqual([2029, 1, 28]);
    expect(addIntervals(0, 90, 'HOUR_MINUTE', 2)).toBe(2 * 90 * 60_000);
    expect(addIntervals(0, 2, 'WEEK', 1)).toBe(14 * 86_400_000);
  });

  it(req(['CORE-EVT-006#recurring'], 'unit', 'the next run is the first STARTS + k intervals at or after the asked time (property)'), () => {
    const units = ['SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'DAY_HOUR', 'MINUTE_SECOND', 'MONTH', 'QUARTER', 'YEAR', 'YEAR_MONTH'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...units), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), (unit, total, steps, frac) => {
        // Up to about 300 intervals after STARTS, at any point between two runs.
        const approx: Record<string, number> = { SECOND: 1e3, MINUTE: 6e4, HOUR: 3.6e6, DAY: 8.64e7, WEEK: 6.048e8, DAY_HOUR: 3.6e6, MINUTE_SECOND: 1e3, MONTH: 2.6e9, QUARTER: 7.8e9, YEAR: 3.15e10, YEAR_MONTH: 2.6e9 };
        const after = Math.floor((steps + frac) * approx[unit]! * total);
        const starts = new Date(2030, 0, 15, 12, 0, 0).getTime();
        const t = nextRecurrence(starts, total, unit, starts + after);
        expect(t).toBeGreaterThanOrEqual(starts + after);
        // t is a point of the schedule, and the point before it is earlier than asked.
        let k = 0;
        while (addIntervals(starts, total, unit, k) < t) k++;
        expect(addIntervals(starts, total, unit, k)).toBe(t);
        if (k > 0) expect(addIntervals(starts, total, unit, k - 1)).toBeLessThan(starts + after);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the event grammar', () => {
  it(req(['CORE-EVT-001#create'], 'unit', 'a CREATE EVENT built from random clauses parses back to those clauses (property)'), () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/);
    fc.assert(
      fc.property(
        name, fc.boolean(), fc.option(fc.constantFrom('ENABLE', 'DISABLE', 'DISABLE ON SLAVE'), { nil: undefined }), fc.option(fc.boolean(), { nil: undefined }),
        fc.option(fc.stringMatching(/^[a-z ]{0,12}$/), { nil: undefined }), fc.boolean(), fc.integer({ min: 1, max: 999 }),
        (n, ifNot, status, preserve, comment, at, every) => {
          const sched = at ? "AT '2031-01-01 00:00:00' + INTERVAL 1 HOUR" : `EVERY ${every} MINUTE STARTS '2031-01-01' ENDS '2032-01-01'`;
          const completion = preserve === undefined ? '' : ` ON COMPLETION ${preserve ? '' : 'NOT '}PRESERVE`;
          const sql = `CREATE EVENT ${ifNot ? 'IF NOT EXISTS ' : ''}\`${n}\` ON SCHEDULE ${sched}${completion}${status ? ' ' + status : ''}${comment !== undefined ? ` COMMENT '${comment}'` : ''} DO INSERT INTO t VALUES (1)`;
          const s = parseOne(sql) as CreateEventStatement;
          expect(s.kind).toBe('create_event');
          expect(s.name.name).toBe(n);
          expect(s.ifNotExists).toBe(ifNot);
          expect(s.schedule.kind).toBe(at ? 'at' : 'every');
          if (s.schedule.kind === 'every') expect([s.schedule.unit, !!s.schedule.starts, !!s.schedule.ends]).toEqual(['MINUTE', true, true]);
          expect(s.preserve).toBe(preserve);
          expect(s.status).toBe(status === undefined ? undefined : status === 'ENABLE' ? 'ENABLED' : status === 'DISABLE' ? 'DISABLED' : 'REPLICA_SIDE_DISABLED');
          expect(s.comment).toBe(comment);
          expect(s.bodyText).toBe('INSERT INTO t VALUES (1)');
          expect(s.body.kind).toBe('insert');
        },
      ),
      { numRuns: 200 },
    );
  });

  it(req(['CORE-EVT-009#show-create'], 'unit', "a definition inside mariadb-dump's executable comments keeps only the body as its text"), () => {
    const sql = "/*!50106 CREATE*/ /*!50117 DEFINER=`root`@`localhost`*/ /*!50106 EVENT `e1` ON SCHEDULE EVERY 1 HOUR DO insert into t values (3) \n*/";
    const s = parseOne(sql) as CreateEventStatement;
    expect([s.kind, s.name.name, s.definer, s.bodyText]).toEqual(['create_event', 'e1', { user: 'root', host: 'localhost' }, 'insert into t values (3)']);
  });

  it(req(['CORE-EVT-002#alter'], 'unit', 'ALTER EVENT with nothing to change, or clauses out of order, is a syntax error'), () => {
    for (const sql of ['ALTER EVENT e', 'ALTER EVENT e ENABLE ON COMPLETION PRESERVE', 'CREATE EVENT e DO SELECT 1', 'DROP EVENT', 'CREATE EVENT e ON SCHEDULE EVERY 1 DAY']) {
      let errno = 0;
      try {
        parseOne(sql);
      } catch (e) {
        errno = (e as SqlError).errno;
      }
      expect([sql, errno]).toEqual([sql, 1064]);
    }
  });

  it(req(['CORE-EVT-001#create'], 'unit', 'random text after CREATE EVENT / ALTER EVENT gives a SqlError, never a crash (property)'), () => {
    const words = fc.constantFrom('ON', 'SCHEDULE', 'EVERY', 'AT', '1', 'DAY', 'STARTS', 'ENDS', "'2030-01-01'", 'DO', 'SELECT', 'PRESERVE', 'NOT', 'COMPLETION', 'ENABLE', 'DISABLE', 'COMMENT', "'c'", 'RENAME', 'TO', 'x', ';', '(', ')', 'BEGIN', 'END');
    fc.assert(
      fc.property(fc.constantFrom('CREATE EVENT e', 'ALTER EVENT e', 'CREATE DEFINER=root@localhost EVENT e', 'DROP EVENT'), fc.array(words, { maxLength: 14 }), (head, rest) => {
        try {
          parseOne(`${head} ${rest.join(' ')}`);
        } catch (e) {
          expect(e).toBeInstanceOf(SqlError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
