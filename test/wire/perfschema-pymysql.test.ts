/**
 * A Python client reads performance_schema: PyMySQL (Debian's python3-pymysql, installed by
 * scripts/install-peers.sh) connects over the Unix socket and reads session_status, as
 * mysql-connector-python does after connecting, plus its own threads row and statement history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { runCommand } from '../helpers/peers.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Debian's interpreter, where python3-pymysql installs the module. */
const PYTHON = '/usr/bin/python3';

const SCRIPT = `
import json, sys, pymysql
c = pymysql.connect(unix_socket=sys.argv[1], user='root', password='', database='mysql')
cur = c.cursor()
cur.execute("SELECT VARIABLE_NAME, VARIABLE_VALUE FROM performance_schema.session_status")
status = dict(cur.fetchall())
cur.execute("SELECT VARIABLE_VALUE FROM performance_schema.session_variables WHERE VARIABLE_NAME = 'autocommit'")
autocommit = cur.fetchone()[0]
cur.execute("SELECT NAME, TYPE, PROCESSLIST_USER, CONNECTION_TYPE FROM performance_schema.threads WHERE PROCESSLIST_ID = CONNECTION_ID()")
thread = list(cur.fetchone())
cur.execute("SELECT SQL_TEXT FROM performance_schema.events_statements_history WHERE THREAD_ID = PS_CURRENT_THREAD_ID() ORDER BY EVENT_ID")
history = [r[0] for r in cur.fetchall()]
print(json.dumps({"names": len(status), "ssl_version": status.get("Ssl_version"), "com_select": status.get("Com_select"), "autocommit": autocommit, "thread": thread, "history": history}))
`;

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
}, 60_000);
afterAll(async () => {
  await srv?.stop();
});

describe('performance_schema through PyMySQL', () => {
  it(req(['CORE-PFS-060', 'CORE-PFS-002'], 'wire', 'PyMySQL reads session_status, session_variables, threads and its statement history'), async () => {
    const r = await runCommand(PYTHON, ['-c', SCRIPT, srv.socketPath], { timeoutMs: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { names: number; ssl_version: string; com_select: string; autocommit: string; thread: string[]; history: string[] };
    const c = await srv.connect();
    try {
      const [rows] = await c.query('SELECT COUNT(*) AS n FROM performance_schema.session_status');
      expect(out.names).toBe(Number((rows as { n: number }[])[0]!.n));
    } finally {
      await c.end();
    }
    expect(out.ssl_version).toBe('');
    // PyMySQL's own SELECTs so far: the status read itself.
    expect(out.com_select).toBe('1');
    expect(out.autocommit).toBe('OFF');
    expect(out.thread).toEqual(['thread/sql/one_connection', 'FOREGROUND', 'root', 'Socket']);
    expect(out.history.slice(-3)).toEqual([
      'SELECT VARIABLE_NAME, VARIABLE_VALUE FROM performance_schema.session_status',
      "SELECT VARIABLE_VALUE FROM performance_schema.session_variables WHERE VARIABLE_NAME = 'autocommit'",
      'SELECT NAME, TYPE, PROCESSLIST_USER, CONNECTION_TYPE FROM performance_schema.threads WHERE PROCESSLIST_ID = CONNECTION_ID()',
    ]);
  });
});
