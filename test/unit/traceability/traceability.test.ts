import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { computeMatrix } from '../../../traceability/src/conformance.js';
import { errorsOf, statusOf } from '../../../traceability/src/matrix.js';
import { statementChecksum, type Requirement } from '../../../traceability/src/model.js';
import { formatReport, formatTable } from '../../../traceability/src/report.js';
import { sealSpecDir, sealText } from '../../../traceability/src/seal.js';
import { scanSourceText } from '../../../traceability/src/source-scanner.js';
import { parseSpecFile, readSpec } from '../../../traceability/src/spec-reader.js';
import { parseTestTitle, readVitestReport, scanTestSourceText } from '../../../traceability/src/test-results.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'refmysql-trace-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

function entry(id: string, statement: string, tags = 'CORE, M, 8.0', checksum?: string): string {
  return `### ${id}\nStatement: ${statement}\nTags: ${tags}\nManual: https://dev.mysql.com/doc/refman/8.0/en/x.html\n`
    + (checksum === undefined ? '' : `Checksum: ${checksum}\n`) + '\n';
}

function specFile(section: string, body: string): string {
  return `---\nsection: "${section}"\ntitle: "Section ${section}"\nmanual: https://dev.mysql.com/doc/refman/8.0/en/x.html\ndecisions:\n  - "one decision"\n---\n\n# Section\n\n${body}`;
}

interface FakeTest { title: string; status: string; ancestors?: string[] }

function vitestJson(root: string, file: string, tests: FakeTest[]): string {
  return JSON.stringify({
    numTotalTests: tests.length,
    testResults: [{
      name: join(root, file),
      status: 'passed',
      assertionResults: tests.map((t) => ({
        ancestorTitles: t.ancestors ?? [], title: t.title, fullName: [...(t.ancestors ?? []), t.title].join(' '), status: t.status,
      })),
    }],
  });
}

const SUM_A = statementChecksum('Alpha behaves.');
const SUM_B = statementChecksum('Beta behaves.');

function happyTree(extra: Record<string, string> = {}, tests?: FakeTest[]): string {
  const root = tree({
    'spec/a.md': specFile('1.1', entry('ALPHA-001', 'Alpha behaves.', 'CORE, M, 8.0', SUM_A) + entry('ALPHA-002', 'Beta behaves.', 'CORE, M, 8.0', SUM_B)),
    'spec/b.md': specFile('1.2', entry('BETA-001', 'Gamma behaves.') + entry('BETA-002', 'Only documented.', 'DOC, M')),
    'spec/README.md': '# format\n\n```\n### ALPHA-001\nStatement: example only\n```\n',
    'src/alpha.ts': '/**\n * @spec https://dev.mysql.com/doc/refman/8.0/en/x.html\n * @req ALPHA-001 ALPHA-002\n */\n/** @req BETA-001 */\nexport const x = 1;\n',
    ...extra,
  });
  const list = tests ?? [
    { title: '[ALPHA-001] {wire} alpha over a socket', status: 'passed' },
    { title: '[ALPHA-002] {unit} beta unit', status: 'passed' },
    { title: '[BETA-001] {peer} gamma vs peer', status: 'failed' },
  ];
  writeFileSync(join(root, 'out.json'), vitestJson(root, 'test/a.test.ts', list));
  return root;
}

function matrixOf(root: string) {
  return computeMatrix({ root, sourceDirs: ['src'], testDirs: ['test'], vitestJson: 'out.json' });
}

describe('spec reader', () => {
  it(req(['TRACE-001'], 'unit', 'parses front matter and entries, skipping fenced examples and README.md'), () => {
    const root = happyTree();
    const spec = readSpec(join(root, 'spec'), root);
    expect([...spec.requirements.keys()]).toEqual(['ALPHA-001', 'ALPHA-002', 'BETA-001', 'BETA-002']);
    expect(spec.files[0]).toMatchObject({ file: 'spec/a.md', section: '1.1', title: 'Section 1.1', decisions: ['one decision'] });
    expect(spec.requirements.get('ALPHA-001')).toMatchObject({ statement: 'Alpha behaves.', tags: ['CORE', 'M', '8.0'], checksum: SUM_A, line: 11 });
    expect(errorsOf(spec)).toEqual([]);
  });

  it(req(['TRACE-002'], 'unit', 'a malformed heading ID is an error'), () => {
    const parsed = parseSpecFile(specFile('1', entry('alpha-1', 'Lower case.')), 'spec/x.md');
    expect(parsed.diagnostics.map((d) => d.code)).toContain('malformed-id');
  });

  it(req(['TRACE-003'], 'unit', 'a duplicate ID across files makes the check fail'), () => {
    const root = happyTree({ 'spec/c.md': specFile('1.3', entry('ALPHA-001', 'Alpha again.')) });
    const m = matrixOf(root);
    expect(errorsOf(m).map((d) => d.code)).toContain('duplicate-id');
  });

  it(req(['TRACE-003'], 'unit', 'an entry without a Statement is an error'), () => {
    const parsed = parseSpecFile(specFile('1', '### ALPHA-009\nTags: CORE\n\n'), 'spec/x.md');
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['missing-statement']);
  });
});

