#!/usr/bin/env node
/**
 * Entry point of the `refmysql` command-line client (package.json `bin`).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysql.html
 * @req CLIENT-001 CLIENT-014
 */
import { runClient } from './cli.js';

const code = await runClient(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
// Let stdout drain before leaving (a pipe reader may be slow).
process.stdout.write('', () => process.exit(code));
