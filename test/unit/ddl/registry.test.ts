/**
 * The plugin registry: SHOW ENGINES rows, aliases, install/uninstall errors.
 */
import { describe, expect, it } from 'vitest';
import { createPluginRegistry } from '../../../src/plugins/builtin.js';
import { SqlError } from '../../../src/kernel/errors.js';
import { req } from '../../helpers/req.js';

function errno(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    return (e as SqlError).errno;
  }
  return 0;
}

describe('plugin registry', () => {
  it(req(['ENGINE-LIST-005', 'ENGINE-LIST-007'], 'unit', 'SHOW ENGINES rows: InnoDB, MEMORY, MyISAM, PERFORMANCE_SCHEMA and Support NO placeholders'), () => {
    const r = createPluginRegistry();
    const rows = r.engineRows('InnoDB');
    expect(rows).toContainEqual(['MEMORY', 'YES', 'Hash based, stored in memory, useful for temporary tables', 'NO', 'NO', 'NO']);
    expect(rows).toContainEqual(['PERFORMANCE_SCHEMA', 'YES', 'Performance Schema', 'NO', 'NO', 'NO']);
    expect(rows).toContainEqual(['FEDERATED', 'NO', 'Federated MySQL storage engine', null, null, null]);
    expect(rows).toContainEqual(['InnoDB', 'DEFAULT', 'Supports transactions, row-level locking, and foreign keys', 'YES', 'YES', 'YES']);
    expect(rows).toContainEqual(['MyISAM', 'YES', 'MyISAM storage engine', 'NO', 'NO', 'NO']);
    expect(rows.filter((x) => x[1] === 'DEFAULT').length).toBe(1);
    expect(rows.find((x) => x[0] === 'EXAMPLE')).toBeUndefined();
  });

  it(req(['ENGINE-LIST-010'], 'unit', 'aliases and case-insensitive engine names'), () => {
    const r = createPluginRegistry();
    expect(r.engine('heap')?.name).toBe('MEMORY');
    expect(r.engine('Memory')?.name).toBe('MEMORY');
    expect(r.canonicalEngineName('innobase')).toBe('InnoDB');
    expect(r.canonicalEngineName('merge')).toBe('MRG_MYISAM');
    expect(r.engine('myisam')?.name).toBe('MyISAM');
    expect(r.engine('merge')?.name).toBe('MRG_MYISAM');
    expect(r.engine('MRG_MyISAM')?.name).toBe('MRG_MYISAM');
    expect(errno(() => r.requireEngine('nosuch'))).toBe(1286);
  });

  it(req(['PLUGGABLE-012', 'PLUGGABLE-014'], 'unit', 'install/uninstall errors'), () => {
    const r = createPluginRegistry();
    expect(errno(() => r.install('example', 'dir/ha_example.so'))).toBe(1124);
    expect(errno(() => r.install('example', 'ha_nosuch.so'))).toBe(1126);
    expect(errno(() => r.install('nosuch', 'ha_example.so'))).toBe(1127);
    r.install('example', 'ha_example.so');
    expect(errno(() => r.install('EXAMPLE', 'ha_example.so'))).toBe(1125);
    expect(r.installedRows()).toEqual([{ name: 'EXAMPLE', dl: 'ha_example.so' }]);
    expect(errno(() => r.uninstall('memory'))).toBe(1619);
    r.uninstall('example');
    expect(errno(() => r.uninstall('example'))).toBe(1305);
  });
});
