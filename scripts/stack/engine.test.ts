import { describe, expect, it } from 'vitest';
import { withSbin } from './engine';

describe('withSbin', () => {
  it("adds the sbin folders a minimal PATH lacks, after the caller's own", () => {
    expect(withSbin('/usr/local/bin:/usr/bin:/bin')).toBe(
      '/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin',
    );
  });

  it('keeps a PATH that has them as it is, and copes with none', () => {
    expect(withSbin('/usr/sbin:/usr/bin:/sbin:/usr/local/sbin')).toBe(
      '/usr/sbin:/usr/bin:/sbin:/usr/local/sbin',
    );
    expect(withSbin(undefined)).toBe('/usr/local/sbin:/usr/sbin:/sbin');
  });
});
