#!/usr/bin/env node
/**
 * Entry point of the `refmysql` command-line client (package.json `bin`).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysql.html
 * @req CLIENT-001 CLIENT-014
 */
import { runClient } from './cli.js';

// A reader that went away (`refmysql ... | head`) ends the program quietly, as a C client's SIGPIPE would.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(1);
  throw err;
});

const code = await runClient(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, handleSignals: true });
// Let stdout drain before leaving (a pipe reader may be slow).
process.stdout.write('', () => process.exit(code));
