/**
 * The table lock modes (read, read-no-insert, concurrent-insert, write) driven directly: the
 * compatibility table, the engine's say on concurrent inserts, re-checked while an insert
 * waits, and the grant / release hooks readers use to fix their view.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { modeCovers, TableLockManager, type TableLockMode } from '../../../src/exec/locks/table-locks.js';
import type { LockOwner, WaitEdge } from '../../../src/exec/locks/wait-graph.js';

const owner = (id: number): LockOwner & { waitingFor: WaitEdge | null } => ({ id, waitingFor: null });
const MODES: TableLockMode[] = ['read', 'read-no-insert', 'concurrent-insert', 'write'];

/** Row: held lock; column: request by another owner; '+' granted at once, '-' waits. */
const TABLE = `
read              + + + -
read-no-insert    + + - -
concurrent-insert + - - -
write             - - - -
`;

describe('table lock modes', () => {
  it(req(['CORE-LOCK-009', 'MYISAM-021'], 'unit', 'the compatibility table of read, read-no-insert, concurrent-insert and write (the engine allowing the insert)'), () => {
    const rows = TABLE.trim().split('\n');
    let checked = 0;
    for (const line of rows) {
      const [held, ...cells] = line.trim().split(/\s+/);
      MODES.forEach((want, i) => {
        const m = new TableLockManager();
        const allow = { concurrentInsertAllowed: () => true };
        m.request(owner(1), 'k', 'db', 't', held as TableLockMode, held === 'concurrent-insert' ? allow : null);
        const t = m.request(owner(2), 'k', 'db', 't', want, want === 'concurrent-insert' ? allow : null);
        expect({ held, want, status: t.status }).toEqual({ held, want, status: cells[i] === '+' ? 'GRANTED' : 'PENDING' });
        checked++;
      });
    }
    expect(checked).toBe(16);
  });

  it(req(['MYISAM-021', 'MYISAM-035'], 'unit', 'a concurrent insert the engine refuses waits for readers like a write, and is asked again when they go'), () => {
    const m = new TableLockManager();
    let allowed = false;
    let asked = 0;
    const reader = m.request(owner(1), 'k', 'db', 't', 'read');
    const ins = m.request(owner(2), 'k', 'db', 't', 'concurrent-insert', {
      concurrentInsertAllowed: () => {
        asked++;
        return allowed;
      },
    });
    expect(ins.status).toBe('PENDING');
    expect(asked).toBeGreaterThan(0);
    // A reader arriving behind the waiting insert queues behind it (first come, first served).
    const late = m.request(owner(3), 'k', 'db', 't', 'read');
    expect(late.status).toBe('PENDING');
    allowed = true;
    m.release(reader);
    expect([ins.status, late.status]).toEqual(['GRANTED', 'GRANTED']);
    // The same owner's own locks never block it; a second insert by another owner waits.
    expect(m.request(owner(2), 'k', 'db', 't', 'read').status).toBe('GRANTED');
    expect(m.request(owner(4), 'k', 'db', 't', 'concurrent-insert', { concurrentInsertAllowed: () => true }).status).toBe('PENDING');
  });

  it(req(['MYISAM-021'], 'unit', 'hooks: granted runs at the grant (at once or when the wait ends), released at the release'), () => {
    const m = new TableLockManager();
    const log: string[] = [];
    const w = m.request(owner(1), 'k', 'db', 't', 'write');
    const r = m.request(owner(2), 'k', 'db', 't', 'read', { granted: () => log.push('granted'), released: () => log.push('released') });
    expect(log).toEqual([]);
    m.release(w);
    expect(log).toEqual(['granted']);
    m.release(r);
    expect(log).toEqual(['granted', 'released']);
    const now = m.request(owner(3), 'k', 'db', 't', 'read', { granted: () => log.push('again') });
    expect(now.status).toBe('GRANTED');
    expect(log).toEqual(['granted', 'released', 'again']);
  });

  it(req(['CORE-LOCK-009'], 'unit', 'a held mode covers a request of the same owner: write all, concurrent-insert and read-no-insert a read'), () => {
    const covered = MODES.map((held) => MODES.filter((want) => modeCovers(held, want)).join(','));
    expect(covered).toEqual(['read', 'read,read-no-insert', 'read,concurrent-insert', 'read,read-no-insert,concurrent-insert,write']);
  });
});
