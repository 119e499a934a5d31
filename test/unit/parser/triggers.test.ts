/**
 * The CREATE / DROP TRIGGER grammar: statements built from the grammar's parts parse back to
 * those parts (names, timing, event, table, order, body text, NEW / OLD references), and random
 * token strings give a SqlError, never a crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { parse, parseOne } from '../../../src/sql/parser/index.js';
import { SqlError } from '../../../src/kernel/errors.js';
import type { CreateTriggerStatement } from '../../../src/sql/routine-ast.js';

const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter((s) => !['new', 'old', 'end', 'begin', 'if', 'for', 'on', 'row', 'each', 'set', 'in', 'is', 'or', 'and', 'not', 'div', 'mod', 'xor', 'as', 'by', 'to', 'do', 'key', 'use', 'all', 'asc', 'add'].includes(s));

interface Parts {
  definer: string | null;
  ifNotExists: boolean;
  schema: string | null;
  name: string;
  timing: 'BEFORE' | 'AFTER';
  event: 'INSERT' | 'UPDATE' | 'DELETE';
  table: string;
  order: { kind: 'FOLLOWS' | 'PRECEDES'; other: string } | null;
  body: string;
}

const parts: fc.Arbitrary<Parts> = fc
  .record({
    definer: fc.option(fc.constantFrom('root@localhost', "'app'@'%'", 'CURRENT_USER'), { nil: null }),
    ifNotExists: fc.boolean(),
    schema: fc.option(ident, { nil: null }),
    name: ident,
    timing: fc.constantFrom('BEFORE' as const, 'AFTER' as const),
    event: fc.constantFrom('INSERT' as const, 'UPDATE' as const, 'DELETE' as const),
    table: ident,
    order: fc.option(fc.record({ kind: fc.constantFrom('FOLLOWS' as const, 'PRECEDES' as const), other: ident }), { nil: null }),
    col: ident,
    compound: fc.boolean(),
  })
  .map((r) => {
    // A body that reads the row the event has and, in BEFORE INSERT / UPDATE triggers, sets NEW.
    const row = r.event === 'DELETE' ? 'OLD' : 'NEW';
    const set = r.timing === 'BEFORE' && r.event !== 'DELETE' ? `SET NEW.${r.col} = ${row}.${r.col} + 1` : `SET @v = ${row}.${r.col}`;
    const body = r.compound ? `BEGIN DECLARE x INT DEFAULT 0; IF ${row}.${r.col} > x THEN ${set}; END IF; END` : set;
    return { definer: r.definer, ifNotExists: r.ifNotExists, schema: r.schema, name: r.name, timing: r.timing, event: r.event, table: r.table, order: r.order, body };
  });

function text(p: Parts): string {
  return [
    'CREATE',
    p.definer !== null ? `DEFINER = ${p.definer}` : '',
    'TRIGGER',
    p.ifNotExists ? 'IF NOT EXISTS' : '',
    p.schema !== null ? `${p.schema}.${p.name}` : p.name,
    p.timing,
    p.event,
    'ON',
    p.table,
    'FOR EACH ROW',
    p.order ? `${p.order.kind} ${p.order.other}` : '',
    p.body,
  ].filter((x) => x !== '').join(' ');
}

describe('trigger grammar', () => {
  it(req(['CORE-TRG-001#create'], 'unit', 'random CREATE TRIGGER statements built from parts parse back to those parts'), () => {
    fc.assert(
      fc.property(parts, (p) => {
        const s = parseOne(text(p)) as CreateTriggerStatement;
        expect(s.kind).toBe('create_trigger');
        expect([s.name, s.schema ?? null, s.ifNotExists, s.timing, s.event, s.table.name, s.order ?? null, s.bodyText]).toEqual([
          p.name, p.schema, p.ifNotExists, p.timing, p.event, p.table, p.order, p.body,
        ]);
        const expectDefiner = p.definer === null || p.definer === 'CURRENT_USER' ? undefined : p.definer === 'root@localhost' ? { user: 'root', host: 'localhost' } : { user: 'app', host: '%' };
        expect(s.definer).toEqual(expectDefiner);
        // NEW / OLD references resolve to frame slots.
        expect(s.rowRefs.length).toBeGreaterThan(0);
        expect(s.rowRefs.every((r) => r.row === (p.event === 'DELETE' ? 'OLD' : 'NEW'))).toBe(true);
      }),
      { numRuns: 300, seed: 23 },
    );
  });

  it(req(['CORE-TRG-001#create'], 'unit', 'random tokens after CREATE TRIGGER give a SqlError or parse, never a crash'), () => {
    const words = fc.constantFrom('TRIGGER', 'BEFORE', 'AFTER', 'INSERT', 'UPDATE', 'DELETE', 'ON', 't', 'FOR', 'EACH', 'ROW', 'FOLLOWS', 'PRECEDES', 'NEW', 'OLD', '.', 'a', 'SET', '=', '1', ';', 'BEGIN', 'END', 'IF', 'THEN', 'SELECT', 'DECLARE', 'INT', '(', ')', ',', 'IF', 'NOT', 'EXISTS');
    fc.assert(
      fc.property(fc.array(words, { maxLength: 20 }), (ws) => {
        try {
          parse(`CREATE TRIGGER ${ws.join(' ')}`);
        } catch (e) {
          if (!(e instanceof SqlError)) throw e;
        }
        try {
          parse(`DROP TRIGGER ${ws.join(' ')}`);
        } catch (e) {
          if (!(e instanceof SqlError)) throw e;
        }
      }),
      { numRuns: 400, seed: 5 },
    );
  });

  it(req(['CORE-TRG-002#no-row', 'CORE-TRG-002#old-readonly', 'CORE-TRG-002#new-after'], 'unit', 'the parser refuses OLD / NEW where the event has no such row or the row is read-only'), () => {
    const err = (sql: string): number => {
      try {
        parseOne(sql);
      } catch (e) {
        if (e instanceof SqlError) return e.errno;
        throw e;
      }
      return 0;
    };
    expect(err('CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW SET @a = OLD.a')).toBe(1363);
    expect(err('CREATE TRIGGER x AFTER DELETE ON t FOR EACH ROW BEGIN SET @a = NEW.a; END')).toBe(1363);
    expect(err('CREATE TRIGGER x BEFORE UPDATE ON t FOR EACH ROW SET OLD.a = 1')).toBe(1362);
    expect(err('CREATE TRIGGER x AFTER INSERT ON t FOR EACH ROW SET NEW.a = 1')).toBe(1362);
    expect(err('CREATE TRIGGER x BEFORE UPDATE ON t FOR EACH ROW SET NEW.a = OLD.a + NEW.b')).toBe(0);
  });
});
