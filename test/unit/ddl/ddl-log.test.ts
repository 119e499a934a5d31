/**
 * The DDL log's replay rules, with a recording stand-in for the storage: for every kind of
 * action, a DDL left unfinished is rolled back (steps undone, last first) when its dictionary
 * change is not committed and rolled forward (post-commit actions run) when it is; finished DDLs
 * are left alone; a torn last record is ignored; failing actions are skipped and reported;
 * DDLs whose engine is unavailable stay in the log. Also the journal line format.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DdlLog, fingerprint, type CommitProbe, type DictionaryView, type StorageAction, type StorageOps } from '../../../src/catalog/ddl-log.js';
import { decodeRecords, encodeRecord } from '../../../src/catalog/journal.js';
import { DDL_LOG_FILE } from '../../../src/catalog/limits.js';
import { tableToJson } from '../../../src/catalog/serialize.js';
import type { TableDef } from '../../../src/kernel/table-def.js';
import { req } from '../../helpers/req.js';
import { tempDirs } from '../../helpers/temp-dir.js';
import { column, tableDef } from '../../helpers/table-def.js';

const tempDir = tempDirs('refmysql-ddllog-');

function def(id: number, name: string, schema = 'db'): TableDef {
  return tableDef({ id, schema, name, engine: 'X', columns: [column('a')], createTime: 1 });
}

/** Storage stand-in that records what recovery asks for; names in `failing` throw. */
function recorder(failing: string[] = []): { ops: StorageOps<null>; calls: string[] } {
  const calls: string[] = [];
  const act = async (text: string): Promise<void> => {
    calls.push(text);
    if (failing.includes(text)) throw new Error(`cannot ${text}`);
  };
  return {
    calls,
    ops: {
      create: (_s, d) => act(`create ${d.name}#${d.id}`),
      drop: (_s, d) => act(`drop ${d.name}#${d.id}`),
      rename: (_s, f, t) => act(`rename ${f.name}->${t.name}#${f.id}`),
      removeSchemaDir: (s) => act(`rmdir ${s}`),
    },
  };
}

function view(tables: TableDef[], schemas: string[] = ['db']): DictionaryView {
  return { tableById: (id) => tables.find((t) => t.id === id), schemaExists: (n) => schemas.includes(n) };
}

type Rec = Record<string, unknown>;
const begin = (ddl: number, probe: CommitProbe, op = 'alter_copy'): Rec => ({ r: 'begin', ddl, op, probe });
const step = (ddl: number, n: number, act: StorageAction): Rec => ({ r: 'step', ddl, n, act });
const post = (ddl: number, n: number, act: StorageAction): Rec => ({ r: 'post', ddl, n, act });
const end = (ddl: number): Rec => ({ r: 'end', ddl });
const create = (d: TableDef): StorageAction => ({ op: 'create', table: tableToJson(d) });
const drop = (d: TableDef): StorageAction => ({ op: 'drop', table: tableToJson(d) });
const rename = (a: TableDef, b: TableDef): StorageAction => ({ op: 'rename', from: tableToJson(a), to: tableToJson(b) });

/** Write `records` as a DDL log, recover against `v`, return the storage calls and the report. */
async function replay(records: Rec[], v: DictionaryView, failing: string[] = [], canAct?: (a: StorageAction) => boolean) {
  const dir = tempDir();
  writeFileSync(join(dir, DDL_LOG_FILE), records.map(encodeRecord).join(''));
  const { ops, calls } = recorder(failing);
  const log = await DdlLog.open(dir, ops);
  const report = await log.recover(v, canAct);
  const left = decodeRecords(readFileSync(join(dir, DDL_LOG_FILE), 'utf8')).records;
  await log.close();
  return { calls, report, left };
}

// The ALTER copy of t (id 1) into id 2: create #sql (2), move t aside (1 -> #sql2), copy into place.
const t = def(1, 't');
const backup = def(1, '#sql2-x');
const copyTmp = def(2, '#sql-x');
const copyFinal = def(2, 't');
const alterRecords = [
  begin(7, { has: 2 }),
  step(7, 1, create(copyTmp)),
  step(7, 2, rename(t, backup)),
  step(7, 3, rename(copyTmp, copyFinal)),
  post(7, 4, drop(backup)),
];

