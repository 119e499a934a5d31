/**
 * scripts/lib/mtr-runner.mjs — runs a selection of MariaDB's mtr tests against refmysqld and
 * prints a triaged pass/fail table: the part of the reported mtr peer suites (scripts/mtr-innodb.mjs,
 * scripts/mtr-engines.mjs) that does not depend on which tests are run. Each script is a suite
 * configuration (below) handed to `runMtrMain`.
 *
 * Needs the Debian package mariadb-test (`WITH_MTR=1 bash scripts/install-peers.sh`) and the
 * peers lab's `mtr-extern-run.sh` / `mtr-extern-prepare.sh` (found in $PEERS_DIR, in
 * ../shared/peers beside the repository, or in /work/shared/peers).
 *
 * How it runs each test: mtr in `--extern` mode against the running refmysqld over TCP, one mtr
 * invocation per test through mtr-extern-run.sh (which drops every user database and re-creates
 * `test` first). `--extern` ignores a test's `.opt` files, so the runner restarts refmysqld with
 * the options of the test's `.opt`/`-master.opt` files (unknown ones are given as `--loose-`),
 * and also restarts it after every failure so a test cannot leave state for the next one.
 *
 * mtr is given a private view of its directory (symbolic links into /usr/share/mysql, nothing
 * copied into the project) in which the files a configuration names in `overrides` are written
 * instead of linked. Every configuration gets `suite.pm` patched: it assumes a 64-bit server when
 * the server has no `max_binlog_stmt_cache_size` (refmysqld has no binary log variables yet).
 * `--nocheck-testcases` is passed because mtr's check procedures need stored procedures.
 *
 * A suite configuration:
 *   name       label of progress lines, of the temporary build and of mtr's log files
 *   script     the script's path, named in usage errors
 *   suites     { <suite>: { t, r } }: directories of the suite's .test/.opt and .result files,
 *              relative to the mtr home (`main` for the main suite, `suite/csv` for a flat one)
 *   selection  test names qualified with their suite (`innodb.row_lock`, `main.merge`)
 *   skip       { <test>: reason }: tests listed in the table as SKIP without being run
 *   triage     { <test>: { group, why } }: the known reason of a failure (see printTable)
 *   overrides  { <path in the mtr home>: text, or (installed text) => text }
 *   stripSuppressions  true: the view's copies of the run's tests (and their result files)
 *              leave out their one-line mtr.add_suppression() calls (see stripSuppressions)
 *   serverOptions  options every refmysqld of the run is started with
 *   secondServerTests  tests that connect to a second server ($SLAVE_MYPORT, as MariaDB's
 *              federated suite does): the runner then starts a second refmysqld (datadir
 *              <vardir>/var/ext2/data) and gives its port to mtr-extern-run.sh as SLAVE_PORT
 *
 * Options of the scripts: [--tests a,b,...] [--suites s,...] [--timeout S] [--json FILE] [--keep]
 * [--server-main PATH] [--list]. A name in --tests without its suite is looked up in the
 * selection (or taken from the configuration's only suite).
 *
 * @spec https://mariadb.com/kb/en/mariadb-test-run-pl-options/
 * @req INNODB-PEER-102 ENGINE-PEER-001
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildRefmysqld, freePort, onCleanup, REPO, sleep } from '../../bench/lib/harness.mjs';

export const MTR_HOME = process.env.MTR_HOME ?? '/usr/share/mysql/mysql-test';
/** Seconds one test may take before mtr-extern-run.sh kills it. */
const DEFAULT_TEST_TIMEOUT_S = 120;
/** How long a freshly started refmysqld may take to accept a login. */
const READY_ATTEMPTS = 300;
const READY_INTERVAL_MS = 100;
/** What MySQL 8.0 answers for max_binlog_stmt_cache_size on a 64-bit build (mtr's word-size probe). */
const WORD_SIZE_PROBE_64BIT = '18446744073709547520';

