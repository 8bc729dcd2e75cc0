import { describe, expect, it } from 'vitest';

import { errorFromTraps, RouterOsError } from '../src/errors';

describe('errorFromTraps', () => {
  it('classifies RouterOS trap texts and keeps message, category and every trap', () => {
    const error = errorFromTraps(
      [
        { message: 'no such command or directory (routerboard)', category: 0 },
        { message: 'no such command prefix' },
      ],
      '/system/routerboard/print',
    );
    expect(error).toBeInstanceOf(RouterOsError);
    expect(error).toMatchObject({
      code: 'ISP_ERR_ROUTEROS_NO_SUCH_COMMAND',
      message: 'no such command or directory (routerboard)',
      category: 0,
      command: '/system/routerboard/print',
    });
    expect(error.traps).toHaveLength(2);
  });

  it('maps duplicates, missing items, bad values and permissions to their codes', () => {
    const code = (message: string): string => errorFromTraps([{ message }]).code;
    expect(code('failure: already have such name')).toBe('ISP_ERR_ROUTEROS_DUPLICATE');
    expect(code('failure: secret with the same name already exists')).toBe('ISP_ERR_ROUTEROS_DUPLICATE');
    expect(code('no such item')).toBe('ISP_ERR_ROUTEROS_NOT_FOUND');
    expect(code('input does not match any value of interface')).toBe('ISP_ERR_ROUTEROS_BAD_VALUE');
    expect(code('value of priority out of range (1..254)')).toBe('ISP_ERR_ROUTEROS_BAD_VALUE');
    expect(code('unknown parameter comment')).toBe('ISP_ERR_ROUTEROS_UNKNOWN_PARAMETER');
    expect(code('not enough permissions (9)')).toBe('ISP_ERR_ROUTEROS_PERMISSION');
    expect(code('failure: group has some users')).toBe('ISP_ERR_ROUTEROS_TRAP');
  });
});
