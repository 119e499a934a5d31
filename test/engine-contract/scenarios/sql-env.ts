/**
 * The per-engine SQL environment of a test file: a connection opened in the engine's database
 * once the file's server is up (nothing at all when SQL does not reach the engine).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * @req PLUGGABLE-001
 */
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
import type { TestServer } from '../../helpers/server.js';
import type { EngineDescriptor } from '../descriptor.js';
import { engineConnection, sqlSkip } from '../harness/sql.js';

export interface SqlEnv {
  readonly conn: mysql.Connection;
  readonly srv: TestServer;
  /** A further connection in the engine's database (closed with the environment). */
  connect(): Promise<mysql.Connection>;
}

/** Register the connection's setup and teardown in the current describe block. */
export function sqlEnv(d: EngineDescriptor, server: () => TestServer): SqlEnv {
  let conn: mysql.Connection | null = null;
  const extra: mysql.Connection[] = [];
  if (sqlSkip(d) === null) {
    beforeAll(async () => {
      conn = await engineConnection(server(), d);
    });
    afterAll(async () => {
      for (const c of extra) await c.end().catch(() => undefined);
      await conn?.end().catch(() => undefined);
    });
  }
  return {
    get conn(): mysql.Connection {
      if (!conn) throw new Error('no SQL connection for this engine');
      return conn;
    },
    get srv(): TestServer {
      return server();
    },
    async connect(): Promise<mysql.Connection> {
      const c = await engineConnection(server(), d);
      extra.push(c);
      return c;
    },
  };
}
