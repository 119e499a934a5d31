/**
 * The redo log end to end on real files: round trips across files and reopen, the on-disk
 * layout of a first record, reading back a copy taken while the log is open (a crash),
 * checkpoints (records before them gone, files below them removed, a torn checkpoint block
 * falling back to the previous one), a missing directory, group commit, background flushing,
 * and the failed state after an injected EIO or ENOSPC.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { req } from '../../../helpers/req.js';
import { tempDirs } from '../../../helpers/temp-dir.js';
import {
  REDO_FIRST_LSN,
  RedoLog,
  RedoLogFailedError,
  readRedoLog,
} from '../../../../src/storage/innodb/log/redo-log.js';
import { FaultyIo } from './faulty-io.js';

const tmp = tempDirs('redo-log-');
const CAP = 8 * 1024 * 1024;
/** Header plus 8 log blocks: 3968 data bytes per file, so a few records fill a file. */
const SMALL = 2048 + 8 * 512;
const REDO = '#innodb_redo';

function payloadOf(i: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let k = 0; k < size; k++) b[k] = (i * 31 + k * 7) & 0xff;
  return b;
}

function redoFiles(datadir: string): string[] {
  return readdirSync(join(datadir, REDO))
    .filter((n) => /^#ib_redo\d+$/.test(n))
    .sort((a, b) => Number(a.slice(8)) - Number(b.slice(8)));
}

/** A copy of the datadir's redo directory as a crash would leave it. */
function crashCopy(datadir: string): string {
  const copy = tmp();
  cpSync(join(datadir, REDO), join(copy, REDO), { recursive: true });
  return copy;
}

function open(datadir: string, startLsn: bigint, extra: { io?: FaultyIo; fileSizeOverride?: number; logBufferSize?: number } = {}): Promise<RedoLog> {
  return RedoLog.open(datadir, { startLsn, capacity: CAP, fileSizeOverride: extra.fileSizeOverride ?? SMALL, ...(extra.io ? { io: extra.io } : {}), ...(extra.logBufferSize ? { logBufferSize: extra.logBufferSize } : {}) });
}

describe('redo log round trip', () => {
  it(req(['INNODB-BAK-005', 'INNODB-REC-012', 'INNODB-LOG-101', 'INNODB-LOG-103'], 'unit', 'many records across several files and across reopen read back exactly'), async () => {
    const d = tmp();
    const sent: { payload: Buffer; start: bigint; end: bigint }[] = [];
    let log = await open(d, 0n);
    expect(log.stats.lsn).toBe(REDO_FIRST_LSN);
    for (let i = 0; i < 120; i++) {
      const start = log.lsn;
      const payload = payloadOf(i, (i * 37) % 400);
      sent.push({ payload, start, end: log.append(payload) });
    }
    // One record longer than a whole file.
    const big = payloadOf(999, 10_000);
    sent.push({ payload: big, start: log.lsn, end: log.append(big) });
    await log.close();
    expect(redoFiles(d).length).toBeGreaterThan(5);

    let back = await readRedoLog(d);
    expect(back.exists).toBe(true);
    expect(back.warnings).toEqual([]);
    expect(back.checkpointLsn).toBe(REDO_FIRST_LSN);
    expect(back.records.map((r) => ({ payload: r.payload, start: r.lsn, end: r.end }))).toEqual(sent);
    expect(back.endLsn).toBe(sent[sent.length - 1]?.end);

    log = await open(d, back.endLsn);
    for (let i = 0; i < 40; i++) {
      const start = log.lsn;
      const payload = payloadOf(1000 + i, 100 + i);
      sent.push({ payload, start, end: log.append(payload) });
    }
    await log.close();
    back = await readRedoLog(d);
    expect(back.warnings).toEqual([]);
    expect(back.records.map((r) => ({ payload: r.payload, start: r.lsn, end: r.end }))).toEqual(sent);
    for (let i = 1; i < back.records.length; i++) expect(back.records[i]?.lsn).toBe(back.records[i - 1]?.end);
  });

  it(req(['INNODB-BAK-005', 'INNODB-LOG-101', 'INNODB-LOG-102', 'INNODB-LOG-103'], 'unit', 'on-disk bytes of a first record: #innodb_redo/#ib_redo0, header region, first log block'), async () => {
    const d = tmp();
    const log = await open(d, 0n);
    const payload = Buffer.from('hello, redo');
    const end = log.append(payload);
    await log.close();
    expect(readdirSync(join(d, REDO))).toEqual(['#ib_redo0']);
    const file = readFileSync(join(d, REDO, '#ib_redo0'));
    expect(file.length).toBe(2048 + 512);
    const fmt = file.subarray(0, 512);
    expect(fmt.readUInt32BE(0)).toBe(1);
    expect(fmt.readBigUInt64BE(8)).toBe(8192n);
    expect(fmt.toString('latin1', 16, 24)).toBe('refmysql');
    expect(fmt.readUInt32BE(52)).toBe(0);
    expect(fmt.readBigUInt64BE(56)).toBe(BigInt(SMALL));
    expect(fmt.readUInt32BE(508)).toBe(crc32(fmt.subarray(0, 508)));
    // The first checkpoint (number 1) sits in block 1 and points at the start of the log.
    const cp = file.subarray(512, 1024);
    expect(cp.readBigUInt64BE(0)).toBe(1n);
    expect(cp.readBigUInt64BE(8)).toBe(8204n);
    expect(cp.readUInt32BE(16)).toBe(fmt.readUInt32BE(4));
    expect(cp.readUInt32BE(508)).toBe(crc32(cp.subarray(0, 508)));
    expect(file.subarray(1024, 2048).equals(Buffer.alloc(1024))).toBe(true);

    const block = file.subarray(2048, 2560);
    const recLen = 1 + payload.length + 4;
    const want = Buffer.alloc(512);
    want.writeUInt32BE(8192 / 512 + 1, 0);
    want.writeUInt16BE(12 + recLen, 4);
    want.writeUInt16BE(12, 6);
    want.writeUInt32BE(1, 8);
    want[12] = payload.length;
    payload.copy(want, 13);
    want.writeUInt32BE(crc32(Buffer.concat([Buffer.from([payload.length]), payload])), 13 + payload.length);
    want.writeUInt32BE(crc32(want.subarray(0, 508)), 508);
    expect(block.equals(want)).toBe(true);
    expect(end).toBe(8204n + BigInt(recLen));
  });

  it(req(['INNODB-REC-012', 'INNODB-LOG-104'], 'unit', 'a copy taken while the log is open (a crash) holds every flushed record'), async () => {
    const d = tmp();
    const log = await open(d, 0n);
    const payloads: Buffer[] = [];
    for (let i = 0; i < 60; i++) {
      payloads.push(payloadOf(i, 50 + i * 3));
      await log.flushUpTo(log.append(payloads[i] as Buffer));
    }
    const flushedCopy = crashCopy(d);
    log.append(Buffer.from('appended, never written'));
    const back = await readRedoLog(flushedCopy);
    expect(back.records.map((r) => r.payload)).toEqual(payloads);
    expect(back.warnings).toEqual([]);
    await log.close();
    expect((await readRedoLog(d)).records.length).toBe(61);
  });

  it(req(['INNODB-REC-014', 'INNODB-BAK-005'], 'unit', 'missing or empty #innodb_redo: exists=false; open creates it'), async () => {
    const d = tmp();
    expect(await readRedoLog(d)).toEqual({ exists: false, checkpointLsn: 0n, records: [], endLsn: 0n, warnings: [] });
    mkdirSync(join(d, REDO));
    expect((await readRedoLog(d)).exists).toBe(false);
    writeFileSync(join(d, REDO, '#ib_redo4_tmp'), Buffer.alloc(100));
    expect((await readRedoLog(d)).exists).toBe(false);
    const log = await open(d, 0n);
    await log.close();
    // The half-prepared spare is gone and the new file continues the numbering.
    expect(readdirSync(join(d, REDO))).toEqual(['#ib_redo5']);
    const back = await readRedoLog(d);
    expect(back).toEqual({ exists: true, checkpointLsn: REDO_FIRST_LSN, records: [], endLsn: REDO_FIRST_LSN, warnings: [] });
  });

  it(req(['INNODB-LOG-107'], 'unit', 'open refuses a start LSN before the end of the log; one after it starts a new log'), async () => {
    const d = tmp();
    let log = await open(d, 0n);
    for (let i = 0; i < 20; i++) log.append(payloadOf(i, 300));
    await log.close();
    const back = await readRedoLog(d);
    await expect(open(d, back.endLsn - 100n)).rejects.toThrow(/before the end/);
    const later = back.endLsn + 100_000n;
    log = await open(d, later);
    expect(log.lsn).toBe(later);
    const end = log.append(Buffer.from('x'));
    await log.close();
    const again = await readRedoLog(d);
    expect(again.checkpointLsn).toBe(later);
    expect(again.records).toEqual([{ lsn: later, end, payload: Buffer.from('x') }]);
    expect(redoFiles(d)).toHaveLength(1);
  });
});

describe('checkpoints', () => {
  it(req(['INNODB-LOG-105', 'INNODB-REC-012'], 'unit', 'after a checkpoint, reopen reads only the later records, and files below it are removed'), async () => {
    const d = tmp();
    const log = await open(d, 0n);
    const ends: bigint[] = [];
    for (let i = 0; i < 100; i++) ends.push(log.append(payloadOf(i, 200)));
    await log.writeUpTo(log.lsn);
    const before = redoFiles(d);
    expect(before.length).toBeGreaterThan(4);
    const cp = ends[69] as bigint;
    expect(log.checkpointAge).toBe(log.lsn - REDO_FIRST_LSN);
    await log.checkpoint(cp);
    expect(log.stats.checkpointLsn).toBe(cp);
    expect(log.stats.flushed).toBeGreaterThanOrEqual(cp);
    expect(log.checkpointAge).toBe(log.lsn - cp);
    // Every remaining file reaches past the block holding the checkpoint LSN.
    const cpBlock = cp - (cp % 512n);
    for (const f of log.liveFiles) expect(f.endLsn).toBeGreaterThan(cpBlock);
    expect(log.liveFiles[0]?.startLsn).toBeLessThanOrEqual(cpBlock);
    const after = redoFiles(d);
    expect(after.length).toBeLessThan(before.length);
    expect(after).toEqual(log.liveFiles.map((f) => `#ib_redo${f.number}`));
    // A checkpoint at or below the current one changes nothing.
    await log.checkpoint(ends[10] as bigint);
    expect(log.stats.checkpointLsn).toBe(cp);
    await log.close();

    const back = await readRedoLog(d);
    expect(back.checkpointLsn).toBe(cp);
    expect(back.records.map((r) => r.payload)).toEqual(Array.from({ length: 30 }, (_, k) => payloadOf(70 + k, 200)));
    expect(back.records[0]?.lsn).toBe(cp);
    expect(back.warnings).toEqual([]);
  });

  it(req(['INNODB-LOG-105'], 'unit', 'a torn write of the newest checkpoint block falls back to the previous checkpoint'), async () => {
    const d = tmp();
    const log = await open(d, 0n, { fileSizeOverride: 2048 + 64 * 512 });
    const ends: bigint[] = [];
    for (let i = 0; i < 30; i++) ends.push(log.append(payloadOf(i, 100)));
    const a = ends[9] as bigint;
    const b = ends[19] as bigint;
    await log.checkpoint(a);
    await log.checkpoint(b);
    await log.close();
    expect((await readRedoLog(d)).checkpointLsn).toBe(b);

    const path = join(d, REDO, redoFiles(d)[0] as string);
    const file = readFileSync(path);
    const slots = [512, 1536].filter((off) => file.readBigUInt64BE(off + 8) === b);
    expect(slots).toHaveLength(1);
    const other = slots[0] === 512 ? 1536 : 512;
    expect(file.readBigUInt64BE(other + 8)).toBe(a);
    // Tear the newest checkpoint: its second half never reached the disk.
    file.fill(0, (slots[0] as number) + 256, (slots[0] as number) + 512);
    writeFileSync(path, file);
    const back = await readRedoLog(d);
    expect(back.checkpointLsn).toBe(a);
    expect(back.records.map((r) => r.payload)).toEqual(Array.from({ length: 20 }, (_, k) => payloadOf(10 + k, 100)));

    // Both slots torn: no checkpoint, nothing to replay, and the reason is given.
    file.fill(0, other, other + 512);
    writeFileSync(path, file);
    const none = await readRedoLog(d);
    expect(none.exists).toBe(true);
    expect(none.records).toEqual([]);
    expect(none.warnings.join()).toMatch(/no valid checkpoint/);
  });

  it(req(['INNODB-LOG-105'], 'unit', 'a checkpoint at a file boundary creates the next file to hold it'), async () => {
    const d = tmp();
    const log = await open(d, 0n);
    // Fill exactly the 8 blocks of the first file: 8 * 496 data bytes in records of 496.
    let end = 0n;
    for (let i = 0; i < 8; i++) end = log.append(payloadOf(i, 496 - 2 - 4));
    expect(end).toBe(8192n + 8n * 512n + 12n);
    await log.checkpoint(end);
    await log.close();
    expect(redoFiles(d)).toEqual(['#ib_redo1']);
    const back = await readRedoLog(d);
    expect(back).toMatchObject({ exists: true, checkpointLsn: end, records: [], endLsn: end, warnings: [] });
    const log2 = await open(d, end);
    log2.append(Buffer.from('next'));
    await log2.close();
    expect((await readRedoLog(d)).records.map((r) => r.payload.toString())).toEqual(['next']);
  });
});

describe('group commit and background flushing', () => {
  it(req(['INNODB-LOG-104'], 'unit', '50 concurrent commits in one turn of the event loop share one fsync'), async () => {
    const d = tmp();
    const log = await open(d, 0n, { fileSizeOverride: 2048 + 64 * 512 });
    const before = log.stats.fsyncs;
    const waits: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) waits.push(log.flushUpTo(log.append(payloadOf(i, 80))));
    await Promise.all(waits);
    expect(log.stats.fsyncs - before).toBe(1);
    expect(log.stats.flushed).toBe(log.lsn);
    await log.close();
    expect((await readRedoLog(d)).records).toHaveLength(50);
  });

  it(req(['INNODB-LOG-104'], 'unit', 'commits arriving while an fsync runs queue and are served by the next single write+fsync'), async () => {
    const d = tmp();
    const io = new FaultyIo();
    const log = await open(d, 0n, { io, fileSizeOverride: 2048 + 256 * 512 });
    io.syncDelayMs = 15;
    const before = io.syncCalls;
    const tasks = Array.from({ length: 50 }, async (_, i) => {
      await new Promise((r) => setTimeout(r, (i * 7) % 40));
      const end = log.append(payloadOf(i, 60));
      await log.flushUpTo(end);
      expect(log.stats.flushed).toBeGreaterThanOrEqual(end);
    });
    await Promise.all(tasks);
    const syncs = io.syncCalls - before;
    expect(syncs).toBeGreaterThan(0);
    expect(syncs).toBeLessThan(12);
    await log.close();
    expect((await readRedoLog(d)).records).toHaveLength(50);
  });

  it(req(['INNODB-LOG-104'], 'unit', 'writeUpTo hands the bytes to the OS without an fsync; the background timer fsyncs'), async () => {
    const d = tmp();
    const io = new FaultyIo();
    const log = await open(d, 0n, { io });
    const syncsBefore = io.syncCalls;
    const end = log.append(Buffer.from('commit at trx_commit=2'));
    await log.writeUpTo(end);
    expect(log.stats.written).toBe(end);
    expect(log.stats.flushed).toBeLessThan(end);
    expect(io.syncCalls).toBe(syncsBefore);
    // The OS has the bytes: a reader sees them even before any fsync.
    expect((await readRedoLog(d)).records.map((r) => r.payload.toString())).toEqual(['commit at trx_commit=2']);
    log.startBackgroundFlush(10, 'flush');
    for (let i = 0; i < 100 && log.stats.flushed < end; i++) await new Promise((r) => setTimeout(r, 5));
    expect(log.stats.flushed).toBe(end);
    // trx_commit=0: nothing at commit, the timer writes.
    log.startBackgroundFlush(10, 'write');
    const end2 = log.append(Buffer.from('commit at trx_commit=0'));
    for (let i = 0; i < 100 && log.stats.written < end2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(log.stats.written).toBe(end2);
    await log.close();
  });

  it(req(['INNODB-LOG-104'], 'unit', 'a full log buffer starts a write on its own'), async () => {
    const d = tmp();
    const log = await open(d, 0n, { logBufferSize: 2048 });
    for (let i = 0; i < 10; i++) log.append(payloadOf(i, 400));
    for (let i = 0; i < 100 && log.stats.written === REDO_FIRST_LSN; i++) await new Promise((r) => setTimeout(r, 2));
    expect(log.stats.written).toBeGreaterThan(REDO_FIRST_LSN);
    await log.close();
  });

  it(req(['INNODB-LOG-104'], 'unit', 'stats count writes and fsyncs; pending counts return to zero'), async () => {
    const d = tmp();
    const log = await open(d, 0n);
    const s0 = log.stats;
    const end = log.append(Buffer.from('a'));
    await log.flushUpTo(end);
    const s1 = log.stats;
    expect(s1.logIos).toBe(s0.logIos + 1);
    expect(s1.fsyncs).toBe(s0.fsyncs + 1);
    expect(s1).toMatchObject({ lsn: end, written: end, flushed: end, pendingWrites: 0, pendingFsyncs: 0 });
    await expect(log.flushUpTo(end + 1000n)).rejects.toThrow(RangeError);
    await log.close();
    expect(() => log.append(Buffer.from('b'))).toThrow(/closed/);
  });
});

describe('failure handling', () => {
  it(req(['INNODB-LOG-106'], 'unit', 'a failed fsync (EIO) fails that call, every waiter and every later call; nothing is retried'), async () => {
    const d = tmp();
    const io = new FaultyIo();
    const log = await open(d, 0n, { io });
    const good = log.append(Buffer.from('durable'));
    await log.flushUpTo(good);
    io.failSync = 'EIO';
    const ends = [log.append(Buffer.from('lost 1')), log.append(Buffer.from('lost 2'))];
    const results = await Promise.allSettled(ends.map((e) => log.flushUpTo(e)));
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const reason = (r as PromiseRejectedResult).reason as RedoLogFailedError;
      expect(reason).toBeInstanceOf(RedoLogFailedError);
      expect(reason.code).toBe('EIO');
      expect(reason.message).toMatch(/redo log write failed \(EIO\)/);
    }
    expect(log.failed).toBeInstanceOf(RedoLogFailedError);
    // The disk heals; the log does not trust it again.
    io.failSync = null;
    const syncs = io.syncCalls;
    const writes = io.writeCalls;
    expect(() => log.append(Buffer.from('after'))).toThrow(RedoLogFailedError);
    await expect(log.writeUpTo(good)).rejects.toBeInstanceOf(RedoLogFailedError);
    await expect(log.flushUpTo(ends[1] as bigint)).rejects.toBeInstanceOf(RedoLogFailedError);
    await expect(log.checkpoint(good)).rejects.toBeInstanceOf(RedoLogFailedError);
    await expect(log.close()).rejects.toBeInstanceOf(RedoLogFailedError);
    expect(io.syncCalls).toBe(syncs);
    expect(io.writeCalls).toBe(writes);
    expect(log.stats.flushed).toBe(good);
    // What was acknowledged is there after a restart.
    const back = await readRedoLog(d);
    expect(back.records[0]?.payload.toString()).toBe('durable');
  });

  it(req(['INNODB-LOG-106'], 'unit', 'a failed write (ENOSPC) fails writeUpTo and stops the log'), async () => {
    const d = tmp();
    const io = new FaultyIo();
    const log = await open(d, 0n, { io });
    io.failWrite = 'ENOSPC';
    const end = log.append(Buffer.from('no room'));
    await expect(log.writeUpTo(end)).rejects.toMatchObject({ name: 'RedoLogFailedError', code: 'ENOSPC' });
    expect(log.stats.written).toBe(REDO_FIRST_LSN);
    io.failWrite = null;
    await expect(log.writeUpTo(end)).rejects.toBeInstanceOf(RedoLogFailedError);
    expect(() => log.append(Buffer.from('x'))).toThrow(/ENOSPC/);
    await expect(log.close()).rejects.toBeInstanceOf(RedoLogFailedError);
  });

  it(req(['INNODB-LOG-106'], 'unit', 'a failed checkpoint fsync stops the log and keeps the previous checkpoint'), async () => {
    const d = tmp();
    const io = new FaultyIo();
    const log = await open(d, 0n, { io });
    const end = log.append(Buffer.from('r'));
    await log.flushUpTo(end);
    io.failSync = 'EIO';
    await expect(log.checkpoint(end)).rejects.toBeInstanceOf(RedoLogFailedError);
    expect(log.stats.checkpointLsn).toBe(REDO_FIRST_LSN);
    expect(() => log.append(Buffer.from('x'))).toThrow(RedoLogFailedError);
    await log.close().catch(() => undefined);
    expect(existsSync(join(d, REDO, '#ib_redo0'))).toBe(true);
  });
});
