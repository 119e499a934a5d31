/**
 * The FEDERATED load option: --federated (bare, =ON, =FORCE) enables the engine; none, --skip-federated,
 * --disable-federated and --federated=OFF leave it disabled; and the plugin registry lists a
 * disabled built-in engine as DISABLED / Support NO without making it usable.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { SysVarRegistry } from '../../../src/server/sysvars/index.js';
import { parseServerOptions } from '../../../src/server/options.js';
import { federatedEnabled } from '../../../src/server/server.js';
import { createPluginRegistry } from '../../../src/plugins/builtin.js';

function enabled(argv: string[]): boolean {
  const r = SysVarRegistry.withCoreVariables();
  return federatedEnabled(parseServerOptions(['--no-defaults', ...argv], r, { cwd: '/tmp', home: '/nonexistent' }));
}

describe('--federated', () => {
  it(req(['FEDERATED-003'], 'unit', 'the option turns the engine on; without it, or with skip/disable/OFF, it stays off'), () => {
    expect([enabled([]), enabled(['--skip-federated']), enabled(['--disable-federated']), enabled(['--federated=OFF']), enabled(['--federated=0'])]).toEqual([false, false, false, false, false]);
    expect([enabled(['--federated']), enabled(['--federated=ON']), enabled(['--enable-federated']), enabled(['--federated=FORCE'])]).toEqual([true, true, true, true]);
    // A later setting wins, as for any option.
    expect(enabled(['--federated', '--skip-federated'])).toBe(false);
  });

  it(req(['FEDERATED-003'], 'unit', 'a disabled FEDERATED is DISABLED in SHOW PLUGINS, NO in SHOW ENGINES, and no usable engine'), () => {
    const off = createPluginRegistry();
    expect(off.engine('FEDERATED')).toBeUndefined();
    expect(off.showPluginRows().filter((r) => r[0] === 'FEDERATED')).toEqual([['FEDERATED', 'DISABLED', 'STORAGE ENGINE', null, 'GPL']]);
    expect(off.engineRows('InnoDB').filter((r) => r[0] === 'FEDERATED')).toEqual([['FEDERATED', 'NO', 'Federated MySQL storage engine', null, null, null]]);
    const on = createPluginRegistry({ federated: { enabled: true } });
    expect(on.engine('federated')?.name).toBe('FEDERATED');
    expect(on.engineRows('InnoDB').filter((r) => r[0] === 'FEDERATED')).toEqual([['FEDERATED', 'YES', 'Federated MySQL storage engine', 'NO', 'NO', 'NO']]);
  });
});