describe('DDL log replay', () => {
  it(req(['CORE-DICT-005'], 'unit', 'an uncommitted DDL is undone step by step, last first; a committed one runs its post-commit actions'), async () => {
    const back = await replay(alterRecords, view([t]));
    expect(back.calls).toEqual(['rename t->#sql-x#2', 'rename #sql2-x->t#1', 'drop #sql-x#2']);
    expect(back.report.ddls).toEqual([{ ddl: 7, op: 'alter_copy', outcome: 'rolled back' }]);
    const forward = await replay(alterRecords, view([copyFinal]));
    expect(forward.calls).toEqual(['drop #sql2-x#1']);
    expect(forward.report.ddls).toEqual([{ ddl: 7, op: 'alter_copy', outcome: 'rolled forward' }]);
    // Either way the log is empty afterwards and ids up to the highest logged one are known.
    expect([back.left, forward.left]).toEqual([[], []]);
    expect(back.report.maxTableId).toBe(2);
  });

  it(req(['CORE-DICT-005'], 'unit', 'a crash part-way undoes only the steps that were logged'), async () => {
    expect((await replay(alterRecords.slice(0, 2), view([t]))).calls).toEqual(['drop #sql-x#2']);
    expect((await replay(alterRecords.slice(0, 3), view([t]))).calls).toEqual(['rename #sql2-x->t#1', 'drop #sql-x#2']);
    expect((await replay(alterRecords.slice(0, 1), view([t]))).calls).toEqual([]);
  });

  it(req(['CORE-DICT-005', 'CORE-DICT-007'], 'unit', 'each probe: CREATE (has id), DROP (lacks id), RENAME (definition fingerprint), DROP DATABASE (schema gone)'), async () => {
    const n = def(3, 'n');
    const createDdl = [begin(1, { has: 3 }, 'create_table'), step(1, 1, create(n))];
    expect((await replay(createDdl, view([t]))).calls).toEqual(['drop n#3']);
    expect((await replay(createDdl, view([t, n]))).calls).toEqual([]);

    const dropDdl = [begin(1, { lacks: 1 }, 'drop_table'), post(1, 1, drop(t))];
    expect((await replay(dropDdl, view([t]))).calls).toEqual([]);
    expect((await replay(dropDdl, view([]))).calls).toEqual(['drop t#1']);

    const u = def(1, 'u');
    const renameDdl = [begin(1, { id: 1, fingerprint: fingerprint(u) }, 'rename_table'), step(1, 1, rename(t, u))];
    expect((await replay(renameDdl, view([t]))).calls).toEqual(['rename u->t#1']);
    expect((await replay(renameDdl, view([u]))).calls).toEqual([]);

    const dropDb = [begin(1, { noSchema: 'db2' }, 'drop_schema'), post(1, 1, { op: 'rmdir', schema: 'db2' })];
    expect((await replay(dropDb, view([], ['db', 'db2']))).calls).toEqual([]);
    expect((await replay(dropDb, view([], ['db']))).calls).toEqual(['rmdir db2']);
  });

  it(req(['CORE-DICT-004', 'CORE-DICT-005'], 'unit', 'finished DDLs are left alone; a torn last record is ignored'), async () => {
    expect((await replay([...alterRecords, end(7)], view([t]))).calls).toEqual([]);
    const dir = tempDir();
    const text = alterRecords.slice(0, 2).map(encodeRecord).join('');
    const torn = encodeRecord(alterRecords[2]!);
    writeFileSync(join(dir, DDL_LOG_FILE), text + torn.slice(0, torn.length - 7));
    const { ops, calls } = recorder();
    const log = await DdlLog.open(dir, ops);
    await log.recover(view([t]));
    expect(calls).toEqual(['drop #sql-x#2']);
    await log.close();
  });

  it(req(['CORE-DICT-005'], 'unit', 'an action that fails on replay (already done, never happened) is skipped and reported; the log is still emptied'), async () => {
    const r = await replay(alterRecords.slice(0, 4), view([t]), ['rename t->#sql-x#2']);
    expect(r.calls).toEqual(['rename t->#sql-x#2', 'rename #sql2-x->t#1', 'drop #sql-x#2']);
    expect(r.report.skipped).toEqual([expect.stringContaining('cannot rename t->#sql-x#2')]);
    expect(r.left).toEqual([]);
  });

  it(req(['CORE-DICT-005'], 'unit', 'a DDL whose engine is not available stays in the log for a later start'), async () => {
    const r = await replay(alterRecords, view([t]), [], () => false);
    expect(r.calls).toEqual([]);
    expect(r.report.ddls).toEqual([{ ddl: 7, op: 'alter_copy', outcome: 'kept' }]);
    expect(r.left).toEqual(alterRecords);
  });

  it(req(['CORE-DICT-004'], 'unit', 'journal lines carry a checksum: a flipped byte or a missing newline ends the valid part'), () => {
    const a = encodeRecord({ x: 1 });
    const b = encodeRecord({ y: 'two' });
    expect(decodeRecords(a + b)).toEqual({ records: [{ x: 1 }, { y: 'two' }], validLength: Buffer.byteLength(a + b) });
    expect(decodeRecords(a + b.replace('two', 'twx')).records).toEqual([{ x: 1 }]);
    expect(decodeRecords(a + b.slice(0, -1)).records).toEqual([{ x: 1 }]);
    expect(decodeRecords('').records).toEqual([]);
    const dir = tempDir();
    const path = join(dir, 'j');
    writeFileSync(path, a);
    appendFileSync(path, '\u0000\u0000garbage');
    expect(decodeRecords(readFileSync(path, 'utf8')).validLength).toBe(a.length);
  });
});
