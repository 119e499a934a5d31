import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import {
  byteLength, charLength, charsetOf, collationById, compareStrings, defaultCollationFor, encode, getCollation,
  showCharacterSetRows, showCollationRows, sortKey, decode,
} from '../../../src/kernel/charset/index.js';
import { compareValues } from '../../../src/sql/types/compare.js';
import { toBigInt, toBoolean, toDecimal, toDouble, toStringValue } from '../../../src/sql/types/convert.js';
import { Decimal, Temporal } from '../../../src/kernel/value.js';
import { fakeRuntime } from '../eval/harness.js';
import { SqlError } from '../../../src/kernel/errors.js';

describe('character sets and collations', () => {
  it(req(['CORE-TYPE-010', 'CORE-TYPE-011'], 'unit', 'catalogue: ids, defaults, pad attributes, SHOW rows'), () => {
    expect(getCollation('utf8mb4_0900_ai_ci').id).toBe(255);
    expect(getCollation('UTF8MB4_BIN').pad).toBe('PAD SPACE');
    expect(getCollation('utf8mb4_0900_ai_ci').pad).toBe('NO PAD');
    expect(getCollation('utf8_general_ci').name).toBe('utf8mb3_general_ci');
    expect(collationById(8)!.name).toBe('latin1_swedish_ci');
    expect(collationById(63)!.name).toBe('binary');
    expect(collationById(46)!.name).toBe('utf8mb4_bin');
    expect(collationById(45)!.name).toBe('utf8mb4_general_ci');
    expect(collationById(278)!.name).toBe('utf8mb4_0900_as_cs');
    expect(collationById(11)!.name).toBe('ascii_general_ci');
    expect(collationById(47)!.name).toBe('latin1_bin');
    expect(defaultCollationFor('latin1')).toBe('latin1_swedish_ci');
    expect(defaultCollationFor('utf8')).toBe('utf8mb3_general_ci');
    expect(defaultCollationFor('utf8mb4')).toBe('utf8mb4_0900_ai_ci');
    expect(charsetOf('latin1_bin')).toBe('latin1');
    expect(() => getCollation('nope')).toThrowError("Unknown collation: 'nope'");
    expect(() => defaultCollationFor('nope')).toThrowError(SqlError);
    expect(showCharacterSetRows().find((r) => r[0] === 'latin1')).toEqual(['latin1', 'cp1252 West European', 'latin1_swedish_ci', 1n]);
    expect(showCollationRows().find((r) => r[0] === 'utf8mb4_0900_ai_ci')).toEqual(['utf8mb4_0900_ai_ci', 'utf8mb4', 255n, 'Yes', 'Yes', 0n, 'NO PAD']);
  });

  it(req('CORE-TYPE-012', 'unit', 'collation-aware comparison: case/accent folding and pad attributes'), () => {
    expect(compareStrings('a', 'A', 'utf8mb4_0900_ai_ci')).toBe(0);
    expect(compareStrings('résumé', 'RESUME', 'utf8mb4_0900_ai_ci')).toBe(0);
    expect(compareStrings('a', 'b', 'utf8mb4_0900_ai_ci')).toBe(-1);
    expect(compareStrings('a ', 'a', 'utf8mb4_0900_ai_ci')).toBe(1);
    expect(compareStrings('a ', 'a', 'utf8mb4_bin')).toBe(0);
    expect(compareStrings('a', 'A', 'utf8mb4_bin')).toBe(1);
    expect(compareStrings('a', 'A', 'utf8mb4_0900_as_cs')).not.toBe(0);
    expect(compareStrings('é', 'e', 'utf8mb4_0900_as_cs')).not.toBe(0);
    expect(compareStrings('ß', 's', 'utf8mb4_general_ci')).toBe(0);
    expect(compareStrings('ß', 'ss', 'utf8mb4_0900_ai_ci')).toBe(0);
    expect(compareStrings('a', 'A ', 'utf8mb4_general_ci')).toBe(0);
    expect(compareStrings('Å', 'Z', 'latin1_swedish_ci')).toBe(1);
    expect(compareStrings(Buffer.from('a'), Buffer.from('b'), 'binary')).toBe(-1);
    expect(compareStrings('\u{1F600}', '\uFFFD', 'utf8mb4_bin')).toBe(1);
  });

  it(req('CORE-TYPE-013', 'unit', 'sort keys agree with equality; lengths and encodings'), () => {
    expect(sortKey('ABC ', 'utf8mb4_general_ci')).toBe(sortKey('abc', 'utf8mb4_general_ci'));
    expect(sortKey('Äbc', 'utf8mb4_0900_ai_ci')).toBe(sortKey('abc', 'utf8mb4_0900_ai_ci'));
    expect(sortKey('abc ', 'utf8mb4_0900_ai_ci')).not.toBe(sortKey('abc', 'utf8mb4_0900_ai_ci'));
    expect(charLength('h\u{1F600}')).toBe(2);
    expect(byteLength('h\u{1F600}', 'utf8mb4')).toBe(5);
    expect(byteLength('é', 'latin1')).toBe(1);
    expect(encode('€', 'latin1').toString('hex')).toBe('80');
    expect(decode(Buffer.from([0x80, 0xe9]), 'latin1')).toBe('€é');
    expect(encode('a\u{1F600}', 'utf8mb3').toString()).toBe('a?');
  });
});

