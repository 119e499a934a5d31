/**
 * bench/lib/harness.mjs — what the bench and peer scripts share for running servers as child
 * processes: cleanup on exit (also on Ctrl-C), a free loopback port, and refmysqld compiled into
 * a temporary directory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const cleanups = [];

/** Run `fn` when the process exits (last registered, first run). */
export function onCleanup(fn) {
  cleanups.push(fn);
}

function cleanupAll() {
  while (cleanups.length) {
    try {
      cleanups.pop()();
    } catch {
      /* best effort */
    }
  }
}
process.on('exit', cleanupAll);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

/** SIGKILL the child at exit if it is still running. */
export function killOnCleanup(child) {
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Walk command-line arguments: `on(arg, take)` is called for each, where `take()` consumes and
 * returns the value that follows an option (an error when there is none).
 */
export function eachArg(argv, on) {
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    on(k, () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${k} needs a value`);
      return v;
    });
  }
}

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** Compile src/ into a temporary directory (src uses only the Node standard library); returns
 *  the server's main.js. `label` prefixes the progress line. */
export function buildRefmysqld(label) {
  const out = mkdtempSync(join(tmpdir(), `refmysql-${label}-build-`));
  onCleanup(() => rmSync(out, { recursive: true, force: true }));
  process.stderr.write(`${label}: compiling refmysqld (tsc) ...\n`);
  const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(REPO, 'tsconfig.json'), '--outDir', out], { encoding: 'utf8' });
  const main = join(out, 'src', 'server', 'main.js');
  // tsc still emits when other folders have type errors; only a missing entry point is fatal.
  if (!existsSync(main)) throw new Error(`tsc produced no ${main}:\n${r.stdout}\n${r.stderr}`);
  return main;
}
