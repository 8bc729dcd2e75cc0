import { isRouterOsError } from '@isp/routeros';
import { startLab, type Lab } from '@isp/routeros-sim';
import { makeSelfSignedCertificate, rejectionOf, type TlsFixture } from '@isp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routerCredentialsSchema } from '../../src/adapters/provisioner-odoo';
import { createRouterSessions, type RouterSessions } from '../../src/adapters/router-sessions';

// This file owns 127.0.40.x.
let lab: Lab;
let certificate: TlsFixture;
let sessions: RouterSessions;

/** A `sidecar_router_credentials` row as isp_mikrotik returns it. */
function odooRow(fingerprint: string, tls = true): unknown {
  const router = lab.routers[0]!;
  return {
    id: 7,
    name: 'TLS router',
    mgmt_ip: router.address,
    api_port: tls ? router.sslPort : router.port,
    api_tls: tls,
    api_tls_fingerprint: fingerprint,
    api_user: 'admin',
    api_password: '',
  };
}

beforeAll(async () => {
  certificate = makeSelfSignedCertificate();
  lab = await startLab({ host: '127.0.40.1', port: 0, count: 1, tls: { ...certificate, port: 0 } });
});

afterAll(async () => {
  await sessions.closeAll();
  await lab.close();
});

describe('router credentials from Odoo with API over TLS', () => {
  it('pins the fingerprint stored on the device and drives the router through it', async () => {
    sessions = createRouterSessions({ timeoutMs: 5_000 });
    const credentials = routerCredentialsSchema.parse(odooRow(certificate.fingerprint256));
    expect(credentials.tls).toEqual({ fingerprint256: certificate.fingerprint256 });
    const client = sessions.client(credentials);
    expect(await client.print('/system/identity')).toHaveLength(1);
  });

  it('refuses a router whose certificate is not the pinned one', async () => {
    const other = makeSelfSignedCertificate().fingerprint256;
    const client = createRouterSessions({ timeoutMs: 5_000 }).client(
      routerCredentialsSchema.parse({ ...(odooRow(other) as object), id: 8 }),
    );
    const error = await rejectionOf(client.print('/system/identity'));
    expect(isRouterOsError(error, 'ISP_ERR_ROUTEROS_TLS_FINGERPRINT')).toBe(true);
    await client.close();
  });

  it('without a fingerprint, verifies the certificate against the system CAs (a self-signed one fails)', async () => {
    const credentials = routerCredentialsSchema.parse(odooRow(''));
    expect(credentials.tls).toBe(true);
    const client = createRouterSessions({ timeoutMs: 5_000 }).client({ ...credentials, deviceId: 9 });
    const error = await rejectionOf(client.print('/system/identity'));
    expect(isRouterOsError(error, 'ISP_ERR_ROUTEROS_CONNECT_FAILED')).toBe(true);
    await client.close();
  });

  it('plain API ignores the fingerprint field, and a malformed fingerprint is refused', () => {
    expect(routerCredentialsSchema.parse(odooRow('', false)).tls).toBe(false);
    expect(routerCredentialsSchema.safeParse(odooRow('ab'.repeat(32))).success).toBe(false);
    expect(routerCredentialsSchema.safeParse(odooRow('AB:CD')).success).toBe(false);
  });
});
