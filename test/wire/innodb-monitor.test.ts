/**
 * SHOW ENGINE INNODB STATUS / MUTEX, InnoDB's INFORMATION_SCHEMA and performance_schema
 * tables and the Innodb_* status variables, through real clients with several connections
 * holding locks, waiting, deadlocking and keeping snapshots open.
 */
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
const conns: mysql.Connection[] = [];

async function conn(): Promise<mysql.Connection> {
  const c = await srv.connect({ database: 'test' });
  conns.push(c);
  return c;
}

async function status(c: mysql.Connection): Promise<string> {
  const [rows] = await c.query<mysql.RowDataPacket[]>('SHOW ENGINE INNODB STATUS');
  expect(rows).toHaveLength(1);
  return String(rows[0]!['Status']);
}

/** The lines of one section, up to the next section header. */
function section(text: string, title: string): string[] {
  const lines = text.split('\n');
  const at = lines.findIndex((l, i) => l === title && /^-+$/.test(lines[i - 1] ?? '') && /^-+$/.test(lines[i + 1] ?? ''));
  if (at < 0) return [];
  const out: string[] = [];
  for (let i = at + 2; i < lines.length; i++) {
    if (/^-+$/.test(lines[i]!) && /^[A-Z][A-Z /]+$/.test(lines[i + 1] ?? '') && /^[-=]+$/.test(lines[i + 2] ?? '')) break;
    out.push(lines[i]!);
  }
  return out;
}

function titles(text: string): string[] {
  const lines = text.split('\n');
  return lines.filter((l, i) => /^[A-Z][A-Z /]+$/.test(l) && /^-+$/.test(lines[i - 1] ?? '') && /^[-=]+$/.test(lines[i + 1] ?? ''));
}

function num(text: string, re: RegExp): bigint {
  const m = re.exec(text);
  if (!m) throw new Error(`no match for ${re} in\n${text}`);
  return BigInt(m[1]!);
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}

async function waitingCount(c: mysql.Connection): Promise<number> {
  const [rows] = await c.query<mysql.RowDataPacket[]>("SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'");
  return Number(rows[0]!['n']);
}

beforeAll(async () => {
  srv = await startTestServer();
  const c = await srv.connect();
  await c.query('CREATE DATABASE IF NOT EXISTS test');
  await c.end();
});

afterAll(async () => {
  for (const c of conns) await c.end().catch(() => undefined);
  await srv.stop();
});

