import { describe, expect, it } from 'vitest';
import { normalizeMac } from '../../src/domain/mac';

describe('normalizeMac', () => {
  it.each([
    'AA:BB:CC:DD:EE:FF',
    'aa:bb:cc:dd:ee:ff',
    'aa-bb-cc-dd-ee-ff',
    'AaBb.CcDd.EeFf',
    'aabbccddeeff',
    '  aa:bb:cc:dd:ee:ff ',
  ])('normalises %s', (input) => {
    expect(normalizeMac(input)).toBe('AA:BB:CC:DD:EE:FF');
  });

  it.each([
    '',
    'aa:bb:cc:dd:ee',
    'aa:bb:cc:dd:ee:ff:00',
    'aa:bb-cc:dd:ee:ff',
    'gg:bb:cc:dd:ee:ff',
    'aabb.ccdd',
    'a:b:c:d:e:f',
    'aabbccddeef',
  ])('refuses %j', (input) => {
    expect(normalizeMac(input)).toBeUndefined();
  });
});
