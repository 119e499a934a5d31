/**
 * ALTER TABLE is all or nothing: a random sequence of ALTERs on a filled table either fails with
 * a SqlError leaving definition and rows exactly as they were, or succeeds keeping every row.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlError } from '../../../src/kernel/errors.js';
import { req } from '../../helpers/req.js';
import { makeHarness, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await makeHarness();
});
afterAll(async () => {
  await h.close();
});

const actionArb = fc.oneof(
  fc.constantFrom(
    'ADD COLUMN x INT DEFAULT 3',
    'ADD COLUMN y VARCHAR(5) NOT NULL FIRST',
    'ADD COLUMN z TEXT',
    'DROP COLUMN b',
    'DROP COLUMN x',
    'MODIFY b VARCHAR(2)',
    'MODIFY b VARCHAR(40)',
    'MODIFY a BIGINT',
    'MODIFY a TINYINT',
    'CHANGE b bb VARCHAR(20)',
    'RENAME COLUMN a TO aa',
    'ADD UNIQUE KEY ub (b)',
    'ADD KEY kb (b) USING BTREE',
    'DROP KEY kb',
    'DROP PRIMARY KEY',
    'ADD PRIMARY KEY (b)',
    'ENGINE=MEMORY',
    'ENGINE=NOSUCH',
    "COMMENT='c'",
    'AUTO_INCREMENT=100',
    'RENAME TO moved',
    'CONVERT TO CHARACTER SET latin1',
    'ALTER COLUMN b SET DEFAULT \'q\'',
    'ADD FULLTEXT (b)',
  ),
);

describe('ALTER TABLE atomicity', () => {
  it(req(['CORE-DDL-013', 'CORE-DDL-012', 'ENGINE-SET-007'], 'unit', 'random ALTER sequences keep rows or change nothing'), async () => {
    let n = 0;
    let succeeded = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(actionArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }), async (alters) => {
        n++;
        let name = `alt${n}`;
        await h.run(`CREATE TABLE ${name} (a INT NOT NULL PRIMARY KEY, b VARCHAR(10), c INT)`);
        await h.insert('db', name, [1n, 'one', 10n]);
        await h.insert('db', name, [2n, 'two', 20n]);
        await h.insert('db', name, [3n, null, 30n]);
        for (const actions of alters) {
          const before = await h.rows(`SHOW CREATE TABLE ${name}`);
          const rowsBefore = await h.scan('db', name);
          try {
            await h.run(`ALTER TABLE ${name} ${actions.join(', ')}`);
          } catch (e) {
            if (!(e instanceof SqlError)) throw e;
            expect(await h.rows(`SHOW CREATE TABLE ${name}`)).toEqual(before);
            expect(await h.scan('db', name)).toEqual(rowsBefore);
            continue;
          }
          succeeded++;
          if (actions.includes('RENAME TO moved')) {
            await h.run(`RENAME TABLE moved TO ${name}`);
          }
          expect((await h.scan('db', name)).length).toBe(3);
        }
        await h.run(`DROP TABLE ${name}`);
        name = '';
      }),
      { numRuns: 60 },
    );
    expect(succeeded).toBeGreaterThan(10);
  });
});