/** The top-level suite.pm with mtr's word-size probe answered when the server has no binlog variables. */
function patchSuitePm(installed) {
  const probe = /^(\s*my \$longsysvar\s*=\s*\$::mysqld_variables\{'max-binlog-stmt-cache-size'\};)$/m;
  if (!probe.test(installed)) throw new Error(`${MTR_HOME}/suite.pm has no word-size probe this script knows`);
  return installed.replace(probe, `$1\n  $longsysvar = '${WORD_SIZE_PROBE_64BIT}' unless defined $longsysvar; # refmysqld: no binlog variables yet`);
}

const BASE_OVERRIDES = { 'suite.pm': patchSuitePm };

/**
 * MariaDB's include/have_innodb.inc queries its own information_schema.SYSTEM_VARIABLES to add
 * warning suppressions for sanitizer builds; in refmysqld InnoDB is built in and there is
 * nothing to suppress, so the view's copy is empty. For every configuration with InnoDB tests.
 */
export const HAVE_INNODB_OVERRIDE = {
  'include/have_innodb.inc': '# refmysqld: InnoDB is built in and there is nothing to suppress.\n',
};

/** `innodb.row_lock` -> ['innodb', 'row_lock']. */
export function splitTest(name) {
  const dot = name.indexOf('.');
  return dot < 0 ? [null, name] : [name.slice(0, dot), name.slice(dot + 1)];
}

/** Qualifies test names of one suite: inSuite('innodb', ['row_lock']) -> ['innodb.row_lock']. */
export function inSuite(suite, names) {
  return names.map((n) => `${suite}.${n}`);
}

/** A name given on the command line, qualified with its suite. */
export function qualifyTest(config, name) {
  const [suite] = splitTest(name);
  if (suite !== null) {
    if (!config.suites[suite]) throw new Error(`${name}: suite ${suite} is not one of ${Object.keys(config.suites).join(', ')}`);
    return name;
  }
  const known = [...config.selection, ...Object.keys(config.skip ?? {})];
  const matches = [...new Set(known.filter((t) => splitTest(t)[1] === name))];
  if (matches.length === 1) return matches[0];
  const suites = Object.keys(config.suites);
  if (matches.length === 0 && suites.length === 1) return `${suites[0]}.${name}`;
  throw new Error(matches.length ? `${name} is ambiguous: ${matches.join(', ')}` : `${name}: give its suite (one of ${suites.join(', ')})`);
}

export function parseArgs(config, argv) {
  const o = { tests: [...config.selection, ...Object.keys(config.skip ?? {})], timeout: DEFAULT_TEST_TIMEOUT_S, json: null, keep: false, serverMain: null, list: false };
  let suites = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--tests') o.tests = next().split(',').map((t) => t.trim()).filter(Boolean).map((t) => qualifyTest(config, t));
    else if (a === '--suites') suites = next().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--timeout') o.timeout = Number(next());
    else if (a === '--json') o.json = next();
    else if (a === '--keep') o.keep = true;
    else if (a === '--server-main') o.serverMain = resolve(next());
    else if (a === '--list') o.list = true;
    else throw new Error(`unknown option ${a} (see the header of ${config.script})`);
  }
  if (suites) {
    for (const s of suites) if (!config.suites[s]) throw new Error(`--suites: ${s} is not one of ${Object.keys(config.suites).join(', ')}`);
    o.tests = o.tests.filter((t) => suites.includes(splitTest(t)[0]));
  }
  return o;
}

/** The peers lab scripts (mtr-extern-run.sh), wherever this checkout finds them. */
function peersDir() {
  const candidates = [process.env.PEERS_DIR, join(REPO, '..', 'shared', 'peers'), '/work/shared/peers'].filter(Boolean);
  for (const d of candidates) if (existsSync(join(d, 'mtr-extern-run.sh'))) return d;
  throw new Error(`mtr-extern-run.sh not found (looked in ${candidates.join(', ')}); set PEERS_DIR`);
}

function linkEntries(from, to) {
  for (const e of readdirSync(from)) symlinkSync(join(from, e), join(to, e));
}

/**
 * mtr-extern-run.sh finds a test's file with `find <view>/suite/<suite> -maxdepth 2` (and
 * plugin/<p>/<suite>) to skip tests that restart the server; find enters no symbolic link, so
 * once `suite` (or `plugin/<p>`) is a real directory, each suite directory in it and their
 * subdirectories (t/, r/) must be real too.
 */
