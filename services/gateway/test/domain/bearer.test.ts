import { describe, expect, it } from 'vitest';
import { bearerChecker } from '../../src/domain/bearer';

const TOKEN = 'router-token-0123456789';
const bearerMatches = bearerChecker(TOKEN);

describe(bearerChecker.name, () => {
  it('accepts the exact token with any case of the scheme', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`)).toBe(true);
  });

  it.each([
    undefined,
    '',
    TOKEN,
    `Basic ${TOKEN}`,
    `Bearer ${TOKEN}x`,
    `Bearer ${TOKEN.slice(1)}`,
    'Bearer ',
    `Bearer ${TOKEN} extra`,
  ])('refuses %j', (header) => {
    expect(bearerMatches(header)).toBe(false);
  });
});
