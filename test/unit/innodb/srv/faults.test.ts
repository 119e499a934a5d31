/**
 * InnoDB's fault handling at unit level: purge stops under innodb_force_recovery=2, CHECK TABLE
 * over a tablespace file (sound, a corrupt page, a wrong record count, a missing file), the
 * error-log lines of 15.21.4 and of a failed redo write, and the debug knobs' parser and redo
 * fault injection.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TableDef } from '../../../../src/kernel/table-def.js';
import type { Value } from '../../../../src/kernel/value.js';
import { internalEngineContext, type EngineContext } from '../../../../src/storage/handler.js';
import { InnodbEngine } from '../../../../src/storage/innodb/engine.js';
import { buildTablespaceImage } from '../../../../src/storage/innodb/fil/tablespace-image.js';
import { nodeLogFileIo } from '../../../../src/storage/innodb/log/file-io.js';
import { checkTablespaceFile } from '../../../../src/storage/innodb/srv/check-table.js';
import { faultyLogFileIo, parseFaults } from '../../../../src/storage/innodb/srv/debug-faults.js';
import { missingTablespaceLines, osErrorLines, pageCorruptionLines, redoFailureLines } from '../../../../src/storage/innodb/srv/messages.js';
import { req } from '../../../helpers/req.js';
import { column, tableDef } from '../../../helpers/table-def.js';
import { tempDirs } from '../../../helpers/temp-dir.js';

const tmp = tempDirs('refmysql-innodb-faults-');
const PAGE = 16384;

function vars(level: number): (name: string) => Value {
  const v: Record<string, Value> = {
    innodb_force_recovery: BigInt(level),
    innodb_page_size: BigInt(PAGE),
    innodb_redo_log_capacity: 8n * 1024n * 1024n,
    innodb_flush_log_at_trx_commit: 1n,
    innodb_fast_shutdown: 1n,
  };
  return (n) => v[n] ?? null;
}

const def: TableDef = tableDef({
  schema: 'test',
  name: 't',
  engine: 'InnoDB',
  columns: [column('id', { nullable: false })],
  indexes: [{ name: 'PRIMARY', kind: 'PRIMARY', algorithm: 'BTREE', parts: [{ column: 0 }], comment: '', visible: true }],
});

const xid = { formatId: 1, gtrid: Buffer.from('x1'), bqual: Buffer.alloc(0) };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function engineAt(dir: string, level: number): Promise<{ e: InnodbEngine; ctx: EngineContext }> {
  const e = new InnodbEngine({ globalVar: vars(level) });
  await e.init(dir);
  return { e, ctx: internalEngineContext(vars(level)) };
}

describe('innodb_force_recovery=2 (SRV_FORCE_NO_BACKGROUND)', () => {
  it(req(['INNODB-FORCE-015', 'INNODB-REC-020'], 'unit', 'purge does not run: the history list keeps the committed transaction; at 0 purge empties it'), async () => {
    const base = tmp();
    const { e, ctx } = await engineAt(base, 0);
    await e.createTable(ctx, def);
    const trx = e.beginTransaction(ctx, { isolation: 'REPEATABLE-READ', readOnly: false, consistentSnapshot: false });
    const h = await e.openTable({ ...ctx, txn: trx }, def);
    trx.beginStatement();
    await h.insert({ ...ctx, txn: trx }, [1n]);
    trx.endStatement();
    await trx.prepare(xid);
    await e.shutdown();
    const copy = tmp();
    cpSync(base, copy, { recursive: true });

    for (const [dir, level, after] of [
      [base, 2, 1],
      [copy, 0, 0],
    ] as const) {
      const { e: r } = await engineAt(dir, level);
      expect(await r.recover()).toHaveLength(1);
      await r.commitByXid(xid);
      expect(r.historyLength).toBe(1);
      await sleep(250);
      expect(r.historyLength).toBe(after);
      await r.shutdown();
    }
  });
});

describe('CHECK TABLE over a tablespace file', () => {
  const records = (n: number): Buffer[] => [Buffer.from('sdi'), ...Array.from({ length: n }, (_, i) => Buffer.alloc(300, i % 251))];
  function write(dir: string, n: number): string {
    const pages = buildTablespaceImage(
      { spaceId: 7, rowFormat: 'DYNAMIC', schema: 'test', name: 't', tableId: 1, autoIncrement: null, nextRowId: 1n, extra: Buffer.alloc(0) },
      records(n),
      PAGE,
      100n,
    );
    const path = join(dir, 't.ibd');
    writeFileSync(path, Buffer.concat(pages));
    return path;
  }
  const input = (path: string, expected: number | null) => ({ path, display: './test/t.ibd', spaceId: 7, pageSize: PAGE, indexName: 'PRIMARY', expectedRecords: expected });

  it(req(['INNODB-REC-003'], 'unit', 'a sound file: status OK, with and without the expected row count'), async () => {
    const path = write(tmp(), 200);
    expect((await checkTablespaceFile(input(path, 200))).results).toEqual([{ msgType: 'status', msgText: 'OK' }]);
    expect((await checkTablespaceFile(input(path, null))).results).toEqual([{ msgType: 'status', msgText: 'OK' }]);
  });

  it(req(['INNODB-REC-003', 'INNODB-TRBL-006'], 'unit', 'any flipped byte of a data page: the B-tree warning, Corrupt, and the page in the log lines'), async () => {
    const path = write(tmp(), 200);
    const clean = readFileSync(path);
    const pages = clean.length / PAGE;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: pages - 1 }), fc.integer({ min: 0, max: PAGE - 1 }), async (page, at) => {
        const bad = Buffer.from(clean);
        bad[page * PAGE + at] ^= 0x5a;
        writeFileSync(path, bad);
        const r = await checkTablespaceFile(input(path, 200));
        expect(r.results).toEqual([
          { msgType: 'warning', msgText: 'InnoDB: The B-tree of index PRIMARY is corrupted.' },
          { msgType: 'error', msgText: 'Corrupt' },
        ]);
        expect(r.corruptPages).toContain(page);
        expect(r.log.some((l) => l.code === 'MY-011906' && l.message.includes(`page number=${page}]`))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it(req(['INNODB-REC-003'], 'unit', 'a file behind the table by one row, and a missing file'), async () => {
    const dir = tmp();
    const path = write(dir, 5);
    expect((await checkTablespaceFile(input(path, 6))).results).toEqual([
      { msgType: 'warning', msgText: "InnoDB: Index 'PRIMARY' contains 5 entries, should be 6." },
      { msgType: 'error', msgText: 'Corrupt' },
    ]);
    expect((await checkTablespaceFile(input(join(dir, 'gone.ibd'), null))).results.at(-1)).toEqual({ msgType: 'error', msgText: 'Corrupt' });
  });
});

describe('error-log lines', () => {
  it(req(['INNODB-DD-002'], 'unit', "a missing tablespace: the four lines of 15.21.4 with 8.0's codes"), () => {
    expect(missingTablespaceLines('./test/t1.ibd', 'test/t1')).toEqual([
      { level: 'Error', code: 'MY-012592', message: 'Operating system error number 2 in a file operation.' },
      { level: 'Error', code: 'MY-012593', message: 'The error means the system cannot find the path specified.' },
      { level: 'Error', code: 'MY-012216', message: "Cannot open datafile for read-only: './test/t1.ibd' OS error: 71" },
      { level: 'Warning', code: 'MY-012016', message: 'Ignoring tablespace `test/t1` because it could not be opened.' },
    ]);
  });

  it(req(['INNODB-LOG-106', 'INNODB-REC-003'], 'unit', 'OS errors are explained with their number and strerror; a corrupt page names file, offset and page id'), () => {
    expect(osErrorLines('ENOSPC').map((l) => l.message)).toEqual(['Operating system error number 28 in a file operation.', "Error number 28 means 'No space left on device'"]);
    expect(redoFailureLines('EIO', 'x').map((l) => l.code)).toEqual(['MY-012592', 'MY-012596', 'MY-013183']);
    expect(pageCorruptionLines('./test/t.ibd', 5, 3, 16384).map((l) => l.message)).toEqual([
      'Corrupt page resides in file: ./test/t.ibd, offset: 49152, len: 16384',
      'Database page corruption on disk or a failed file read of page [page id: space=5, page number=3]. You may have to recover from a backup.',
    ]);
  });
});

describe('debug knobs', () => {
  it(req(['INNODB-LOG-106', 'INNODB-DBLWR-103'], 'unit', 'REFMYSQL_DEBUG_INNODB_FAULTS: entries are parsed, anything else is ignored'), () => {
    expect(parseFaults(undefined)).toEqual({ tearAfterDoublewrite: false, tearFile: null, slowRecoveryRollbackMs: 0, redo: null });
    expect(parseFaults('tear_after_doublewrite, redo_fail=sync:EIO:/tmp/a b')).toEqual({ tearAfterDoublewrite: true, tearFile: null, slowRecoveryRollbackMs: 0, redo: { op: 'sync', code: 'EIO', trigger: '/tmp/a b' } });
    expect(parseFaults('tear_after_doublewrite=test/t.ibd')).toEqual({ tearAfterDoublewrite: true, tearFile: 'test/t.ibd', slowRecoveryRollbackMs: 0, redo: null });
    expect(parseFaults('slow_recovery_rollback=1500').slowRecoveryRollbackMs).toBe(1500);
    fc.assert(
      fc.property(fc.string(), (s) => {
        const f = parseFaults(s);
        expect(typeof f.tearAfterDoublewrite).toBe('boolean');
      }),
    );
  });

  it(req(['INNODB-LOG-106'], 'unit', 'the injected redo fault fails only while its trigger file exists, with the errno asked for'), async () => {
    const dir = tmp();
    const trigger = join(dir, 'trigger');
    const io = faultyLogFileIo(nodeLogFileIo, { op: 'sync', code: 'EIO', trigger });
    const h = await io.open(join(dir, 'f'), 'create');
    await h.write(Buffer.from('abc'), 0);
    await h.sync();
    writeFileSync(trigger, '');
    await expect(h.sync()).rejects.toMatchObject({ code: 'EIO' });
    await h.write(Buffer.from('d'), 3);
    await h.close();
  });
});
