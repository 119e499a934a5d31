/**
 * The rules of issue 14 for the traceability tool: evidence by observation (a {wire}/{peer} title
 * without the matching traffic is demoted), clauses and the `partial` status, and the seeded
 * sampling audit. Fixture trees are written to a temporary directory; the vitest reports are
 * built by hand with the meta the wire observer writes.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientFromAttributes, clientFromStack } from '../../helpers/observe.js';
import { req } from '../../helpers/req.js';
import { auditCandidates, auditSample, extractTestSource, formatAudit } from '../../../traceability/src/audit.js';
import { main } from '../../../traceability/src/cli.js';
import { computeMatrix } from '../../../traceability/src/conformance.js';
import { errorsOf, type Matrix } from '../../../traceability/src/matrix.js';
import { observedEvidence, statementChecksum, type WireObservation } from '../../../traceability/src/model.js';
import { formatReport, formatTable } from '../../../traceability/src/report.js';
import { sealText } from '../../../traceability/src/seal.js';
import { parseSpecFile } from '../../../traceability/src/spec-reader.js';
import { parseTestTitle, readVitestReport, scanTestSourceText } from '../../../traceability/src/test-results.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'refmysql-honest-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

function entry(id: string, statement: string, clauses: string[] = []): string {
  const list = clauses.length > 0 ? `Clauses:\n${clauses.map((c) => `- ${c}`).join('\n')}\n` : '';
  return `### ${id}\nStatement: ${statement}\n${list}Tags: CORE, E\nManual: https://dev.mysql.com/doc/refman/8.0/en/x.html\nChecksum: ${statementChecksum(statement)}\n\n`;
}

function specFile(section: string, body: string): string {
  return `---\nsection: "${section}"\ntitle: "Section ${section}"\nmanual: https://dev.mysql.com/doc/refman/8.0/en/x.html\n---\n\n${body}`;
}

/** What the observer writes for a test that talked to a server (or not). */
const TRAFFIC: WireObservation = { clients: ['mysql2'], servers: ['refmysqld'], peers: [], events: 3 };
const NOTHING: WireObservation = { clients: [], servers: [], peers: [], events: 0 };
const PEER: WireObservation = { clients: ['mysql2'], servers: ['mariadbd', 'refmysqld'], peers: ['mariadbd'], events: 9 };

interface FakeTest { title: string; status?: string; observed?: WireObservation | 'none'; line?: number }

function report(root: string, file: string, tests: FakeTest[]): string {
  return JSON.stringify({
    testResults: [{
      name: join(root, file),
      assertionResults: tests.map((t) => ({
        ancestorTitles: [], title: t.title, fullName: t.title, status: t.status ?? 'passed',
        meta: t.observed === undefined || t.observed === 'none' ? {} : { refmysqlWire: { v: 1, ...t.observed } },
        ...(t.line === undefined ? {} : { location: { line: t.line, column: 3 } }),
      })),
    }],
  });
}

const SPEC = specFile('9.1',
  entry('ALPHA-001', 'Alpha answers over the wire.')
  + entry('ALPHA-002', 'Beta is compared with a peer.')
  + entry('ALPHA-003', 'Gamma fails with 1060 or 1113.', ['e1060: a duplicate name fails with 1060', 'e1113: no column fails with 1113']));

function matrixFor(tests: FakeTest[], extra: Record<string, string> = {}): Matrix {
  const root = tree({ 'spec/a.md': SPEC, ...extra });
  writeFileSync(join(root, 'out.json'), report(root, 'test/a.test.ts', tests));
  return computeMatrix({ root, sourceDirs: [], testDirs: ['test'], vitestJson: 'out.json' });
}

function statuses(m: Matrix): Record<string, string> {
  return Object.fromEntries(m.rows.map((r) => [r.id, r.status]));
}

