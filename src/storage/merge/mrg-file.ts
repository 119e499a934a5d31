/**
 * The `.MRG` file of a MERGE table: a plain text list of its children, one per line, then the
 * insert method. A child in the MERGE table's own schema is written as its file name; a child in
 * another schema as `./<schema dir>/<file name>`. The last line is `#INSERT_METHOD=FIRST` or
 * `#INSERT_METHOD=LAST`, and absent when inserts are refused. Names are encoded as the server
 * encodes file names, so the file reads the same as the one MySQL writes.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/merge-storage-engine.html (16.7)
 * @req MERGE-006 MERGE-007
 */
import { decodeFileName, encodeFileName } from '../../kernel/file-names.js';
import type { InsertMethod, MergeChildName } from './union-list.js';

export interface MrgContents {
  children: MergeChildName[];
  insertMethod: InsertMethod;
}

/** The text of the `.MRG` file of a table in `schema`. */
export function formatMrgFile(schema: string, contents: MrgContents): string {
  const lines = contents.children.map((c) =>
    c.schema === schema ? encodeFileName(c.name) : `./${encodeFileName(c.schema)}/${encodeFileName(c.name)}`,
  );
  if (contents.insertMethod !== 'NO') lines.push(`#INSERT_METHOD=${contents.insertMethod}`);
  return lines.map((l) => l + '\n').join('');
}

/** Read a `.MRG` file's text back (children of `schema` unless a line names another). */
export function parseMrgFile(schema: string, text: string): MrgContents {
  const children: MergeChildName[] = [];
  let insertMethod: InsertMethod = 'NO';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^#INSERT_METHOD=(FIRST|LAST)$/.exec(line);
      if (m) insertMethod = m[1] as InsertMethod;
      continue;
    }
    const other = /^\.\/([^/]+)\/(.+)$/.exec(line);
    if (other) children.push({ schema: decodeFileName(other[1]!), name: decodeFileName(other[2]!) });
    else children.push({ schema, name: decodeFileName(line) });
  }
  return { children, insertMethod };
}
