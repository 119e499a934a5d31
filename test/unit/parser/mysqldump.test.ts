import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { parse } from '../../../src/sql/parser/index.js';
import type { CreateTableStatement, InsertStatement } from '../../../src/sql/ast.js';

const dump = readFileSync(fileURLToPath(new URL('./fixtures/mysqldump-8.0.sql', import.meta.url)), 'utf8');

describe('mysqldump output', () => {
  it(req(['CORE-SQL-042', 'CORE-SQL-007'], 'unit', 'a mysqldump 8.0 file parses statement by statement'), () => {
    const stmts = parse(dump);
    expect(stmts.map((s) => s.kind)).toEqual([
      'set', 'set', 'set', 'set_names', 'set', 'set', 'set', 'set', 'set', 'set', 'set', 'set', 'set',
      'drop_table', 'set', 'set', 'create_table', 'set',
      'lock_tables', 'alter_table', 'insert', 'alter_table', 'unlock_tables', 'set', 'set', 'set', 'set', 'set', 'set',
    ]);
    expect(stmts[11]).toMatchObject({ assignments: [{ target: { type: 'sysvar', name: 'SQL_LOG_BIN', scope: 'session' }, value: { value: '0' } }] });
    // /*!80000 '+'*/ '' concatenates to '+'
    expect(stmts[12]).toMatchObject({ assignments: [{ target: { name: 'GTID_PURGED', scope: 'global' }, value: { kind: 'string', value: '+' } }] });
    expect(stmts[15]).toMatchObject({ assignments: [{ target: { type: 'sysvar', name: 'character_set_client' }, value: { type: 'column', name: 'utf8mb4' } }] });
  });

  it(req('CORE-SQL-042', 'unit', 'the CREATE TABLE and INSERT of a dump carry every detail'), () => {
    const stmts = parse(dump);
    const ct = stmts.find((s) => s.kind === 'create_table') as CreateTableStatement;
    expect(ct.options).toEqual({ ENGINE: 'InnoDB', AUTO_INCREMENT: '5', CHARSET: 'utf8mb4', COLLATE: 'utf8mb4_0900_ai_ci', COMMENT: "it's" });
    expect(ct.columns.map((c) => c.name)).toEqual(['id', 'name', 'price', 'created', 'flags', 'g']);
    expect(ct.columns[2]).toMatchObject({ dataType: { name: 'DECIMAL', length: 10, scale: 2, unsigned: true }, default: { kind: 'string', value: '0.00' } });
    expect(ct.columns[3]).toMatchObject({ notNull: false, default: { name: 'CURRENT_TIMESTAMP' }, onUpdateNow: {} });
    expect(ct.columns[5]?.generated).toMatchObject({ text: '(`id` * 2)', stored: false });
    expect(ct.indexes.map((i) => [i.kind, i.name])).toEqual([['PRIMARY', undefined], ['UNIQUE', 'name_idx'], ['INDEX', 'k2']]);
    expect(ct.foreignKeys[0]).toMatchObject({ name: 'fk1', references: { table: { name: 'other' }, onDelete: 'CASCADE' } });
    expect(ct.checks[0]).toMatchObject({ name: 'chk', text: '(`id` > 0)' });
    const ins = stmts.find((s) => s.kind === 'insert') as InsertStatement;
    expect(ins.values).toHaveLength(2);
    expect(ins.values?.[0]?.[1]).toEqual({ type: 'literal', kind: 'string', value: "a'b\\c\n" });
    expect(ins.values?.[1]?.[2]).toEqual({ type: 'literal', kind: 'decimal', value: '-3.00' });
    expect(ins.values?.[0]?.[5]).toEqual({ type: 'default' });
  });
});
