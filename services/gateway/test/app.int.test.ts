import { useTestDatabase } from '@isp/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { dhcpLeaseBodySchema } from '../src/routes/dhcp-lease.route';
import { MAC_TOKEN, SIDECAR_TOKEN, startHarness, type Harness } from './gateway-harness';

const db = useTestDatabase('gateway-app');
let h: Harness;

beforeAll(async () => {
  h = await startHarness(db().url);
});

afterAll(async () => {
  await h.close();
});

let macSeq = 0;
function lease(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  macSeq++;
  const mac = `aa-bb-cc-00-${(macSeq >> 8).toString(16).padStart(2, '0')}-${(macSeq & 0xff).toString(16).padStart(2, '0')}`;
  return {
    mac,
    ip: '10.20.0.15',
    bound: true,
    server: 'dhcp-lan',
    hostname: 'ONU-1',
    router: 'edge-1',
    ...overrides,
  };
}

/** A lease of `router` posted to the given gateway replica. */
function leaseFrom(replica: Harness, router: string) {
  return replica.app.inject({
    method: 'POST',
    url: '/v1/dhcp/lease',
    headers: { authorization: `Bearer ${MAC_TOKEN}`, 'content-type': 'application/json' },
    payload: lease({ router }),
  });
}

function postLease(payload: unknown, headers: Record<string, string> = {}) {
  return h.app.inject({
    method: 'POST',
    url: '/v1/dhcp/lease',
    headers: { authorization: `Bearer ${MAC_TOKEN}`, 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

describe(buildApp.name, () => {
  describe('POST /v1/dhcp/lease', () => {
    it('answers 202 once the normalised event is stored in pg-boss', async () => {
      const body = lease({ mac: 'de:ad:be:ef:00:01' });
      const res = await postLease(body);
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ accepted: true, duplicate: false });
      const [job] = await h.boss.findJobs('dhcp.lease', { data: { mac: 'DE:AD:BE:EF:00:01' } });
      expect(job?.data).toMatchObject({
        mac: 'DE:AD:BE:EF:00:01',
        ip: '10.20.0.15',
        bound: true,
        router: 'edge-1',
      });
    });

    it('passes the router’s serial on with the event, and stores none for an empty one', async () => {
      expect((await postLease(lease({ mac: 'de:ad:be:ef:00:02', serial: ' HEX0123ABCD ' }))).statusCode).toBe(
        202,
      );
      expect((await postLease(lease({ mac: 'de:ad:be:ef:00:03', serial: '' }))).statusCode).toBe(202);
      const [withSerial] = await h.boss.findJobs('dhcp.lease', { data: { mac: 'DE:AD:BE:EF:00:02' } });
      expect(withSerial?.data).toMatchObject({ router: 'edge-1', serial: 'HEX0123ABCD' });
      const [empty] = await h.boss.findJobs('dhcp.lease', { data: { mac: 'DE:AD:BE:EF:00:03' } });
      expect(empty?.data).not.toHaveProperty('serial');
    });

    it('stores a repeat once and still answers 202', async () => {
      const body = lease();
      const before = await h.jobCount('dhcp.lease');
      expect((await postLease(body)).json()).toEqual({ accepted: true, duplicate: false });
      const again = await postLease({ ...body, mac: String(body['mac']).toUpperCase().replace(/-/g, ':') });
      expect(again.statusCode).toBe(202);
      expect(again.json()).toEqual({ accepted: true, duplicate: true });
      expect(await h.jobCount('dhcp.lease')).toBe(before + 1);
    });

    describe('refusals write nothing', () => {
      let before: number;
      beforeEach(async () => {
        before = await h.jobCount();
      });
      const expectNothingWritten = async (): Promise<void> => {
        expect(await h.jobCount()).toBe(before);
      };

      it.each([
        ['no header', {}],
        ['a wrong token', { authorization: 'Bearer wrong-token-0123456789' }],
        ['the sidecar’s token', { authorization: `Bearer ${SIDECAR_TOKEN}` }],
        ['basic auth', { authorization: `Basic ${MAC_TOKEN}` }],
      ])('answers 401 for %s', async (_name, headers) => {
        const res = await h.app.inject({
          method: 'POST',
          url: '/v1/dhcp/lease',
          headers: { 'content-type': 'application/json', ...headers },
          payload: JSON.stringify(lease()),
        });
        expect(res.statusCode).toBe(401);
        expect(res.json()).toMatchObject({ statusCode: 401, code: 'ISP_ERR_GATEWAY_UNAUTHORIZED' });
        await expectNothingWritten();
      });

      it.each([
        ['malformed JSON', '{"mac": "aa:bb', 'ISP_ERR_GATEWAY_BAD_REQUEST'],
        ['an empty body', '', 'ISP_ERR_GATEWAY_BAD_REQUEST'],
        ['a JSON array', '[1,2]', 'ISP_ERR_GATEWAY_BAD_REQUEST'],
        [
          'a missing router',
          JSON.stringify({ mac: 'aa:bb:cc:dd:ee:ff', ip: '10.0.0.1', bound: true }),
          'ISP_ERR_GATEWAY_BAD_REQUEST',
        ],
        ['a bad MAC', JSON.stringify(lease({ mac: 'zz:bb:cc:dd:ee:ff' })), 'ISP_ERR_GATEWAY_BAD_REQUEST'],
        ['a bad IP', JSON.stringify(lease({ ip: '10.0.0.300' })), 'ISP_ERR_GATEWAY_BAD_REQUEST'],
        ['a numeric MAC', JSON.stringify(lease({ mac: 123456789012 })), 'ISP_ERR_GATEWAY_BAD_REQUEST'],
        ['bound as "yes"', JSON.stringify(lease({ bound: 'yes' })), 'ISP_ERR_GATEWAY_BAD_REQUEST'],
        ['an object as router', JSON.stringify(lease({ router: { x: 1 } })), 'ISP_ERR_GATEWAY_BAD_REQUEST'],
        ['a numeric serial', JSON.stringify(lease({ serial: 12345 })), 'ISP_ERR_GATEWAY_BAD_REQUEST'],
        [
          'a serial over 64 chars',
          JSON.stringify(lease({ serial: 'S'.repeat(65) })),
          'ISP_ERR_GATEWAY_BAD_REQUEST',
        ],
        [
          'a serial with a newline',
          JSON.stringify(lease({ serial: 'AB\nCD' })),
          'ISP_ERR_GATEWAY_BAD_REQUEST',
        ],
        [
          'a hostname over 255 chars',
          JSON.stringify(lease({ hostname: 'h'.repeat(256) })),
          'ISP_ERR_GATEWAY_BAD_REQUEST',
        ],
        [
          'a __proto__ key',
          '{"__proto__": {"x": 1}, "mac": "aa:bb:cc:dd:ee:ff"}',
          'ISP_ERR_GATEWAY_BAD_REQUEST',
        ],
      ])('answers 400 with a message for %s', async (_name, payload, code) => {
        const res = await postLease(payload);
        expect(res.statusCode).toBe(400);
        const body = res.json<{ code: string; message: string }>();
        expect(body.code).toBe(code);
        expect(body.message).not.toBe('');
        await expectNothingWritten();
      });

      it('answers 400 for a body that is not JSON', async () => {
        const res = await postLease('mac=aa:bb:cc:dd:ee:ff', {
          'content-type': 'application/x-www-form-urlencoded',
        });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ code: 'ISP_ERR_GATEWAY_CONTENT_TYPE' });
        await expectNothingWritten();
      });

      it('answers 413 for a body over 4 KiB', async () => {
        const res = await postLease(lease({ hostname: 'h'.repeat(5_000) }));
        expect(res.statusCode).toBe(413);
        expect(res.json()).toMatchObject({ code: 'ISP_ERR_GATEWAY_BODY_TOO_LARGE' });
        await expectNothingWritten();
      });
    });

    it('answers 429 once one router exceeds its budget, other routers unaffected', async () => {
      const limited = await startHarness(db().url, { rateLimitPerMinute: 3 });
      try {
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await leaseFrom(limited, 'noisy')).statusCode);
        expect(statuses).toEqual([202, 202, 202, 429]);
        const refused = await leaseFrom(limited, 'noisy');
        expect(refused.json()).toMatchObject({ statusCode: 429, code: 'ISP_ERR_GATEWAY_RATE_LIMITED' });
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        expect((await leaseFrom(limited, 'quiet')).statusCode).toBe(202);
      } finally {
        await limited.close();
      }
    });

    it('keeps one budget per router across gateway replicas, and a new one in the next window', async () => {
      let clock = Date.UTC(2026, 10, 25, 10, 0, 5);
      const now = (): number => clock;
      const [a, b] = [
        await startHarness(db().url, { rateLimitPerMinute: 5, now }),
        await startHarness(db().url, { rateLimitPerMinute: 5, now }),
      ];
      try {
        const statuses = async (replica: Harness, n: number): Promise<number[]> => {
          const out = [];
          for (let i = 0; i < n; i++) out.push((await leaseFrom(replica, 'edge-1')).statusCode);
          return out;
        };
        expect(await statuses(a, 3)).toEqual([202, 202, 202]);
        // Each replica adds its hits to the shared count when it syncs, and learns the others' for
        // the routers it has heard from: b's first lease is counted before b knows of a's three.
        await a.rateLimit.sync();
        expect(await statuses(b, 1)).toEqual([202]);
        await b.rateLimit.sync();
        expect(await statuses(b, 2)).toEqual([202, 429]);
        await b.rateLimit.sync();
        await a.rateLimit.sync();
        expect(await statuses(a, 1)).toEqual([429]);
        // Another router has a budget of its own.
        expect((await leaseFrom(b, 'edge-2')).statusCode).toBe(202);

        clock += 60_000;
        expect(await statuses(a, 5)).toEqual([202, 202, 202, 202, 202]);
        expect(await statuses(a, 1)).toEqual([429]);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });

  describe('POST /v1/jobs/notify', () => {
    function notify(payload: unknown, token = SIDECAR_TOKEN) {
      return h.app.inject({
        method: 'POST',
        url: '/v1/jobs/notify',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
    }

    it('enqueues one job per Odoo job id and deduplicates repeats', async () => {
      const res = await notify({ job_ids: [501, 502, 502] });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ queued: 2, duplicates: 0 });
      expect((await notify({ job_ids: [502, 503] })).json()).toEqual({ queued: 1, duplicates: 1 });
      const jobs = await h.boss.findJobs('provisioning.job', { key: '502' });
      expect(jobs).toHaveLength(1);
      expect(jobs[0]?.data).toMatchObject({ odooJobId: 502, source: 'notify' });
    });

    it('refuses the routers’ token with 401 and writes nothing', async () => {
      const before = await h.jobCount();
      expect((await notify({ job_ids: [601] }, MAC_TOKEN)).statusCode).toBe(401);
      expect(await h.jobCount()).toBe(before);
    });

    it.each([
      [{ job_ids: ['1'] }],
      [{ job_ids: [0] }],
      [{ job_ids: [1.5] }],
      [{ jobs: [1] }],
      [{ job_ids: 7 }],
    ])('answers 400 for %j and writes nothing', async (payload) => {
      const before = await h.jobCount();
      const res = await notify(payload);
      expect(res.statusCode).toBe(400);
      expect(await h.jobCount()).toBe(before);
    });
  });

  describe('GET /healthz and /readyz', () => {
    it('reports liveness', async () => {
      const res = await h.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    });

    it('is ready when Postgres and Odoo answer, and 503 naming Odoo when it does not', async () => {
      const ready = await h.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', odoo: 'ok' } });
      h.odooUp = false;
      try {
        const notReady = await h.app.inject({ method: 'GET', url: '/readyz' });
        expect(notReady.statusCode).toBe(503);
        expect(notReady.json()).toMatchObject({
          checks: { postgres: 'ok', odoo: 'failed: connect ECONNREFUSED' },
        });
      } finally {
        h.odooUp = true;
      }
    });
  });

  describe('GET /metrics', () => {
    it('counts requests by route and status and reports queue depth', async () => {
      await postLease('{broken');
      const res = await h.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/plain');
      expect(res.body).toMatch(
        /isp_http_requests_total\{route="\/v1\/dhcp\/lease",method="POST",status="400",service="gateway"\} \d+/,
      );
      expect(res.body).toMatch(
        /isp_queue_depth\{queue="dhcp.lease",state="queued",service="gateway"\} [1-9]/,
      );
      expect(res.body).toContain('# TYPE isp_job_duration_seconds histogram');
      expect(res.body).toContain('# TYPE isp_router_round_trip_seconds histogram');
    });
  });

  describe('GET /openapi.json', () => {
    it('describes the routes with the schemas they validate with', async () => {
      const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
        openapi: string;
        paths: Record<
          string,
          Record<
            string,
            { requestBody?: { content: Record<string, { schema: unknown }> }; responses: object }
          >
        >;
      }>();
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/v1/dhcp/lease', '/v1/jobs/notify', '/healthz', '/readyz', '/metrics']),
      );
      expect(doc.paths['/v1/dhcp/lease']?.['post']?.requestBody?.content['application/json']?.schema).toEqual(
        dhcpLeaseBodySchema,
      );
      expect(Object.keys(doc.paths['/v1/dhcp/lease']?.['post']?.responses ?? {})).toEqual([
        '202',
        '4XX',
        '5XX',
      ]);
    });
  });

  it('answers 404 in the same error shape for an unknown route', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      statusCode: 404,
      code: 'ISP_ERR_GATEWAY_NOT_FOUND',
      message: 'no such route',
    });
  });
});
