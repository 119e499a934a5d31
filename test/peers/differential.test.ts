/**
 * Differential test: the SQL corpus in `corpus/` runs on a throwaway MariaDB (the reference) and
 * on refmysqld; any difference not in `known-differences.json` fails the file's test.
 *
 * `PEER_TARGET=mariadb` points the refmysqld side at a second MariaDB, which validates the corpus
 * itself (it must be deterministic: zero differences). `REFMYSQL_PORT=n` uses a running server.
 * The full list of differences of the last run is written to `$PEER_DIFF_OUT` (default
 * `<tmpdir>/refmysql-peer-diff.json`) for triage.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-statements.html
 * @req CORE-PEER-001 CORE-PEER-009
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer, startMariaDb, type MariaDbPeer } from '../helpers/mariadb.js';
import { startRefTarget, type ServerTarget } from '../helpers/peers.js';
import { req } from '../helpers/req.js';
import { loadCorpus, loadKnownDifferences, runFileOnBoth, type Difference, type Outcome } from './runner.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = loadCorpus(join(here, 'corpus'));
const known = loadKnownDifferences(join(here, 'known-differences.json'));
const knownIds = new Set(known.map((k) => k.statementId));
const sqlById = new Map(corpus.flatMap((f) => f.statements.map((s) => [s.id, s.sql] as const)));
const allIds = new Set(sqlById.keys());
const diffOut = process.env.PEER_DIFF_OUT ?? join(tmpdir(), 'refmysql-peer-diff.json');
/** Optional: every statement's outcome on both sides, for review (`PEER_OUTCOMES_OUT=file`). */
const outcomesOut = process.env.PEER_OUTCOMES_OUT;

/** The corpus is meant to be broad; keep at least this many statements. */
const MIN_CORPUS_STATEMENTS = 300;

describe('differential corpus: MariaDB peer vs refmysqld', () => {
  let maria: MariaDbPeer | undefined;
  let target: ServerTarget | undefined;
  let left: Connection | undefined;
  let right: Connection | undefined;
  const allDiffs: Difference[] = [];
  const allOutcomes: Record<string, { sql: string; mariadb: Outcome; target: Outcome }> = {};

  beforeAll(async () => {
    requirePeer();
    maria = await startMariaDb();
    target = await startRefTarget();
    left = await maria.connect();
    right = await target.connect();
  }, 120_000);

  afterAll(async () => {
    await left?.end().catch(() => undefined);
    await right?.end().catch(() => undefined);
    await target?.stop();
    await maria?.stop();
    writeFileSync(diffOut, JSON.stringify(allDiffs, null, 2));
    if (outcomesOut) writeFileSync(outcomesOut, JSON.stringify(allOutcomes, null, 1));
  }, 60_000);

  it(req('CORE-PEER-009', 'unit', 'corpus is large enough and the allowlist only names real statements'), () => {
    expect(allIds.size).toBeGreaterThanOrEqual(MIN_CORPUS_STATEMENTS);
    const stale = known.filter((k) => sqlById.get(k.statementId) !== k.sql).map((k) => k.statementId);
    expect(stale, 'known-differences.json entries whose id/sql no longer match the corpus').toEqual([]);
  });

  for (const file of corpus) {
    it(req(['CORE-PEER-001', 'CORE-PEER-009'], 'peer', `corpus ${file.name} (${file.statements.length} statements) matches MariaDB`), async () => {
      if (!maria || !target) throw new Error('servers not started');
      // A connection lost in an earlier file (server closed it, protocol error) must not cascade.
      left ??= await maria.connect();
      right ??= await target.connect();
      let run;
      try {
        run = await runFileOnBoth(left, right, file);
      } catch (e) {
        await left.end().catch(() => undefined);
        await right.end().catch(() => undefined);
        left = undefined;
        right = undefined;
        throw e;
      }
      allDiffs.push(...run.differences);
      for (const st of file.statements) {
        const pair = run.outcomes.get(st.id);
        if (pair) allOutcomes[st.id] = { sql: st.sql, mariadb: pair[0], target: pair[1] };
      }
      const unexpected = run.differences.filter((d) => !knownIds.has(d.id));
      const report = unexpected.map((d) => `${d.id}: ${d.detail}\n    ${d.sql.replace(/\n/g, ' ')}`).join('\n');
      expect(unexpected.length, `unlisted differences (MariaDB vs ${target?.kind}):\n${report}`).toBe(0);
    }, 120_000);
  }
});
