import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { isIpv4 } from '@isp/routeros';
import { z } from 'zod';

import type { Lab } from './lab';
import type { RouterControl } from './router-control';

export interface ControlApi {
  /** `host:port` the API listens on. */
  readonly address: string;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
const mac = z.string().regex(/^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$/, 'a MAC address AA:BB:CC:DD:EE:FF');
const ipv4 = z.string().refine(isIpv4, 'an IPv4 address');
const port = z.number().int().min(1).max(65535);

const bodies = {
  bind: z.strictObject({
    mac,
    hostname: z.string().max(255).optional(),
    server: z.string().min(1).optional(),
    ip: ipv4.optional(),
  }),
  release: z.strictObject({ mac, server: z.string().min(1).optional() }),
  pppConnect: z.strictObject({ name: z.string().min(1), password: z.string(), mac: mac.optional() }),
  pppDisconnect: z.strictObject({ name: z.string().min(1) }),
  hotspotLogin: z.strictObject({ user: z.string().min(1), password: z.string(), mac }),
  packet: z.strictObject({
    src: ipv4,
    dst: ipv4,
    protocol: z.enum(['tcp', 'udp', 'icmp']),
    dst_port: port.optional(),
    src_port: port.optional(),
  }),
  faults: z.strictObject({
    latency_ms: z.number().int().min(0).max(60_000).optional(),
    refuse: z.boolean().optional(),
    drop: z.boolean().optional(),
  }),
  dns: z.strictObject({ name: z.string().min(1), addresses: z.array(ipv4).max(64) }),
} as const;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
  throw new HttpError(400, `${where}${issue?.message ?? 'invalid body'}`);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY) throw new HttpError(413, `body over ${MAX_BODY} bytes`);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
}

type Route = (control: RouterControl, body: unknown) => { status: number; body: unknown };

const refusedStatus = (refused: string): number =>
  refused === 'pool-exhausted' || refused === 'no-server' || refused === 'no-address' ? 409 : 403;
const outcome = (
  result: { id: string; address: string } | { refused: string },
): { status: number; body: unknown } =>
  'refused' in result
    ? { status: refusedStatus(result.refused), body: { error: result.refused } }
    : { status: 200, body: result };

const ROUTES: Readonly<Record<string, Route>> = {
  'dhcp/bind': (control, body) => {
    const { mac: client, hostname, server, ip } = parse(bodies.bind, body);
    return outcome(
      control.dhcpBind({
        mac: client,
        ...(hostname === undefined ? {} : { hostname }),
        ...(server === undefined ? {} : { server }),
        ...(ip === undefined ? {} : { ip }),
      }),
    );
  },
  'dhcp/release': (control, body) => {
    const { mac: client, server } = parse(bodies.release, body);
    return {
      status: 200,
      body: { released: control.dhcpRelease({ mac: client, ...(server === undefined ? {} : { server }) }) },
    };
  },
  'ppp/connect': (control, body) => {
    const { name, password, mac: client } = parse(bodies.pppConnect, body);
    return outcome(control.pppConnect({ name, password, ...(client === undefined ? {} : { mac: client }) }));
  },
  'ppp/disconnect': (control, body) => ({
    status: 200,
    body: { disconnected: control.pppDisconnect(parse(bodies.pppDisconnect, body).name) },
  }),
  'hotspot/login': (control, body) => outcome(control.hotspotLogin(parse(bodies.hotspotLogin, body))),
  packet: (control, body) => {
    const packet = parse(bodies.packet, body);
    return {
      status: 200,
      body: control.packet({
        src: packet.src,
        dst: packet.dst,
        protocol: packet.protocol,
        ...(packet.dst_port === undefined ? {} : { dstPort: packet.dst_port }),
        ...(packet.src_port === undefined ? {} : { srcPort: packet.src_port }),
      }),
    };
  },
  faults: (control, body) => {
    const faults = parse(bodies.faults, body);
    if (faults.latency_ms !== undefined) control.setLatency(faults.latency_ms);
    if (faults.refuse !== undefined) control.refuseConnections(faults.refuse);
    if (faults.drop === true) control.dropConnections();
    return { status: 200, body: { ok: true } };
  },
  'mndp/announce': (control) =>
    control.announceMndp()
      ? { status: 200, body: { announced: true } }
      : { status: 409, body: { error: 'mndp-off' } },
  dns: (control, body) => {
    const { name, addresses } = parse(bodies.dns, body);
    control.resolveName(name, addresses);
    return { status: 200, body: { ok: true } };
  },
};

function routerList(lab: Lab): unknown {
  return lab.routers.map((router) => {
    const control = lab.control(router.address);
    return {
      address: router.address,
      port: router.port,
      identity: control.identity,
      version: control.version,
      serial: control.serial,
    };
  });
}

async function handle(lab: Lab, request: IncomingMessage): Promise<{ status: number; body: unknown }> {
  const path = new URL(request.url ?? '/', 'http://control').pathname;
  if (path === '/routers') {
    if (request.method !== 'GET') throw new HttpError(405, 'use GET');
    return { status: 200, body: routerList(lab) };
  }
  const match = /^\/routers\/([^/]+)\/(.+)$/.exec(path);
  const route = match === null ? undefined : ROUTES[match[2] ?? ''];
  if (match === null || route === undefined) throw new HttpError(404, `no such route ${path}`);
  if (request.method !== 'POST') throw new HttpError(405, 'use POST');
  const address = decodeURIComponent(match[1] ?? '');
  if (!lab.routers.some((router) => router.address === address))
    throw new HttpError(404, `no simulated router ${address}`);
  return route(lab.control(address), await readJson(request));
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function isLoopback(host: string): boolean {
  return host === '::1' || host === 'localhost' || (isIpv4(host) && host.startsWith('127.'));
}

/**
 * The control API of a lab: JSON over HTTP, on a loopback address only, playing what happens
 * around the routers (clients taking leases, dialling in, logging in, packets, faults).
 */
export async function startControlApi(lab: Lab, listen: { host: string; port: number }): Promise<ControlApi> {
  if (!isLoopback(listen.host))
    throw new Error(`the control API listens on loopback only, not ${listen.host}`);
  const server: Server = createServer((request, response) => {
    handle(lab, request).then(
      ({ status, body }) => {
        send(response, status, body);
      },
      (error: unknown) => {
        if (error instanceof HttpError) send(response, error.status, { error: error.message });
        else send(response, 500, { error: error instanceof Error ? error.message : String(error) });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  return {
    address: `${listen.host}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
