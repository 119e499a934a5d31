/**
 * The engine-choice rules as functions: disabled_storage_engines list matching (names and
 * aliases, any case, spaces around commas; random text never throws) and the CREATE / ALTER
 * decisions for a disabled engine with and without NO_ENGINE_SUBSTITUTION.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/storage-engine-setting.html
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engineForAlter, engineForCreate, isEngineDisabled } from '../../../src/exec/ddl/engine-choice.js';
import type { ExecSession } from '../../../src/exec/exec-session.js';
import type { Value } from '../../../src/kernel/value.js';
import { createPluginRegistry } from '../../../src/plugins/builtin.js';
import { req } from '../../helpers/req.js';

const plugins = createPluginRegistry();

/** A session carrying just what engine choice reads: variables, sql_mode and warnings. */
function session(vars: Record<string, Value>, modes: string[] = ['NO_ENGINE_SUBSTITUTION']): { s: ExecSession; warnings: string[] } {
  const warnings: string[] = [];
  const s = {
    sysvar: (n: string): Value => vars[n] ?? null,
    sqlMode: () => new Set(modes),
    warn: (_level: string, code: string, ...args: unknown[]) => warnings.push(`${code}(${args.join(',')})`),
  };
  return { s: s as unknown as ExecSession, warnings };
}

/** Spellings of each engine ENGINE= accepts. */
const SPELLINGS: Record<string, readonly string[]> = { InnoDB: ['InnoDB', 'innobase'], MEMORY: ['MEMORY', 'heap'], BLACKHOLE: ['BLACKHOLE'] };

const randomCase = (s: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((flags) => [...s].map((ch, i) => (flags[i] ? ch.toUpperCase() : ch.toLowerCase())).join(''));

describe('disabled_storage_engines', () => {
  it(req(['ENGINE-SET-015'], 'unit', 'a list of engine names and aliases in any case, with spaces around the commas, disables exactly the engines it names; random text never throws'), () => {
    const entry = fc.constantFrom(...Object.entries(SPELLINGS).flatMap(([e, names]) => names.map((n) => [e, n] as const)));
    fc.assert(
      fc.property(fc.array(fc.tuple(entry, fc.boolean(), fc.constantFrom('', ' ', '  ')), { maxLength: 5 }), (items) => check(items)),
      { numRuns: 200 },
    );
    function check(items: [readonly [string, string], boolean, string][]): boolean {
      const text = items.map(([[, n], upper, pad]) => pad + (upper ? n.toUpperCase() : n.toLowerCase()) + pad).join(',');
      const named = new Set(items.map(([[e]]) => e));
      const { s } = session({ disabled_storage_engines: text });
      for (const name of Object.keys(SPELLINGS)) expect(isEngineDisabled(plugins, s, plugins.engine(name)!), `${name} in '${text}'`).toBe(named.has(name));
      return true;
    }
    fc.assert(
      fc.property(fc.string(), (text) => {
        const { s } = session({ disabled_storage_engines: text });
        for (const name of Object.keys(SPELLINGS)) expect(typeof isEngineDisabled(plugins, s, plugins.engine(name)!)).toBe('boolean');
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(randomCase('blackhole'), (spelled) => {
        const { s } = session({ disabled_storage_engines: `memory,${spelled}` });
        expect(isEngineDisabled(plugins, s, plugins.engine('BLACKHOLE')!)).toBe(true);
        expect(isEngineDisabled(plugins, s, plugins.engine('InnoDB')!)).toBe(false);
      }),
    );
  });

  it(req(['ENGINE-SET-015', 'ENGINE-SET-008', 'ENGINE-SET-010'], 'unit', 'CREATE with a disabled engine: 3161 under NO_ENGINE_SUBSTITUTION, else the default engine with warnings 3161 and 1266; ALTER keeps the current engine; a rebuild in the same engine is allowed'), () => {
    const vars = { disabled_storage_engines: 'BLACKHOLE', default_storage_engine: 'InnoDB', default_tmp_storage_engine: 'MEMORY' };
    const strict = session(vars);
    expect(() => engineForCreate(plugins, strict.s, 'blackhole', 't', false)).toThrow(expect.objectContaining({ errno: 3161, message: 'Storage engine BLACKHOLE is disabled (Table creation is disallowed).' }));
    expect(engineForCreate(plugins, strict.s, 'heap', 't', false).name).toBe('MEMORY');
    expect(engineForCreate(plugins, strict.s, undefined, 't', true).name).toBe('MEMORY');
    const loose = session(vars, []);
    expect(engineForCreate(plugins, loose.s, 'BLACKHOLE', 't', true).name).toBe('MEMORY');
    expect(loose.warnings).toEqual(['ER_DISABLED_STORAGE_ENGINE(BLACKHOLE)', "ER_WARN_USING_OTHER_HANDLER(MEMORY,t)"]);
    const innodb = plugins.engine('InnoDB')!;
    const blackhole = plugins.engine('BLACKHOLE')!;
    expect(() => engineForAlter(plugins, strict.s, 'BLACKHOLE', 't', innodb)).toThrow(expect.objectContaining({ errno: 3161 }));
    expect(engineForAlter(plugins, strict.s, 'BLACKHOLE', 't', blackhole)).toBe(blackhole);
    const alterLoose = session(vars, []);
    expect(engineForAlter(plugins, alterLoose.s, 'BLACKHOLE', 't', innodb)).toBe(innodb);
    expect(alterLoose.warnings).toEqual(['ER_DISABLED_STORAGE_ENGINE(BLACKHOLE)', 'ER_WARN_USING_OTHER_HANDLER(InnoDB,t)']);
    // The default engine itself disabled: nothing to substitute.
    const dflt = session({ ...vars, disabled_storage_engines: 'innodb' }, []);
    expect(() => engineForCreate(plugins, dflt.s, undefined, 't', false)).toThrow(expect.objectContaining({ errno: 3161 }));
    expect(() => engineForCreate(plugins, dflt.s, 'InnoDB', 't', false)).toThrow(expect.objectContaining({ errno: 3161 }));
  });
});
