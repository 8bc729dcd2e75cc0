import { describe, expect, it } from 'vitest';

import { legacyLoginResponse } from '../src/legacy-login';

describe('legacyLoginResponse', () => {
  it('matches the published check vectors', () => {
    expect(legacyLoginResponse('', '93b438ec9b80057c06dd9fe67d56aa9a')).toBe(
      '00e134102a9d330dd7b1849fedfea3cb57',
    );
    expect(legacyLoginResponse('', '856780b7411eefd3abadee2058c149a3')).toBe(
      '005062f7a5ef124d34675bf3e81f56c556',
    );
  });
});
