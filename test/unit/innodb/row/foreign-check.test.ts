/**
 * Foreign key enforcement inside the engine, through the engine contract (no server): the
 * child check and the parent rules on rows, each row operation undone alone when it fails,
 * cascades in the transaction's undo (statement rollback, rollback), cascades not counted as
 * the statement's rows, the dictionary as the authority on parents and children, and the
 * driver that stays synchronous until a lock must be waited for.
 */
import { describe, expect, it } from 'vitest';
import type { ForeignKeyDef, IndexDef, TableDef } from '../../../../src/kernel/table-def.js';
import type { Value } from '../../../../src/kernel/value.js';
import { drain, internalEngineContext, type EngineContext, type EngineDictionary, type TableHandler } from '../../../../src/storage/handler.js';
import { InnodbEngine } from '../../../../src/storage/innodb/engine.js';
import { drive, FK_MAX_CASCADE_DEPTH, foreignKeyChecks } from '../../../../src/storage/innodb/row/foreign-check.js';
import type { InnodbTrx } from '../../../../src/storage/innodb/trx/trx.js';
import { req } from '../../../helpers/req.js';
import { column, tableDef } from '../../../helpers/table-def.js';
import { tempDirs } from '../../../helpers/temp-dir.js';

const tmp = tempDirs('refmysql-fkc-');

function vars(extra: Record<string, Value> = {}): (n: string) => Value {
  const v: Record<string, Value> = { innodb_redo_log_capacity: 8n * 1024n * 1024n, innodb_flush_log_at_trx_commit: 2n, innodb_lock_wait_timeout: 1n, ...extra };
  return (n) => v[n] ?? null;
}

const pk: IndexDef = { name: 'PRIMARY', kind: 'PRIMARY', algorithm: 'BTREE', parts: [{ column: 0 }], comment: '', visible: true };

let nextId = 1;
function table(name: string, fks: ForeignKeyDef[] = []): TableDef {
  const def = tableDef({
    id: nextId++,
    schema: 'db',
    name,
    engine: 'InnoDB',
    columns: [column('id', { nullable: false }), column('pid')],
    indexes: [pk, ...(fks.length > 0 ? [{ name: 'pid', kind: 'INDEX' as const, algorithm: 'BTREE' as const, parts: [{ column: 1 }], comment: '', visible: true }] : [])],
  });
  if (fks.length > 0) def.foreignKeys = fks;
  return def;
}

function fk(name: string, parent: string, onDelete: ForeignKeyDef['onDelete'] = 'NO ACTION', onUpdate: ForeignKeyDef['onUpdate'] = 'NO ACTION'): ForeignKeyDef {
  return { name, columns: [1], refSchema: 'db', refTable: parent, refColumns: ['id'], onDelete, onUpdate };
}

interface Env {
  e: InnodbEngine;
  ctx: EngineContext;
  open(def: TableDef): Promise<TableHandler>;
  begin(): { trx: InnodbTrx; c: EngineContext };
  ids(h: TableHandler): Promise<unknown[][]>;
}

