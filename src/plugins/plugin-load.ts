/**
 * Plugins named at startup: `--plugin-load=list` (replaces earlier lists) and
 * `--plugin-load-add=list` (appends), each list `[name=]library[;[name=]library...]`.
 *
 * A plugin's system variables exist only once the plugin is loaded, yet the options that set
 * them are read before the engines and plugins come up. As mysqld does, refmysqld therefore
 * makes the variables of the plugins it is about to load (named by these options, or recorded in
 * mysql.plugin by an earlier INSTALL PLUGIN) known before it applies the options, so that
 * `--group-replication-ip-allowlist=...` is honoured with `--plugin-load-add=group_replication.so`
 * and refused as an unknown variable (or ignored with `--loose-`) without it.
 *
 * A library that is not in the plugin directory is logged and skipped; the server still starts.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/plugin-loading.html
 * @req GRALLOW-022
 */
import { join } from 'node:path';
import { DICTIONARY_FILE, PLUGIN_LIST_FILE } from '../catalog/limits.js';
import { readJsonIfExistsSync } from '../util/atomic-file.js';
import type { SysVarDef } from '../server/sysvars/types.js';
import type { PluginRegistry } from './registry.js';

/** One `[name=]library` item. */
export interface PluginLoadItem {
  name: string | null;
  soname: string;
}

/** The plugin-load options in command-line order. */
export interface PluginLoadOption {
  add: boolean;
  value: string;
}

/** Resolve --plugin-load / --plugin-load-add into the items to load, in order. */
export function pluginLoadItems(options: readonly PluginLoadOption[]): PluginLoadItem[] {
  let out: PluginLoadItem[] = [];
  for (const o of options) {
    const items = o.value
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s): PluginLoadItem => {
        const eq = s.indexOf('=');
        return eq >= 0 ? { name: s.slice(0, eq).trim(), soname: s.slice(eq + 1).trim() } : { name: null, soname: s };
      });
    out = o.add ? [...out, ...items] : items;
  }
  return out;
}

/**
 * The plugins an earlier INSTALL PLUGIN recorded (mysql.plugin). The dictionary in InnoDB writes
 * them to PLUGIN_LIST_FILE for this reader, which runs before any engine; a data directory whose
 * dictionary is still the JSON file has them there.
 */
export function installedPluginItems(datadir: string): PluginLoadItem[] {
  type PluginList = { plugins?: Array<{ name: string; dl: string }> };
  const f = readJsonIfExistsSync<PluginList>(join(datadir, PLUGIN_LIST_FILE)) ?? readJsonIfExistsSync<PluginList>(join(datadir, DICTIONARY_FILE));
  return (f?.plugins ?? []).map((p) => ({ name: p.name, soname: p.dl }));
}

/** The variables each loadable library brings, by SONAME (see builtin.ts). */
export type LibraryVariables = (soname: string) => SysVarDef[];

/** What the server needs to report a library it could not load. */
export type PluginLoadLog = (code: string, message: string) => void;

/**
 * Load the items into the registry after the persisted plugins (already loaded ones are left
 * alone). Failures are logged like mysqld's and skipped.
 */
export function loadPluginItems(plugins: PluginRegistry, items: readonly PluginLoadItem[], pluginDir: string, logError: PluginLoadLog): void {
  for (const item of items) {
    const names = item.name !== null ? [item.name] : plugins.libraryPluginNames(item.soname);
    if (!plugins.hasLibrary(item.soname) || item.soname.includes('/')) {
      logError('MY-010901', `Can't open shared library '${join(pluginDir, item.soname)}' (errno: 2 cannot open shared object file: No such file or directory).`);
      logError('MY-010736', `Couldn't load plugin named '${item.name ?? ''}' with soname '${item.soname}'.`);
      continue;
    }
    for (const name of names) {
      if (plugins.plugin(name)) continue;
      try {
        plugins.install(name, item.soname, { fromOption: true });
      } catch {
        logError('MY-010900', `Can't find symbol '${name}' in library.`);
        logError('MY-010736', `Couldn't load plugin named '${name}' with soname '${item.soname}'.`);
      }
    }
  }
}
