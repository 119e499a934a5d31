/**
 * Account changes are durable once acknowledged: GRANT, CREATE USER and ALTER USER answered to
 * the client survive a kill -9 of the server that follows immediately (server child process;
 * needs a build).
 */
import { rmSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { initializedDatadir, spawnServer, type SpawnedServer } from '../helpers/server.js';

const parents: string[] = [];
const children: SpawnedServer[] = [];
afterAll(async () => {
  for (const c of children) {
    c.kill('SIGKILL');
    await c.exited;
  }
  for (const p of parents) rmSync(p, { recursive: true, force: true });
});

async function start(dir: string): Promise<{ server: SpawnedServer; conn: mysql.Connection }> {
  const server = spawnServer(['--no-defaults', `--datadir=${dir}`, '--port=0', '--bind-address=127.0.0.1', '--mysqlx=OFF']);
  children.push(server);
  await server.ready;
  return { server, conn: await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', password: '' }) };
}

describe('accounts under kill -9', () => {
  it(req(['CORE-DICT-014', 'CORE-ACCT-031'], 'wire', 'every acknowledged GRANT / CREATE USER / ALTER USER survives a kill -9 right after the answer'), async () => {
    const d = await initializedDatadir();
    parents.push(d.parent);
    let s = await start(d.datadir);
    await s.conn.query("CREATE USER 'k'@'%' IDENTIFIED BY 'old'");
    const dbs = Array.from({ length: 8 }, (_, i) => `g${i}`);
    // Several sessions grant at once: each answer means that grant is on disk.
    const others = await Promise.all([0, 1, 2].map(() => mysql.createConnection({ host: '127.0.0.1', port: s.server.port, user: 'root', password: '' })));
    await Promise.all(dbs.map((db, i) => others[i % 3]!.query(`GRANT SELECT ON ${db}.* TO 'k'@'%'`)));
    await s.conn.query("ALTER USER 'k'@'%' IDENTIFIED BY 'new'");
    await s.conn.query("GRANT INSERT ON last.* TO 'k'@'%'");
    s.server.kill('SIGKILL');
    expect(await s.server.exited).toBe('SIGKILL');
    for (const c of [s.conn, ...others]) c.destroy();

    s = await start(d.datadir);
    const [rows] = await s.conn.query<mysql.RowDataPacket[]>("SHOW GRANTS FOR 'k'@'%'");
    const grants = rows.map((r) => String(Object.values(r)[0]));
    for (const db of dbs) expect(grants).toContain(`GRANT SELECT ON \`${db}\`.* TO \`k\`@\`%\``);
    expect(grants).toContain('GRANT INSERT ON `last`.* TO `k`@`%`');
    const k = await mysql.createConnection({ host: '127.0.0.1', port: s.server.port, user: 'k', password: 'new' });
    await k.end();
    await s.conn.end();
    s.server.kill('SIGTERM');
    expect(await s.server.exited).toBe(0);
  });
});
