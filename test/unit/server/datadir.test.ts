import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { req } from '../../helpers/req.js';
import { ErrorLog } from '../../../src/server/error-log.js';
import { StartupError, ensureServerUuid, initializeDataDirectory } from '../../../src/server/datadir.js';
import { readJsonIfExists, readJsonIfExistsSync, writeFileAtomic, writeFileAtomicSync } from '../../../src/util/atomic-file.js';

function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'refmysql-dd-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const hooks = { catalog: async () => true, accounts: async () => true, tls: async () => null };

describe('data directory', () => {
  it(req(['CORE-SRV-022'], 'unit', 'auto.cnf keeps one server_uuid'), () =>
    withDir(async (dir) => {
      const a = ensureServerUuid(dir);
      expect(a.created).toBe(true);
      expect(readFileSync(join(dir, 'auto.cnf'), 'utf8')).toBe(`[auto]\nserver-uuid=${a.uuid}\n`);
      const b = ensureServerUuid(dir);
      expect(b).toEqual({ uuid: a.uuid, created: false });
    }));

  it(req(['CORE-SRV-020', 'CORE-SRV-021'], 'unit', 'initialisation logs like mysqld and refuses a non-empty directory when explicit'), () =>
    withDir(async (dir) => {
      const datadir = join(dir, 'data');
      const log = ErrorLog.memory();
      const { rootPassword } = await initializeDataDirectory(datadir, 'secure', true, log, hooks, '/x/refmysqld');
      expect(rootPassword).toHaveLength(12);
      expect(log.captured[0]).toMatch(/\[System\] \[MY-013169\] \[Server\] \/x\/refmysqld \(mysqld 8\.0\.40-refmysql\) initializing of server in progress as process \d+$/);
      expect(log.captured).toContainEqual(expect.stringMatching(new RegExp(`\\[Note\\] \\[MY-010454\\] \\[Server\\] A temporary password is generated for root@localhost: ${rootPassword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)));
      expect(log.captured.at(-1)).toMatch(/\[MY-013170\] \[Server\] \/x\/refmysqld \(mysqld 8\.0\.40-refmysql\) initializing of server has completed$/);
      expect(existsSync(join(datadir, 'auto.cnf'))).toBe(true);
      const log2 = ErrorLog.memory();
      await expect(initializeDataDirectory(datadir, 'insecure', true, log2, hooks)).rejects.toBeInstanceOf(StartupError);
      expect(log2.captured[1]).toMatch(/\[ERROR\] \[MY-010457\] \[Server\] --initialize specified but the data directory has files in it\. Aborting\.$/);
      expect(log2.captured.at(-1)).toMatch(/\[ERROR\] \[MY-010119\] \[Server\] Aborting$/);
      const log3 = ErrorLog.memory();
      await initializeDataDirectory(join(dir, 'd2'), 'insecure', true, log3, hooks);
      expect(log3.captured).toContainEqual(
        expect.stringMatching(/\[Warning\] \[MY-010453\] \[Server\] root@localhost is created with an empty password ! Please consider switching off the --initialize-insecure option\.$/),
      );
    }));
});

describe('atomic files', () => {
  it(req(['CORE-SRV-020'], 'unit', 'writeFileAtomic replaces whole files and leaves no temporaries'), () =>
    withDir(async (dir) => {
      const p = join(dir, 'x.json');
      expect(await readJsonIfExists(p)).toBeUndefined();
      expect(readJsonIfExistsSync(p)).toBeUndefined();
      await writeFileAtomic(p, JSON.stringify({ a: 1 }));
      expect(await readJsonIfExists(p)).toEqual({ a: 1 });
      writeFileAtomicSync(p, JSON.stringify({ a: 2 }));
      expect(readJsonIfExistsSync(p)).toEqual({ a: 2 });
      await Promise.all([1, 2, 3, 4].map((i) => writeFileAtomic(p, JSON.stringify({ a: i }))));
      expect([1, 2, 3, 4]).toContain((readJsonIfExistsSync(p) as { a: number }).a);
      expect(readdirSync(dir)).toEqual(['x.json']);
      writeFileSync(join(dir, 'bad.json'), '{');
      expect(() => readJsonIfExistsSync(join(dir, 'bad.json'))).toThrow(SyntaxError);
    }));
});
