#!/usr/bin/env node
/**
 * `refmyisampack`: compress MyISAM tables into the read-only compressed format, as myisampack
 * does, from their files while the server is stopped (or after FLUSH TABLES). Each table named
 * as `dir/t`, `dir/t.MYI` or `dir/t.MYD` gets a compressed data file and the compress bit in its
 * .MYI; the key pages are rebuilt by the server when it next opens the table. A table that is
 * already compressed, marked crashed, not closed properly or with damaged records is refused.
 * Exit status 0 when every table was packed, 1 when one was refused or failed, 2 on a usage
 * error.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/myisampack.html
 * @req MYISAM-005 MYISAM-110 MYISAM-111 MYISAM-112 MYISAM-029
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pack, RefusedTable } from '../storage/myisam/offline.js';

const USAGE = 'Usage: refmyisampack tbl_name[.MYI] ...';

export function runMyisampack(args: readonly string[], out: (line: string) => void): number {
  const tables: string[] = [];
  for (const a of args) {
    if (a === '-?' || a === '--help') {
      out(USAGE);
      return 0;
    }
    if (a.startsWith('-')) {
      out(`refmyisampack: unknown option '${a}'`);
      return 2;
    }
    tables.push(a);
  }
  if (tables.length === 0) {
    out(USAGE);
    return 2;
  }
  let code = 0;
  for (const t of tables) {
    try {
      const r = pack(t);
      const pct = r.before > 0 ? (((r.before - r.after) / r.before) * 100).toFixed(1) : '0.0';
      out(`Compressing ${t}: (${r.rows} records)`);
      out(`Data file: ${r.before} bytes before, ${r.after} bytes after (${pct}% saved)`);
      out(`Remember to run FLUSH TABLES (or restart the server) before using '${t}'; the keys are rebuilt when it is opened`);
    } catch (e) {
      if (e instanceof RefusedTable) out(`refmyisampack: error: ${e.message}`);
      else out(`refmyisampack: error: ${(e as Error).message} for table '${t}'`);
      code = 1;
    }
  }
  return code;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  process.exitCode = runMyisampack(process.argv.slice(2), (l) => process.stdout.write(l + '\n'));
}
