/**
 * Foreign keys in the dictionary, on an engine that claims foreign-key support (FILETEST): the
 * structure built from CREATE/ALTER TABLE, SHOW CREATE TABLE in MySQL's form, the errors, and
 * the catalog's referenced-by index through RENAME, ALTER ... RENAME, DROP and a restart.
 *
 * The sessions run with foreign_key_checks=0, so that keys may name parents that do not exist
 * and parents may be dropped: the DDL rules that foreign_key_checks=1 adds are proved on InnoDB
 * in test/wire/innodb-foreign-keys.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../src/catalog/catalog.js';
import { executeShow } from '../../../src/exec/show/execute.js';
import type { RowsResult } from '../../../src/kernel/protocol-port.js';
import { collectRows } from '../../../src/kernel/row-stream.js';
import { parseOne } from '../../../src/sql/parser/index.js';
import { req } from '../../helpers/req.js';
import { openCatalog, runner, type Runner } from './fixtures/atomic-ddl.js';

const dirs: string[] = [];
const open: Catalog[] = [];
afterAll(async () => {
  for (const c of open) await c.close().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function setup(): Promise<Runner & { dir: string; show(sql: string): Promise<string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'refmysql-fk-'));
  dirs.push(dir);
  const r = runner(await openCatalog(dir));
  open.push(r.catalog);
  (r.session as unknown as { sessionVars: Map<string, unknown> }).sessionVars.set('foreign_key_checks', 0n);
  await r.ddl('CREATE DATABASE db');
  await r.ddl('CREATE DATABASE other');
  return {
    ...r,
    dir,
    async show(sql: string): Promise<string> {
      const res = (await executeShow({ catalog: r.catalog }, r.session, parseOne(sql) as never)) as RowsResult;
      return String((await collectRows(res.rows))[0]![1]);
    },
  };
}

const fkLines = (text: string): string[] => text.split('\n').filter((l) => l.includes('FOREIGN KEY')).map((l) => l.trim().replace(/,$/, ''));
const refs = (cat: Catalog, schema: string, table: string): string[] =>
  cat.referencedBy(schema, table).map((x) => `${x.child.schema}.${x.child.name}:${x.fk.name}`);

describe('structured foreign keys', () => {
  it(req(['CORE-DICT-010', 'CORE-DICT-012'], 'unit', 'CREATE TABLE records name, column positions, parent and rules; SHOW CREATE TABLE prints them as MySQL does'), async () => {
    const r = await setup();
    await r.ddl('CREATE TABLE db.p (id INT PRIMARY KEY, k INT, UNIQUE KEY (k, id)) ENGINE=FILETEST');
    await r.ddl(`CREATE TABLE db.c (x INT, pid INT, pk INT,
      FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE,
      CONSTRAINT named FOREIGN KEY (pk, pid) REFERENCES db.p (k, id) ON UPDATE SET NULL ON DELETE RESTRICT,
      FOREIGN KEY (x) REFERENCES other.q (y) ON DELETE NO ACTION ON UPDATE CASCADE) ENGINE=FILETEST`);
    const c = r.catalog.getTable('db', 'c')!;
    expect(c.foreignKeys).toEqual([
      { name: 'c_ibfk_1', columns: [1], refSchema: 'db', refTable: 'p', refColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' },
      { name: 'named', columns: [2, 1], refSchema: 'db', refTable: 'p', refColumns: ['k', 'id'], onDelete: 'RESTRICT', onUpdate: 'SET NULL' },
      { name: 'c_ibfk_2', columns: [0], refSchema: 'other', refTable: 'q', refColumns: ['y'], onDelete: 'NO ACTION', onUpdate: 'CASCADE' },
    ]);
    expect(fkLines(await r.show('SHOW CREATE TABLE db.c'))).toEqual([
      'CONSTRAINT `c_ibfk_1` FOREIGN KEY (`pid`) REFERENCES `p` (`id`) ON DELETE CASCADE',
      'CONSTRAINT `named` FOREIGN KEY (`pk`, `pid`) REFERENCES `p` (`k`, `id`) ON DELETE RESTRICT ON UPDATE SET NULL',
      'CONSTRAINT `c_ibfk_2` FOREIGN KEY (`x`) REFERENCES `other`.`q` (`y`) ON UPDATE CASCADE',
    ]);
    expect(refs(r.catalog, 'db', 'p')).toEqual(['db.c:c_ibfk_1', 'db.c:named']);
    expect(refs(r.catalog, 'other', 'q')).toEqual(['db.c:c_ibfk_2']);
    // CREATE TABLE ... LIKE copies no foreign keys; MEMORY keeps none.
    await r.ddl('CREATE TABLE db.c2 LIKE db.c');
    expect(r.catalog.getTable('db', 'c2')!.foreignKeys).toBeUndefined();
    await r.ddl('CREATE TABLE db.m (pid INT, FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=MEMORY');
    expect(r.catalog.getTable('db', 'm')!.foreignKeys).toBeUndefined();
    expect(refs(r.catalog, 'db', 'p')).toEqual(['db.c:c_ibfk_1', 'db.c:named']);
  });

  it(req(['CORE-DICT-010'], 'unit', 'errors: unknown column 1072, column count 1239, duplicate name in the schema 1826, SET NULL on NOT NULL 1830'), async () => {
    const r = await setup();
    const fail = (sql: string) => r.ddl(sql).then(() => ({ errno: 0, message: '' }), (e: { errno: number; message: string }) => ({ errno: e.errno, message: e.message }));
    expect(await fail('CREATE TABLE db.a (x INT, FOREIGN KEY (nope) REFERENCES p (id)) ENGINE=FILETEST')).toEqual({ errno: 1072, message: "Key column 'nope' doesn't exist in table" });
    expect(await fail('CREATE TABLE db.a (x INT, FOREIGN KEY (x) REFERENCES p (id, k)) ENGINE=FILETEST')).toEqual({
      errno: 1239, message: "Incorrect foreign key definition for 'foreign key without name': Key reference and table reference don't match",
    });
    expect((await fail('CREATE TABLE db.a (x INT, CONSTRAINT f FOREIGN KEY (x) REFERENCES p (id), CONSTRAINT F FOREIGN KEY (x) REFERENCES p (id)) ENGINE=FILETEST')).errno).toBe(1826);
    await r.ddl('CREATE TABLE db.a (x INT, CONSTRAINT f FOREIGN KEY (x) REFERENCES p (id)) ENGINE=FILETEST');
    expect(await fail('CREATE TABLE db.b (x INT, CONSTRAINT f FOREIGN KEY (x) REFERENCES p (id)) ENGINE=FILETEST')).toEqual({ errno: 1826, message: "Duplicate foreign key constraint name 'f'" });
    // The same name in another schema is fine.
    await r.ddl('CREATE TABLE other.b (x INT, CONSTRAINT f FOREIGN KEY (x) REFERENCES db.p (id)) ENGINE=FILETEST');
    expect(await fail('CREATE TABLE db.n (x INT NOT NULL, CONSTRAINT g FOREIGN KEY (x) REFERENCES p (id) ON DELETE SET NULL) ENGINE=FILETEST')).toEqual({
      errno: 1830, message: "Column 'x' cannot be NOT NULL: needed in a foreign key constraint 'g' SET NULL",
    });
    expect(r.catalog.getTable('db', 'b')).toBeUndefined();
    expect(r.catalog.getTable('db', 'n')).toBeUndefined();
  });

  it(req(['CORE-DICT-011'], 'unit', 'ALTER TABLE: keys follow moved columns, ADD/DROP FOREIGN KEY, 1828 for a referencing column, 1091 for an unknown key'), async () => {
    const r = await setup();
    await r.ddl('CREATE TABLE db.c (a INT, pid INT, FOREIGN KEY (pid) REFERENCES p (id) ON DELETE SET NULL) ENGINE=FILETEST');
    await r.ddl('ALTER TABLE db.c ADD COLUMN z INT FIRST, DROP COLUMN a');
    const c = r.catalog.getTable('db', 'c')!;
    expect(c.columns.map((x) => x.name)).toEqual(['z', 'pid']);
    expect(c.foreignKeys!.map((f) => [f.name, f.columns])).toEqual([['c_ibfk_1', [1]]]);
    await expect(r.ddl('ALTER TABLE db.c DROP COLUMN pid')).rejects.toMatchObject({ errno: 1828, message: "Cannot drop column 'pid': needed in a foreign key constraint 'c_ibfk_1'" });
    await expect(r.ddl('ALTER TABLE db.c MODIFY pid INT NOT NULL')).rejects.toMatchObject({ errno: 1830 });
    // Adding numbers after the highest generated name; dropping by name (metadata only: same table
    // id, since an index on z already supports the keys).
    await r.ddl('ALTER TABLE db.c ADD INDEX (z)');
    const id = r.catalog.getTable('db', 'c')!.id;
    await r.ddl('ALTER TABLE db.c ADD FOREIGN KEY (z) REFERENCES q (w), ADD CONSTRAINT mine FOREIGN KEY (z) REFERENCES q (v)');
    expect(r.catalog.getTable('db', 'c')!.foreignKeys!.map((f) => f.name)).toEqual(['c_ibfk_1', 'c_ibfk_2', 'mine']);
    expect(r.catalog.getTable('db', 'c')!.id).toBe(id);
    await r.ddl('ALTER TABLE db.c DROP FOREIGN KEY c_ibfk_1');
    expect(refs(r.catalog, 'db', 'p')).toEqual([]);
    expect(refs(r.catalog, 'db', 'q')).toEqual(['db.c:c_ibfk_2', 'db.c:mine']);
    await expect(r.ddl('ALTER TABLE db.c DROP FOREIGN KEY c_ibfk_1')).rejects.toMatchObject({ errno: 1091 });
    // A table with foreign keys keeps its engine (3776); without them it may move.
    await expect(r.ddl('ALTER TABLE db.c ENGINE=MEMORY')).rejects.toMatchObject({ errno: 3776 });
    await r.ddl('ALTER TABLE db.c DROP FOREIGN KEY c_ibfk_2, DROP FOREIGN KEY mine');
    await r.ddl('ALTER TABLE db.c ENGINE=MEMORY');
    expect(r.catalog.getTable('db', 'c')!.foreignKeys).toBeUndefined();
    expect(refs(r.catalog, 'db', 'q')).toEqual([]);
  });

  it(req(['CORE-DICT-013'], 'unit', 'referenced-by follows RENAME of the parent (children retargeted) and of the child (generated names renamed), across schemas and restarts'), async () => {
    const r = await setup();
    await r.ddl('CREATE TABLE db.p (id INT PRIMARY KEY) ENGINE=FILETEST');
    await r.ddl('CREATE TABLE db.c (pid INT, FOREIGN KEY (pid) REFERENCES p (id), CONSTRAINT keep FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=FILETEST');
    await r.ddl('CREATE TABLE db.self (id INT PRIMARY KEY, up INT, FOREIGN KEY (up) REFERENCES self (id)) ENGINE=FILETEST');
    await r.ddl('RENAME TABLE db.p TO db.parent');
    expect(refs(r.catalog, 'db', 'p')).toEqual([]);
    expect(refs(r.catalog, 'db', 'parent')).toEqual(['db.c:c_ibfk_1', 'db.c:keep']);
    expect(fkLines(await r.show('SHOW CREATE TABLE db.c'))[0]).toBe('CONSTRAINT `c_ibfk_1` FOREIGN KEY (`pid`) REFERENCES `parent` (`id`)');
    await r.ddl('RENAME TABLE db.c TO db.kid');
    expect(refs(r.catalog, 'db', 'parent')).toEqual(['db.kid:keep', 'db.kid:kid_ibfk_1']);
    // ALTER ... RENAME, by copy and in place, to another schema.
    await r.ddl('ALTER TABLE db.parent ADD COLUMN extra INT, RENAME TO other.parent');
    expect(refs(r.catalog, 'other', 'parent')).toEqual(['db.kid:keep', 'db.kid:kid_ibfk_1']);
    expect(fkLines(await r.show('SHOW CREATE TABLE db.kid'))[0]).toBe('CONSTRAINT `kid_ibfk_1` FOREIGN KEY (`pid`) REFERENCES `other`.`parent` (`id`)');
    await r.ddl('ALTER TABLE db.kid RENAME COLUMN pid TO parent_id, RENAME TO db.child');
    expect(refs(r.catalog, 'other', 'parent')).toEqual(['db.child:child_ibfk_1', 'db.child:keep']);
    expect(fkLines(await r.show('SHOW CREATE TABLE db.child'))[0]).toBe('CONSTRAINT `child_ibfk_1` FOREIGN KEY (`parent_id`) REFERENCES `other`.`parent` (`id`)');
    // A table referencing itself follows its own rename.
    await r.ddl('RENAME TABLE db.self TO db.tree');
    expect(refs(r.catalog, 'db', 'tree')).toEqual(['db.tree:tree_ibfk_1']);
    // The index is rebuilt from the stored dictionary after a restart.
    await r.catalog.close();
    open.splice(open.indexOf(r.catalog), 1);
    const again = await openCatalog(r.dir);
    open.push(again);
    expect(refs(again, 'other', 'parent')).toEqual(['db.child:child_ibfk_1', 'db.child:keep']);
    expect(refs(again, 'db', 'tree')).toEqual(['db.tree:tree_ibfk_1']);
  });

  it(req(['CORE-DICT-013'], 'unit', 'DROP of a child removes its keys from the index; DROP of a parent keeps the children pointing at its name, found again when it is recreated'), async () => {
    const r = await setup();
    await r.ddl('CREATE TABLE db.p (id INT PRIMARY KEY) ENGINE=FILETEST');
    await r.ddl('CREATE TABLE db.c (pid INT, FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=FILETEST');
    await r.ddl('CREATE TABLE db.d (pid INT, FOREIGN KEY (pid) REFERENCES p (id)) ENGINE=FILETEST');
    await r.ddl('DROP TABLE db.d');
    expect(refs(r.catalog, 'db', 'p')).toEqual(['db.c:c_ibfk_1']);
    await r.ddl('DROP TABLE db.p');
    expect(refs(r.catalog, 'db', 'p')).toEqual(['db.c:c_ibfk_1']);
    await r.ddl('CREATE TABLE db.p (id INT PRIMARY KEY) ENGINE=FILETEST');
    expect(refs(r.catalog, 'db', 'p')).toEqual(['db.c:c_ibfk_1']);
    await r.ddl('TRUNCATE TABLE db.c');
    expect(refs(r.catalog, 'db', 'p')).toEqual(['db.c:c_ibfk_1']);
    await r.ddl('DROP DATABASE db');
    expect(refs(r.catalog, 'db', 'p')).toEqual([]);
  });
});
