/**
 * Atomic DDL, in-process: for every DDL that changes storage, over an engine that owns one file
 * per table, a crash is simulated at each of the DDL's crash points (the DDL is frozen there,
 * the data directory reopened from disk and recovered). Points before the dictionary commit must
 * leave the old table(s), points from the commit on the new ones; never an entry without its
 * file, a file without its entry, an ALTER leftover or an unfinished DDL log.
 */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frozen, setCrashHook } from '../../../src/catalog/crash-points.js';
import { DDL_LOG_FILE, DDL_LOG_RESET_BYTES } from '../../../src/catalog/limits.js';
import { drainSync } from '../../../src/storage/handler.js';
import { req } from '../../helpers/req.js';
import { afterCommit, openCatalog, runner, SCENARIOS, setUp, verify, type Scenario } from './fixtures/atomic-ddl.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const tempDir = tempDirs('refmysql-addl-');

/** Run the scenario once without crashing and return the crash points its DDL passed. */
async function recordPoints(s: Scenario): Promise<string[]> {
  const dir = tempDir();
  const r = runner(await openCatalog(dir));
  await setUp(r, s);
  const points: string[] = [];
  const off = setCrashHook((p) => {
    points.push(p);
  });
  try {
    await r.ddl(s.sql);
  } finally {
    off();
  }
  await r.catalog.close();
  // Without a crash the DDL happened, also as seen after a restart.
  const again = runner(await openCatalog(dir));
  expect(await verify(again, dir, s.after)).toEqual([]);
  await again.catalog.close();
  return points;
}

/** Freeze the scenario's DDL at `point`, abandon that server state, reopen from disk. */
async function crashAt(s: Scenario, point: string): Promise<string[]> {
  const dir = tempDir();
  const r = runner(await openCatalog(dir));
  await setUp(r, s);
  let reached!: () => void;
  const hit = new Promise<string>((res) => (reached = () => res('frozen')));
  const off = setCrashHook((p) => {
    if (p !== point) return;
    reached();
    return frozen();
  });
  const ddl = r.ddl(s.sql).then(
    () => 'finished without reaching the point',
    (e: Error) => `failed: ${e.message}`,
  );
  const outcome = await Promise.race([hit, ddl]);
  off();
  expect(outcome).toBe('frozen');
  const again = runner(await openCatalog(dir));
  const problems = await verify(again, dir, afterCommit(point) ? s.after : s.before);
  // Once its end record is written the DDL is over; before that recovery finishes it.
  expect(again.catalog.recovery?.ddls.length).toBe(point.endsWith(':ended') ? 0 : 1);
  await again.catalog.close();
  return problems;
}

/** The requirement each operation's scenarios prove besides the log itself. */
const OP_REQ: Record<Scenario['op'], string> = {
  create_table: 'CORE-DICT-007',
  drop_table: 'CORE-DICT-007',
  rename_table: 'CORE-DICT-007',
  alter_inplace: 'CORE-DICT-007',
  alter_copy: 'CORE-DICT-006',
  truncate_table: 'CORE-DICT-006',
  drop_schema: 'CORE-DICT-007',
};