const FIND_PARENTS = /^(suite|plugin\/[^/]+)$/;

/** Replaces the linked directory `at` by a real directory of links to its entries (once). */
function unlinkDir(at) {
  if (!lstatSync(at).isSymbolicLink()) return;
  const target = readlinkSync(at);
  rmSync(at);
  mkdirSync(at);
  linkEntries(target, at);
}

function subdirs(at) {
  return readdirSync(at).filter((e) => statSync(join(at, e)).isDirectory()).map((e) => join(at, e));
}

/** Turns the linked directory `rel` of the view (and its linked parents) into a real directory of links. */
function materialise(view, rel) {
  let path = '';
  for (const part of rel.split('/').filter((p) => p && p !== '.')) {
    path = path ? `${path}/${part}` : part;
    const at = join(view, path);
    if (!lstatSync(at).isSymbolicLink()) continue;
    unlinkDir(at);
    if (!FIND_PARENTS.test(path)) continue;
    for (const root of subdirs(at)) {
      unlinkDir(root);
      for (const d of subdirs(root)) unlinkDir(d);
    }
  }
}

/**
 * mtr finds its tests, includes and client programs relative to its working directory, so a
 * directory of symbolic links into the installed files stands in for it; only the overridden
 * files are written here.
 */
function buildMtrView(root, overrides) {
  const share = join(root, 'share', 'mysql');
  const view = join(share, 'mysql-test');
  mkdirSync(view, { recursive: true });
  for (const d of ['bin', 'sbin', 'lib']) symlinkSync(join('/usr', d), join(root, d));
  const installed = dirname(MTR_HOME);
  for (const e of readdirSync(installed)) if (e !== 'mysql-test') symlinkSync(join(installed, e), join(share, e));
  linkEntries(MTR_HOME, view);
  for (const [rel, content] of Object.entries({ ...BASE_OVERRIDES, ...overrides })) {
    materialise(view, dirname(rel));
    const original = join(MTR_HOME, rel);
    const text = typeof content === 'function' ? content(readFileSync(original, 'utf8')) : content;
    rmSync(join(view, rel), { force: true });
    writeFileSync(join(view, rel), text);
  }
  return view;
}

/** A statement line calling mtr.add_suppression() (in a .test file, and as echoed in its .result). */
const SUPPRESSION_CALL = /^\s*call\s+mtr\.add_suppression\s*\(.*\)\s*;\s*$/i;

/**
 * The text without its one-line mtr.add_suppression() calls. The procedure only adds a pattern
 * for mtr's check of the server's error log, which a run against an external server does not
 * make (mtr-extern-run.sh passes --nowarnings); on refmysqld, which has no stored procedures,
 * the CALL fails and ends the test before its first statement about the engine.
 */
export function stripSuppressions(text) {
  return text.split('\n').filter((l) => !SUPPRESSION_CALL.test(l)).join('\n');
}

/**
 * With `stripSuppressions` in the configuration, the view's copies of the run's tests that call
 * mtr.add_suppression() and of their result files are written without those calls.
 */
function writeStrippedTests(config, view, tests) {
  if (!config.stripSuppressions) return;
  for (const test of tests) {
    if (config.skip?.[test]) continue;
    const [suite, name] = splitTest(test);
    const dirs = config.suites[suite];
    const files = [`${dirs.t}/${name}.test`, `${dirs.r}/${name}.result`];
    if (!existsSync(join(MTR_HOME, files[1])) || !readFileSync(join(MTR_HOME, files[0]), 'utf8').split('\n').some((l) => SUPPRESSION_CALL.test(l))) continue;
    for (const rel of files) {
      materialise(view, dirname(rel));
      rmSync(join(view, rel), { force: true });
      writeFileSync(join(view, rel), stripSuppressions(readFileSync(join(MTR_HOME, rel), 'utf8')));
    }
  }
}

