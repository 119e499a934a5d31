/**
 * Tablespace discovery, the first step of recovery: find every file-per-table tablespace in
 * the directories InnoDB scans (the data directory, innodb_data_home_dir, innodb_undo_directory
 * and innodb_directories; the caller assembles the list) and in their immediate
 * subdirectories, which are the schema directories, and learn each file's space id from its
 * page 0. Redo for a space id is applied to the file found here.
 *
 * A file that cannot be read, a damaged page 0, or a second file with a space id already found
 * is reported as a problem with its path, never thrown: the startup decides what a problem
 * means (a missing tablespace the redo log needs stops recovery, INNODB-REC-032).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-recovery.html (15.18.2 InnoDB Recovery)
 * @req INNODB-REC-011 INNODB-REC-030
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TABLESPACE_FILE_EXT } from './limits.js';
import { readTablespaceHeader, type StoredTablespaceHeader } from './tablespace-image.js';

export interface DiscoveredTablespace {
  path: string;
  header: StoredTablespaceHeader;
}

export interface DiscoveryResult {
  /** By space id; the first file found for an id (in scan order) wins. */
  found: Map<number, DiscoveredTablespace>;
  problems: { path: string; error: string }[];
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Scan `dirs` (in order; a directory listed twice is scanned once) and their immediate
 * subdirectories, entries in name order, for `*.ibd` files, and read page 0 of each.
 * @req INNODB-REC-011 INNODB-REC-030
 */
export async function discoverTablespaces(dirs: readonly string[]): Promise<DiscoveryResult> {
  const found = new Map<number, DiscoveredTablespace>();
  const problems: DiscoveryResult['problems'] = [];
  const files: string[] = [];
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();

  const list = async (dir: string, depth: number): Promise<void> => {
    const abs = resolve(dir);
    if (seenDirs.has(abs)) return;
    seenDirs.add(abs);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      problems.push({ path: dir, error: message(e) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      const path = join(dir, ent.name);
      if (ent.isFile() && ent.name.endsWith(TABLESPACE_FILE_EXT)) {
        if (!seenFiles.has(resolve(path))) files.push(path);
        seenFiles.add(resolve(path));
      } else if (ent.isDirectory() && depth === 0) {
        await list(path, 1);
      }
    }
  };
  for (const d of dirs) await list(d, 0);

  for (const path of files) {
    try {
      const header = await readTablespaceHeader(path);
      const first = found.get(header.spaceId);
      if (first) problems.push({ path, error: `space id ${header.spaceId} is also used by '${first.path}'` });
      else found.set(header.spaceId, { path, header });
    } catch (e) {
      problems.push({ path, error: message(e) });
    }
  }
  return { found, problems };
}
