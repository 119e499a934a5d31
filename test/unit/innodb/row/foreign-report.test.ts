/**
 * The texts of foreign key failures: the constraint inside 1451/1452 as InnoDB prints it, and
 * the record dumps of LATEST FOREIGN KEY ERROR (expected bytes built by hand).
 */
import { describe, expect, it } from 'vitest';
import type { ForeignKeyDef, ForeignKeyRule } from '../../../../src/kernel/table-def.js';
import {
  addFailureText,
  constraintText,
  detailedError,
  missingParentText,
  parentFailureText,
  recordText,
  tupleText,
} from '../../../../src/storage/innodb/row/foreign-report.js';
import { req } from '../../../helpers/req.js';
import { column, tableDef } from '../../../helpers/table-def.js';

const child = tableDef({
  schema: 'db',
  name: 'child',
  engine: 'InnoDB',
  columns: [column('id', { nullable: false }), column('p`q'), column('u', { type: { name: 'TINYINT', unsigned: true } }), column('s', { type: { name: 'VARCHAR', length: 5 } })],
});

function fk(onDelete: ForeignKeyRule, onUpdate: ForeignKeyRule, refSchema = 'db'): ForeignKeyDef {
  return { name: 'fk', columns: [1, 2], refSchema, refTable: 'parent', refColumns: ['a', 'b'], onDelete, onUpdate };
}

describe('foreign key error texts', () => {
  it(req(['INNODB-FK-108', 'INNODB-FK-110'], 'unit', 'the constraint prints CASCADE, SET NULL and RESTRICT rules only, the parent schema only when it differs, names quoted'), () => {
    expect(detailedError(child, fk('NO ACTION', 'NO ACTION'))).toBe('`db`.`child`, CONSTRAINT `fk` FOREIGN KEY (`p``q`, `u`) REFERENCES `parent` (`a`, `b`)');
    expect(constraintText(child, fk('CASCADE', 'SET NULL'))).toBe('CONSTRAINT `fk` FOREIGN KEY (`p``q`, `u`) REFERENCES `parent` (`a`, `b`) ON DELETE CASCADE ON UPDATE SET NULL');
    expect(constraintText(child, fk('RESTRICT', 'SET DEFAULT', 'other'))).toBe('CONSTRAINT `fk` FOREIGN KEY (`p``q`, `u`) REFERENCES `other`.`parent` (`a`, `b`) ON DELETE RESTRICT');
    expect(constraintText(child, fk('SET DEFAULT', 'RESTRICT'))).toBe('CONSTRAINT `fk` FOREIGN KEY (`p``q`, `u`) REFERENCES `parent` (`a`, `b`) ON UPDATE RESTRICT');
  });

  it(req(['INNODB-MON-007'], 'unit', 'fields dump as InnoDB stores them: signed integers with the sign bit flipped, unsigned plain, text as bytes, NULL as SQL NULL'), () => {
    expect(tupleText(child, [0, 2, 3, 1], [-1n, 200n, 'hé', null])).toBe(
      'DATA TUPLE: 4 fields;\n' +
        ' 0: len 4; hex 7fffffff; asc     ;;\n' +
        ' 1: len 1; hex c8; asc  ;;\n' +
        ' 2: len 3; hex 68c3a9; asc h  ;;\n' +
        ' 3: SQL NULL;\n',
    );
    expect(recordText(child, [0], [42n, null, null, null])).toBe('PHYSICAL RECORD: n_fields 1; compact format; info bits 0\n 0: len 4; hex 8000002a; asc    *;;\n');
    expect(recordText(child, [0], null)).toBe('PHYSICAL RECORD: n_fields 1; compact format; info bits 0\n 0: len 8; hex 696e66696d756d00; asc infimum ;;\n');
  });

  it(req(['INNODB-MON-007'], 'unit', 'the report bodies: adding a child, a missing parent, refusing a parent change'), () => {
    const f = fk('NO ACTION', 'NO ACTION');
    const parent = tableDef({ schema: 'db', name: 'parent', engine: 'InnoDB' });
    const head = 'Foreign key constraint fails for table `db`.`child`:\n,\n  CONSTRAINT `fk` FOREIGN KEY (`p``q`, `u`) REFERENCES `parent` (`a`, `b`)\n';
    expect(addFailureText(child, f, 'fk', 'T\n', parent, 'PRIMARY', 'R\n')).toBe(
      `${head}Trying to add in child table, in index fk tuple:\nT\n\nBut in parent table \`db\`.\`parent\`, in index PRIMARY,\nthe closest match we can find is record:\nR\n\n`,
    );
    expect(missingParentText(child, f, 'fk', 'T\n')).toBe(`${head}Trying to add to index fk tuple:\nT\n\nBut the parent table \`db\`.\`parent\`\nor its .ibd file does not currently exist!\n`);
    expect(parentFailureText('Trying to delete', child, f, 'PRIMARY', 'T\n', 'fk', 'R\n')).toBe(
      `${head}Trying to delete in parent table, in index PRIMARY tuple:\nT\n\nBut in child table \`db\`.\`child\`, in index fk, there is a record:\nR\n\n`,
    );
  });
});
