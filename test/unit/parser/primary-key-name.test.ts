/**
 * A name written after PRIMARY KEY (`PRIMARY KEY pk (a)`, `ADD PRIMARY KEY idx3 (a, b(31))`) is
 * accepted and ignored, as MySQL's grammar does: the primary key is always called PRIMARY.
 * Found by MariaDB's mtr test innodb.innodb_bug51378.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { stmt } from './helpers.js';

describe('PRIMARY KEY with a name', () => {
  it(req('CORE-SQL-026', 'unit', 'CREATE TABLE and ALTER TABLE ADD accept and drop the name; USING still reads as the index type'), () => {
    const created = stmt('CREATE TABLE t (a INT NOT NULL, b CHAR(40), PRIMARY KEY pk (a, b(31)))', 'create_table');
    expect(created.indexes).toEqual([{ kind: 'PRIMARY', columns: [{ column: 'a' }, { column: 'b', length: 31 }] }]);
    const altered = stmt('ALTER TABLE t ADD PRIMARY KEY idx3 (a)', 'alter_table');
    expect(altered.actions).toEqual([{ action: 'add_index', index: { kind: 'PRIMARY', columns: [{ column: 'a' }] } }]);
    const using = stmt('CREATE TABLE t (a INT NOT NULL, PRIMARY KEY USING BTREE (a))', 'create_table');
    expect(using.indexes[0]).toMatchObject({ kind: 'PRIMARY', using: 'BTREE' });
    expect(stmt('CREATE TABLE t (a INT NOT NULL, CONSTRAINT c PRIMARY KEY p (a))', 'create_table').indexes[0]).toMatchObject({ kind: 'PRIMARY' });
  });
});
