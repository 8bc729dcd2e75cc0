import { describe, expect, it } from 'vitest';

import {
  normaliseListAddress,
  normaliseRatePair,
  parseDuration,
  normaliseTarget,
  normaliseValue,
  parseBitRate,
} from '../src/values';

describe('parseBitRate', () => {
  it('reads k, M and G suffixes as bits per second', () => {
    expect(parseBitRate('512k')).toBe(512_000);
    expect(parseBitRate('20M')).toBe(20_000_000);
    expect(parseBitRate('1G')).toBe(1_000_000_000);
    expect(parseBitRate('1.5M')).toBe(1_500_000);
    expect(parseBitRate('fast')).toBeUndefined();
  });
});

describe('normaliseRatePair', () => {
  it('writes upload/download in bits per second and copies a single value', () => {
    expect(normaliseRatePair('5M/20M')).toBe('5000000/20000000');
    expect(normaliseRatePair('10M')).toBe('10000000/10000000');
    expect(normaliseRatePair('1/2/3')).toBeUndefined();
  });
});

describe('normaliseTarget', () => {
  it('adds /32 to bare addresses and keeps interfaces', () => {
    expect(normaliseTarget('10.0.0.8')).toBe('10.0.0.8/32');
    expect(normaliseTarget('10.0.0.9/24,ether2')).toBe('10.0.0.0/24,ether2');
  });
});

describe('normaliseListAddress', () => {
  it('stores a /32 as the bare address and other prefixes as their network', () => {
    expect(normaliseListAddress('10.10.10.10/32')).toBe('10.10.10.10');
    expect(normaliseListAddress('10.10.10.10/24')).toBe('10.10.10.0/24');
    expect(normaliseListAddress('example.com')).toBe('example.com');
  });
});

describe('normaliseValue', () => {
  it('applies menu-specific rules only where RouterOS does', () => {
    expect(normaliseValue('/queue/simple', 'max-limit', '5M/20M')).toBe('5000000/20000000');
    expect(normaliseValue('/ppp/profile', 'rate-limit', '5M/20M')).toBe('5M/20M');
    expect(normaliseValue('/ppp/secret', 'disabled', 'yes')).toBe('true');
    expect(normaliseValue('/ip/dhcp-server/lease', 'mac-address', 'aa:bb:cc:dd:ee:ff')).toBe(
      'AA:BB:CC:DD:EE:FF',
    );
  });
});

describe('parseDuration', () => {
  it('reads RouterOS durations in both notations and refuses anything else', () => {
    expect(parseDuration('1w2d3h4m5s')).toBe(604_800 + 2 * 86_400 + 3 * 3_600 + 4 * 60 + 5);
    expect(parseDuration('45s')).toBe(45);
    expect(parseDuration('00:05:00')).toBe(300);
    expect(parseDuration('500ms')).toBe(0.5);
    expect(parseDuration('')).toBeUndefined();
    expect(parseDuration('5 minutes')).toBeUndefined();
  });
});