/** Server options from a test's .opt and -master.opt files (mtr applies them at server start). */
export function testOptions(text) {
  const out = [];
  for (const tok of text.split(/\s+/)) {
    if (!tok.startsWith('--') || tok.includes('$')) continue;
    // Unknown options must not stop the server: give them the --loose- prefix.
    out.push(tok.startsWith('--loose-') ? tok : `--loose-${tok.slice(2)}`);
  }
  return out;
}

function testFile(config, test, ext) {
  const [suite, name] = splitTest(test);
  return join(MTR_HOME, config.suites[suite].t, `${name}${ext}`);
}

function optionsOf(config, test) {
  const parts = [];
  for (const ext of ['.opt', '-master.opt']) {
    const p = testFile(config, test, ext);
    if (existsSync(p)) parts.push(readFileSync(p, 'utf8'));
  }
  return testOptions(parts.join(' '));
}

class Refmysqld {
  /** `home`: the server's directory under the vardir (mtr-extern-run.sh wants datadirs inside it). */
  constructor(main, vardir, port, baseOptions, home = 'ext') {
    this.main = main;
    this.datadir = join(vardir, home, 'data');
    this.socket = join(vardir, home, 'mysqld.sock');
    this.port = port;
    this.baseOptions = baseOptions;
    this.child = null;
    this.options = [];
    this.log = [];
  }

  initialize() {
    mkdirSync(dirname(this.datadir), { recursive: true });
    const r = spawnSync(process.execPath, [this.main, '--no-defaults', `--datadir=${this.datadir}`, '--initialize-insecure'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`refmysqld --initialize-insecure failed:\n${r.stderr}`);
  }

  /** Starts refmysqld with the run's base options and a test's `options`. */
  async start(options) {
    const args = [
      this.main,
      '--no-defaults',
      `--datadir=${this.datadir}`,
      `--port=${this.port}`,
      '--bind-address=127.0.0.1',
      `--socket=${this.socket}`,
      '--mysqlx=OFF',
      ...this.baseOptions,
      ...options,
    ];
    this.log = [];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (t) => this.log.push(...t.split('\n')));
    this.child = child;
    this.options = options;
    for (let i = 0; i < READY_ATTEMPTS; i++) {
      if (child.exitCode !== null) break;
      const r = spawnSync('mariadb', ['--no-defaults', '-h127.0.0.1', `-P${this.port}`, '-uroot', '-e', 'SELECT 1'], { encoding: 'utf8' });
      if (r.status === 0) return;
      await sleep(READY_INTERVAL_MS);
    }
    throw new Error(`refmysqld did not start with ${[...this.baseOptions, ...options].join(' ') || 'no options'}:\n${this.log.slice(-15).join('\n')}`);
  }

  async stop() {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 20_000);
    await gone;
    clearTimeout(timer);
  }

  async restart(options) {
    await this.stop();
    await this.start(options);
  }
}

/** The first lines of an mtr log that say why a test failed. */
export function failureDetail(out) {
  const lines = out.split('\n');
  const at = lines.findIndex((l) => l.startsWith('mysqltest:'));
  const mismatch = lines.findIndex((l) => l.trim() === 'Result content mismatch' || l.trim() === 'Result length mismatch');
  if (at < 0 && mismatch >= 0) {
    const hunk = lines.findIndex((l) => l.startsWith('@@'));
    const diff = lines.slice(hunk < 0 ? 0 : hunk).filter((l) => /^[-+](?![-+]{2} )/.test(l)).slice(0, 2).map((l) => l.slice(0, 120));
    return `result differs: ${diff.join(' | ')}`;
  }
  if (at < 0) {
    const err = lines.find((l) => /\*\*\* ERROR|Could not/.test(l));
    return err ? err.trim() : '';
  }
  const first = lines[at].replace(/^mysqltest:\s*/, '');
  const near = lines.slice(at + 1, at + 3).find((l) => /^At line|^included from/.test(l));
  if (/Result (content|length) mismatch/.test(first)) {
    const diff = lines.slice(at).filter((l) => /^[-+][^-+]/.test(l)).slice(0, 2).map((l) => l.slice(0, 120));
    return `${first} ${diff.join(' | ')}`.trim();
  }
  return [first, near?.startsWith('At line') ? near : ''].filter(Boolean).join(' ').trim();
}

