/**
 * The character sets and collations refmysql knows, with the attributes that SHOW CHARACTER SET,
 * SHOW COLLATION and information_schema report.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/charset-charsets.html
 * @req CORE-TYPE-010 CORE-TYPE-011
 */

export interface CharsetInfo {
  name: string;
  description: string;
  defaultCollation: string;
  /** Maximum bytes per character. */
  maxlen: number;
}

export interface CollationInfo {
  name: string;
  charset: string;
  id: number;
  isDefault: boolean;
  compiled: boolean;
  sortlen: number;
  pad: 'PAD SPACE' | 'NO PAD';
  /** How strings compare: drives compareStrings/sortKey. */
  rule: 'uca_ai_ci' | 'uca_as_cs' | 'bin' | 'general_ci' | 'swedish_ci' | 'binary' | 'ascii_ci';
}

/** @req CORE-TYPE-010 */
export const CHARSETS: readonly CharsetInfo[] = [
  { name: 'ascii', description: 'US ASCII', defaultCollation: 'ascii_general_ci', maxlen: 1 },
  { name: 'binary', description: 'Binary pseudo charset', defaultCollation: 'binary', maxlen: 1 },
  { name: 'latin1', description: 'cp1252 West European', defaultCollation: 'latin1_swedish_ci', maxlen: 1 },
  { name: 'utf8mb3', description: 'UTF-8 Unicode', defaultCollation: 'utf8mb3_general_ci', maxlen: 3 },
  { name: 'utf8mb4', description: 'UTF-8 Unicode', defaultCollation: 'utf8mb4_0900_ai_ci', maxlen: 4 },
];

function c(name: string, charset: string, id: number, isDefault: boolean, sortlen: number, pad: CollationInfo['pad'], rule: CollationInfo['rule']): CollationInfo {
  return { name, charset, id, isDefault, compiled: true, sortlen, pad, rule };
}

/** @req CORE-TYPE-011 */
export const COLLATIONS: readonly CollationInfo[] = [
  c('ascii_general_ci', 'ascii', 11, true, 1, 'PAD SPACE', 'ascii_ci'),
  c('ascii_bin', 'ascii', 65, false, 1, 'PAD SPACE', 'bin'),
  c('binary', 'binary', 63, true, 1, 'NO PAD', 'binary'),
  c('latin1_swedish_ci', 'latin1', 8, true, 1, 'PAD SPACE', 'swedish_ci'),
  c('latin1_general_ci', 'latin1', 48, false, 1, 'PAD SPACE', 'general_ci'),
  c('latin1_bin', 'latin1', 47, false, 1, 'PAD SPACE', 'bin'),
  c('utf8mb3_general_ci', 'utf8mb3', 33, true, 1, 'PAD SPACE', 'general_ci'),
  c('utf8mb3_bin', 'utf8mb3', 83, false, 1, 'PAD SPACE', 'bin'),
  c('utf8mb3_unicode_ci', 'utf8mb3', 192, false, 8, 'PAD SPACE', 'general_ci'),
  c('utf8mb4_general_ci', 'utf8mb4', 45, false, 1, 'PAD SPACE', 'general_ci'),
  c('utf8mb4_bin', 'utf8mb4', 46, false, 1, 'PAD SPACE', 'bin'),
  c('utf8mb4_unicode_ci', 'utf8mb4', 224, false, 8, 'PAD SPACE', 'general_ci'),
  c('utf8mb4_0900_ai_ci', 'utf8mb4', 255, true, 0, 'NO PAD', 'uca_ai_ci'),
  c('utf8mb4_0900_as_ci', 'utf8mb4', 305, false, 0, 'NO PAD', 'uca_ai_ci'),
  c('utf8mb4_0900_as_cs', 'utf8mb4', 278, false, 0, 'NO PAD', 'uca_as_cs'),
  c('utf8mb4_0900_bin', 'utf8mb4', 309, false, 1, 'NO PAD', 'bin'),
];
