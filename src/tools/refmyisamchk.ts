#!/usr/bin/env node
/**
 * `refmyisamchk`: describe, check and recover MyISAM tables from their files while the server
 * is stopped, as myisamchk does (-d/--describe, -c/--check, -r/--recover, -u/--unpack). Exit status 0 when
 * every table is fine (or was recovered), 1 when a check found damage, 2 on a usage error.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/myisamchk.html
 * @req MYISAM-005 MYISAM-123 MYISAM-082
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { check, describe, recover, RefusedTable, tablePaths, unpack } from '../storage/myisam/offline.js';

export function runMyisamchk(args: readonly string[], out: (line: string) => void): number {
  let mode: 'check' | 'describe' | 'recover' | 'unpack' = 'check';
  const tables: string[] = [];
  for (const a of args) {
    if (a === '-d' || a === '--describe') mode = 'describe';
    else if (a === '-c' || a === '--check') mode = 'check';
    else if (a === '-r' || a === '--recover') mode = 'recover';
    else if (a === '-u' || a === '--unpack') mode = 'unpack';
    else if (a === '-?' || a === '--help') {
      out('Usage: refmyisamchk [--check | --describe | --recover | --unpack] tbl_name[.MYI] ...');
      return 0;
    } else if (a.startsWith('-')) {
      out(`refmyisamchk: unknown option '${a}'`);
      return 2;
    } else tables.push(a);
  }
  if (tables.length === 0) {
    out('Usage: refmyisamchk [--check | --describe | --recover | --unpack] tbl_name[.MYI] ...');
    return 2;
  }
  let code = 0;
  for (const t of tables) {
    const name = tablePaths(t).name;
    try {
      if (mode === 'describe') {
        for (const l of describe(t)) out(l);
        continue;
      }
      if (mode === 'unpack') {
        // @req MYISAM-082 a compressed table becomes a normal, writable one
        const r = unpack(t);
        out(`- unpacking MyISAM-table '${t}' (keys rebuilt by the server on next open)`);
        out(`Data records: ${r.rows}  Data file: ${r.before} bytes before, ${r.after} bytes after`);
        continue;
      }
      if (mode === 'recover') {
        const r = recover(t);
        out(`- recovering (keys rebuilt by the server on next open) MyISAM-table '${t}'`);
        out(`Data records: ${r.found}`);
        if (r.expected !== null && BigInt(r.found) !== r.expected) out(`Found ${r.found} of ${r.expected} rows when repairing '${t}'`);
        continue;
      }
      out(`Checking MyISAM file: ${t}`);
      const res = check(t);
      for (const w of res.warnings) out(`warning: ${w}`);
      for (const e of res.errors) out(`error: ${e}`);
      if (res.errors.length > 0) {
        out(`MyISAM-table '${name}' is corrupted`);
        out('Fix it using switch "-r" or "-o"');
        code = 1;
      } else out(`MyISAM-table '${name}' is usable`);
    } catch (e) {
      if (e instanceof RefusedTable) out(`refmyisamchk: error: ${e.message}`);
      else out(`refmyisamchk: error: ${(e as Error).message} for table '${t}'`);
      code = 1;
    }
  }
  return code;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  process.exitCode = runMyisamchk(process.argv.slice(2), (l) => process.stdout.write(l + '\n'));
}
