/**
 * The `refmysql` program: options, connection, then one of three ways of reading statements:
 * `-e` text, stdin in batch mode, or the interactive loop. Returns the exit status instead of
 * exiting, so tests can run it in-process as well as through the built binary.
 *
 * Exit status, as mysql: 0 on success; 1 for a connection failure or, in batch mode without
 * --force, the first failing statement; 7 for a command-line mistake.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysql.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/network-namespace-support.html
 * @req CLIENT-001 CLIENT-010 CLIENT-012 CLIENT-014 CLIENT-015 CLIENT-017 NETNS-015 NETNS-045
 */
import { openSync } from 'node:fs';
import { userInfo } from 'node:os';
import { ReadStream, WriteStream } from 'node:tty';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { NamespaceError } from '../netns/namespace.js';
import { ClientConnection, type ConnectParams } from './connection.js';
import { ClientError } from './errors.js';
import { LOCALHOST_TCP_ADDRESS } from './limits.js';
import { type ClientOptions, helpText, OptionError, parseOptions } from './options.js';
import { errorLine, type OutputMode, StatementRunner } from './runner.js';
import { type SplitItem, StatementSplitter, StatementTooLongError } from './splitter.js';
import type { Endpoint } from './transport.js';

/** What `refmysql --version` reports as its own version. @req CLIENT-014 */
export const CLIENT_VERSION = '8.0.40-refmysql';

export interface ClientIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  /** Install a process SIGINT handler (the real program; not for in-process tests). */
  handleSignals?: boolean;
}

/** Where the options say to connect. @req CLIENT-001 NETNS-045 */
export function chooseEndpoint(o: ClientOptions): Endpoint {
  const ns = o.networkNamespace !== undefined ? { networkNamespace: o.networkNamespace } : {};
  const host = o.host ?? 'localhost';
  const socketWanted = o.protocol === 'SOCKET' || (o.protocol !== 'TCP' && o.socket !== undefined && host === 'localhost');
  if (socketWanted && o.socket !== undefined) return { kind: 'socket', path: o.socket, ...ns };
  return { kind: 'tcp', host: o.protocol === 'TCP' && host === 'localhost' ? LOCALHOST_TCP_ADDRESS : host, port: o.port, ...ns };
}

/** How a namespace failure is reported (mysql prints strerror of the failing call). @req NETNS-015 CLIENT-015 */
export function namespaceErrorLine(e: NamespaceError): string {
  return `ERROR: Network namespace error: ${e.osMessage || e.message}\n`;
}

function loginName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? '';
  }
}

/** The controlling terminal when stdin is not one (mysql reads the password from /dev/tty too). */
function openTty(): { input: NodeJS.ReadStream; output: NodeJS.WriteStream; close(): void } | null {
  try {
    const fd = openSync('/dev/tty', 'r+');
    const input = new ReadStream(fd);
    const output = new WriteStream(fd);
    return {
      input: input as unknown as NodeJS.ReadStream,
      output: output as unknown as NodeJS.WriteStream,
      close: () => input.destroy(),
    };
  } catch {
    return null;
  }
}

