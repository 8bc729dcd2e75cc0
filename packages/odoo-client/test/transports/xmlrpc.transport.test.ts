import { describe, expect, it } from 'vitest';
import { toExecuteKw } from '../../src/transports/xmlrpc.transport';

describe('toExecuteKw', () => {
  it('puts ids first and named arguments in kwargs', () => {
    expect(
      toExecuteKw({
        model: 'm',
        method: 'write',
        ids: [1, 2],
        params: { vals: { a: 1 } },
        context: { lang: 'es' },
      }),
    ).toEqual({
      args: [[1, 2]],
      kwargs: { vals: { a: 1 }, context: { lang: 'es' } },
    });
  });

  it('passes create’s values positionally, as Odoo’s call_kw requires', () => {
    expect(toExecuteKw({ model: 'm', method: 'create', params: { vals_list: [{ a: 1 }] } })).toEqual({
      args: [[{ a: 1 }]],
      kwargs: {},
    });
  });

  it('drops undefined named arguments, which XML-RPC cannot carry', () => {
    expect(
      toExecuteKw({ model: 'm', method: 'search_read', params: { domain: [], limit: undefined } }).kwargs,
    ).toEqual({ domain: [] });
  });
});
