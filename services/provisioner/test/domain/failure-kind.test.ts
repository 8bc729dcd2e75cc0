import { RouterOsError } from '@isp/routeros';
import { describe, expect, it } from 'vitest';
import { failureKind } from '../../src/domain/failure-kind';
import { ProvisionerError } from '../../src/errors';

describe(failureKind.name, () => {
  it('parks jobs of a router that does not answer', () => {
    for (const code of [
      'ISP_ERR_ROUTEROS_CONNECT_FAILED',
      'ISP_ERR_ROUTEROS_TIMEOUT',
      'ISP_ERR_ROUTEROS_CONNECTION_LOST',
    ] as const) {
      expect(failureKind(new RouterOsError(code))).toBe('unreachable');
    }
  });

  it('counts refusals by the router or missing credentials as attempts', () => {
    expect(failureKind(new RouterOsError('ISP_ERR_ROUTEROS_DUPLICATE'))).toBe('business');
    expect(failureKind(new RouterOsError('ISP_ERR_ROUTEROS_LOGIN_FAILED'))).toBe('business');
    expect(failureKind(new ProvisionerError('ISP_ERR_PROVISIONER_NO_CREDENTIALS'))).toBe('business');
  });

  it('leaves Odoo and Postgres failures to the queue retry', () => {
    expect(failureKind(Object.assign(new Error('down'), { code: 'ISP_ERR_ODOO_NETWORK' }))).toBe(
      'infrastructure',
    );
    expect(failureKind(new Error('connection terminated'))).toBe('infrastructure');
  });
});