describe('evidence by observation', () => {
  it(req(['TRACE-014'], 'unit', 'the evidence rule: a claim capped by what was observed, never raised'), () => {
    expect(observedEvidence('wire', TRAFFIC)).toBe('wire');
    expect(observedEvidence('wire', NOTHING)).toBe('unit');
    expect(observedEvidence('wire', null)).toBe('unit');
    expect(observedEvidence('peer', PEER)).toBe('peer');
    expect(observedEvidence('peer', TRAFFIC)).toBe('wire');
    expect(observedEvidence('peer', NOTHING)).toBe('unit');
    expect(observedEvidence('unit', PEER)).toBe('unit');
    // A report written without the observer (undefined): the claim stands.
    expect(observedEvidence('wire', undefined)).toBe('wire');
    // Events without a named client (or the reverse) are not traffic.
    expect(observedEvidence('wire', { clients: [], servers: ['refmysqld'], peers: [], events: 2 })).toBe('unit');
  });

  it(req(['TRACE-014'], 'unit', 'a {wire}-titled test that does not connect is demoted to unit and listed'), () => {
    const m = matrixFor([
      { title: '[ALPHA-001] {wire} never opens a socket', observed: NOTHING },
      { title: '[ALPHA-002] {unit} plain unit test', observed: NOTHING },
    ]);
    expect(errorsOf(m)).toEqual([]);
    expect(statuses(m)['ALPHA-001']).toBe('unit-only');
    const t = m.rows.find((r) => r.id === 'ALPHA-001')!.tests[0]!;
    expect(t).toMatchObject({ claimed: 'wire', evidence: 'unit', observed: NOTHING });
    expect(m.mismatches).toEqual([{ file: 'test/a.test.ts', fullName: '[ALPHA-001] {wire} never opens a socket', status: 'passed', claimed: 'wire', observed: 'unit', clients: [], peers: [] }]);
    expect(formatReport(m)).toContain('## Evidence mismatches (1)');
    expect(formatReport(m)).toContain('test/a.test.ts: [ALPHA-001] {wire} never opens a socket: claimed {wire}, observed unit (no client traffic)');
  });

  it(req(['TRACE-014'], 'unit', 'a {wire} test with observed traffic stays wire; one without any record in an observed run is demoted'), () => {
    const m = matrixFor([
      { title: '[ALPHA-001] {wire} talks to the server', observed: TRAFFIC },
      { title: '[ALPHA-002] {wire} no record at all', observed: 'none' },
      { title: '[ALPHA-003] {wire} skipped: nothing ran, nothing to observe', status: 'skipped', observed: 'none' },
    ]);
    expect(statuses(m)).toMatchObject({ 'ALPHA-001': 'proven-wire', 'ALPHA-002': 'unit-only', 'ALPHA-003': 'open' });
    expect(m.mismatches.map((x) => x.fullName)).toEqual(['[ALPHA-002] {wire} no record at all']);
    expect(m.rows.find((r) => r.id === 'ALPHA-003')!.tests[0]).toMatchObject({ claimed: 'wire', evidence: 'wire', status: 'skipped' });
    // The same titles in a report that carries no observation at all keep their claim.
    const legacy = matrixFor([{ title: '[ALPHA-002] {wire} no record at all', observed: 'none' }]);
    expect(statuses(legacy)['ALPHA-002']).toBe('proven-wire');
    expect(legacy.mismatches).toEqual([]);
  });

  it(req(['TRACE-014'], 'unit', '{peer} without a peer program counts as wire (with traffic) or unit (without)'), () => {
    const m = matrixFor([
      { title: '[ALPHA-001] {peer} only mysql2 against refmysqld', observed: TRAFFIC },
      { title: '[ALPHA-002] {peer} really against MariaDB', observed: PEER },
      { title: '[ALPHA-003] {peer} nothing at all', observed: NOTHING },
    ]);
    expect(statuses(m)).toMatchObject({ 'ALPHA-001': 'proven-wire', 'ALPHA-002': 'proven-peer', 'ALPHA-003': 'unit-only' });
    expect(m.mismatches.map((x) => `${x.claimed}>${x.observed}`)).toEqual(['peer>wire', 'peer>unit']);
    expect(formatReport(m)).toContain('claimed {peer}, observed wire (clients mysql2; no peer)');
  });

  it(req(['TRACE-013', 'TRACE-014'], 'unit', 'the observation is read from the meta key the observer writes'), () => {
    const scan = readVitestReport(JSON.parse(report('/r', 'test/t.test.ts', [{ title: '[A-001] {peer} x', observed: PEER }])) as unknown, '/r');
    expect(scan.tests[0]).toMatchObject({ claimed: 'peer', evidence: 'peer', observed: PEER });
  });
});