describe('SHOW ENGINE INNODB STATUS', () => {
  it(req(['INNODB-MON-001', 'INNODB-MON-002', 'INNODB-MON-016', 'INNODB-MON-007'], 'wire', 'one InnoDB row whose Status has the 8.0 sections in order, title-long rules, no FK or deadlock section on a fresh server, and the END trailer'), async () => {
    const c = await conn();
    const [rows, fields] = await c.query<mysql.RowDataPacket[]>('SHOW ENGINE INNODB STATUS');
    expect(fields.map((f) => f.name)).toEqual(['Type', 'Name', 'Status']);
    expect(rows[0]!['Type']).toBe('InnoDB');
    expect(rows[0]!['Name']).toBe('');
    const text = String(rows[0]!['Status']);
    expect(text).toMatch(/^\n={37}\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d 0x[0-9a-f]+ INNODB MONITOR OUTPUT\n={37}\nPer second averages calculated from the last \d+ seconds\n/);
    expect(titles(text)).toEqual([
      'BACKGROUND THREAD', 'SEMAPHORES', 'TRANSACTIONS', 'FILE I/O', 'INSERT BUFFER AND ADAPTIVE HASH INDEX', 'LOG', 'BUFFER POOL AND MEMORY',
      'ROW OPERATIONS', 'END OF INNODB MONITOR OUTPUT',
    ]);
    for (const t of titles(text).slice(0, -1)) expect(text).toContain(`\n${'-'.repeat(t.length)}\n${t}\n${'-'.repeat(t.length)}\n`);
    expect(text).not.toContain('LATEST FOREIGN KEY ERROR');
    expect(text.endsWith('\n----------------------------\nEND OF INNODB MONITOR OUTPUT\n============================\n')).toBe(true);
  });

  it(req(['INNODB-MON-004', 'INNODB-MON-005'], 'wire', 'BACKGROUND THREAD has the srv_master_thread lines, SEMAPHORES the wait-array and spin lines'), async () => {
    const text = await status(await conn());
    const bg = section(text, 'BACKGROUND THREAD');
    expect(bg[0]).toMatch(/^srv_master_thread loops: \d+ srv_active, \d+ srv_shutdown, \d+ srv_idle$/);
    expect(bg[1]).toMatch(/^srv_master_thread log flush and writes: \d+$/);
    const sem = section(text, 'SEMAPHORES');
    expect(sem).toContain('OS WAIT ARRAY INFO: signal count 0');
    expect(sem.some((l) => /^OS WAIT ARRAY INFO: reservation count \d+$/.test(l))).toBe(true);
    expect(sem).toContain('RW-shared spins 0, rounds 0, OS waits 0');
    expect(sem.some((l) => /^Spin rounds per wait: \d+\.\d\d RW-shared, \d+\.\d\d RW-excl, \d+\.\d\d RW-sx$/.test(l))).toBe(true);
  });

  it(req(['INNODB-MON-006'], 'wire', 'SHOW ENGINE INNODB MUTEX answers a Type/Name/Status result set'), async () => {
    const [rows, fields] = await (await conn()).query<mysql.RowDataPacket[]>('SHOW ENGINE INNODB MUTEX');
    expect(fields.map((f) => f.name)).toEqual(['Type', 'Name', 'Status']);
    expect(Array.isArray(rows)).toBe(true);
  });

  it(req(['INNODB-MON-015', 'INNODB-MON-017'], 'wire', 'inserting 10 rows adds 10 to "inserted"; Process ID is the server pid; every rate has two decimals'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE t_rows (id INT PRIMARY KEY, v INT)');
    const before = await status(c);
    await c.query(`INSERT INTO t_rows VALUES ${Array.from({ length: 10 }, (_, i) => `(${i}, ${i})`).join(',')}`);
    const after = await status(c);
    const inserted = (t: string): bigint => num(t, /^Number of rows inserted (\d+), updated \d+, deleted \d+, read \d+$/m);
    expect(inserted(after) - inserted(before)).toBe(10n);
    const rowOps = section(after, 'ROW OPERATIONS');
    expect(rowOps[0]).toMatch(/^\d+ queries inside InnoDB, \d+ queries in queue$/);
    expect(rowOps[2]).toMatch(new RegExp(`^Process ID=${process.pid}, Main thread ID=\\d+ , state=\\w+$`));
    expect(rowOps[4]).toMatch(/^\d+\.\d\d inserts\/s, \d+\.\d\d updates\/s, \d+\.\d\d deletes\/s, \d+\.\d\d reads\/s$/);
    for (const line of after.split('\n')) {
      if (!line.includes('/s')) continue;
      for (const m of line.matchAll(/(\d+(?:\.\d+)?)(?= [\w' -]*\/s|\/s)/g)) {
        if (line.includes('avg bytes/read') && m[1] && !m[1].includes('.')) continue;
        expect(m[1]).toMatch(/^\d+\.\d\d$/);
      }
    }
  });

  it(req(['INNODB-MON-015'], 'wire', 'a REPEATABLE READ snapshot held by another session counts as an open read view'), async () => {
    const holder = await conn();
    const c = await conn();
    await holder.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
    expect(num(await status(c), /^(\d+) read views open inside InnoDB$/m)).toBeGreaterThanOrEqual(1n);
    await holder.query('COMMIT');
  });

  it(req(['INNODB-MON-012'], 'wire', 'the LSN grows with a committed INSERT and the LOG LSNs keep checkpoint <= pages flushed <= flushed <= written <= LSN'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE t_lsn (id INT PRIMARY KEY)');
    const lsns = (t: string): bigint[] =>
      ['Log sequence number', 'Log buffer assigned up to', 'Log buffer completed up to', 'Log written up to', 'Log flushed up to', 'Added dirty pages up to', 'Pages flushed up to', 'Last checkpoint at'].map((l) =>
        num(t, new RegExp(`^${l} +(\\d+)$`, 'm')),
      );
    const [lsn0] = lsns(await status(c));
    await c.query('INSERT INTO t_lsn VALUES (1)');
    const text = await status(c);
    const [lsn, assigned, completed, written, flushed, added, pages, checkpoint] = lsns(text);
    expect(lsn!).toBeGreaterThan(lsn0!);
    expect(checkpoint! <= pages! && pages! <= flushed! && flushed! <= written! && written! <= lsn!).toBe(true);
    expect(pages! <= added! && added! <= completed! && completed! <= assigned! && assigned! <= lsn!).toBe(true);
    expect(section(text, 'LOG').some((l) => /^\d+ log i\/o's done, \d+\.\d\d log i\/o's\/second$/.test(l))).toBe(true);
  });

  it(req(['INNODB-MON-009', 'INNODB-MON-101', 'INNODB-MON-104'], 'wire', 'a row-lock wait: TRANSACTIONS shows LOCK WAIT and the waited lock; INNODB_TRX, data_locks and data_lock_waits agree'), async () => {
    const holder = await conn();
    const waiter = await conn();
    const c = await conn();
    await holder.query('CREATE TABLE t_wait (id INT PRIMARY KEY, v INT)');
    await holder.query('INSERT INTO t_wait VALUES (1, 0), (2, 0)');
    await holder.query('BEGIN');
    await holder.query('UPDATE t_wait SET v = 1 WHERE id = 1');
    await waiter.query('BEGIN');
    const blocked = waiter.query('UPDATE t_wait SET v = 2 WHERE id = 1');
    await until(async () => (await waitingCount(c)) === 1);

    const text = await status(c);
    const trx = section(text, 'TRANSACTIONS');
    const waitAt = trx.findIndex((l) => /^LOCK WAIT \d+ lock struct\(s\), heap size \d+, \d+ row lock\(s\)$/.test(l));
    expect(waitAt).toBeGreaterThan(0);
    expect(trx[waitAt - 2]).toMatch(/^---TRANSACTION \d+, ACTIVE \d+ sec$/);
    expect(trx.slice(waitAt).join('\n')).toMatch(
      /MySQL thread id \d+, OS thread handle \d+, query id \d+ .*\nUPDATE t_wait SET v = 2 WHERE id = 1\n------- TRX HAS BEEN WAITING \d+ SEC FOR THIS LOCK TO BE GRANTED:\nRECORD LOCKS space id \d+ page no \d+ n bits \d+ index PRIMARY of table `test`.`t_wait` trx id \d+ lock_mode X locks rec but not gap waiting\n/,
    );

    const [trxRows] = await c.query<mysql.RowDataPacket[]>('SELECT trx_id, trx_state, trx_mysql_thread_id, trx_requested_lock_id, trx_query, trx_isolation_level, trx_rows_modified FROM information_schema.INNODB_TRX ORDER BY trx_id');
    const holderId = (await holder.query<mysql.RowDataPacket[]>('SELECT CONNECTION_ID() AS id'))[0][0]!['id'];
    const h = trxRows.find((r) => r['trx_mysql_thread_id'] === holderId)!;
    const w = trxRows.find((r) => r['trx_state'] === 'LOCK WAIT')!;
    expect(h).toMatchObject({ trx_state: 'RUNNING', trx_requested_lock_id: null, trx_isolation_level: 'REPEATABLE READ', trx_rows_modified: 1 });
    expect(w['trx_query']).toBe('UPDATE t_wait SET v = 2 WHERE id = 1');
    expect(w['trx_requested_lock_id']).toMatch(/^\d+:\d+:\d+:\d+:\d+:\d+$/);

    const [locks] = await c.query<mysql.RowDataPacket[]>("SELECT * FROM performance_schema.data_locks WHERE OBJECT_NAME = 't_wait' ORDER BY ENGINE_LOCK_ID");
    const mine = locks.filter((l) => BigInt(l['ENGINE_TRANSACTION_ID']) === BigInt(h['trx_id']));
    expect(mine.map((l) => [l['ENGINE'], l['OBJECT_SCHEMA'], l['LOCK_TYPE'], l['LOCK_MODE'], l['LOCK_STATUS'], l['INDEX_NAME'], l['LOCK_DATA']]).sort()).toEqual([
      ['INNODB', 'test', 'RECORD', 'X,REC_NOT_GAP', 'GRANTED', 'PRIMARY', '1'],
      ['INNODB', 'test', 'TABLE', 'IX', 'GRANTED', null, null],
    ]);
    const waiting = locks.find((l) => l['LOCK_STATUS'] === 'WAITING')!;
    expect(waiting['ENGINE_LOCK_ID']).toBe(w['trx_requested_lock_id']);
    expect(Number(waiting['THREAD_ID'])).toBeGreaterThan(Number(w['trx_mysql_thread_id']));

    const [waits] = await c.query<mysql.RowDataPacket[]>('SELECT * FROM performance_schema.data_lock_waits');
    expect(waits).toHaveLength(1);
    const holderRecord = mine.find((l) => l['LOCK_TYPE'] === 'RECORD')!;
    expect(waits[0]).toMatchObject({
      ENGINE: 'INNODB',
      REQUESTING_ENGINE_LOCK_ID: w['trx_requested_lock_id'],
      BLOCKING_ENGINE_LOCK_ID: holderRecord['ENGINE_LOCK_ID'],
    });
    expect(BigInt(waits[0]!['BLOCKING_ENGINE_TRANSACTION_ID'])).toBe(BigInt(h['trx_id']));

    await holder.query('COMMIT');
    await blocked;
    await waiter.query('COMMIT');
    expect(await waitingCount(c)).toBe(0);
  });

  it(req(['INNODB-MON-102'], 'wire', 'with innodb_status_output_locks ON each transaction lists the locks it holds (the Lock Monitor)'), async () => {
    const holder = await conn();
    const c = await conn();
    await holder.query('CREATE TABLE t_lockmon (id INT PRIMARY KEY)');
    await holder.query('INSERT INTO t_lockmon VALUES (5)');
    await holder.query('BEGIN');
    await holder.query('SELECT * FROM t_lockmon WHERE id = 5 FOR UPDATE');
    expect(await status(c)).not.toContain('TABLE LOCK table `test`.`t_lockmon`');
    await c.query('SET GLOBAL innodb_status_output_locks = ON');
    try {
      const text = await status(c);
      expect(text).toMatch(/^TABLE LOCK table `test`.`t_lockmon` trx id \d+ lock mode IX$/m);
      expect(text).toMatch(/^RECORD LOCKS space id \d+ page no \d+ n bits \d+ index PRIMARY of table `test`.`t_lockmon` trx id \d+ lock_mode X locks rec but not gap$/m);
    } finally {
      await c.query('SET GLOBAL innodb_status_output_locks = OFF');
      await holder.query('ROLLBACK');
    }
  });

  it(req(['INNODB-MON-008', 'INNODB-TRBL-002'], 'wire', 'a deadlock fills LATEST DETECTED DEADLOCK; with innodb_print_all_deadlocks every deadlock goes to the error log'), async () => {
    const a = await conn();
    const b = await conn();
    const c = await conn();
    await a.query('CREATE TABLE t_dl (id INT PRIMARY KEY, v INT)');
    await a.query('INSERT INTO t_dl VALUES (1, 0), (2, 0)');
    await c.query('SET GLOBAL innodb_print_all_deadlocks = ON');
    const logBefore = srv.logLines.length;
    const deadlock = async (): Promise<void> => {
      await a.query('BEGIN');
      await b.query('BEGIN');
      await a.query('UPDATE t_dl SET v = v + 1 WHERE id = 1');
      await b.query('UPDATE t_dl SET v = v + 1 WHERE id = 2');
      const first = a.query('UPDATE t_dl SET v = v + 1 WHERE id = 2').then(
        () => null,
        (e: { errno: number }) => e.errno,
      );
      await until(async () => (await waitingCount(c)) === 1);
      const second = await b.query('UPDATE t_dl SET v = v + 1 WHERE id = 1').then(
        () => null,
        (e: { errno: number }) => e.errno,
      );
      const outcomes = [await first, second];
      expect(outcomes.filter((x) => x === 1213)).toHaveLength(1);
      await a.query('ROLLBACK');
      await b.query('ROLLBACK');
    };
    try {
      await deadlock();
      const text = await status(c);
      expect(titles(text).slice(2, 4)).toEqual(['LATEST DETECTED DEADLOCK', 'TRANSACTIONS']);
      const body = section(text, 'LATEST DETECTED DEADLOCK').join('\n');
      expect(body).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d 0x[0-9a-f]+\n\*\*\* \(1\) TRANSACTION:\nTRANSACTION \d+, ACTIVE \d+ sec/);
      expect(body).toContain('*** (2) TRANSACTION:');
      expect(body).toContain('UPDATE t_dl SET v = v + 1 WHERE id = ');
      expect(body).toMatch(/\*\*\* \(1\) WAITING FOR THIS LOCK TO BE GRANTED:\nRECORD LOCKS .* of table `test`.`t_dl`/);
      expect(body).toMatch(/\*\*\* \(2\) HOLDS THE LOCK\(S\):/);
      expect(body).toMatch(/\*\*\* WE ROLL BACK TRANSACTION \([12]\)$/);
      await deadlock();
      const log = srv.logLines.slice(logBefore).join('\n');
      expect(log.match(/\[Note\] \[MY-012468\] \[InnoDB\] Transactions deadlock detected, dumping detailed information\./g)?.length ?? 0).toBeLessThanOrEqual(2);
      expect(log.match(/\*\*\* WE ROLL BACK TRANSACTION \([12]\)/g)).toHaveLength(2);
      expect(log.match(/^\*\*\* \(1\) TRANSACTION:$/gm)).toHaveLength(2);
    } finally {
      await c.query('SET GLOBAL innodb_print_all_deadlocks = OFF');
    }
  });

  it(req(['INNODB-MON-011', 'INNODB-MON-010'], 'wire', 'one Hash table size line per @@innodb_adaptive_hash_index_parts; the I/O thread lines follow the io-thread variables'), async () => {
    const c = await conn();
    const [[v]] = await c.query<mysql.RowDataPacket[]>('SELECT @@innodb_adaptive_hash_index_parts AS p, @@innodb_read_io_threads AS r, @@innodb_write_io_threads AS w');
    const text = await status(c);
    const ahi = section(text, 'INSERT BUFFER AND ADAPTIVE HASH INDEX');
    expect(ahi[0]).toMatch(/^Ibuf: size \d+, free list len \d+, seg size \d+, \d+ merges$/);
    expect(ahi.slice(1, 5)).toEqual(['merged operations:', ' insert 0, delete mark 0, delete 0', 'discarded operations:', ' insert 0, delete mark 0, delete 0']);
    expect(ahi.filter((l) => /^Hash table size \d+, node heap has \d+ buffer\(s\)$/.test(l))).toHaveLength(Number(v!['p']));
    expect(ahi.some((l) => /^\d+\.\d\d hash searches\/s, \d+\.\d\d non-hash searches\/s$/.test(l))).toBe(true);
    const io = section(text, 'FILE I/O');
    expect(io.filter((l) => l.endsWith('(read thread)'))).toHaveLength(Number(v!['r']));
    expect(io.filter((l) => l.endsWith('(write thread)'))).toHaveLength(Number(v!['w']));
    expect(io.some((l) => /^\d+ OS file reads, \d+ OS file writes, \d+ OS fsyncs$/.test(l))).toBe(true);
    expect(io.some((l) => /^\d+\.\d\d reads\/s, \d+ avg bytes\/read, \d+\.\d\d writes\/s, \d+\.\d\d fsyncs\/s$/.test(l))).toBe(true);
  });

  it(req(['INNODB-MON-013'], 'wire', 'Buffer pool size times the page size is innodb_buffer_pool_size; a printout right after another has no page gets'), async () => {
    const c = await conn();
    const [[v]] = await c.query<mysql.RowDataPacket[]>('SELECT @@innodb_buffer_pool_size AS b, @@innodb_page_size AS p');
    await status(c);
    const text = await status(c);
    const pool = section(text, 'BUFFER POOL AND MEMORY');
    expect(num(text, /^Buffer pool size +(\d+)$/m) * BigInt(v!['p'])).toBe(BigInt(v!['b']));
    const patterns = [
      /^Total large memory allocated \d+$/, /^Dictionary memory allocated \d+$/, /^Buffer pool size +\d+$/, /^Free buffers +\d+$/, /^Database pages +\d+$/,
      /^Old database pages +\d+$/, /^Modified db pages +\d+$/, /^Pending reads +\d+$/, /^Pending writes: LRU \d+, flush list \d+, single page \d+$/,
      /^Pages made young \d+, not young \d+$/, /^\d+\.\d\d youngs\/s, \d+\.\d\d non-youngs\/s$/, /^Pages read \d+, created \d+, written \d+$/,
      /^\d+\.\d\d reads\/s, \d+\.\d\d creates\/s, \d+\.\d\d writes\/s$/, /^No buffer pool page gets since the last printout$/,
      /^Pages read ahead \d+\.\d\d\/s, evicted without access \d+\.\d\d\/s, Random read ahead \d+\.\d\d\/s$/, /^LRU len: \d+, unzip_LRU len: \d+$/,
      /^I\/O sum\[\d+\]:cur\[\d+\], unzip sum\[\d+\]:cur\[\d+\]$/,
    ];
    expect(pool).toHaveLength(patterns.length);
    patterns.forEach((p, i) => expect(pool[i]).toMatch(p));
    expect(num(text, /^Database pages +(\d+)$/m) + num(text, /^Free buffers +(\d+)$/m)).toBe(num(text, /^Buffer pool size +(\d+)$/m));
    await c.query('SELECT * FROM t_rows');
    expect(await status(c)).toMatch(/^Buffer pool hit rate \d+ \/ 1000, young-making rate \d+ \/ 1000 not \d+ \/ 1000$/m);
  });

  it(req(['INNODB-MON-003'], 'wire', 'the second of two printouts about 2 s apart averages over about 2 seconds'), async () => {
    const c = await conn();
    await status(c);
    await new Promise((r) => setTimeout(r, 2100));
    const n = Number(num(await status(c), /^Per second averages calculated from the last (\d+) seconds$/m));
    expect(n).toBeGreaterThanOrEqual(2);
    expect(n).toBeLessThanOrEqual(3);
  });
});

describe('InnoDB tables and status variables', () => {
  it(req(['INNODB-TRBL-004', 'INNODB-MON-107'], 'wire', 'INNODB_TABLES, INNODB_TABLESPACES, INNODB_COLUMNS and INNODB_INDEXES describe a created table'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE t_dict (id INT NOT NULL PRIMARY KEY, name VARCHAR(10) CHARACTER SET latin1, KEY k_name (name)) ROW_FORMAT=DYNAMIC');
    const [tables] = await c.query<mysql.RowDataPacket[]>("SELECT * FROM information_schema.INNODB_TABLES WHERE NAME = 'test/t_dict'");
    expect(tables).toHaveLength(1);
    expect(tables[0]).toMatchObject({ FLAG: 33, N_COLS: 5, ROW_FORMAT: 'Dynamic', ZIP_PAGE_SIZE: 0, SPACE_TYPE: 'Single' });
    const [spaces] = await c.query<mysql.RowDataPacket[]>('SELECT * FROM information_schema.INNODB_TABLESPACES WHERE SPACE = ?', [tables[0]!['SPACE']]);
    expect(spaces[0]).toMatchObject({ NAME: 'test/t_dict', ROW_FORMAT: 'Dynamic', PAGE_SIZE: 16384, SPACE_TYPE: 'Single', STATE: 'normal' });
    expect(Number(spaces[0]!['FILE_SIZE'])).toBeGreaterThan(0);
    const [cols] = await c.query<mysql.RowDataPacket[]>('SELECT NAME, POS, MTYPE, PRTYPE, LEN FROM information_schema.INNODB_COLUMNS WHERE TABLE_ID = ? ORDER BY POS', [tables[0]!['TABLE_ID']]);
    expect(cols.map((r) => [r['NAME'], r['POS'], r['MTYPE'], r['PRTYPE'], r['LEN']])).toEqual([
      ['id', 0, 6, 1283, 4],
      ['name', 1, 1, 524303, 10],
    ]);
    const [idx] = await c.query<mysql.RowDataPacket[]>('SELECT NAME, TYPE, N_FIELDS, SPACE FROM information_schema.INNODB_INDEXES WHERE TABLE_ID = ? ORDER BY INDEX_ID', [tables[0]!['TABLE_ID']]);
    expect(idx.map((r) => [r['NAME'], r['TYPE'], r['N_FIELDS'], r['SPACE']])).toEqual([
      ['PRIMARY', 3, 1, tables[0]!['SPACE']],
      ['k_name', 0, 1, tables[0]!['SPACE']],
    ]);
  });

  it(req(['INNODB-MON-105'], 'wire', 'INNODB_METRICS reports enabled counters with their subsystem and the row counts'), async () => {
    const c = await conn();
    const [rows] = await c.query<mysql.RowDataPacket[]>("SELECT NAME, SUBSYSTEM, COUNT, STATUS, TYPE FROM information_schema.INNODB_METRICS WHERE NAME IN ('dml_inserts', 'lock_deadlocks', 'buffer_pool_pages_total', 'dml_reads') ORDER BY NAME");
    const by = new Map(rows.map((r) => [r['NAME'], r]));
    expect(by.get('dml_inserts')).toMatchObject({ SUBSYSTEM: 'dml', STATUS: 'enabled', TYPE: 'status_counter' });
    expect(Number(by.get('dml_inserts')!['COUNT'])).toBeGreaterThanOrEqual(10);
    expect(by.get('lock_deadlocks')).toMatchObject({ SUBSYSTEM: 'lock', STATUS: 'enabled' });
    expect(Number(by.get('lock_deadlocks')!['COUNT'])).toBeGreaterThanOrEqual(2);
    expect(by.get('buffer_pool_pages_total')).toMatchObject({ TYPE: 'value', STATUS: 'enabled' });
    expect(by.get('dml_reads')).toMatchObject({ STATUS: 'disabled', COUNT: 0 });
  });

  it(req(['INNODB-MON-103'], 'wire', "SHOW GLOBAL STATUS LIKE 'Innodb%' follows the engine: rows, row-lock waits, pages, redo"), async () => {
    const c = await conn();
    const st = async (): Promise<Map<string, string>> => {
      const [rows] = await c.query<mysql.RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Innodb%'");
      return new Map(rows.map((r) => [String(r['Variable_name']), String(r['Value'])]));
    };
    const before = await st();
    await c.query('CREATE TABLE t_status (id INT PRIMARY KEY)');
    await c.query('INSERT INTO t_status VALUES (1), (2), (3)');
    await c.query('UPDATE t_status SET id = id + 10 WHERE id = 1');
    await c.query('DELETE FROM t_status WHERE id = 2');
    const after = await st();
    const d = (n: string): number => Number(after.get(n)) - Number(before.get(n));
    expect(d('Innodb_rows_inserted')).toBe(3);
    expect(d('Innodb_rows_updated')).toBe(1);
    expect(d('Innodb_rows_deleted')).toBe(1);
    expect(BigInt(after.get('Innodb_redo_log_current_lsn')!)).toBeGreaterThan(BigInt(before.get('Innodb_redo_log_current_lsn')!));
    expect(Number(after.get('Innodb_row_lock_waits'))).toBeGreaterThanOrEqual(3);
    expect(after.get('Innodb_page_size')).toBe('16384');
    expect(after.get('Innodb_redo_log_enabled')).toBe('ON');
    expect(Number(after.get('Innodb_buffer_pool_pages_total')) * 16384).toBe(Number((await c.query<mysql.RowDataPacket[]>('SELECT @@innodb_buffer_pool_size AS b'))[0][0]!['b']));
    expect(Number(after.get('Innodb_buffer_pool_pages_data')) + Number(after.get('Innodb_buffer_pool_pages_free'))).toBe(Number(after.get('Innodb_buffer_pool_pages_total')));
    expect(after.get('Innodb_buffer_pool_dump_status')).toMatch(/buffer pool/);
  });
});
