/**
 * Real server binaries for restart and crash tests (needs a build: `npx tsc -p tsconfig.json`):
 * initialised data directories and child processes that a test file owns and removes at its
 * end; a server started on a directory with a root connection in schema `test`; kill -9 and a
 * clean stop.
 */
import { rmSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { expect } from 'vitest';
import { initializedDatadir, spawnServer, type SpawnedServer } from './server.js';

export interface LabServer {
  server: SpawnedServer;
  /** A root connection whose default schema is `test` (created when missing). */
  conn: mysql.Connection;
  /** Another root connection in `test`. */
  connect(): Promise<mysql.Connection>;
}

export class ServerLab {
  private readonly parents: string[] = [];
  private readonly children: SpawnedServer[] = [];

  /** A new initialised data directory, removed by cleanup(). */
  async datadir(): Promise<string> {
    const d = await initializedDatadir();
    this.parents.push(d.parent);
    return d.datadir;
  }

  /** Start the binary on `dir` (loopback, any port, X Plugin off, notes in the log). */
  spawn(dir: string, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}): SpawnedServer {
    const server = spawnServer(['--no-defaults', `--datadir=${dir}`, '--port=0', '--bind-address=127.0.0.1', '--mysqlx=OFF', '--log-error-verbosity=3', ...extra], { env });
    this.children.push(server);
    return server;
  }

  async start(dir: string, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<LabServer> {
    const server = this.spawn(dir, extra, env);
    await server.ready;
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', password: '' });
    await conn.query('CREATE DATABASE IF NOT EXISTS test');
    await conn.query('USE test');
    const connect = (): Promise<mysql.Connection> => mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', password: '', database: 'test' });
    return { server, conn, connect };
  }

  /** kill -9. */
  async crash(r: LabServer): Promise<void> {
    r.server.kill('SIGKILL');
    await r.server.exited;
    r.conn.destroy();
  }

  /** SIGTERM: a clean shutdown (every table written into its tablespace). */
  async stop(r: LabServer): Promise<void> {
    await r.conn.end();
    r.server.kill('SIGTERM');
    expect(await r.server.exited).toBe(0);
  }

  async cleanup(): Promise<void> {
    for (const c of this.children) {
      c.kill('SIGKILL');
      await c.exited;
    }
    for (const p of this.parents) rmSync(p, { recursive: true, force: true });
  }
}

/** The errno and message of a statement that must fail. */
export { queryError as failure } from './sql.js';