describe('naming clients', () => {
  it(req(['TRACE-013'], 'unit', 'clients are named by their connection attributes; C-library clients are peer programs'), () => {
    expect(clientFromAttributes({ _client_name: 'Node-MySQL-2', _client_version: '3.15.0' })).toEqual({ client: 'mysql2', peer: false });
    expect(clientFromAttributes({ _client_name: 'MariaDB connector/Node' })).toEqual({ client: 'mariadb-node', peer: false });
    expect(clientFromAttributes({ _client_name: 'libmariadb', program_name: 'mysql' })).toEqual({ client: 'mysql', peer: true });
    expect(clientFromAttributes({ _client_name: 'libmariadb', program_name: 'mariadb-dump' })).toEqual({ client: 'mariadb-dump', peer: true });
    expect(clientFromAttributes({ _client_name: 'libmysql' })).toEqual({ client: 'libmysql', peer: true });
    expect(clientFromAttributes({ _client_name: 'refmysql', program_name: 'refmysql' })).toEqual({ client: 'refmysql', peer: false });
    expect(clientFromAttributes({ _client_name: 'refmysql', program_name: 'refmysqld-federated' })).toEqual({ client: 'refmysqld-federated', peer: false });
    expect(clientFromAttributes({})).toBeNull();
    expect(clientFromAttributes(undefined)).toBeNull();
  });

  it(req(['TRACE-013'], 'unit', 'a socket without attributes is named by the code that created it'), () => {
    expect(clientFromStack('Error\n    at Object.connect (node:net:1)\n    at new Connection (/r/node_modules/mysql2/lib/connection.js:40:7)')).toBe('mysql2');
    expect(clientFromStack('Error\n    at x (/r/node_modules/mariadb/lib/connection.js:1:1)')).toBe('mariadb-node');
    expect(clientFromStack('Error\n    at open (/r/src/client/remote-connector.ts:60:3)')).toBe('refmysqld-federated');
    expect(clientFromStack('Error\n    at open (/r/src/client/channel.ts:60:3)')).toBe('refmysql-client');
    expect(clientFromStack('Error\n    at t (/r/test/wire/protocol-raw.test.ts:10:3)')).toBe('raw-socket');
  });
});

