/**
 * The statement recorder and the digest summary without a server: what one statement costs when
 * recording is off, the per-thread history ring, the digest cache, and the summary's overflow row.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { parse } from '../../../src/sql/parser/index.js';
import { sqlError } from '../../../src/kernel/errors.js';
import { PfsState } from '../../../src/exec/perfschema/state.js';
import { ThreadStatements } from '../../../src/exec/perfschema/thread-statements.js';
import { DigestSummary } from '../../../src/exec/perfschema/digest-summary.js';
import { statementDigest } from '../../../src/sql/digest.js';
import type { Value } from '../../../src/kernel/value.js';

function state(vars: Record<string, Value> = {}): PfsState {
  return new PfsState({ global: (n) => vars[n] ?? null });
}

const owner = { schema: 'db1', sqlMode: () => new Set<string>() };
const stmt = (sql: string) => parse(sql, {})[0]!;

describe('statement recorder', () => {
  it(req(['CORE-PFS-030', 'CORE-PFS-043'], 'unit', 'with every statement consumer off, a statement is not recorded and its text is not digested'), () => {
    const st = state();
    for (const c of ['events_statements_current', 'statements_digest']) st.setup.consumers.set(c, false);
    st.setup.recompute();
    expect(st.setup.recordStatements).toBe(false);
    const t = new ThreadStatements(st, 48, true, true, 'u', 'h');
    let digested = 0;
    const orig = st.digestOf.bind(st);
    st.digestOf = (...a: Parameters<typeof orig>) => {
      digested++;
      return orig(...a);
    };
    t.start(stmt('SELECT 1'), owner);
    t.end(null, 0);
    expect(t.current.eventId).toBe(0);
    expect(t.historyEvents()).toEqual([]);
    expect(digested).toBe(0);
    expect(st.digests.list()).toEqual([]);
  });

  it(req(['CORE-PFS-030', 'CORE-PFS-012'], 'unit', 'the history is a ring of reused entries; a repeated text reuses its cached digest'), () => {
    const st = state({ performance_schema_events_statements_history_size: 3n });
    const t = new ThreadStatements(st, 48, true, true, 'u', 'h');
    for (let i = 1; i <= 5; i++) {
      t.start(stmt(`SELECT ${i % 2}`), owner);
      t.rowsSent = 1;
      t.end(i === 5 ? sqlError('ER_NO_SUCH_TABLE', 'db1', 'x') : null, 0);
    }
    const h = t.historyEvents();
    expect(h.map((e) => [e.eventId, e.sqlText, e.errno, e.rowsSent])).toEqual([[3, 'SELECT 1', 0, 1], [4, 'SELECT 0', 0, 1], [5, 'SELECT 1', 1146, 1]]);
    const ring = new Set(h);
    t.start(stmt('SELECT 7'), owner);
    t.end(null, 0);
    // the new entry overwrote the oldest object: still the same three objects
    expect(t.historyEvents().every((e) => ring.has(e))).toBe(true);
    expect(st.digestOf('SELECT 1', false, false)).toBe(st.digestOf('SELECT 1', false, false));
    // the lexing mode is part of the cache key: under ANSI_QUOTES "a" is a name, else a string
    expect(st.digestOf('SELECT "a"', true, false)!.text).toBe('SELECT `a`');
    expect(st.digestOf('SELECT "a"', false, false)!.text).toBe('SELECT ?');
    const [row] = st.digests.list();
    expect(row).toMatchObject({ schema: 'db1', count: 6, errors: 1, rowsSent: 5 });
    expect(row!.digest!.text).toBe('SELECT ?');
  });

  it(req('CORE-PFS-023', 'unit', 'SQL_TEXT keeps performance_schema_max_sql_text_length characters and marks the cut with ...'), () => {
    const st = state({ performance_schema_max_sql_text_length: 20n });
    const t = new ThreadStatements(st, 48, true, true, 'u', 'h');
    t.start(stmt('SELECT a, b, c, d, e, f, g FROM t'), owner);
    t.end(null, 0);
    expect(t.current.sqlText).toBe('SELECT a, b, c, d, e...');
    t.start(stmt('SELECT 1'), owner);
    t.end(null, 0);
    expect(t.current.sqlText).toBe('SELECT 1');
  });

  it(req('CORE-PFS-026', 'unit', 'statements of digests beyond performance_schema_digests_size count in the row without schema and digest'), () => {
    const s = new DigestSummary(2);
    const ev = (sql: string) => ({ schema: 'db', digest: statementDigest(sql), startMs: 0, endMs: 2, errors: 0, warnings: 0, rowsAffected: 0, rowsSent: 1, rowsExamined: 1, sqlText: sql });
    s.add(ev('SELECT 1'), 1);
    s.add(ev('SELECT a FROM t'), 2);
    s.add(ev('SELECT b FROM t'), 3);
    s.add(ev('SELECT c FROM t'), 4);
    s.add(ev('SELECT 2'), 5);
    const rows = s.list();
    expect(rows.map((r) => [r.schema, r.digest?.text ?? null, r.count])).toEqual([['db', 'SELECT ?', 2], ['db', 'SELECT `a` FROM `t`', 1], [null, null, 2]]);
    s.reset();
    expect(s.list()).toEqual([]);
  });

  it(req('CORE-PFS-042', 'unit', 'setup_actors: the most specific matching row decides INSTRUMENTED and HISTORY of a new thread'), () => {
    const st = state();
    st.setup.actors.push({ host: 'localhost', user: 'app', role: '%', enabled: false, history: false });
    expect(st.setup.actorFor('app', 'localhost')).toEqual({ instrumented: false, history: false });
    expect(st.setup.actorFor('app', '10.0.0.1')).toEqual({ instrumented: true, history: true });
    st.setup.actors.length = 0;
    expect(st.setup.actorFor('root', 'localhost')).toEqual({ instrumented: false, history: false });
  });
});
