/**
 * `group_replication.so` in refmysql's virtual plugin directory: the library whose one plugin,
 * group_replication (type GROUP REPLICATION), loads the {@link GroupReplicationPlugin}, and the
 * executor's START / STOP GROUP_REPLICATION entry point.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-replication-ip-address-permissions.html
 * @req GRALLOW-001 GRALLOW-007 GRALLOW-022 GRALLOW-023
 */
import type { GroupReplicationApi } from '../exec/deps.js';
import type { PluginLibrary } from '../plugins/registry.js';
import type { GroupReplicationPlugin } from './plugin.js';

export const GROUP_REPLICATION_SONAME = 'group_replication.so';

/** The loadable library. */
export function groupReplicationLibrary(plugin: GroupReplicationPlugin): PluginLibrary {
  return {
    soname: GROUP_REPLICATION_SONAME,
    plugins: () => [
      {
        name: 'group_replication',
        type: 'GROUP REPLICATION',
        description: 'Group Replication (1.1.0)',
        author: 'Oracle Corporation',
        version: '1.1',
        license: 'GPL',
        onLoad: () => plugin.load(),
        onUnload: () => plugin.unload(),
      },
    ],
  };
}

/** What the executor calls for START / STOP GROUP_REPLICATION. */
export function groupReplicationApi(plugin: GroupReplicationPlugin): GroupReplicationApi {
  return {
    execute: (head, ctx) => (head === 'START GROUP_REPLICATION' ? plugin.start(ctx) : plugin.stop(ctx)),
  };
}