describe('conversions and comparison', () => {
  it(req(['CORE-TYPE-041', 'CORE-TYPE-042'], 'unit', 'implicit conversions between representations'), () => {
    const rt = fakeRuntime();
    expect(toDouble('1.5e3xyz', rt)).toBe(1500);
    expect(rt.warnings[0]!.message).toBe("Truncated incorrect DOUBLE value: '1.5e3xyz'");
    expect(toBigInt(2.5)).toBe(3n);
    expect(toBigInt(-2.5)).toBe(-3n);
    expect(toBigInt(new Decimal(-25n, 1))).toBe(-3n);
    expect(toBigInt(new Temporal('DATE', 2024, 1, 2, 0, 0, 0, 0))).toBe(20240102n);
    expect(toDecimal('1.50')!.toString()).toBe('1.50');
    expect(toStringValue(1e20)).toBe('1e20');
    expect(toStringValue(new Decimal(-5n, 2))).toBe('-0.05');
    expect(toBoolean('0.0')).toBe(false);
    expect(toBoolean('0.1')).toBe(true);
    expect(toBoolean(null)).toBe(null);
  });

  it(req(['CORE-TYPE-050', 'CORE-TYPE-051'], 'unit', 'compareValues: exact integers, decimals, temporals and strings'), () => {
    expect(compareValues(18446744073709551615n, 18446744073709551614n, {})).toBe(1);
    expect(compareValues(9007199254740993n, 9007199254740992n, {})).toBe(1);
    expect(compareValues(new Decimal(10n, 1), 1n, {})).toBe(0);
    expect(compareValues(new Decimal(1n, 1), 0.1, {})).toBe(0);
    expect(compareValues('10', 9n, {})).toBe(1);
    expect(compareValues('abc', 'ABC', { collation: 'utf8mb4_0900_ai_ci' })).toBe(0);
    expect(compareValues('abc', 'ABC', { collation: 'utf8mb4_bin' })).toBe(1);
    expect(compareValues(new Temporal('DATE', 2024, 1, 2, 0, 0, 0, 0), '2024-01-02', {})).toBe(0);
    expect(compareValues('2024-01-03', new Temporal('DATETIME', 2024, 1, 2, 10, 0, 0, 0), {})).toBe(1);
    expect(compareValues(new Temporal('TIME', 0, 0, 0, 10, 0, 0, 0), '09:59:59', {})).toBe(1);
    expect(compareValues(null, 1n, {})).toBe(null);
  });
});
