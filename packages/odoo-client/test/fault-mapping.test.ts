import { describe, expect, it } from 'vitest';
import {
  OdooAccessError,
  OdooAuthError,
  OdooError,
  OdooMissingRecordError,
  OdooUserError,
  OdooValidationError,
} from '../src/errors';
import { errorFromJson2, errorFromNetwork, errorFromXmlRpc } from '../src/fault-mapping';

const site = { model: 'res.partner', method: 'write' };

function json2Body(name: string, message: string): unknown {
  return { name, message, arguments: [message], context: {}, debug: 'Traceback …' };
}

describe('errorFromJson2', () => {
  it.each([
    ['odoo.exceptions.ValidationError', 422, OdooValidationError, 'ISP_ERR_ODOO_VALIDATION'],
    ['odoo.exceptions.UserError', 422, OdooUserError, 'ISP_ERR_ODOO_USER_ERROR'],
    ['odoo.exceptions.MissingError', 404, OdooMissingRecordError, 'ISP_ERR_ODOO_MISSING_RECORD'],
    ['odoo.exceptions.AccessError', 403, OdooAccessError, 'ISP_ERR_ODOO_ACCESS'],
    ['werkzeug.exceptions.Unauthorized', 401, OdooAuthError, 'ISP_ERR_ODOO_AUTH'],
  ] as const)('maps %s to its typed error with Odoo’s message', (name, status, type, code) => {
    const err = errorFromJson2(status, json2Body(name, 'the message from Odoo'), site);
    expect(err).toBeInstanceOf(type);
    expect(err.code).toBe(code);
    expect(err.message).toBe('the message from Odoo');
    expect(err.odooName).toBe(name);
    expect(err.model).toBe('res.partner');
    expect(err.httpStatus).toBe(status);
    expect(err.retryable).toBe(false);
  });

  it('maps a missing model or method to ISP_ERR_ODOO_NOT_FOUND', () => {
    expect(errorFromJson2(404, json2Body('werkzeug.exceptions.NotFound', 'nope'), site).code).toBe(
      'ISP_ERR_ODOO_NOT_FOUND',
    );
  });

  it('maps a bad signature to ISP_ERR_ODOO_BAD_CALL', () => {
    const body = json2Body(
      'werkzeug.exceptions.UnprocessableEntity',
      "got an unexpected keyword argument 'x'",
    );
    expect(errorFromJson2(422, body, site).code).toBe('ISP_ERR_ODOO_BAD_CALL');
  });

  it('maps an unknown Python exception to ISP_ERR_ODOO_SERVER', () => {
    expect(errorFromJson2(500, json2Body('builtins.ValueError', 'Invalid field'), site).code).toBe(
      'ISP_ERR_ODOO_SERVER',
    );
  });

  it('marks a proxy’s 502/503/504 without an Odoo body as retryable', () => {
    for (const status of [502, 503, 504]) {
      const err = errorFromJson2(status, undefined, site);
      expect(err.code).toBe('ISP_ERR_ODOO_UNAVAILABLE');
      expect(err.retryable).toBe(true);
    }
  });

  it('maps an HTML 401 without an Odoo body to an auth error', () => {
    expect(errorFromJson2(401, undefined, site)).toBeInstanceOf(OdooAuthError);
  });
});

describe('errorFromXmlRpc', () => {
  function fault(faultCode: number, faultString: string): Error {
    return Object.assign(new Error(`XML-RPC fault: ${faultString}`), {
      code: faultCode,
      faultCode,
      faultString,
    });
  }

  it('maps fault 2 (UserError and its subclasses) to OdooUserError', () => {
    const err = errorFromXmlRpc(fault(2, 'You cannot create recursive Partner hierarchies.'), site);
    expect(err).toBeInstanceOf(OdooUserError);
    expect(err.message).toBe('You cannot create recursive Partner hierarchies.');
  });

  it('maps fault 3 to an auth error and fault 4 to an access error', () => {
    expect(errorFromXmlRpc(fault(3, 'Access Denied'), site)).toBeInstanceOf(OdooAuthError);
    const access = errorFromXmlRpc(fault(4, 'You are not allowed to access this'), site);
    expect(access).toBeInstanceOf(OdooAccessError);
    expect(access.message).toBe('You are not allowed to access this');
  });

  it('summarises a traceback fault by its last line', () => {
    const traceback =
      "Traceback (most recent call last):\n  File \"x.py\", line 1\nValueError: Invalid field 'nope' on model 'res.partner'\n";
    const err = errorFromXmlRpc(fault(1, traceback), site);
    expect(err.code).toBe('ISP_ERR_ODOO_SERVER');
    expect(err.message).toBe("Invalid field 'nope' on model 'res.partner'");
    expect(err.odooName).toBe('ValueError');
  });

  it('maps a method that does not exist to ISP_ERR_ODOO_NOT_FOUND', () => {
    const traceback = "Traceback:\nAttributeError: The method 'res.partner.nope' does not exist\n";
    expect(errorFromXmlRpc(fault(1, traceback), site).code).toBe('ISP_ERR_ODOO_NOT_FOUND');
  });

  it('maps HTTP failures by status', () => {
    const httpError = (statusCode: number): Error =>
      Object.assign(new Error('Not Found'), { res: { statusCode } });
    expect(errorFromXmlRpc(httpError(503), site).retryable).toBe(true);
    expect(errorFromXmlRpc(httpError(404), site).code).toBe('ISP_ERR_ODOO_NOT_FOUND');
    expect(errorFromXmlRpc(httpError(500), site).code).toBe('ISP_ERR_ODOO_BAD_RESPONSE');
  });

  it('falls back to the network mapping for socket errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(errorFromXmlRpc(refused, site).code).toBe('ISP_ERR_ODOO_NETWORK');
  });
});

describe('errorFromNetwork', () => {
  it('marks connection failures as retryable network errors', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EPIPE']) {
      const err = errorFromNetwork(Object.assign(new Error(code), { code }), site);
      expect(err.code).toBe('ISP_ERR_ODOO_NETWORK');
      expect(err.retryable).toBe(true);
    }
    expect(errorFromNetwork(new Error('socket hang up'), site).retryable).toBe(true);
  });

  it('does not retry an unknown failure', () => {
    expect(errorFromNetwork(new Error('something else'), site).retryable).toBe(false);
  });

  it('passes an OdooError through unchanged', () => {
    const original = new OdooError('ISP_ERR_ODOO_TIMEOUT');
    expect(errorFromNetwork(original, site)).toBe(original);
  });
});
