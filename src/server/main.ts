#!/usr/bin/env node
/**
 * The `refmysqld` binary: parse the command line, start the server, exit 0 after a clean
 * shutdown and 1 after a failed start (the reason is already in the error log).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysqld.html
 * @req CORE-SRV-001 CORE-SRV-008
 */
import { formatLogLine } from './error-log.js';
import { StartupError, isRunning, startServer } from './server.js';
import { recordWireEventsFromEnv } from '../kernel/wire-observer.js';

// Only under the test suite (which sets the variable): report wire events to a file. @req TRACE-013
recordWireEventsFromEnv();

// A failed promise somewhere in a connection must not take the whole server down: log it like
// mysqld logs an internal error and keep serving the other sessions.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`${formatLogLine('Error', 'MY-010000', 'Server', `Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`)}\n`);
});

async function main(): Promise<void> {
  let outcome;
  try {
    outcome = await startServer({
      argv: process.argv.slice(2),
      handleSignals: true,
      onShutdown: (code) => process.exit(code),
    });
  } catch (err) {
    if (!(err instanceof StartupError)) process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  }
  if (!isRunning(outcome)) {
    if (outcome.text) process.stdout.write(outcome.text);
    process.exit(0);
  }
}

void main();