describe('atomic DDL with a file-owning engine: a crash at every point', () => {
  for (const s of SCENARIOS) {
    it(req(['CORE-DICT-004', 'CORE-DICT-005', 'CORE-DICT-008', OP_REQ[s.op]], 'unit', `${s.name} (${s.sql}): old state before the commit, new state from it on`), async () => {
      const points = await recordPoints(s);
      // Every DDL passes at least: the commit being logged, the commit, the end.
      expect(points).toEqual(expect.arrayContaining([`${s.op}:commit.logged`, `${s.op}:committed`, `${s.op}:ended`]));
      expect(points.every((p) => p.startsWith(`${s.op}:`))).toBe(true);
      for (const p of points) expect({ point: p, problems: await crashAt(s, p) }).toEqual({ point: p, problems: [] });
    });
  }

  it(req(['CORE-DICT-006'], 'unit', 'ALTER by copy passes create, move aside, move into place, commit and drop of the original'), async () => {
    const s = SCENARIOS.find((x) => x.name === 'alter-copy')!;
    expect(await recordPoints(s)).toEqual([
      'alter_copy:step1.logged', 'alter_copy:step1.done',
      'alter_copy:step2.logged', 'alter_copy:step2.done',
      'alter_copy:step3.logged', 'alter_copy:step3.done',
      'alter_copy:commit.logged', 'alter_copy:committed', 'alter_copy:post1.done', 'alter_copy:ended',
    ]);
  });

  it(req(['CORE-DICT-005', 'CORE-DICT-007'], 'unit', 'a table id used by a crashed CREATE is never handed out again'), async () => {
    const s = SCENARIOS.find((x) => x.name === 'create')!;
    const dir = tempDir();
    const r = runner(await openCatalog(dir));
    await setUp(r, s);
    let reached!: () => void;
    const hit = new Promise<void>((res) => (reached = res));
    const off = setCrashHook((p) => {
      if (p !== 'create_table:step1.done') return;
      reached();
      return frozen();
    });
    void r.ddl(s.sql);
    await hit;
    off();
    const crashedId = r.catalog.snapshot().nextTableId - 1;
    const again = await openCatalog(dir);
    expect(again.recovery?.ddls).toEqual([expect.objectContaining({ op: 'create_table', outcome: 'rolled back' })]);
    expect(again.nextTableId()).toBeGreaterThan(crashedId);
    await again.close();
  });

  it(req(['CORE-DICT-007'], 'unit', 'a failed DDL undoes its storage steps in the running server (CREATE over a stray file, ALTER onto a taken name)'), async () => {
    const dir = tempDir();
    const r = runner(await openCatalog(dir));
    await setUp(r, SCENARIOS[0]!);
    // A stray file where the new table's file would go: the engine refuses, nothing is recorded.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'db', 'stray.ftd'), '{"id":999,"rows":[]}');
    await expect(r.ddl('CREATE TABLE stray (a INT) ENGINE=FILETEST')).rejects.toThrow(/EEXIST/);
    expect(r.catalog.getTable('db', 'stray')).toBeUndefined();
    rmSync(join(dir, 'db', 'stray.ftd'));
    // ALTER ... RENAME onto an existing table: 1050, the copy is dropped, t is untouched.
    await r.ddl('CREATE TABLE other (a INT) ENGINE=FILETEST');
    await expect(r.ddl('ALTER TABLE t ADD COLUMN c INT, RENAME TO other')).rejects.toMatchObject({ errno: 1050 });
    await r.ddl('DROP TABLE other');
    await r.catalog.close();
    const again = runner(await openCatalog(dir));
    expect(await verify(again, dir, { schemas: ['db'], tables: [{ schema: 'db', name: 't', columns: ['a', 'b'], rows: [[1, 'one'], [2, 'two']] }] })).toEqual([]);
    expect(again.catalog.recovery?.ddls).toEqual([]);
    await again.catalog.close();
  });

  it(req(['CORE-DICT-004'], 'unit', 'the DDL log is emptied when no DDL is in flight once it has grown past its threshold'), async () => {
    const dir = tempDir();
    const r = runner(await openCatalog(dir));
    await r.ddl('CREATE DATABASE db');
    let largest = 0;
    let emptied = 0;
    let previous = 0;
    for (let i = 0; i < 150; i++) {
      await r.ddl(`CREATE TABLE db.t${i} (a INT, b VARCHAR(20), c INT) ENGINE=FILETEST`);
      await r.ddl(`DROP TABLE db.t${i}`);
      const size = statSync(join(dir, DDL_LOG_FILE)).size;
      if (size < previous) emptied++;
      largest = Math.max(largest, size);
      previous = size;
    }
    expect(emptied).toBeGreaterThan(0);
    expect(largest).toBeLessThan(DDL_LOG_RESET_BYTES + 8192);
    await r.catalog.close();
  });

  it(req(['CORE-DICT-006', 'CORE-DICT-007'], 'unit', 'DDL on temporary tables takes the same steps without writing to the DDL log'), async () => {
    const dir = tempDir();
    const r = runner(await openCatalog(dir));
    await r.ddl('CREATE DATABASE db');
    const logSize = (): number => statSync(join(dir, DDL_LOG_FILE)).size;
    const before = logSize();
    await r.ddl('CREATE TEMPORARY TABLE db.tmp (a INT, b INT) ENGINE=MEMORY');
    const rows = async (name: string): Promise<unknown[][]> => {
      const def = r.catalog.getTable('db', name, r.session)!;
      const h = await r.catalog.openHandler(r.session, def);
      return drainSync(h.scan(r.session.engineContext(def.engine), { lock: 'consistent', canWait: false })).map((x) => x.row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
    };
    const def = r.catalog.getTable('db', 'tmp', r.session)!;
    await (await r.catalog.openHandler(r.session, def)).insert(r.session.engineContext('MEMORY'), [1n, 2n]);
    await r.ddl('ALTER TABLE db.tmp ADD COLUMN c INT DEFAULT 3');
    expect(await rows('tmp')).toEqual([[1, 2, 3]]);
    await r.ddl('ALTER TABLE db.tmp RENAME COLUMN b TO bb, RENAME TO tmp2');
    expect(r.catalog.getTable('db', 'tmp2', r.session)!.columns.map((c) => c.name)).toEqual(['a', 'bb', 'c']);
    expect(await rows('tmp2')).toEqual([[1, 2, 3]]);
    await r.ddl('TRUNCATE TABLE db.tmp2');
    expect(await rows('tmp2')).toEqual([]);
    await r.ddl('DROP TEMPORARY TABLE db.tmp2');
    expect(r.catalog.getTable('db', 'tmp2', r.session)).toBeUndefined();
    expect(r.catalog.listAllTables()).toEqual([]);
    expect(logSize()).toBe(before);
    await r.catalog.close();
  });
});
