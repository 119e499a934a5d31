/**
 * The pieces of the monitor's text: section rules, two-decimal rates, integer shares that sum
 * to their total, and the hash-table sizing that gives the AHI's "Hash table size".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ahiPartitionCells, hashTableCells, padLabel, rate, sectionHeader, shareOf } from '../../../../src/storage/innodb/srv/monitor-text.js';
import { req } from '../../../helpers/req.js';

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

describe('monitor text', () => {
  it(req(['INNODB-MON-002'], 'unit', 'a section title is framed by dash rules as long as the title unless told otherwise'), () => {
    expect(sectionHeader('LOG')).toBe('---\nLOG\n---\n');
    expect(sectionHeader('BACKGROUND THREAD')).toBe(`${'-'.repeat(17)}\nBACKGROUND THREAD\n${'-'.repeat(17)}\n`);
    expect(sectionHeader('INDIVIDUAL BUFFER POOL INFO', 22)).toBe(`${'-'.repeat(22)}\nINDIVIDUAL BUFFER POOL INFO\n${'-'.repeat(22)}\n`);
  });

  it(req(['INNODB-MON-017'], 'unit', 'rates always have two decimals and never divide by zero'), () => {
    expect(rate(0, 1)).toBe('0.00');
    expect(rate(7, 2)).toBe('3.50');
    expect(rate(5, 0)).toBe('0.00');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1e6 }), (d, s) => {
        expect(rate(d, s)).toMatch(/^\d+\.\d\d$/);
      }),
    );
  });

  it(req(['INNODB-MON-014'], 'unit', 'the shares of a total over n parts are integers that sum to the total'), () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 64 }), (total, parts) => {
        let sum = 0;
        for (let i = 0; i < parts; i++) {
          const sh = shareOf(total, parts, i);
          expect(Number.isInteger(sh)).toBe(true);
          sum += sh;
        }
        expect(sum).toBe(total);
      }),
    );
  });

  it(req(['INNODB-MON-011'], 'unit', 'AHI partitions are sized as InnoDB sizes them: 34679 cells for 128 MiB in 8 parts, 553253 for 2 GiB'), () => {
    expect(ahiPartitionCells(128 * 1024 * 1024, 8)).toBe(34679);
    expect(ahiPartitionCells(2 * 1024 * 1024 * 1024, 8)).toBe(553253);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000_000 }), (n) => {
        const cells = hashTableCells(n);
        expect(isPrime(cells)).toBe(true);
        expect(cells).toBeGreaterThan(n);
      }),
      { numRuns: 200 },
    );
  });

  it(req(['INNODB-MON-012'], 'unit', 'labels are padded to their column'), () => {
    expect(padLabel('Log sequence number', 29)).toBe('Log sequence number          ');
    expect(padLabel('x'.repeat(40), 29)).toBe('x'.repeat(40));
  });
});
