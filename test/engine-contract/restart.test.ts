/**
 * The engine contract suite across a server restart, through SQL: every engine's table
 * definitions survive, an engine installed as a plugin is loaded again, and rows are kept or
 * lost as the engine says (MEMORY: the table is there and empty).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/memory-storage-engine.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/install-plugin.html
 * @req CORE-ENG-024
 */
import { afterAll, describe, expect } from 'vitest';
import { initializedDatadir, startTestServer } from '../helpers/server.js';
import { rmSync } from 'node:fs';
import { capabilitiesOf, indexesAnyColumn, title } from './descriptor.js';
import { ENGINES } from './engines.js';
import { CONNECTION_OPTIONS, count, createTable, engineConnection, fails, ok, rows, sqlSkip, stopSqlRemote } from './harness/sql.js';
import { scenario } from './scenarios/common.js';

afterAll(stopSqlRemote);

for (const engine of ENGINES) {
  describe(`engine contract over SQL: ${engine.name}`, () => {
    const after = engine.rows.kind === 'stored' ? (engine.rows.afterRestart === 'kept' ? 'its rows kept' : 'no rows') : 'no rows (it stores none)';
    const text = `after a server restart the engine is available again and its table has the same definition and ${after}`;
    scenario(sqlSkip(engine), title(engine, 'sqlRestart', ['CORE-ENG-024'], 'wire', text), async () => {
      const { parent, datadir } = await initializedDatadir();
      const caps = capabilitiesOf(engine);
      const keys = caps.indexes && indexesAnyColumn(engine) ? ', PRIMARY KEY (id), KEY kv (v)' : '';
      const options = { ...(engine.serverOptions ?? {}) };
      let srv = await startTestServer({ datadir, options });
      try {
        let c = await engineConnection(srv, engine);
        await createTable(c, engine, 'kept', `id INT NOT NULL, v VARCHAR(10)${engine.create().capabilities.nullableColumns ? '' : ' NOT NULL'}${keys}`, { tail: "COMMENT='survives'" });
        if (engine.rows.kind === 'stored') await ok(c, "INSERT INTO kept VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        const before = (await rows(c, 'SHOW CREATE TABLE kept'))[0]!['Create Table'];
        await c.end();
        await srv.stop();

        srv = await startTestServer({ datadir, options });
        c = await srv.connect({ ...CONNECTION_OPTIONS });
        const support = (await rows(c, 'SHOW ENGINES')).find((r) => r['Engine'] === engine.name)?.['Support'];
        expect(['YES', 'DEFAULT']).toContain(support);
        await c.end();
        c = await engineConnection(srv, engine);
        expect((await rows(c, 'SHOW CREATE TABLE kept'))[0]!['Create Table']).toBe(before);
        const kept = engine.rows.kind === 'stored' && engine.rows.afterRestart === 'kept';
        expect(await count(c, 'kept')).toBe(kept ? 3 : 0);
        // The table is usable again.
        if (engine.rows.kind === 'stored') {
          await ok(c, "INSERT INTO kept VALUES (4, 'd')");
          expect(await count(c, 'kept')).toBe(kept ? 4 : 1);
        } else if (engine.rows.kind === 'discarded') {
          expect((await ok(c, "INSERT INTO kept VALUES (4, 'd')")).affectedRows).toBe(1);
          expect(await count(c, 'kept')).toBe(0);
        } else {
          await fails(c, "INSERT INTO kept VALUES (4, 'd')", engine.rows.errno);
        }
        await c.end();
      } finally {
        await srv.stop();
        rmSync(parent, { recursive: true, force: true });
      }
    }, 120_000);
  });
}
