/**
 * setup_consumers, setup_instruments and setup_actors: the configuration the statement
 * recorder follows, shown as rows (UPDATE changes them, perfschema/writes.ts).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-setup-tables.html
 * @req CORE-PFS-040 CORE-PFS-041 CORE-PFS-042
 */
import type { VirtualTable } from '../../catalog/virtual-table.js';
import { char, int, longtext, pfsTable, setCol, varchar, yesNo } from './columns.js';
import type { PfsState } from './state.js';

const yn = (b: boolean): string => (b ? 'YES' : 'NO');

/** @req CORE-PFS-040 CORE-PFS-041 CORE-PFS-042 */
export function setupTables(state: PfsState): VirtualTable[] {
  const setup = state.setup;
  return [
    pfsTable('setup_consumers', [varchar('NAME', 64, false), yesNo('ENABLED')], () => [...setup.consumers].map(([n, on]) => [n, yn(on)])),
    pfsTable(
      'setup_instruments',
      [
        varchar('NAME', 128, false), yesNo('ENABLED'), yesNo('TIMED', true),
        setCol('PROPERTIES', ['singleton', 'progress', 'user', 'global_statistics', 'mutable', 'controlled_by_default']),
        setCol('FLAGS', ['controlled'], true), int('VOLATILITY', false), longtext('DOCUMENTATION'),
      ],
      () => [...setup.instruments].map(([n, i]) => [n, yn(i.enabled), yn(i.timed), '', null, 0n, null]),
    ),
    pfsTable(
      'setup_actors',
      [char('HOST', 255), char('USER', 32), char('ROLE', 32), yesNo('ENABLED'), yesNo('HISTORY')],
      () => setup.actors.map((a) => [a.host, a.user, a.role, yn(a.enabled), yn(a.history)]),
    ),
  ];
}