describe('checksums and sealing', () => {
  it(req(['TRACE-004'], 'unit', 'a changed statement under an old checksum fails; an unsealed one only warns'), () => {
    const root = happyTree({ 'spec/a.md': specFile('1.1', entry('ALPHA-001', 'Alpha changed.', 'CORE', SUM_A) + entry('ALPHA-002', 'Beta behaves.', 'CORE', SUM_B)) });
    const m = matrixOf(root);
    expect(errorsOf(m).map((d) => d.code)).toEqual(['checksum-mismatch']);
    expect(m.diagnostics.filter((d) => d.code === 'missing-checksum').length).toBe(2);
    expect(statementChecksum('  Alpha behaves. ')).toBe(SUM_A);
    expect(SUM_A).toMatch(/^[0-9a-f]{16}$/);
  });

  it(req(['TRACE-012'], 'unit', 'seal adds missing checksums and replaces a mismatch only with --force'), () => {
    const text = specFile('1', entry('ALPHA-001', 'Alpha changed.', 'CORE', SUM_A) + entry('ALPHA-002', 'Beta behaves.'));
    const plain = sealText(text, 'spec/x.md', new Set());
    expect(plain.added).toEqual(['ALPHA-002']);
    expect(plain.mismatched).toEqual(['ALPHA-001']);
    expect(plain.text).toContain(`Manual: https://dev.mysql.com/doc/refman/8.0/en/x.html\nChecksum: ${SUM_B}\n`);
    expect(plain.text).toContain(`Checksum: ${SUM_A}`);
    const forced = sealText(plain.text, 'spec/x.md', new Set(['ALPHA-001']));
    expect(forced.replaced).toEqual(['ALPHA-001']);
    expect(forced.text).toContain(`Checksum: ${statementChecksum('Alpha changed.')}`);
    expect(sealText(forced.text, 'spec/x.md', new Set()).text).toBe(forced.text);
    const root = tree({ 'spec/x.md': forced.text, 'spec/y.md': specFile('2', entry('GAMMA-001', 'G.')) });
    expect(sealSpecDir(join(root, 'spec'), new Set(), root).added).toEqual(['GAMMA-001']);
    expect(readFileSync(join(root, 'spec/y.md'), 'utf8')).toContain(`Checksum: ${statementChecksum('G.')}`);
    expect(readSpec(join(root, 'spec'), root).diagnostics).toEqual([]);
  });
});

describe('scanners', () => {
  it(req(['TRACE-005'], 'unit', '@req and @spec tags are recorded with file and line'), () => {
    const scan = scanSourceText('/**\n * @spec https://x/y.html\n * @req A-001 B-002, C-003 and more\n */\n// why. @req D-004 */\n// @req core-1\n', 'src/f.ts');
    expect(scan.tags).toEqual([
      { id: 'A-001', file: 'src/f.ts', line: 3 }, { id: 'B-002', file: 'src/f.ts', line: 3 },
      { id: 'C-003', file: 'src/f.ts', line: 3 }, { id: 'D-004', file: 'src/f.ts', line: 5 },
    ]);
    expect(scan.specs).toEqual([{ url: 'https://x/y.html', file: 'src/f.ts', line: 2 }]);
    expect(scanSourceText('// @req CORE-EXEC-5\n', 'src/g.ts').diagnostics.map((d) => d.code)).toEqual(['malformed-id']);
  });

  it(req(['TRACE-006'], 'unit', 'test titles split into IDs, evidence and text; describe tags apply'), () => {
    expect(parseTestTitle('[A-001 B-002] {wire} does a thing')).toEqual({ ids: ['A-001', 'B-002'], malformed: [], evidence: 'wire', text: 'does a thing' });
    expect(parseTestTitle('plain title')).toBeNull();
    const scan = readVitestReport(JSON.parse(vitestJson('/r', 'test/t.test.ts', [
      { title: 'inner', status: 'passed', ancestors: ['[A-001] {peer} outer'] },
      { title: 'untagged', status: 'passed' },
    ])) as unknown, '/r');
    expect(scan.tests).toEqual([{ ids: ['A-001'], evidence: 'peer', claimed: 'peer', title: 'inner', fullName: '[A-001] {peer} outer inner', file: 'test/t.test.ts', status: 'passed' }]);
  });

  it(req(['TRACE-007'], 'unit', 'req() calls in test sources are found statically'), () => {
    // Built from pieces so the repository's own static scan does not see these fixture calls.
    const call = 'it(re' + 'q(';
    const src = `${call}['A-001', 'B-002'], 'wire', 'x'), () => {});\n${call}'C-003', 'unit', \`y\`), f);\n${call}['bad-1'], 'unit', 'z'), f);\n`;
    const scan = scanTestSourceText(src, 'test/t.test.ts');
    expect(scan.tags.map((t) => `${t.id}@${t.line}`)).toEqual(['A-001@1', 'B-002@1', 'C-003@2']);
    expect(scan.diagnostics).toHaveLength(0);
  });
});

