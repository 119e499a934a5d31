/**
 * The file transaction-coordinator log (tc.log): records survive a reopen, a torn or corrupt
 * tail is ignored, a foreign file is refused, and the file is cut back to its header once it
 * has outgrown --log-tc-size with nothing pending (and after recovery).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { FileTcLog, TcLogFormatError } from '../../../src/exec/txn/tc-log-file.js';
import { InternalXidSource } from '../../../src/exec/txn/internal-xid.js';
import { TC_LOG_MIN_SIZE } from '../../../src/exec/txn/limits.js';
import { xidKey } from '../../../src/kernel/xid.js';

let dir: string;
let path: string;
const xids = new InternalXidSource(3);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'refmysql-tclog-'));
  path = join(dir, 'tc.log');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('tc.log', () => {
  it(req('CORE-TXN-033', 'unit', 'synced records are found again when the log is reopened'), async () => {
    const log = await FileTcLog.open(path);
    expect(await log.recover()).toEqual(new Set());
    const a = xids.newXid();
    const b = xids.newXid();
    const c = xids.newXid();
    await log.write([a, b]);
    await log.write([c]);
    await log.sync();
    await log.forget([a]);
    await log.close();
    const again = await FileTcLog.open(path);
    // forget only lets the file be cut later; until then every record is still there.
    expect(await again.recover()).toEqual(new Set([xidKey(a), xidKey(b), xidKey(c)]));
    await again.recovered();
    await again.close();
    const empty = await FileTcLog.open(path);
    expect(await empty.recover()).toEqual(new Set());
    await empty.close();
  });

  it(req('CORE-TXN-033', 'unit', 'a torn last record and anything after a bad checksum are ignored'), async () => {
    const log = await FileTcLog.open(path);
    const a = xids.newXid();
    await log.write([a]);
    await log.sync();
    await log.close();
    const b = xids.newXid();
    appendFileSync(path, `C 00000000 ${xidKey(b)}\n`);
    appendFileSync(path, `C 12345678 ${xidKey(xids.newXid())}`);
    const again = await FileTcLog.open(path);
    expect(await again.recover()).toEqual(new Set([xidKey(a)]));
    await again.close();
  });

  it(req('CORE-TXN-033', 'unit', 'a file that is not a tc.log is refused'), async () => {
    writeFileSync(path, 'something else\n');
    await expect(FileTcLog.open(path)).rejects.toBeInstanceOf(TcLogFormatError);
    expect(readFileSync(path, 'utf8')).toBe('something else\n');
  });

  it(req('CORE-TXN-033', 'unit', 'past --log-tc-size with nothing pending the file is cut back to its header'), async () => {
    const log = await FileTcLog.open(path, 1); // raised to the minimum
    const header = statSync(path).size;
    const batch = Array.from({ length: 400 }, () => xids.newXid());
    await log.write(batch);
    await log.sync();
    expect(statSync(path).size).toBeGreaterThan(TC_LOG_MIN_SIZE);
    await log.forget(batch.slice(0, 399));
    expect(statSync(path).size).toBeGreaterThan(TC_LOG_MIN_SIZE);
    await log.forget(batch.slice(399));
    expect(statSync(path).size).toBe(header);
    await log.close();
  });
});
