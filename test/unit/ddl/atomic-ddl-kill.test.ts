/**
 * Atomic DDL under a real kill -9: a child process runs one DDL over the file-owning FILETEST
 * engine with REFMYSQL_DEBUG_CRASH_POINTS naming one of that DDL's crash points, so it sends
 * itself SIGKILL exactly there. The data directory is then opened again (recovery runs) and must
 * hold the old table(s) for points before the dictionary commit and the new ones from the commit
 * on. Every point of ALTER by copy and DROP DATABASE is tried, and for the other DDLs the last
 * point before the commit and the commit itself.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CRASH_POINTS_ENV } from '../../../src/catalog/crash-points.js';
import { req } from '../../helpers/req.js';
import { afterCommit, openCatalog, recordPoints, runner, SCENARIOS, setUp, verify, type Scenario } from './fixtures/atomic-ddl.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const tempDir = tempDirs('refmysql-kill-');
let child = '';
beforeAll(() => {
  const root = resolve(__dirname, '..', '..', '..');
  child = join(tempDir(), 'atomic-ddl-child.mjs');
  execFileSync(join(root, 'node_modules', '.bin', 'rolldown'), [join(__dirname, 'fixtures', 'atomic-ddl-child.ts'), '--file', child, '--platform', 'node'], { stdio: 'ignore' });
});

/** A data directory with the scenario's setup done (then closed cleanly). */
async function template(s: Scenario): Promise<string> {
  const dir = tempDir();
  const r = runner(await openCatalog(dir));
  await setUp(r, s);
  await r.catalog.close();
  return dir;
}

/** Run the child on a copy of `tpl` with a crash point; resolve with how it ended and its output. */
function runChild(tpl: string, s: Scenario, point: string): Promise<{ dir: string; end: string; out: string }> {
  const dir = tempDir();
  cpSync(tpl, dir, { recursive: true });
  const p = spawn(process.execPath, [child, dir, s.name], { env: { ...process.env, [CRASH_POINTS_ENV]: point }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  p.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((res) => p.on('exit', (code, signal) => res({ dir, end: signal ?? `exit ${code}`, out })));
}

function pointsToTry(s: Scenario, all: string[]): string[] {
  if (s.op === 'alter_copy' || s.op === 'drop_schema') return all;
  const commit = all.indexOf(`${s.op}:committed`);
  return [all[commit - 1]!, all[commit]!];
}

describe('atomic DDL under kill -9 (child process, file-owning engine)', () => {
  for (const s of SCENARIOS.filter((x) => x.name !== 'alter-copy-rename')) {
    it(req(['CORE-DICT-005', 'CORE-DICT-008', s.op === 'alter_copy' || s.op === 'truncate_table' ? 'CORE-DICT-006' : 'CORE-DICT-007'], 'unit', `${s.name}: SIGKILL at its crash points leaves the old or the new table`), async () => {
      const tpl = await template(s);
      const probe = tempDir();
      cpSync(tpl, probe, { recursive: true });
      const points = pointsToTry(s, await recordPoints(probe, s));
      expect(points.length).toBeGreaterThanOrEqual(2);
      for (const point of points) {
        const run = await runChild(tpl, s, point);
        expect({ point, end: run.end, done: run.out.includes('ddl done') }).toEqual({ point, end: 'SIGKILL', done: false });
        const r = runner(await openCatalog(run.dir));
        expect({ point, problems: await verify(r, run.dir, afterCommit(point) ? s.after : s.before) }).toEqual({ point, problems: [] });
        await r.catalog.close();
      }
    });
  }
});