async function engine(defs: TableDef[], extra: Record<string, Value> = {}): Promise<Env> {
  const e = new InnodbEngine({ globalVar: vars(extra) });
  await e.init(tmp());
  const ctx = internalEngineContext(vars(extra));
  for (const d of defs) await e.createTable(ctx, d);
  return {
    e,
    ctx,
    open: (def) => e.openTable(ctx, def),
    begin() {
      const trx = e.beginTransaction(ctx, { isolation: 'REPEATABLE-READ', readOnly: false, consistentSnapshot: false }) as InnodbTrx;
      return { trx, c: { ...ctx, txn: trx } };
    },
    async ids(h) {
      return (await drain(h.scan(ctx, { lock: 'consistent', canWait: true }))).map((r) => r.row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
    },
  };
}

const errno = (f: () => unknown): number => {
  try {
    f();
  } catch (e) {
    return (e as { errno: number }).errno;
  }
  return 0;
};

describe('foreign key enforcement in the engine', () => {
  it(req(['INNODB-FK-108', 'INNODB-FK-110'], 'unit', 'a child needs its parent (1452) and a referenced parent stays (1451); the failing row is undone at once; NULL is not checked'), async () => {
    const p = table('p');
    const ch = table('c', [fk('cf', 'p')]);
    const env = await engine([p, ch]);
    const hp = await env.open(p);
    const hc = await env.open(ch);
    const { trx, c } = env.begin();
    trx.beginStatement();
    hp.insert(c, [1n, null]);
    hc.insert(c, [10n, 1n]);
    hc.insert(c, [11n, null]);
    expect(errno(() => hc.insert(c, [12n, 2n]))).toBe(1452);
    // The row is gone although the statement goes on (each row is its own savepoint).
    expect((await env.ids(hc)).length).toBe(0);
    trx.endStatement();
    await trx.commit();
    expect(await env.ids(hc)).toEqual([
      [10, 1],
      [11, null],
    ]);
    const t2 = env.begin();
    t2.trx.beginStatement();
    const [row] = await drain(hp.scan(t2.c, { lock: 'exclusive', canWait: true }));
    expect(errno(() => hp.delete(t2.c, row!.id, row!.row))).toBe(1451);
    expect(errno(() => hp.update(t2.c, row!.id, row!.row, [2n, null]))).toBe(1451);
    // A non-key change of the parent is free (the failed key change moved the row: read it again).
    const [again] = await drain(hp.scan(t2.c, { lock: 'exclusive', canWait: true }));
    hp.update(t2.c, again!.id, again!.row, [1n, 7n]);
    await t2.trx.commit();
    await env.e.shutdown();
  });

  it(req(['INNODB-FK-111', 'INNODB-FK-112', 'INNODB-TRX-101'], 'unit', 'CASCADE and SET NULL change the children in the transaction: statement rollback and rollback undo them; they are not counted as rows of the statement'), async () => {
    const p = table('p');
    const del = table('del', [fk('d', 'p', 'CASCADE', 'CASCADE')]);
    const nul = table('nul', [fk('n', 'p', 'SET NULL', 'SET NULL')]);
    const env = await engine([p, del, nul]);
    const [hp, hd, hn] = [await env.open(p), await env.open(del), await env.open(nul)];
    const { trx, c } = env.begin();
    trx.beginStatement();
    for (const i of [1n, 2n]) hp.insert(c, [i, null]);
    hd.insert(c, [10n, 1n]);
    hd.insert(c, [20n, 2n]);
    hn.insert(c, [30n, 1n]);
    trx.endStatement();
    await trx.commit();
    const before = { ...env.e.counters };
    const t = env.begin();
    t.trx.beginStatement();
    const rows = await drain(hp.scan(t.c, { lock: 'exclusive', canWait: true }));
    hp.delete(t.c, rows[0]!.id, rows[0]!.row);
    hp.update(t.c, rows[1]!.id, rows[1]!.row, [5n, null]);
    expect(env.e.counters.deleted - before.deleted).toBe(1);
    expect(env.e.counters.updated - before.updated).toBe(1);
    const seen = async (h: TableHandler): Promise<unknown[][]> =>
      (await drain(h.scan(t.c, { lock: 'consistent', canWait: true }))).map((r) => r.row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
    expect(await seen(hd)).toEqual([[20, 5]]);
    expect(await seen(hn)).toEqual([[30, null]]);
    t.trx.rollbackStatement();
    expect(await seen(hd)).toEqual([
      [10, 1],
      [20, 2],
    ]);
    expect(await seen(hn)).toEqual([[30, 1]]);
    t.trx.beginStatement();
    hp.delete(t.c, rows[0]!.id, rows[0]!.row);
    t.trx.endStatement();
    await t.trx.rollback();
    expect(await env.ids(hd)).toEqual([
      [10, 1],
      [20, 2],
    ]);
    await env.e.shutdown();
  });

  it(req(['INNODB-FK-113'], 'unit', `the ${FK_MAX_CASCADE_DEPTH}th cascade level fails with 3008 and the row's whole cascade is undone`), async () => {
    const defs = [table('t0')];
    for (let i = 1; i <= FK_MAX_CASCADE_DEPTH; i++) defs.push(table(`t${i}`, [fk(`f${i}`, `t${i - 1}`, 'CASCADE')]));
    const env = await engine(defs);
    const hs = await Promise.all(defs.map((d) => env.open(d)));
    const { trx, c } = env.begin();
    trx.beginStatement();
    hs.forEach((h, i) => h.insert(c, [1n, i === 0 ? null : 1n]));
    const [root] = await drain(hs[0]!.scan(c, { lock: 'exclusive', canWait: true }));
    expect(errno(() => hs[0]!.delete(c, root!.id, root!.row))).toBe(3008);
    for (const h of hs) expect((await drain(h.scan(c, { lock: 'consistent', canWait: true }))).length).toBe(1);
    // Without a row in the deepest table the cascade stops one level higher and goes through.
    const [leaf] = await drain(hs[FK_MAX_CASCADE_DEPTH]!.scan(c, { lock: 'exclusive', canWait: true }));
    hs[FK_MAX_CASCADE_DEPTH]!.delete(c, leaf!.id, leaf!.row);
    hs[0]!.delete(c, root!.id, root!.row);
    for (const h of hs) expect((await drain(h.scan(c, { lock: 'consistent', canWait: true }))).length).toBe(0);
    await trx.commit();
    await env.e.shutdown();
  });

  it(req(['INNODB-FK-114'], 'unit', 'foreign_key_checks reads 0, OFF and 0n as off and anything else (or nothing) as on'), () => {
    const ctx = (v: Value): EngineContext => internalEngineContext((n) => (n === 'foreign_key_checks' ? v : null));
    expect([0n, 0, 'OFF', 'off', '0'].map((v) => foreignKeyChecks(ctx(v)))).toEqual([false, false, false, false, false]);
    expect([1n, 1, 'ON', '1', null].map((v) => foreignKeyChecks(ctx(v)))).toEqual([true, true, true, true, true]);
  });

  it(req(['INNODB-FK-108', 'INNODB-FK-111'], 'unit', 'with a dictionary attached, parents and children come from it, not from the engine\'s own definitions'), async () => {
    const p = table('p');
    const ch = table('c');
    const env = await engine([p, ch]);
    // The dictionary says c's key references p (c's definition in the engine has no key).
    const key = fk('dict_fk', 'p', 'CASCADE');
    const childDef: TableDef = { ...ch, foreignKeys: [key] };
    const dictionary: EngineDictionary = {
      table: (schema, name) => (schema === 'db' && name === 'p' ? p : schema === 'db' && name === 'c' ? childDef : undefined),
      referencedBy: (schema, name) => (schema === 'db' && name === 'p' ? [{ child: childDef, fk: key }] : []),
    };
    env.e.attachDictionary(dictionary);
    const hp = await env.open(p);
    const hc = await env.open(ch);
    const { trx, c } = env.begin();
    trx.beginStatement();
    hp.insert(c, [1n, null]);
    hc.insert(c, [10n, 1n]);
    const [row] = await drain(hp.scan(c, { lock: 'exclusive', canWait: true }));
    hp.delete(c, row!.id, row!.row);
    expect((await drain(hc.scan(c, { lock: 'consistent', canWait: true }))).length).toBe(0);
    await trx.commit();
    await env.e.shutdown();
  });

  it(req(['INNODB-FK-109'], 'unit', 'the driver answers synchronously until a lock must be waited for, then with a promise that ends with the lock'), async () => {
    expect(
      drive(
        (function* () {
          return 7;
        })(),
      ),
    ).toBe(7);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const steps: string[] = [];
    const r = drive(
      (function* () {
        steps.push('before');
        yield gate;
        steps.push('after');
        return 8;
      })(),
    );
    expect(r).toBeInstanceOf(Promise);
    expect(steps).toEqual(['before']);
    release();
    expect(await r).toBe(8);
    const failing = drive(
      (function* () {
        try {
          yield Promise.reject(new Error('lock wait timeout'));
        } catch (e) {
          return `caught ${(e as Error).message}`;
        }
        return 'not reached';
      })(),
    );
    expect(await failing).toBe('caught lock wait timeout');

    // Through the engine: a parent another transaction deletes is waited for.
    const p = table('p');
    const ch = table('c', [fk('cf', 'p')]);
    const env = await engine([p, ch], { innodb_lock_wait_timeout: 5n });
    const [hp, hc] = [await env.open(p), await env.open(ch)];
    const a = env.begin();
    hp.insert(a.c, [1n, null]);
    await a.trx.commit();
    const d = env.begin();
    const [row] = await drain(hp.scan(d.c, { lock: 'exclusive', canWait: true }));
    hp.delete(d.c, row!.id, row!.row);
    const w = env.begin();
    const pending = hc.insert(w.c, [10n, 1n]);
    expect(pending).toBeInstanceOf(Promise);
    await d.trx.rollback();
    await pending;
    await w.trx.commit();
    expect(await env.ids(hc)).toEqual([[10, 1]]);
    await env.e.shutdown();
  });
});
