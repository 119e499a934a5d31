/**
 * Names on disk: how schema and table names become directory and file names, so that every
 * engine that keeps files (InnoDB's .ibd, MyISAM's .MYD/.MYI, CSV, ARCHIVE) and the dictionary
 * agree on them.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/identifier-mapping.html (9.2.4)
 * @req ENGINE-SET-014
 */
/**
 * Encode a name for use as a file or directory name. ASCII letters, digits and `_` stay as they
 * are; every other character becomes `@` followed by four lower-case hex digits of its code unit
 * (so `a-b` -> `a@002db`, `a.b` -> `a@002eb`). MySQL maps some non-ASCII letters to shorter
 * codes; we use the uniform four-digit form, which MySQL also reads back.
 * @req ENGINE-SET-014
 */
export function encodeFileName(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ch = name[i]!;
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || ch === '_') out += ch;
    else out += '@' + c.toString(16).padStart(4, '0');
  }
  return out;
}

/** Inverse of {@link encodeFileName}. */
export function decodeFileName(file: string): string {
  return file.replace(/@([0-9a-f]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