describe('clauses and partial', () => {
  it(req(['TRACE-015#parse'], 'unit', 'a Clauses: list is parsed, with wrapped clause text, and sealing leaves it whole'), () => {
    const text = specFile('1', '### GAMMA-001\nStatement: Gamma fails two ways.\nTags: CORE\nManual: https://x\nClauses:\n- e1060: duplicate\n  names fail\n- no-cols: no column\n\n');
    const parsed = parseSpecFile(text, 'spec/x.md');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.requirements[0]!.clauses).toEqual([{ key: 'e1060', text: 'duplicate names fail', line: 12 }, { key: 'no-cols', text: 'no column', line: 14 }]);
    const sealed = sealText(text, 'spec/x.md', new Set());
    expect(sealed.text).toContain('- no-cols: no column\nChecksum: ');
    expect(parseSpecFile(sealed.text, 'spec/x.md').requirements[0]!.clauses!.map((c) => c.key)).toEqual(['e1060', 'no-cols']);
  });

  it(req(['TRACE-015#malformed', 'TRACE-015#empty', 'TRACE-015#duplicate'], 'unit', 'malformed, empty and duplicate clause lists are errors'), () => {
    const codes = (body: string): string[] => parseSpecFile(specFile('1', `### G-001\nStatement: S.\n${body}\n`), 'spec/x.md').diagnostics.map((d) => d.code);
    expect(codes('Clauses:\n- E1060: upper-case key')).toEqual(['malformed-clause']);
    expect(codes('Clauses:\n- e1060:')).toEqual(['malformed-clause']);
    expect(codes('Clauses:\n* e1060: not a dash')).toEqual(['malformed-clause']);
    expect(codes('Clauses:\n- a_b: underscore')).toEqual(['malformed-clause']);
    expect(codes('Clauses: e1060 inline')).toEqual(['malformed-clause']);
    expect(codes('Clauses:\n')).toEqual(['malformed-clause']);
    expect(codes('Clauses:\n- a: one\n- a: two')).toEqual(['duplicate-clause']);
  });

  it(req(['TRACE-016#title', 'TRACE-016#req-rejects'], 'unit', 'req() writes ID#key and rejects malformed clause tags'), () => {
    // Through a variable, so the repository's static scan of req() calls does not take these for tags.
    const tags = ['CORE-DDL-002#e1113', 'CORE-DDL-002#e1063'];
    expect(req(tags, 'wire', 'x')).toBe('[CORE-DDL-002#e1113 CORE-DDL-002#e1063] {wire} x');
    for (const bad of ['CORE-DDL-002#', 'CORE-DDL-002#E1113', 'CORE-DDL-002#a#b', 'CORE-DDL-002#a b', 'core-ddl-002#a', '#a']) {
      expect(() => req([bad], 'wire', 'x')).toThrow(/malformed/);
    }
    expect(() => req([], 'unit', 'x')).toThrow(/at least one/);
    expect(parseTestTitle('[A-001#k1 A-001#k2 B-002] {wire} t')).toEqual({
      ids: ['A-001', 'B-002'], malformed: [], evidence: 'wire', text: 't',
      targets: [{ id: 'A-001', clause: 'k1' }, { id: 'A-001', clause: 'k2' }, { id: 'B-002', clause: null }],
    });
    expect(parseTestTitle('[A-001#K1] {wire} t')?.malformed).toEqual(['A-001#K1']);
  });

  it(req(['TRACE-016#unknown-key', 'TRACE-016#no-clauses'], 'unit', 'an unknown clause key, a clause of an entry without clauses and a malformed tag make the check fail'), () => {
    const unknown = matrixFor([{ title: '[ALPHA-003#e9999] {wire} x', observed: TRAFFIC }]);
    expect(errorsOf(unknown).map((d) => d.code)).toEqual(['unknown-clause']);
    expect(errorsOf(unknown)[0]!.message).toContain('ALPHA-003 has no clause e9999 (clauses: e1060, e1113)');
    const noClauses = matrixFor([{ title: '[ALPHA-001#a] {wire} x', observed: TRAFFIC }]);
    expect(errorsOf(noClauses)[0]!.message).toContain('ALPHA-001 has no clauses');
    const malformed = matrixFor([{ title: '[ALPHA-003#E1060] {wire} x', observed: TRAFFIC }]);
    expect(errorsOf(malformed).map((d) => d.code)).toEqual(['malformed-id']);
    // Statically, in a test file that did not run.
    const call = 'it(re' + 'q(';
    const stat = matrixFor([], { 'test/b.test.ts': `${call}['ALPHA-003#e1060', 'ALPHA-003#nope'], 'wire', 'x'), f);\n` });
    expect(errorsOf(stat).map((d) => `${d.code}:${d.line ?? ''}`)).toEqual(['unknown-clause:1']);
    expect(scanTestSourceText(`${call}'ALPHA-003#Bad', 'wire', 'x'), f);\n`, 'test/c.test.ts').diagnostics.map((d) => d.code)).toEqual(['malformed-id']);
  });

  it(req(['TRACE-017'], 'unit', 'a requirement with an untested clause is partial; every clause proven makes it proven'), () => {
    const s = (tests: FakeTest[]): string => statuses(matrixFor(tests))['ALPHA-003']!;
    expect(s([])).toBe('open');
    expect(s([{ title: '[ALPHA-003#e1060] {wire} dup', observed: TRAFFIC }])).toBe('partial');
    expect(s([{ title: '[ALPHA-003] {wire} names only the bare ID', observed: TRAFFIC }])).toBe('partial');
    expect(s([{ title: '[ALPHA-003#e1060 ALPHA-003#e1113] {unit} both, unit', observed: NOTHING }])).toBe('unit-only');
    expect(s([{ title: '[ALPHA-003#e1060] {wire} a', observed: TRAFFIC }, { title: '[ALPHA-003#e1113] {unit} b', observed: NOTHING }])).toBe('partial');
    expect(s([{ title: '[ALPHA-003#e1060] {wire} a', observed: TRAFFIC }, { title: '[ALPHA-003#e1113] {wire} b', observed: TRAFFIC }])).toBe('proven-wire');
    expect(s([{ title: '[ALPHA-003#e1060 ALPHA-003#e1113] {peer} both', observed: PEER }])).toBe('proven-peer');
    expect(s([{ title: '[ALPHA-003#e1060] {peer} a', observed: PEER }, { title: '[ALPHA-003#e1113] {wire} b', observed: TRAFFIC }])).toBe('proven-wire');
    // A failing test proves nothing; a demoted {wire} test is unit evidence for its clause.
    expect(s([{ title: '[ALPHA-003#e1060] {wire} a', observed: TRAFFIC }, { title: '[ALPHA-003#e1113] {wire} b', status: 'failed', observed: TRAFFIC }])).toBe('partial');
    expect(s([{ title: '[ALPHA-003#e1060] {wire} a', observed: TRAFFIC }, { title: '[ALPHA-003#e1113] {wire} b', observed: NOTHING }])).toBe('partial');
  });

  it(req(['TRACE-017'], 'unit', 'partial is counted per section and in total and shown in the table and report.md'), () => {
    const m = matrixFor([{ title: '[ALPHA-003#e1060] {wire} dup', observed: TRAFFIC }, { title: '[ALPHA-001] {wire} a', observed: TRAFFIC }]);
    expect(m.sections[0]).toMatchObject({ section: '9.1', requirements: 3, provenWire: 1, partial: 1, open: 1 });
    expect(m.totals).toMatchObject({ partial: 1 });
    expect(formatTable(m, true)).toBe('requirements 3: proven-wire 1, proven-peer 0, partial 1, unit-only 0, open 1, informational 0');
    expect(formatTable(m, false).split('\n')[0]).toMatch(/wire\s+peer\s+partial\s+unit-only/);
    const md = formatReport(m);
    expect(md).toContain('| proven (peer) | partial | unit-only |');
    expect(md).toContain('| 9.1 | Section 9.1 | 3 | 1 | 0 | 1 | 0 | 1 | 0 |');
    expect(md).toContain('| ALPHA-003 | 9.1 | partial | 1/1 passed |  | Gamma fails with 1060 or 1113. [#e1060: wire] [#e1113: untested] |');
    expect(m.rows.find((r) => r.id === 'ALPHA-003')!.clauses).toEqual([
      { key: 'e1060', text: 'a duplicate name fails with 1060', evidence: 'wire' },
      { key: 'e1113', text: 'no column fails with 1113', evidence: null },
    ]);
  });
});

