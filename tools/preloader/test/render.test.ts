import { describe, expect, it } from 'vitest';
import type { OnboardResult } from '../src/onboard/onboard.command';
import { adminPasswordNotice, onboardJson } from '../src/render';

const RESULT: OnboardResult = {
  ok: true,
  dryRun: false,
  routers: [
    { host: '192.168.88.1', port: 8728, status: 'onboarded', steps: [], adminPassword: 'Random-s3cr3t' },
    { host: '192.168.88.2', port: 8728, status: 'unchanged', steps: [] },
  ],
};

describe('onboardJson', () => {
  it("never carries the factory admin's new password, only that it changed", () => {
    const json = onboardJson(RESULT);
    expect(json).not.toContain('Random-s3cr3t');
    const parsed = JSON.parse(json) as { routers: Record<string, unknown>[] };
    expect(parsed.routers[0]).toMatchObject({ host: '192.168.88.1', adminPasswordChanged: true });
    expect(parsed.routers[1]).not.toHaveProperty('adminPasswordChanged');
  });
});

describe('adminPasswordNotice', () => {
  it('tells each new password once, for the terminal', () => {
    expect(adminPasswordNotice(RESULT)).toBe(
      "192.168.88.1:8728 factory admin's new password (shown once, store it now): Random-s3cr3t\n",
    );
  });
});
