/**
 * The Standard Monitor under startup options: I/O thread and AHI partition counts, several
 * buffer pool instances whose blocks add up to the totals, the LOG section after a restart
 * (all LSNs equal when idle after the shutdown checkpoint), and the lock-memory guard of 15.21
 * with a 5 MiB buffer pool.
 */
import { rmSync } from 'node:fs';
import type mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { startTestServer, tempDatadir, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const s of servers) await s.stop().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function status(c: mysql.Connection): Promise<string> {
  const [rows] = await c.query<mysql.RowDataPacket[]>('SHOW ENGINE INNODB STATUS');
  return String(rows[0]!['Status']);
}

function numbers(block: string, re: RegExp): number {
  const m = re.exec(block);
  if (!m) throw new Error(`no ${re} in\n${block}`);
  return Number(m[1]);
}

describe('monitor and startup options', () => {
  const { parent, datadir } = tempDatadir();
  dirs.push(parent);

  it(req(['INNODB-MON-010', 'INNODB-MON-011'], 'wire', 'innodb_read_io_threads=2, innodb_write_io_threads=3, innodb_adaptive_hash_index_parts=4 give that many lines'), async () => {
    const srv = await startTestServer({ datadir, options: { 'innodb-read-io-threads': 2, 'innodb-write-io-threads': 3, 'innodb-adaptive-hash-index-parts': 4 } });
    servers.push(srv);
    const c = await srv.connect();
    await c.query('CREATE DATABASE d');
    await c.query('CREATE TABLE d.t (id INT PRIMARY KEY, v VARCHAR(100))');
    await c.query(`INSERT INTO d.t VALUES ${Array.from({ length: 500 }, (_, i) => `(${i}, '${'x'.repeat(50)}')`).join(',')}`);
    const text = await status(c);
    const threads = text.match(/^I\/O thread (\d+) state: waiting for completed aio requests \((insert buffer|read|write) thread\)$/gm)!;
    expect(threads).toHaveLength(6);
    expect(threads.map((l) => /\((\w+)/.exec(l)![1])).toEqual(['insert', 'read', 'read', 'write', 'write', 'write']);
    expect(text).toContain('Pending normal aio reads: [0, 0] , aio writes: [0, 0, 0] ,\n ibuf aio reads:\n');
    expect(text.match(/^Hash table size \d+, node heap has \d+ buffer\(s\)$/gm)).toHaveLength(4);
    await c.end();
    await srv.stop();
  });

  it(req(['INNODB-MON-014', 'INNODB-MON-012'], 'wire', 'after a restart with 2 buffer pool instances of a 1 GiB pool: idle LSNs all equal, and each instance block sums to the totals'), async () => {
    const srv = await startTestServer({ datadir, options: { 'innodb-buffer-pool-instances': 2, 'innodb-buffer-pool-size': '1G' } });
    servers.push(srv);
    const c = await srv.connect();
    const text = await status(c);
    const lsns = [...text.matchAll(/^(?:Log sequence number|Log buffer assigned up to|Log buffer completed up to|Log written up to|Log flushed up to|Added dirty pages up to|Pages flushed up to|Last checkpoint at) +(\d+)$/gm)].map((m) => m[1]);
    expect(lsns).toHaveLength(8);
    expect(new Set(lsns).size).toBe(1);

    await c.query('SELECT COUNT(*) FROM d.t');
    const pools = await status(c);
    const [aggregate, individual] = pools.split('----------------------\nINDIVIDUAL BUFFER POOL INFO\n----------------------\n');
    expect(individual).toBeDefined();
    const blocks = individual!.split('\n--------------\nROW OPERATIONS')[0]!.split(/^---BUFFER POOL \d+\n/m).slice(1);
    expect(blocks).toHaveLength(2);
    expect(individual).toMatch(/^---BUFFER POOL 0\n/);
    const fields: [string, RegExp][] = [
      ['size', /^Buffer pool size +(\d+)$/m], ['free', /^Free buffers +(\d+)$/m], ['db', /^Database pages +(\d+)$/m], ['modified', /^Modified db pages +(\d+)$/m],
      ['read', /^Pages read (\d+), created \d+, written \d+$/m], ['created', /^Pages read \d+, created (\d+), written \d+$/m], ['written', /^Pages read \d+, created \d+, written (\d+)$/m],
      ['lru', /^LRU len: (\d+), unzip_LRU len: \d+$/m],
    ];
    const totals = aggregate!.split('BUFFER POOL AND MEMORY\n----------------------\n')[1]!;
    for (const [name, re] of fields) {
      const sum = blocks.reduce((a, b) => a + numbers(b, re), 0);
      expect([name, sum]).toEqual([name, numbers(totals, re)]);
    }
    for (const b of blocks) {
      expect(numbers(b, /^LRU len: (\d+)/m)).toBe(numbers(b, /^Database pages +(\d+)$/m));
      expect(b).not.toContain('Total large memory allocated');
    }
    const [[v]] = await c.query<mysql.RowDataPacket[]>('SELECT @@innodb_buffer_pool_size AS b, @@innodb_page_size AS p, @@innodb_buffer_pool_instances AS n');
    expect(Number(v!['n'])).toBe(2);
    expect(numbers(totals, /^Buffer pool size +(\d+)$/m) * Number(v!['p'])).toBe(Number(v!['b']));
    await c.end();
    await srv.stop();
  });

  it(req(['INNODB-TRBL-005'], 'wire', 'lock structures over 67 % of a 5 MiB buffer pool: a warning and the monitor output in the error log'), async () => {
    const srv = await startTestServer({ options: { 'innodb-buffer-pool-size': '5M' } });
    servers.push(srv);
    const c = await srv.connect();
    await c.query('CREATE DATABASE d');
    await c.query('CREATE TABLE d.big (id INT PRIMARY KEY)');
    for (let k = 0; k < 20; k++) await c.query(`INSERT INTO d.big VALUES ${Array.from({ length: 1000 }, (_, i) => `(${k * 1000 + i})`).join(',')}`);
    await c.query('BEGIN');
    await c.query('SELECT COUNT(*) FROM d.big FOR UPDATE');
    const seen = (): boolean => srv.logLines.some((l) => l.includes('Over 67 percent of the buffer pool is occupied by lock heaps'));
    for (let i = 0; i < 150 && !seen(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(srv.logLines.find((l) => l.includes('Over 67 percent'))).toMatch(/\[Warning\] \[MY-011958\] \[InnoDB\] Over 67 percent of the buffer pool is occupied by lock heaps or the adaptive hash index! .*Your buffer pool size is 5 MB\./);
    expect(srv.logLines.some((l) => / INNODB MONITOR OUTPUT$/.test(l))).toBe(true);
    expect(srv.logLines).toContain('END OF INNODB MONITOR OUTPUT');
    await c.query('ROLLBACK');
    await c.end();
  });
});
