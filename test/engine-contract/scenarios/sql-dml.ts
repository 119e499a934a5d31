/**
 * Row statements through SQL: one script of INSERT, SELECT, UPDATE, DELETE, REPLACE,
 * INSERT ... ON DUPLICATE KEY UPDATE and TRUNCATE that gives the same results on every engine
 * that stores rows (adapted to whether it has keys and AUTO_INCREMENT), and what an engine
 * that stores nothing answers to the same statements; TEMPORARY tables of the engine.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-data-manipulation-statements.html
 * @req CORE-ENG-021 CORE-ENG-015 CORE-ENG-011 CORE-ENG-017 CORE-ENG-027
 */
import { describe, expect } from 'vitest';
import { capabilitiesOf, title, type EngineDescriptor } from '../descriptor.js';
import { columnsFor, count, createTable, fails, ok, rows, sqlSkip, tableOptions, warningCodes } from '../harness/sql.js';
import { scenario } from './common.js';
import type { SqlEnv } from './sql-env.js';

const ORDERED = 'SELECT id, k, name FROM dml ORDER BY id';

async function storedScript(d: EngineDescriptor, env: SqlEnv): Promise<void> {
  const c = env.conn;
  const caps = capabilitiesOf(d);
  const keyed = caps.indexes;
  const ai = keyed && caps.autoIncrement;
  const keys = keyed ? ', PRIMARY KEY (id), UNIQUE KEY uk (k)' : '';
  await createTable(c, d, 'dml', `${columnsFor(caps.nullableColumns, `id INT NOT NULL ${ai ? 'AUTO_INCREMENT' : ''}, k INT, name VARCHAR(20)`)}${keys}`);
  if (ai) {
    const r = await ok(c, "INSERT INTO dml (k, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    expect([r.affectedRows, r.insertId]).toEqual([3, 1]);
  } else {
    expect((await ok(c, "INSERT INTO dml VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'c')")).affectedRows).toBe(3);
  }
  expect(await rows(c, ORDERED)).toEqual([
    { id: 1, k: 1, name: 'a' },
    { id: 2, k: 2, name: 'b' },
    { id: 3, k: 3, name: 'c' },
  ]);
  // A statement never sees its own changes: INSERT ... SELECT from the same table copies each
  // row once, and an UPDATE of the column it selects on changes each row once.
  expect((await ok(c, 'INSERT INTO dml (id, k, name) SELECT id + 10, k + 10, name FROM dml')).affectedRows).toBe(3);
  expect((await ok(c, 'UPDATE dml SET k = k + 100 WHERE k > 10')).affectedRows).toBe(3);
  expect(await rows(c, 'SELECT k FROM dml WHERE id > 10 ORDER BY id')).toEqual([{ k: 111 }, { k: 112 }, { k: 113 }]);
  expect((await ok(c, 'DELETE FROM dml WHERE id > 10')).affectedRows).toBe(3);
  const unnamed = d.duplicateKey;
  const named = unnamed === undefined;
  const duplicate = (value: number): [number, string] => (unnamed ? [unnamed.errno, unnamed.message('dml')] : [1062, `Duplicate entry '${value}' for key 'dml.uk'`]);
  if (keyed) {
    const [errno, message] = duplicate(2);
    expect(await fails(c, "INSERT INTO dml VALUES (9, 2, 'dup')", errno)).toBe(message);
    // Where another server resolves the duplicate, this server counts the row it handed on and
    // the warning stays there; the rows read below show nothing changed.
    expect((await ok(c, "INSERT IGNORE INTO dml VALUES (9, 2, 'dup')")).affectedRows).toBe(named ? 0 : 1);
    expect(await warningCodes(c)).toEqual(named ? [1062] : []);
  }
  const u = await ok(c, "UPDATE dml SET name = CONCAT(name, '!') WHERE k >= 2");
  expect([u.affectedRows, u.changedRows]).toEqual([2, 2]);
  if (keyed) {
    const [errno, message] = duplicate(3);
    expect(await fails(c, 'UPDATE dml SET k = 3 WHERE id = 1', errno)).toBe(message);
    expect((await ok(c, "REPLACE INTO dml VALUES (2, 20, 'bb')")).affectedRows).toBe(named ? 2 : 1);
    const upsert = "INSERT INTO dml VALUES (7, 3, 'x') ON DUPLICATE KEY UPDATE name = 'cc'";
    if (named) expect((await ok(c, upsert)).affectedRows).toBe(2);
    else {
      expect(await fails(c, upsert, errno)).toBe(message);
      await ok(c, "UPDATE dml SET name = 'cc' WHERE k = 3");
    }
  } else {
    await ok(c, "UPDATE dml SET k = 20, name = 'bb' WHERE id = 2");
    await ok(c, "UPDATE dml SET name = 'cc' WHERE id = 3");
  }
  expect((await ok(c, 'DELETE FROM dml WHERE k = 1')).affectedRows).toBe(1);
  expect(await rows(c, ORDERED)).toEqual([
    { id: 2, k: 20, name: 'bb' },
    { id: 3, k: 3, name: 'cc' },
  ]);
  // Lookups, ranges and a self-join read the same rows whichever access the planner picks.
  expect(await rows(c, 'SELECT id FROM dml WHERE k = 3')).toEqual([{ id: 3 }]);
  expect(await rows(c, 'SELECT id FROM dml WHERE k BETWEEN 3 AND 25 ORDER BY id')).toEqual([{ id: 2 }, { id: 3 }]);
  expect(await rows(c, 'SELECT a.id FROM dml a JOIN dml b ON a.id = b.id ORDER BY a.id')).toEqual([{ id: 2 }, { id: 3 }]);
  if (ai) {
    await ok(c, "INSERT INTO dml VALUES (100, 5, 'explicit')");
    expect((await ok(c, "INSERT INTO dml (k, name) VALUES (6, 'next')")).insertId).toBe(101);
  }
  await ok(c, 'TRUNCATE TABLE dml');
  expect(await count(c, 'dml')).toBe(0);
  if (ai) expect((await ok(c, "INSERT INTO dml (k, name) VALUES (1, 'again')")).insertId).toBe(1);
  await ok(c, 'DROP TABLE dml');
}

/**
 * An engine that only adds rows (ARCHIVE): INSERT forms, REPLACE of new rows, INSERT ... SELECT
 * from the same table, reads and AUTO_INCREMENT work; UPDATE, DELETE (with and without WHERE)
 * and TRUNCATE fail with `errno` and leave every row.
 */
async function insertOnlyScript(d: EngineDescriptor, env: SqlEnv, errno: number): Promise<void> {
  const c = env.conn;
  const caps = capabilitiesOf(d);
  const ai = caps.indexes && caps.autoIncrement;
  await createTable(c, d, 'dml', `id INT NOT NULL ${ai ? 'AUTO_INCREMENT' : ''}, k INT, name VARCHAR(20)${ai ? ', PRIMARY KEY (id)' : ''}`);
  if (ai) {
    const r = await ok(c, "INSERT INTO dml (k, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    expect([r.affectedRows, r.insertId]).toEqual([3, 1]);
  } else {
    expect((await ok(c, "INSERT INTO dml VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'c')")).affectedRows).toBe(3);
  }
  const three = [
    { id: 1, k: 1, name: 'a' },
    { id: 2, k: 2, name: 'b' },
    { id: 3, k: 3, name: 'c' },
  ];
  expect(await rows(c, ORDERED)).toEqual(three);
  // INSERT ... SELECT from the same table copies each row once.
  expect((await ok(c, 'INSERT INTO dml (id, k, name) SELECT id + 10, k + 10, name FROM dml')).affectedRows).toBe(3);
  expect((await ok(c, "REPLACE INTO dml VALUES (20, 20, 'r')")).affectedRows).toBe(1);
  const all = [...three, ...three.map((r) => ({ id: r.id + 10, k: r.k + 10, name: r.name })), { id: 20, k: 20, name: 'r' }];
  expect(await rows(c, ORDERED)).toEqual(all);
  const message = "Table storage engine for 'dml' doesn't have this option";
  expect(await fails(c, "UPDATE dml SET name = 'x' WHERE id = 1", errno)).toBe(message);
  expect(await fails(c, 'DELETE FROM dml WHERE id > 10', errno)).toBe(message);
  expect(await fails(c, 'DELETE FROM dml', errno)).toBe(message);
  expect(await fails(c, 'TRUNCATE TABLE dml', errno)).toBe(message);
  expect(await rows(c, ORDERED)).toEqual(all);
  // Lookups, ranges and a self-join read the same rows whichever access the planner picks.
  expect(await rows(c, 'SELECT id FROM dml WHERE k = 3')).toEqual([{ id: 3 }]);
  expect(await rows(c, 'SELECT id FROM dml WHERE id BETWEEN 3 AND 12 ORDER BY id')).toEqual([{ id: 3 }, { id: 11 }, { id: 12 }]);
  expect(await rows(c, 'SELECT a.id FROM dml a JOIN dml b ON a.id = b.id WHERE a.k < 3 ORDER BY a.id')).toEqual([{ id: 1 }, { id: 2 }]);
  if (ai) {
    await ok(c, "INSERT INTO dml VALUES (100, 5, 'explicit')");
    expect((await ok(c, "INSERT INTO dml (k, name) VALUES (6, 'next')")).insertId).toBe(101);
  }
  await ok(c, 'DROP TABLE dml');
}

async function rejectedScript(d: EngineDescriptor, env: SqlEnv, errno: number): Promise<void> {
  const c = env.conn;
  await createTable(c, d, 'nothing', 'id INT, name VARCHAR(20)');
  const message = "Table storage engine for 'nothing' doesn't have this option";
  expect(await fails(c, "INSERT INTO nothing VALUES (1, 'a')", errno)).toBe(message);
  expect(await fails(c, "REPLACE INTO nothing VALUES (1, 'a')", errno)).toBe(message);
  expect(await fails(c, "INSERT INTO nothing SELECT 2, 'b'", errno)).toBe(message);
  expect(await rows(c, 'SELECT * FROM nothing')).toEqual([]);
  const u = await ok(c, "UPDATE nothing SET name = 'x'");
  expect([u.affectedRows, u.changedRows]).toEqual([0, 0]);
  expect((await ok(c, 'DELETE FROM nothing')).affectedRows).toBe(0);
  await ok(c, 'TRUNCATE TABLE nothing');
  expect(await count(c, 'nothing')).toBe(0);
  await ok(c, 'DROP TABLE nothing');
}

/** An engine that accepts writes and keeps nothing (BLACKHOLE): the same statements succeed,
 *  INSERT and REPLACE count the rows they were given, reads and matches find none. */
async function discardedScript(d: EngineDescriptor, env: SqlEnv): Promise<void> {
  const c = env.conn;
  const caps = capabilitiesOf(d);
  const keys = caps.indexes ? ', PRIMARY KEY (id), UNIQUE KEY uk (k)' : '';
  await createTable(c, d, 'dropped', `id INT NOT NULL, k INT, name VARCHAR(20)${keys}`);
  const r = await ok(c, "INSERT INTO dropped VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'c')");
  expect([r.affectedRows, r.info]).toEqual([3, 'Records: 3  Duplicates: 0  Warnings: 0']);
  // Nothing was kept, so the same keys go in again without a duplicate-key error.
  expect((await ok(c, "INSERT INTO dropped VALUES (1, 1, 'a')")).affectedRows).toBe(1);
  expect((await ok(c, "REPLACE INTO dropped VALUES (1, 1, 'a')")).affectedRows).toBe(1);
  expect((await ok(c, "INSERT INTO dropped VALUES (1, 1, 'a') ON DUPLICATE KEY UPDATE name = 'x'")).affectedRows).toBe(1);
  expect((await ok(c, "INSERT INTO dropped SELECT 5, 5, 'e' UNION ALL SELECT 6, 6, 'f'")).affectedRows).toBe(2);
  expect(await rows(c, 'SELECT * FROM dropped')).toEqual([]);
  expect(await rows(c, 'SELECT * FROM dropped WHERE id = 1')).toEqual([]);
  const u = await ok(c, "UPDATE dropped SET name = 'x'");
  expect([u.affectedRows, u.changedRows]).toEqual([0, 0]);
  expect((await ok(c, 'DELETE FROM dropped')).affectedRows).toBe(0);
  await ok(c, 'TRUNCATE TABLE dropped');
  expect(await count(c, 'dropped')).toBe(0);
  await ok(c, 'DROP TABLE dropped');
}

function temporaryScenario(d: EngineDescriptor, env: SqlEnv): void {
  const caps = capabilitiesOf(d);
  if (!caps.temporaryTables) {
    const refused = 'CREATE TEMPORARY TABLE ... ENGINE=X is refused with 1478 and creates nothing';
    scenario(sqlSkip(d), title(d, 'sqlTemporary', ['CORE-ENG-027'], 'wire', refused), async () => {
      const c = env.conn;
      const message = `Table storage engine '${d.name}' does not support the create option 'TEMPORARY'`;
      const options = await tableOptions(d, 'refused_tmp', columnsFor(false, 'id INT'), true);
      expect(await fails(c, `CREATE TEMPORARY TABLE refused_tmp (${columnsFor(false, 'id INT')}) ENGINE=${d.name} ${options}`, 1478)).toBe(message);
      await fails(c, 'SELECT * FROM refused_tmp', 1146);
    });
    return;
  }
  const skip = sqlSkip(d);
  const text = 'CREATE TEMPORARY TABLE ... ENGINE=X gives a table private to its session that hides, for that session only, a base table of the same name';
  scenario(skip, title(d, 'sqlTemporary', ['CORE-ENG-027'], 'wire', text), async () => {
    const c = env.conn;
    const mine = await env.connect();
    const other = await env.connect();
    await createTable(c, d, 'shadowed', 'id INT');
    await createTable(mine, d, 'shadowed', 'id INT, note VARCHAR(5)', { temporary: true });
    const created = String((await rows(mine, 'SHOW CREATE TABLE shadowed'))[0]!['Create Table']);
    expect(created).toMatch(new RegExp(`^CREATE TEMPORARY TABLE \`shadowed\`[\\s\\S]*ENGINE=${d.name}`));
    if (d.rows.kind === 'stored') {
      await ok(mine, "INSERT INTO shadowed VALUES (1, 'temp')");
      expect(await rows(mine, 'SELECT id, note FROM shadowed')).toEqual([{ id: 1, note: 'temp' }]);
    } else if (d.rows.kind === 'discarded') {
      expect((await ok(mine, "INSERT INTO shadowed VALUES (1, 'temp')")).affectedRows).toBe(1);
      expect(await rows(mine, 'SELECT id, note FROM shadowed')).toEqual([]);
    } else {
      await fails(mine, "INSERT INTO shadowed VALUES (1, 'temp')", d.rows.errno);
    }
    // Other sessions see the base table, which the temporary one did not touch.
    expect(await rows(other, 'SELECT * FROM shadowed')).toEqual([]);
    expect((await rows(other, 'SHOW CREATE TABLE shadowed'))[0]!['Create Table']).not.toContain('TEMPORARY');
    await ok(mine, 'DROP TEMPORARY TABLE shadowed');
    expect(String((await rows(mine, 'SHOW CREATE TABLE shadowed'))[0]!['Create Table'])).not.toContain('note');
    await ok(c, 'DROP TABLE shadowed');
  });
}

export function sqlDmlScenarios(d: EngineDescriptor, env: SqlEnv): void {
  describe('row statements through SQL', () => {
    const rb = d.rows;
    const text =
      rb.kind === 'discarded'
        ? 'INSERT, REPLACE and INSERT ... SELECT succeed and count their rows, never a duplicate key; SELECT is empty, UPDATE and DELETE change 0 rows, TRUNCATE succeeds'
        : rb.kind !== 'stored'
          ? `SELECT is empty, UPDATE and DELETE change 0 rows, INSERT and REPLACE fail with ${rb.errno}, TRUNCATE succeeds`
          : d.insertOnly
            ? `INSERT, REPLACE, INSERT ... SELECT and SELECT give MySQL's results and AUTO_INCREMENT values; UPDATE, DELETE and TRUNCATE fail with ${d.insertOnly.errno} and change nothing`
            : 'INSERT, SELECT, UPDATE, DELETE, REPLACE, ON DUPLICATE KEY UPDATE and TRUNCATE give MySQL\'s results, 1062 texts and AUTO_INCREMENT values';
    const ids = rb.kind !== 'stored' ? ['CORE-ENG-021', 'CORE-ENG-017'] : d.insertOnly ? ['CORE-ENG-021', 'CORE-ENG-008'] : ['CORE-ENG-021', 'CORE-ENG-015', 'CORE-ENG-011', 'CORE-ENG-008'];
    scenario(sqlSkip(d), title(d, 'sqlDml', ids, 'wire', text), async () => {
      if (rb.kind === 'stored' && d.insertOnly) await insertOnlyScript(d, env, d.insertOnly.errno);
      else if (rb.kind === 'stored') await storedScript(d, env);
      else if (rb.kind === 'discarded') await discardedScript(d, env);
      else await rejectedScript(d, env, rb.errno);
    });
    temporaryScenario(d, env);
  });
}