/** Read a password from the terminal without echoing it (stdin stays usable afterwards). */
function promptPassword(io: ClientIo): Promise<string> {
  const own = io.stdin.isTTY ? null : openTty();
  if (!io.stdin.isTTY && !own) return Promise.resolve('');
  const stdin = own ? own.input : (io.stdin as NodeJS.ReadStream);
  const echo: Writable = own ? own.output : io.stderr;
  echo.write('Enter password: ');
  stdin.setRawMode?.(true);
  return new Promise<string>((resolve, reject) => {
    let pw = '';
    const done = (err?: Error): void => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      echo.write('\n');
      own?.close();
      if (err) reject(err);
      else resolve(pw);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new Error('interrupted'));
        if (ch === '\u007f' || ch === '\b') pw = pw.slice(0, -1);
        else pw += ch;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** Run the client. @req CLIENT-012 */
export async function runClient(argv: readonly string[], io: ClientIo): Promise<number> {
  let o: ClientOptions;
  try {
    o = parseOptions(argv);
  } catch (err) {
    if (err instanceof OptionError) {
      io.stderr.write(err.message + '\n');
      return err.exitCode;
    }
    throw err;
  }
  if (o.help) {
    io.stdout.write(helpText(CLIENT_VERSION));
    return 0;
  }
  if (o.version) {
    io.stdout.write(`refmysql  Ver ${CLIENT_VERSION} for ${process.platform === 'linux' ? 'Linux' : process.platform} on ${process.arch === 'x64' ? 'x86_64' : process.arch} (refmysql)\n`);
    return 0;
  }
  // mysql's rule: batch (and silent) unless both stdin and stdout are terminals.
  const terminal = o.interactive || (io.stdin.isTTY === true && io.stdout.isTTY === true);
  let silent = (terminal ? 0 : 1) + o.silent;
  if (o.batch) silent = Math.max(silent, 1);
  const batch = !terminal || o.batch || o.execute !== undefined;
  const mode: OutputMode = { batch, silent, table: o.table, vertical: o.vertical, columnNames: o.columnNames, force: o.force };

  const password = o.password === null ? await promptPassword(io) : (o.password ?? '');
  let conn: ClientConnection;
  const params: ConnectParams = {
    endpoint: chooseEndpoint(o),
    user: o.user ?? loginName(),
    password,
    ...(o.database !== undefined ? { database: o.database } : {}),
    sslMode: o.sslMode,
    getServerPublicKey: o.getServerPublicKey,
    connectTimeout: o.connectTimeout,
    interactive: !batch,
    programName: 'refmysql',
  };
  try {
    conn = await ClientConnection.connect(params);
  } catch (err) {
    if (err instanceof NamespaceError) {
      io.stderr.write(namespaceErrorLine(err));
      return 1;
    }
    if (err instanceof ClientError) {
      io.stderr.write(errorLine(err, { batch }));
      return 1;
    }
    throw err;
  }
  const runner = new StatementRunner(conn, mode, { out: io.stdout, err: io.stderr });
  const interrupt = onInterrupt(conn, runner, params, io, !batch);
  if (io.handleSignals) process.on('SIGINT', interrupt.signal);
  try {
    if (o.execute !== undefined) return await runText(o.execute, runner, mode);
    if (batch) return await runStream(io.stdin, runner, mode);
    return await runInteractive(conn, runner, mode, io, interrupt);
  } finally {
    if (io.handleSignals) process.off('SIGINT', interrupt.signal);
    await interrupt.settled();
    conn.quit();
  }
}

interface Interrupt {
  /** Process-level SIGINT (a pipe-driven session, or batch mode). */
  signal: () => void;
  /** Ctrl-C as the REPL sees it; returns true when it killed a statement. */
  keypress: () => boolean;
  /** Resolves once any KILL QUERY in flight has been answered. */
  settled: () => Promise<void>;
}

/**
 * Ctrl-C while a statement runs: like mysql, open a second connection with the same
 * credentials and send `KILL QUERY <our connection id>`; the running statement then ends with
 * error 1317 on the first connection. Ctrl-C with nothing running leaves the decision to the
 * caller (the REPL clears its input; batch mode exits). @req CLIENT-012
 */
function onInterrupt(conn: ClientConnection, runner: StatementRunner, params: ConnectParams, io: ClientIo, interactive: boolean): Interrupt {
  let pending: Promise<void> = Promise.resolve();
  const kill = (): void => {
    pending = (async () => {
      try {
        const killer = await ClientConnection.connect({ ...params, interactive: false });
        try {
          await killer.query(`KILL QUERY ${conn.greeting.connectionId}`);
        } finally {
          killer.quit();
        }
        io.stdout.write('^C -- query aborted\n');
      } catch {
        io.stdout.write('^C -- Sorry, cannot connect to the server to kill query, giving up ...\n');
      }
    })();
  };
  return {
    keypress: () => {
      if (!runner.busy) return false;
      kill();
      return true;
    },
    signal: () => {
      if (runner.busy) kill();
      else if (!interactive) process.exit(1);
    },
    settled: () => pending,
  };
}

/** Process split items; false when the run must stop (quit, or an error without --force). */
async function runItems(items: SplitItem[], runner: StatementRunner, mode: OutputMode, state: { failed: boolean }): Promise<boolean> {
  for (const it of items) {
    if (it.kind === 'quit') return false;
    if (it.kind === 'clear') continue;
    const ok = await runner.run(it.sql, it.vertical, it.line, it.use);
    if (!ok) {
      state.failed = true;
      if (mode.batch && !mode.force) return false;
    }
  }
  return true;
}

function exitStatus(state: { failed: boolean }, mode: OutputMode): number {
  return state.failed && !mode.force ? 1 : 0;
}

/** -e: the whole text is one batch. @req CLIENT-007 CLIENT-010 */
async function runText(text: string, runner: StatementRunner, mode: OutputMode): Promise<number> {
  const s = new StatementSplitter();
  const state = { failed: false };
  if (await runItems(s.feed(text), runner, mode, state)) await runItems(s.end(), runner, mode, state);
  return exitStatus(state, mode);
}

/** Batch mode from stdin, chunk by chunk. @req CLIENT-007 CLIENT-010 */
async function runStream(input: Readable, runner: StatementRunner, mode: OutputMode): Promise<number> {
  const s = new StatementSplitter();
  const decoder = new StringDecoder('utf8');
  const state = { failed: false };
  try {
    for await (const chunk of input) {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
      if (!(await runItems(s.feed(text), runner, mode, state))) return exitStatus(state, mode);
    }
    await runItems(s.feed(decoder.end()), runner, mode, state);
    await runItems(s.end(), runner, mode, state);
  } catch (err) {
    if (err instanceof StatementTooLongError) return 1;
    throw err;
  }
  return exitStatus(state, mode);
}

/** The prompt for the splitter's state, as mysql shows it. @req CLIENT-012 */
export function promptFor(s: StatementSplitter): string {
  if (!s.pending) return 'mysql> ';
  switch (s.state) {
    case 'squote':
      return "    '> ";
    case 'dquote':
      return '    "> ';
    case 'bquote':
      return '    `> ';
    case 'block':
      return '   /*> ';
    default:
      return '    -> ';
  }
}

/** The read-eval-print loop. @req CLIENT-012 */
async function runInteractive(conn: ClientConnection, runner: StatementRunner, mode: OutputMode, io: ClientIo, interrupt: Interrupt): Promise<number> {
  if (mode.silent === 0) {
    io.stdout.write(
      'Welcome to the refmysql monitor.  Commands end with ; or \\g.\n' +
        `Your MySQL connection id is ${conn.greeting.connectionId}\n` +
        `Server version: ${conn.greeting.serverVersion}\n\n` +
        "Type '\\c' to clear the current input statement.\n\n",
    );
  }
  const rl = createInterface({ input: io.stdin, output: io.stdout, terminal: io.stdin.isTTY === true && io.stdout.isTTY === true });
  const s = new StatementSplitter();
  const state = { failed: false };
  // Ctrl-C at the prompt abandons the statement being typed, as mysql does, instead of exiting.
  rl.on('SIGINT', () => {
    if (interrupt.keypress()) return;
    s.clear();
    io.stdout.write('^C\n');
    rl.setPrompt(promptFor(s));
    rl.prompt();
  });
  rl.setPrompt(promptFor(s));
  rl.prompt();
  let quit = false;
  try {
    for await (const line of rl) {
      const items = s.feed(line + '\n');
      if (!(await runItems(items, runner, mode, state))) {
        quit = true;
        break;
      }
      rl.setPrompt(promptFor(s));
      rl.prompt();
    }
    if (!quit) await runItems(s.end(), runner, mode, state);
  } finally {
    rl.close();
  }
  if (mode.silent === 0) io.stdout.write('Bye\n');
  return 0;
}
