import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { ErrorLog, formatLogLine, logTimestamp } from '../../../src/server/error-log.js';
import { generateTemporaryPassword } from '../../../src/server/datadir.js';

describe('error log', () => {
  it(req(['CORE-SRV-010'], 'unit', 'MySQL 8.0 line format with UTC microsecond timestamps'), () => {
    const line = formatLogLine('System', 'MY-010116', 'Server', 'hello', 0, new Date(Date.UTC(2026, 10, 22, 5, 0, 0, 123)));
    expect(line).toBe('2026-11-22T05:00:00.123000Z 0 [System] [MY-010116] [Server] hello');
    expect(logTimestamp()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const log = ErrorLog.memory();
    log.warning('MY-010453', 'x');
    expect(log.captured[0]).toMatch(/ 0 \[Warning\] \[MY-010453\] \[Server\] x$/);
    log.error('MY-010119', 'Aborting');
    expect(log.captured[1]).toMatch(/ 0 \[ERROR\] \[MY-010119\] \[Server\] Aborting$/);
  });

  it(req(['CORE-SRV-010'], 'unit', 'log_error_verbosity filters notes and warnings, never System or ERROR lines'), () => {
    const log = ErrorLog.memory();
    let v = 1;
    log.setVerbosity(() => v);
    log.note('MY-1', 'n');
    log.warning('MY-2', 'w');
    log.error('MY-3', 'e');
    log.system('MY-4', 's');
    v = 2;
    log.note('MY-5', 'n');
    log.warning('MY-6', 'w');
    v = 3;
    log.note('MY-7', 'n');
    expect(log.captured.map((l) => /\[(MY-\d)\]/.exec(l)![1])).toEqual(['MY-3', 'MY-4', 'MY-6', 'MY-7']);
  });

  it(req(['CORE-SRV-021'], 'unit', 'temporary passwords mix character classes'), () => {
    for (let i = 0; i < 50; i++) {
      const p = generateTemporaryPassword();
      expect(p).toHaveLength(12);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/[^a-zA-Z0-9]/);
    }
  });
});
