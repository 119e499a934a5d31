/**
 * Tests of the pure parts of the mtr peer runner (scripts/lib/mtr-runner.mjs) that the
 * mtr-innodb and mtr-engines configurations share: naming tests by suite, the command line,
 * .opt options, leaving out mtr.add_suppression() calls, and the failure detail of an mtr log.
 * The runs themselves need mariadb-test and are reported, not tested (spec/peers-mtr-*.md).
 *
 * @spec https://mariadb.com/kb/en/mariadb-test-run-pl-options/
 * @req INNODB-PEER-102 ENGINE-PEER-001
 */
import { describe, expect, it } from 'vitest';
import { failureDetail, parseArgs, qualifyTest, stripSuppressions, testOptions, type MtrSuiteConfig } from '../../scripts/lib/mtr-runner.mjs';
import { req } from '../helpers/req.js';

const multi: MtrSuiteConfig = {
  name: 'mtr-test',
  script: 'scripts/x.mjs',
  suites: { csv: { t: 'suite/csv', r: 'suite/csv' }, main: { t: 'main', r: 'main' }, federated: { t: 'suite/federated', r: 'suite/federated' } },
  selection: ['csv.csv', 'main.merge', 'main.myisam'],
  skip: { 'federated.federated': 'needs a second server' },
  triage: {},
};
const single: MtrSuiteConfig = { ...multi, suites: { innodb: { t: 'suite/innodb/t', r: 'suite/innodb/r' } }, selection: ['innodb.row_lock'], skip: {} };

describe('mtr runner', () => {
  it(req('ENGINE-PEER-001', 'unit', 'a test name without its suite is found in the selection, or takes the only suite'), () => {
    expect(qualifyTest(multi, 'merge')).toBe('main.merge');
    expect(qualifyTest(multi, 'federated')).toBe('federated.federated');
    expect(qualifyTest(multi, 'csv.csv')).toBe('csv.csv');
    expect(() => qualifyTest(multi, 'nope')).toThrow(/give its suite/);
    expect(() => qualifyTest(multi, 'innodb.row_lock')).toThrow(/suite innodb is not one of/);
    expect(qualifyTest(single, 'innodb-rollback')).toBe('innodb.innodb-rollback');
    expect(qualifyTest(single, 'innodb.row_lock')).toBe('innodb.row_lock');
  });

  it(req(['INNODB-PEER-102', 'ENGINE-PEER-001'], 'unit', 'the command line selects tests and suites; skipped tests are part of the default run'), () => {
    expect(parseArgs(multi, []).tests).toEqual(['csv.csv', 'main.merge', 'main.myisam', 'federated.federated']);
    expect(parseArgs(multi, ['--suites', 'main']).tests).toEqual(['main.merge', 'main.myisam']);
    expect(parseArgs(single, ['--tests', 'row_lock,innodb.innodb-rollback', '--timeout', '30', '--keep'])).toMatchObject({
      tests: ['innodb.row_lock', 'innodb.innodb-rollback'],
      timeout: 30,
      keep: true,
    });
    expect(() => parseArgs(multi, ['--suites', 'archive'])).toThrow(/archive is not one of/);
    expect(() => parseArgs(multi, ['--bogus'])).toThrow(/unknown option --bogus \(see the header of scripts\/x.mjs\)/);
  });

  it(req('INNODB-PEER-102', 'unit', '.opt options are given as --loose- options; options naming mtr variables are dropped'), () => {
    expect(testOptions('--innodb_lock_wait_timeout=1\n--loose-innodb-foo=2 --plugin-load-add=$HA_X_SO  x')).toEqual([
      '--loose-innodb_lock_wait_timeout=1',
      '--loose-innodb-foo=2',
    ]);
  });

  it(req('ENGINE-PEER-001', 'unit', 'one-line mtr.add_suppression() calls are left out of a test and its result, nothing else'), () => {
    const text = [
      '--source include/have_csv.inc',
      'call mtr.add_suppression("Table \'t1\' is marked as crashed");',
      '  CALL mtr.add_suppression(\'x\') ;',
      'call mtr.add_suppression("multi',
      '  line");',
      'SELECT "call mtr.add_suppression(1);";',
      'CREATE TABLE t1 (a INT) ENGINE=CSV;',
    ].join('\n');
    expect(stripSuppressions(text).split('\n')).toEqual([
      '--source include/have_csv.inc',
      'call mtr.add_suppression("multi',
      '  line");',
      'SELECT "call mtr.add_suppression(1);";',
      'CREATE TABLE t1 (a INT) ENGINE=CSV;',
    ]);
  });

  it(req('INNODB-PEER-102', 'unit', 'the failure detail names the failing line and query, or the first differing result lines'), () => {
    const failed = [
      'main.myisam-blob  [ fail ]',
      "mysqltest: At line 11: query 'CREATE TABLE t1 (data LONGBLOB) ENGINE=myisam' failed: ER_UNKNOWN_STORAGE_ENGINE (1286): Unknown storage engine 'myisam'",
      '',
    ].join('\n');
    expect(failureDetail(failed)).toBe("At line 11: query 'CREATE TABLE t1 (data LONGBLOB) ENGINE=myisam' failed: ER_UNKNOWN_STORAGE_ENGINE (1286): Unknown storage engine 'myisam'");
    const differs = ['Result content mismatch', '--- a.result', '+++ a.reject', '@@ -1,2 +1,2 @@', ' x', '-  `a` int(11) DEFAULT NULL,', '+  `a` int DEFAULT NULL,'].join('\n');
    expect(failureDetail(differs)).toBe('result differs: -  `a` int(11) DEFAULT NULL, | +  `a` int DEFAULT NULL,');
  });
});
