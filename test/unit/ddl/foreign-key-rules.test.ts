/**
 * The server's foreign key index rules as functions: which index supports a key in the child,
 * which one a key references in the parent, and which supporting indexes a statement adds.
 */
import { describe, expect, it } from 'vitest';
import { referencedIndex, renamedColumns, renameReferencedColumns, supportingIndex, supportingIndexDefinitions } from '../../../src/exec/ddl/foreign-key-rules.js';
import type { IndexDef } from '../../../src/kernel/table-def.js';
import type { ForeignKeyDefinition } from '../../../src/sql/ast.js';
import { req } from '../../helpers/req.js';
import { column, tableDef } from '../../helpers/table-def.js';

function idx(name: string, kind: IndexDef['kind'], parts: IndexDef['parts']): IndexDef {
  return { name, kind, algorithm: 'BTREE', parts, comment: '', visible: true };
}

const columns = ['id', 'a', 'b', 'c'].map((n) => column(n));

function clause(cols: string[], name?: string, indexName?: string): ForeignKeyDefinition {
  const c: ForeignKeyDefinition = { columns: cols, references: { table: { name: 'p' }, columns: cols } };
  if (name !== undefined) c.name = name;
  if (indexName !== undefined) c.indexName = indexName;
  return c;
}

describe('foreign key index rules', () => {
  it(req(['INNODB-FK-102', 'INNODB-FK-104'], 'unit', 'a supporting index is led by the key columns in order without prefixes; a referenced index may reach them through the appended primary key'), () => {
    const t = {
      indexes: [idx('PRIMARY', 'PRIMARY', [{ column: 0 }]), idx('ab', 'INDEX', [{ column: 1 }, { column: 2 }]), idx('cp', 'INDEX', [{ column: 3, length: 4 }]), idx('ft', 'FULLTEXT', [{ column: 2 }])],
    };
    expect(supportingIndex(t, [1])?.name).toBe('ab');
    expect(supportingIndex(t, [2, 1])).toBeUndefined();
    expect(supportingIndex(t, [3])).toBeUndefined();
    expect(supportingIndex(t, [2])).toBeUndefined();
    expect(referencedIndex(t, [1, 2, 0])?.name).toBe('ab');
    expect(supportingIndex(t, [1, 2, 0])).toBeUndefined();
    // A primary key with a prefix part is not appended.
    expect(referencedIndex({ indexes: [idx('PRIMARY', 'PRIMARY', [{ column: 0, length: 2 }]), idx('a', 'INDEX', [{ column: 1 }])] }, [1, 0])).toBeUndefined();
  });

  it(req(['INNODB-FK-104'], 'unit', 'each clause generates a key; a generated key that is a prefix of another key goes (the earlier of two alike); names come from CONSTRAINT, then FOREIGN KEY'), () => {
    const pk = idx('PRIMARY', 'PRIMARY', [{ column: 0 }, { column: 1 }]);
    const names = (c: ForeignKeyDefinition[], built: IndexDef[] = [pk]): unknown[] => supportingIndexDefinitions(c, columns, built).map((d) => [d.name ?? null, d.columns.map((x) => x.column)]);
    expect(names([clause(['id'])])).toEqual([]);
    expect(names([clause(['a'], 'fa'), clause(['a', 'b'], undefined, 'iab')])).toEqual([['iab', ['a', 'b']]]);
    expect(names([clause(['b'], 'first'), clause(['b'], 'second')])).toEqual([['second', ['b']]]);
    expect(names([clause(['c'], undefined, 'ic'), clause(['b', 'c'])])).toEqual([
      ['ic', ['c']],
      [null, ['b', 'c']],
    ]);
    // A DESC or prefix key is not the same key: the generated one stays.
    expect(names([clause(['b'])], [idx('bd', 'INDEX', [{ column: 2, desc: true }])])).toEqual([[null, ['b']]]);
    // Unknown columns are left to the foreign key resolution (1072).
    expect(names([clause(['nope'])])).toEqual([]);
  });

  it(req(['INNODB-FK-107'], 'unit', 'columns an ALTER renamed, and the referenced names of a key following them'), () => {
    const old = tableDef({ columns: [column('id'), column('k'), column('v')] });
    const next = tableDef({ columns: [column('x'), column('id'), column('kk')] });
    const renamed = renamedColumns({ old, next, sources: [null, 0, 1] });
    expect([...renamed]).toEqual([['k', 'kk']]);
    const fk = { name: 'f', columns: [0], refSchema: 'db', refTable: 't', refColumns: ['K', 'id'], onDelete: 'NO ACTION' as const, onUpdate: 'NO ACTION' as const };
    expect(renameReferencedColumns(fk, renamed).refColumns).toEqual(['kk', 'id']);
    expect(renameReferencedColumns(fk, new Map())).toBe(fk);
  });
});