/**
 * mysqltest writes `<test>.reject` beside the result file, which through the view's links is
 * inside the installed suite (or in the view, for a directory the view overrides a file of):
 * move every file it left there since `since` into the vardir.
 */
function collectRejects(config, view, vardir, since) {
  const dest = join(vardir, 'reject');
  mkdirSync(dest, { recursive: true });
  const rels = new Set([...Object.values(config.suites).map((s) => s.r), 'main']);
  for (const home of [MTR_HOME, view]) {
    for (const rel of rels) {
      const dir = join(home, rel);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir)) {
        if (!f.endsWith('.reject') && !f.endsWith('.result~')) continue;
        const p = join(dir, f);
        if (lstatSync(p).isSymbolicLink() || statSync(p).mtimeMs < since) continue;
        renameOrCopy(p, join(dest, f));
      }
    }
  }
}

function renameOrCopy(from, to) {
  try {
    renameSync(from, to);
  } catch {
    copyFileSync(from, to);
    rmSync(from, { force: true });
  }
}

function runOne(config, peers, view, vardir, port, test, timeoutS, secondPort) {
  return new Promise((res) => {
    const started = Date.now();
    // Its own process group: a timed-out mtr can leave mysqltest running, which is ended with it.
    const child = spawn('bash', [join(peers, 'mtr-extern-run.sh'), '127.0.0.1', String(port), vardir, test, '--', '--nocheck-testcases'], {
      env: { ...process.env, MTR_DIR: view, PER_TEST_TIMEOUT: String(timeoutS), PLUGINS: '', ...(secondPort ? { SLAVE_PORT: String(secondPort) } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (t) => (out += t));
    child.stderr.resume();
    child.once('close', () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* the group has ended */
      }
      const line = out.split('\n').find((l) => /^(PASS|FAIL|SKIP) /.test(l)) ?? '';
      const m = /^(PASS|FAIL|SKIP) (\S+)\s*(.*)$/.exec(line);
      const result = m ? m[1] : 'FAIL';
      let reason = m ? m[3].trim() : `no result line from mtr-extern-run.sh: ${out.trim().slice(-200)}`;
      const log = join(vardir, 'log', `mtr-${test}.out`);
      if (result === 'FAIL' && existsSync(log)) reason = failureDetail(readFileSync(log, 'utf8')) || reason;
      collectRejects(config, view, vardir, started - 1000);
      res({ name: test, result, ms: Date.now() - started, reason });
    });
  });
}

function pad(s, n) {
  const t = String(s);
  return t.length >= n ? t : t + ' '.repeat(n - t.length);
}

/**
 * One line per test, then the totals. A failure's group comes from the configuration's triage:
 * a failure of a test not listed there prints as `new`, a listed test that passes as `fixed?`,
 * so the table is re-triaged when refmysqld changes.
 */
export function printTable(config, rows) {
  const w = Math.max(...rows.map((r) => r.test.length), 4);
  console.log(`${pad('test', w)}  result  group     reason`);
  for (const r of rows) {
    const t = config.triage[r.name];
    let group = '';
    if (r.result === 'FAIL') group = t ? t.group : 'new';
    else if (r.result === 'PASS' && t) group = 'fixed?';
    const why = r.result === 'FAIL' && t ? `${t.why} [${r.reason.slice(0, 100)}]` : r.reason;
    console.log(`${pad(r.test, w)}  ${pad(r.result, 6)}  ${pad(group, 8)}  ${why.slice(0, 220)}`);
  }
  const count = (k) => rows.filter((r) => r.result === k).length;
  const fails = rows.filter((r) => r.result === 'FAIL');
  const byGroup = {};
  for (const r of fails) {
    const g = config.triage[r.name]?.group ?? 'new';
    byGroup[g] = (byGroup[g] ?? 0) + 1;
  }
  const groups = Object.entries(byGroup).map(([g, n]) => `${g} ${n}`).join(', ');
  console.log(`\n${count('PASS')} passed, ${count('FAIL')} failed${groups ? ` (${groups})` : ''}, ${count('SKIP')} skipped of ${rows.length}`);
}

/** How a test is named in the table: without its suite when the configuration has only one. */
function displayName(config, test) {
  return Object.keys(config.suites).length === 1 ? splitTest(test)[1] : test;
}

export async function runMtrSuite(config, argv) {
  const o = parseArgs(config, argv);
  if (o.list) {
    for (const t of o.tests) console.log(config.skip?.[t] ? `${t}  (skipped: ${config.skip[t]})` : t);
    return;
  }
  for (const [suite, dirs] of Object.entries(config.suites)) {
    const dir = join(MTR_HOME, dirs.t);
    if (!existsSync(dir)) throw new Error(`${dir} is missing (suite ${suite}): install the mariadb-test package (WITH_MTR=1 bash scripts/install-peers.sh)`);
  }
  for (const t of o.tests) if (!existsSync(testFile(config, t, '.test'))) throw new Error(`no test ${t} in ${dirname(testFile(config, t, '.test'))}`);
  const peers = peersDir();
  const main = o.serverMain ?? buildRefmysqld(config.name);
  // mtr refuses a vardir path with spaces and wants the server's datadir inside it.
  const vardir = mkdtempSync(join(tmpdir(), 'refmysql-mtr-'));
  if (!o.keep) onCleanup(() => rmSync(vardir, { recursive: true, force: true }));
  const view = buildMtrView(join(vardir, 'mtr-home'), config.overrides ?? {});
  writeStrippedTests(config, view, o.tests);
  const server = new Refmysqld(main, join(vardir, 'var'), await freePort(), config.serverOptions ?? []);
  onCleanup(() => server.child?.kill('SIGKILL'));
  server.initialize();
  await server.start([]);
  process.stderr.write(`${config.name}: refmysqld on 127.0.0.1:${server.port}, vardir ${vardir}, ${o.tests.length} tests\n`);
  // The second server of two-server tests ($SLAVE_MYPORT), started when the run has such a test.
  const twoServer = new Set(config.secondServerTests ?? []);
  let second = null;
  if (o.tests.some((t) => twoServer.has(t) && !config.skip?.[t])) {
    second = new Refmysqld(main, join(vardir, 'var'), await freePort(), config.serverOptions ?? [], 'ext2');
    onCleanup(() => second.child?.kill('SIGKILL'));
    second.initialize();
    await second.start([]);
    process.stderr.write(`${config.name}: second refmysqld on 127.0.0.1:${second.port}\n`);
  }
  const rows = [];
  for (const test of o.tests) {
    const skipped = config.skip?.[test];
    if (skipped) {
      rows.push({ test: displayName(config, test), name: test, result: 'SKIP', ms: 0, reason: skipped });
      process.stderr.write(`SKIP ${test} (not run)\n`);
      continue;
    }
    const opts = optionsOf(config, test);
    if (opts.join(' ') !== server.options.join(' ')) await server.restart(opts);
    const secondPort = twoServer.has(test) ? second.port : null;
    const r = await runOne(config, peers, view, join(vardir, 'var'), server.port, test, o.timeout, secondPort);
    if (opts.length > 0) r.options = opts.join(' ');
    rows.push({ test: displayName(config, test), ...r });
    process.stderr.write(`${pad(r.result, 4)} ${displayName(config, test)} (${(r.ms / 1000).toFixed(1)} s)\n`);
    // A failed test may leave locks, open transactions or changed globals behind.
    if (r.result === 'FAIL') {
      await server.restart(opts);
      if (secondPort) await second.restart([]);
    }
  }
  await server.stop();
  await second?.stop();
  printTable(config, rows);
  if (o.json) writeFileSync(o.json, JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
  if (o.keep) console.log(`\nlogs kept in ${vardir}/var/log`);
}

/** The body of a runner script: runs the configuration with the process's arguments. */
export function runMtrMain(config) {
  runMtrSuite(config, process.argv.slice(2)).catch((e) => {
    console.error(`${config.name}: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