describe('matrix', () => {
  it(req(['TRACE-008', 'TRACE-010', 'TRACE-011'], 'unit', 'happy path: statuses, per-section counts, report'), () => {
    const root = happyTree();
    const m = matrixOf(root);
    expect(errorsOf(m)).toEqual([]);
    const status = Object.fromEntries(m.rows.map((r) => [r.id, r.status]));
    expect(status).toEqual({ 'ALPHA-001': 'proven-wire', 'ALPHA-002': 'unit-only', 'BETA-001': 'open', 'BETA-002': 'informational' });
    expect(m.rows.find((r) => r.id === 'BETA-001')?.sources).toEqual([{ file: 'src/alpha.ts', line: 5 }]);
    expect(m.rows.find((r) => r.id === 'BETA-001')?.tests[0]).toMatchObject({ file: 'test/a.test.ts', evidence: 'peer', status: 'failed' });
    expect(m.sections.map((s) => [s.section, s.requirements, s.provenWire, s.unitOnly, s.open, s.informational]))
      .toEqual([['1.1', 2, 1, 1, 0, 0], ['1.2', 2, 0, 0, 1, 1]]);
    expect(m.specHeaders).toEqual([{ url: 'https://dev.mysql.com/doc/refman/8.0/en/x.html', file: 'src/alpha.ts', line: 2 }]);
    expect(m.totals).toMatchObject({ requirements: 4, provenWire: 1, provenPeer: 0, unitOnly: 1, open: 1, informational: 1 });
    expect(formatTable(m, true)).toBe('requirements 4: proven-wire 1, proven-peer 0, partial 0, unit-only 1, open 1, informational 1');
    expect(formatTable(m, false).split('\n')).toHaveLength(4);
    expect(formatReport(m)).toContain('| ALPHA-001 | 1.1 | proven-wire | 1/1 passed | src/alpha.ts:3 | Alpha behaves. |');
  });

  it(req(['TRACE-008'], 'unit', 'skipped and failing tests prove nothing; peer beats wire'), () => {
    const root = happyTree({}, [
      { title: '[ALPHA-001] {peer} skipped peer', status: 'skipped' },
      { title: '[ALPHA-001] {wire} pending wire', status: 'pending' },
      { title: '[ALPHA-002] {wire} failing', status: 'failed' },
      { title: '[BETA-001] {wire} w', status: 'passed' },
      { title: '[BETA-001] {peer} p', status: 'passed' },
    ]);
    const status = Object.fromEntries(matrixOf(root).rows.map((r) => [r.id, r.status]));
    expect(status).toMatchObject({ 'ALPHA-001': 'open', 'ALPHA-002': 'open', 'BETA-001': 'proven-peer' });
    const doc: Requirement = { id: 'D-001', file: 'f', line: 1, section: '', sectionTitle: '', statement: 's', tags: ['DOC'], manual: '', checksum: null };
    expect(statusOf(doc, [{ title: 't', fullName: 't', file: 'f', evidence: 'wire', status: 'passed' }])).toBe('informational');
  });

  it(req(['TRACE-009'], 'unit', 'an unknown ID in a test title or in @req makes the check fail'), () => {
    const titled = matrixOf(happyTree({}, [{ title: '[NOPE-001] {unit} names a requirement that does not exist', status: 'passed' }]));
    expect(errorsOf(titled).map((d) => d.code)).toEqual(['unknown-id']);
    const coded = matrixOf(happyTree({ 'src/b.ts': '/** @req NOPE-002 */\n' }));
    expect(errorsOf(coded).map((d) => d.message)).toEqual(['@req NOPE-002 is not in spec/']);
    const staticOnly = matrixOf(happyTree({ 'test/x.test.ts': 'it(re' + "q('NOPE-003', 'unit', 'never ran'), f);\n" }));
    expect(errorsOf(staticOnly).map((d) => d.code)).toEqual(['unknown-id']);
    // A file that ran is judged by its runtime titles only (its source may hold fixture strings).
    const ran = happyTree({ 'test/a.test.ts': 'it(re' + "q('NOPE-004', 'unit', 'fixture text'), f);\n" });
    expect(errorsOf(matrixOf(ran))).toEqual([]);
    // Unproven requirements are reported, never errors.
    expect(errorsOf(matrixOf(happyTree({}, [])))).toEqual([]);
  });
});