describe('sampling audit', () => {
  const many = Array.from({ length: 30 }, (_, i) => `R-${String(i + 100).padStart(3, '0')}`);
  const manySpec = specFile('7', many.map((id) => entry(id, `Requirement ${id} holds.`)).join(''));
  const manyTests: FakeTest[] = many.map((id, i) => ({ title: `[${id}] {wire} proves ${id}`, observed: i % 5 === 4 ? NOTHING : TRAFFIC }));

  function manyMatrix(): { m: Matrix; root: string } {
    const call = 'it(re' + 'q(';
    const src = many.map((id) => `${call}['${id}'], 'wire', 'proves ${id}'), async () => {\n  expect(await run('${id}')).toBe(1); // (a comment)\n});\n`).join('');
    const root = tree({ 'spec/a.md': manySpec, 'test/a.test.ts': src });
    writeFileSync(join(root, 'out.json'), report(root, 'test/a.test.ts', manyTests));
    return { m: computeMatrix({ root, sourceDirs: [], testDirs: ['test'], vitestJson: 'out.json' }), root };
  }

  it(req(['TRACE-018'], 'unit', 'the sample is drawn from proven rows only (after demotion), is reproducible for a seed and differs across seeds'), () => {
    const { m } = manyMatrix();
    const candidates = auditCandidates(m).map((r) => r.id);
    expect(candidates).toHaveLength(24); // every fifth test was demoted: its requirement is not proven
    expect(candidates).not.toContain('R-104');
    const a = auditSample(m, 8, 'seed-a').map((r) => r.id);
    expect(auditSample(m, 8, 'seed-a').map((r) => r.id)).toEqual(a);
    // Row order does not matter: candidates are sorted by ID first.
    expect(auditSample({ rows: [...m.rows].reverse() }, 8, 'seed-a').map((r) => r.id)).toEqual(a);
    expect(new Set(a).size).toBe(8);
    for (const id of a) expect(candidates).toContain(id);
    expect(auditSample(m, 8, 'seed-b').map((r) => r.id)).not.toEqual(a);
    expect(auditSample(m, 8, '2').map((r) => r.id)).not.toEqual(auditSample(m, 8, '1').map((r) => r.id));
    expect(auditSample(m, 100, 'x')).toHaveLength(24);
  });

  it(req(['TRACE-018'], 'unit', 'each sampled requirement is printed with its statement and the source of every test that claims it'), () => {
    const { m, root } = manyMatrix();
    const text = formatAudit(m, 3, 'seed-a', root);
    const ids = auditSample(m, 3, 'seed-a').map((r) => r.id);
    expect(text).toContain('# Sampling audit: 3 of 24 proven requirements (proven-wire or proven-peer), seed "seed-a"');
    for (const id of ids) {
      expect(text).toContain(`Statement: Requirement ${id} holds.`);
      expect(text).toContain(`'wire', 'proves ${id}'), async () => {\n  expect(await run('${id}')).toBe(1); // (a comment)\n})`);
    }
  });

  it(req(['TRACE-018'], 'unit', 'test sources are found by line, by title, through nested template literals; a run-time title is reported missing'), () => {
    const REQ = ['re', 'q'].join('');
    const src = [
      "describe('d', () => {",
      // `req` + `(` are joined at run time, so the conformance scan of this file's source does
      // not take the fixture's IDs for tags of this file.
      `  it(${REQ}('A-001', 'wire', 'first (with \\'quotes\\')'), async () => {`,
      '    const s = `x ${f(`inner ${g(")")}`)} y`;',
      "    expect(s).toBe(')');",
      '  });',
      `  for (const n of [1, 2]) it(${REQ}('A-002', 'unit', \`built \${n}\`), () => { expect(n).toBeGreaterThan(0); });`,
      '});',
    ].join('\n');
    const first = extractTestSource(src, { title: "[A-001] {wire} first (with 'quotes')" });
    expect(first).toBe(src.split('\n').slice(1, 5).join('\n').trimStart().replace(/;$/, ''));
    expect(extractTestSource(src, { title: '[A-002] {unit} built 2' })).toBeNull();
    expect(extractTestSource(src, { title: '[A-002] {unit} built 2', line: 6 })).toBe(`it(${REQ}('A-002', 'unit', \`built \${n}\`), () => { expect(n).toBeGreaterThan(0); })`);
  });

  it(req(['TRACE-011', 'TRACE-014', 'TRACE-018'], 'unit', 'the CLI prints demoted tests and, with --no-run --audit N --seed S, the same audit twice'), () => {
    const { root } = manyMatrix();
    mkdirSync(join(root, 'traceability', 'out'), { recursive: true });
    writeFileSync(join(root, 'traceability/out/vitest.json'), readFileSync(join(root, 'out.json')));
    /** Runs the command line from source in the fixture tree, capturing what it prints. */
    const run = (...args: string[]): { status: number; stdout: string } => {
      const lines: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { lines.push(a.map(String).join(' ')); });
      const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const status = main(['conformance', '--no-run', ...args], root);
        return { status, stdout: lines.map((l) => l + '\n').join('') };
      } finally {
        log.mockRestore();
        err.mockRestore();
      }
    };
    const table = run('--summary');
    expect(table.status).toBe(0);
    expect(table.stdout).toContain('requirements 30: proven-wire 24, proven-peer 0, partial 0, unit-only 6, open 0, informational 0');
    expect(table.stdout).toContain('6 tests claim more evidence than observed (6 of them passing; listed in traceability/report.md)');
    const full = run();
    expect(full.stdout).toContain('demoted: test/a.test.ts: [R-104] {wire} proves R-104: claimed {wire}, observed unit (no client traffic)');
    const one = run('--audit', '4', '--seed', 'abc');
    const two = run('--audit=4', '--seed=abc');
    expect(one.status).toBe(0);
    expect(one.stdout).toBe(two.stdout);
    expect(one.stdout).toContain('Repeat with: npm run conformance -- --no-run --audit 4 --seed abc');
    expect(one.stdout.match(/^## \d+\. R-\d+ \(proven-wire\)/gm)).toHaveLength(4);
    expect(run('--audit', '4', '--seed', 'abd').stdout).not.toBe(one.stdout);
    expect(run('--audit', 'zero').status).toBe(2);
  });
});
